import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { AgendaItemId, AuditEntry, Delegation } from '@roundtable/protocol'
import type Database from 'better-sqlite3'
import { createWriter, openDatabase, type WriteOutcome, type WriteRequest } from './sqlite-writer.mjs'
import { agendaFrom, invitationFrom, meetingFrom, participantFrom, type Row, toBytes } from './rows.ts'
import { collector } from './together.ts'
import type { SessionSubject, Store, StoredDoc } from './types.ts'

const SCHEMA = `
CREATE TABLE IF NOT EXISTS doc_updates (
  doc TEXT NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (doc, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS doc_snapshots (
  doc TEXT PRIMARY KEY, upto_seq INTEGER NOT NULL, data BLOB NOT NULL, state_vector BLOB
);
CREATE TABLE IF NOT EXISTS meetings (
  id TEXT PRIMARY KEY, title TEXT NOT NULL, date TEXT NOT NULL, place TEXT NOT NULL,
  description TEXT NOT NULL, chair_name TEXT NOT NULL, created_at TEXT NOT NULL, current_item_id TEXT
);
CREATE TABLE IF NOT EXISTS delegations (
  id TEXT PRIMARY KEY, meeting_id TEXT NOT NULL, name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS agenda_items (
  id TEXT PRIMARY KEY, meeting_id TEXT NOT NULL, position INTEGER NOT NULL, title TEXT NOT NULL,
  kind TEXT NOT NULL, duration_minutes INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS invitations (
  id TEXT PRIMARY KEY, meeting_id TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
  delegation_id TEXT, label TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT, revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS participants (
  id TEXT PRIMARY KEY, meeting_id TEXT NOT NULL, display_name TEXT NOT NULL, role TEXT NOT NULL,
  delegation_id TEXT, removed INTEGER NOT NULL, joined_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY, subject TEXT NOT NULL, created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, meeting_id TEXT NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL,
  action TEXT NOT NULL, detail TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS agenda_by_meeting ON agenda_items (meeting_id, position);
CREATE INDEX IF NOT EXISTS participants_by_meeting ON participants (meeting_id);
CREATE INDEX IF NOT EXISTS audit_by_meeting ON audit_log (meeting_id, seq);
`

export interface SqliteOptions {
  /** File path, or ':memory:'. */
  path: string
  /** 'full' syncs the WAL on every commit (survives power loss); 'normal' survives a process crash only. */
  synchronous?: 'full' | 'normal'
  /** Write on the calling thread instead of a worker (always so for ':memory:'). */
  inlineWrites?: boolean
  /**
   * Start the writer thread at open instead of at the first write. A server does (its first edit
   * then does not wait ≈ 50–150 ms for a thread to boot, and the thread's memory is a fixed cost, not
   * the first user's); a tool that may only read does not.
   */
  eagerWriter?: boolean
}

interface Writes {
  submit(req: WriteRequest): Promise<unknown>
  close(): Promise<void>
}

class StoreWriteError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message)
  }
}
const settle = (o: WriteOutcome): unknown => {
  if (o.ok) return o.value
  throw new StoreWriteError(o.error.message, o.error.code)
}

/** ':memory:' cannot be shared with a thread: its writes run in place, one transaction each. */
const inlineWrites = (db: Database.Database): Writes => {
  const writer = createWriter(db)
  return {
    submit: (req) => {
      try {
        return Promise.resolve(settle(writer.group([req])[0]))
      } catch (err) {
        return Promise.reject(err)
      }
    },
    close: async () => {},
  }
}

/**
 * A file database writes on a worker thread (sqlite-writer.mjs): the commit's fsync happens there, and
 * requests sent while it runs share the next commit. Replies come back in order, one message per commit.
 */
const workerWrites = (opts: SqliteOptions): Writes => {
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  let nextId = 1
  let closing = false
  let worker: Worker | null = null
  let exited: Promise<void> = Promise.resolve()
  const failWaiting = (err: Error) => {
    for (const w of waiting.values()) w.reject(err)
    waiting.clear()
  }
  // Started at open (eagerWriter) or at the first write. A thread that dies fails what it owed; the next
  // write starts a new one.
  const start = (): Worker => {
    const w = new Worker(new URL('./sqlite-writer.mjs', import.meta.url), {
      workerData: { roundtableSqliteWriter: { path: opts.path, synchronous: opts.synchronous ?? 'full' } },
      execArgv: [],
    })
    let failure: Error | null = null
    w.on('message', (outcomes: ({ id: number } & WriteOutcome)[]) => {
      for (const o of outcomes) {
        const pending = waiting.get(o.id)
        if (!pending) continue
        waiting.delete(o.id)
        try {
          pending.resolve(settle(o))
        } catch (err) {
          pending.reject(err as Error)
        }
      }
      // The worker keeps the process alive only while it owes us an answer (or is closing).
      if (waiting.size === 0 && !closing) w.unref()
    })
    w.on('error', (err: unknown) => {
      failure = new StoreWriteError(
        `SQLite writer failed: ${err instanceof Error ? err.message : String(err)}`,
      )
    })
    exited = new Promise<void>((resolve) =>
      w.once('exit', () => {
        if (worker === w) worker = null
        failWaiting(failure ?? new StoreWriteError('SQLite writer stopped'))
        resolve()
      }),
    )
    // Idle, it does not keep the process alive; submit refs it while a write is owed.
    w.unref()
    return w
  }
  if (opts.eagerWriter) worker = start()
  return {
    submit: (req) => {
      if (closing) return Promise.reject(new StoreWriteError('the store is closed'))
      worker ??= start()
      const w = worker
      const id = nextId++
      return new Promise((resolve, reject) => {
        if (waiting.size === 0) w.ref()
        waiting.set(id, { resolve, reject })
        w.postMessage({ id, req })
      })
    },
    close: async () => {
      closing = true
      if (worker) {
        worker.ref()
        // The worker answers what it has, then closes its connection and exits.
        worker.postMessage({ close: true })
      }
      await exited
    },
  }
}

type RunResult = { changes: number; lastInsertRowid: number }

/**
 * Posting a view to the writer thread copies its whole underlying buffer (for an update cut out of a
 * socket's read buffer, many kB): a view that does not span its buffer is copied down to its bytes.
 */
const own = (bytes: Uint8Array): Uint8Array =>
  bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice()

/**
 * Reads run on the calling thread (WAL: they never wait for the writer); writes go to the writer, in a
 * worker thread for a file database. A write's promise resolves once its transaction is committed.
 */
export const openSqliteStore = (opts: SqliteOptions): Store => {
  if (opts.path !== ':memory:') mkdirSync(dirname(opts.path), { recursive: true })
  const db = openDatabase(opts.path, opts.synchronous)
  db.exec(SCHEMA)
  // Files made before snapshots kept their state vector.
  if (!(db.pragma('table_info(doc_snapshots)') as { name: string }[]).some((c) => c.name === 'state_vector'))
    db.exec('ALTER TABLE doc_snapshots ADD COLUMN state_vector BLOB')
  const writes = opts.path === ':memory:' || opts.inlineWrites ? inlineWrites(db) : workerWrites(opts)

  // Writes issued inside `together` are collected and sent as one all-or-nothing request.
  const { send: submit, together } = collector<WriteRequest>(
    (req) => writes.submit(req),
    async (requests) => (await writes.submit({ op: 'many', requests })) as unknown[],
  )
  const exec = (sql: string, ...params: unknown[]) => submit({ op: 'run', sql, params }) as Promise<RunResult>

  const q = {
    snapshot: db.prepare('SELECT upto_seq, data, state_vector FROM doc_snapshots WHERE doc = ?'),
    updatesAfter: db.prepare('SELECT seq, data FROM doc_updates WHERE doc = ? AND seq > ? ORDER BY seq'),
    docStats: db.prepare(
      'SELECT COUNT(*) AS n, COALESCE(SUM(LENGTH(data)), 0) AS bytes FROM doc_updates WHERE doc = ?',
    ),
  }
  // Statements are compiled once per connection, not on every call.
  const statements = new Map<string, Database.Statement>()
  const stmt = (sql: string): Database.Statement => {
    let st = statements.get(sql)
    if (!st) {
      st = db.prepare(sql)
      statements.set(sql, st)
    }
    return st
  }
  const read = <T>(fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn())
    } catch (err) {
      return Promise.reject(err)
    }
  }

  return {
    kind: 'sqlite',
    commitsInOrder: true,
    together,
    loadDoc: (name) =>
      read((): StoredDoc => {
        // One read transaction, so the snapshot and the log after it are seen as of the same commit.
        return db
          .transaction(() => {
            const snap = q.snapshot.get(name) as
              | { upto_seq: number; data: Buffer; state_vector: Buffer | null }
              | undefined
            const rows = q.updatesAfter.all(name, snap?.upto_seq ?? 0) as { seq: number; data: Buffer }[]
            return {
              snapshot: snap ? toBytes(snap.data) : null,
              snapshotStateVector: snap?.state_vector ? toBytes(snap.state_vector) : null,
              updates: rows.map((r) => toBytes(r.data)),
              lastSeq: rows.length ? rows[rows.length - 1].seq : (snap?.upto_seq ?? 0),
            }
          })
          .deferred()
      }),
    appendUpdates: (name, updates) =>
      submit({ op: 'append', doc: name, updates: updates.map(own) }) as Promise<number>,
    compact: async (name, snapshot, uptoSeq, stateVector) => {
      await submit({
        op: 'compact',
        doc: name,
        snapshot: own(snapshot),
        uptoSeq,
        stateVector: stateVector ? own(stateVector) : null,
      })
    },
    docStats: (name) =>
      read(() => {
        const r = q.docStats.get(name) as { n: number; bytes: number }
        const snap = q.snapshot.get(name) as { data: Buffer } | undefined
        return { updates: r.n, updateBytes: r.bytes, snapshotBytes: snap?.data.byteLength ?? 0 }
      }),

    createMeeting: async (m) => {
      await exec(
        'INSERT INTO meetings (id, title, date, place, description, chair_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        m.id,
        m.title,
        m.date,
        m.place,
        m.description,
        m.chairName,
        m.createdAt,
      )
    },
    getMeeting: (id) =>
      read(() => {
        const r = stmt('SELECT * FROM meetings WHERE id = ?').get(id) as Row | undefined
        return r ? meetingFrom(r) : null
      }),
    listMeetings: () =>
      read(() =>
        (stmt('SELECT * FROM meetings ORDER BY date DESC, created_at DESC').all() as Row[]).map(meetingFrom),
      ),
    getCurrentItem: (id) =>
      read(() => {
        const r = stmt('SELECT current_item_id FROM meetings WHERE id = ?').get(id) as Row | undefined
        return (r?.current_item_id as AgendaItemId | null) ?? null
      }),
    setCurrentItem: async (id, itemId) => {
      await exec('UPDATE meetings SET current_item_id = ? WHERE id = ?', itemId, id)
    },

    putDelegation: async (d) => {
      await exec(
        'INSERT OR REPLACE INTO delegations (id, meeting_id, name) VALUES (?, ?, ?)',
        d.id,
        d.meetingId,
        d.name,
      )
    },
    listDelegations: (meetingId) =>
      read(() =>
        (stmt('SELECT * FROM delegations WHERE meeting_id = ? ORDER BY name').all(meetingId) as Row[]).map(
          (r): Delegation => ({ id: r.id as Delegation['id'], meetingId, name: r.name as string }),
        ),
      ),

    putAgendaItem: async (i) => {
      await exec(
        'INSERT OR REPLACE INTO agenda_items (id, meeting_id, position, title, kind, duration_minutes) VALUES (?, ?, ?, ?, ?, ?)',
        i.id,
        i.meetingId,
        i.position,
        i.title,
        i.kind,
        i.durationMinutes,
      )
    },
    deleteAgendaItem: async (meetingId, id) =>
      (await exec('DELETE FROM agenda_items WHERE id = ? AND meeting_id = ?', id, meetingId)).changes > 0,
    listAgenda: (meetingId) =>
      read(() =>
        (
          stmt('SELECT * FROM agenda_items WHERE meeting_id = ? ORDER BY position, id').all(
            meetingId,
          ) as Row[]
        ).map(agendaFrom),
      ),

    createInvitation: async (i) => {
      await exec(
        'INSERT INTO invitations (id, meeting_id, token_hash, role, delegation_id, label, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        i.id,
        i.meetingId,
        i.tokenHash,
        i.role,
        i.delegationId,
        i.label,
        i.createdAt,
        i.expiresAt,
        i.revokedAt,
      )
    },
    findInvitationByTokenHash: (h) =>
      read(() => {
        const r = stmt('SELECT * FROM invitations WHERE token_hash = ?').get(h) as Row | undefined
        return r ? invitationFrom(r) : null
      }),
    listInvitations: (meetingId) =>
      read(() =>
        (
          stmt('SELECT * FROM invitations WHERE meeting_id = ? ORDER BY created_at, id').all(
            meetingId,
          ) as Row[]
        ).map((r) => {
          const { tokenHash: _, ...inv } = invitationFrom(r)
          return inv
        }),
      ),
    revokeInvitation: async (meetingId, id, at) =>
      (
        await exec(
          'UPDATE invitations SET revoked_at = ? WHERE id = ? AND meeting_id = ? AND revoked_at IS NULL',
          at,
          id,
          meetingId,
        )
      ).changes > 0,

    putParticipant: async (p) => {
      await exec(
        'INSERT OR REPLACE INTO participants (id, meeting_id, display_name, role, delegation_id, removed, joined_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        p.id,
        p.meetingId,
        p.displayName,
        p.role,
        p.delegationId,
        p.removed ? 1 : 0,
        p.joinedAt,
      )
    },
    getParticipant: (id) =>
      read(() => {
        const r = stmt('SELECT * FROM participants WHERE id = ?').get(id) as Row | undefined
        return r ? participantFrom(r) : null
      }),
    listParticipants: (meetingId) =>
      read(() =>
        (
          stmt('SELECT * FROM participants WHERE meeting_id = ? ORDER BY joined_at, id').all(
            meetingId,
          ) as Row[]
        ).map(participantFrom),
      ),

    createSession: async (h, subject, at) => {
      await exec(
        'INSERT INTO sessions (token_hash, subject, created_at) VALUES (?, ?, ?)',
        h,
        JSON.stringify(subject),
        at,
      )
    },
    findSession: (h) =>
      read(() => {
        const r = stmt('SELECT subject FROM sessions WHERE token_hash = ?').get(h) as Row | undefined
        return r ? (JSON.parse(r.subject as string) as SessionSubject) : null
      }),
    deleteSession: async (h) => {
      await exec('DELETE FROM sessions WHERE token_hash = ?', h)
    },

    appendAudit: async (e) =>
      (
        await exec(
          'INSERT INTO audit_log (meeting_id, at, actor, action, detail) VALUES (?, ?, ?, ?, ?)',
          e.meetingId,
          e.at,
          e.actor,
          e.action,
          JSON.stringify(e.detail),
        )
      ).lastInsertRowid,
    listAudit: (meetingId, afterSeq = 0) =>
      read(() =>
        (
          stmt('SELECT * FROM audit_log WHERE meeting_id = ? AND seq > ? ORDER BY seq').all(
            meetingId,
            afterSeq,
          ) as Row[]
        ).map(
          (r): AuditEntry => ({
            seq: r.seq as number,
            meetingId,
            at: r.at as string,
            actor: r.actor as string,
            action: r.action as string,
            detail: JSON.parse(r.detail as string),
          }),
        ),
      ),

    getMeta: (key) =>
      read(
        () =>
          ((stmt('SELECT value FROM meta WHERE key = ?').get(key) as Row | undefined)?.value as string) ??
          null,
      ),
    setMeta: async (key, value) => {
      await exec('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)', key, value)
    },

    close: async () => {
      await writes.close()
      db.close()
    },
  }
}
