import { closeSync, fdatasync, fsync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import type { AgendaItemId, AuditEntry, Delegation } from '@roundtable/protocol'
import type Database from 'better-sqlite3'
import {
  createWriter,
  openDatabase,
  statementCache,
  type WriteOutcome,
  type WriteRequest,
} from './sqlite-writer.ts'
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
  /** One transaction per write, synced inside the commit (always so for ':memory:'); tests use it to gate writes. */
  inlineWrites?: boolean
  /** How the write-ahead log is made durable (default: fs.fdatasync); tests hold or fail it. */
  syncFile?: SyncFile
}

type SyncFile = (fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => void

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

/** One transaction per write, synced inside its commit: ':memory:' (nothing to sync) and tests that hold writes one by one. */
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

/** fsync of a file or directory on libuv's thread pool, opening it read-only for the call. */
const syncPath = (path: string, cb: (err: NodeJS.ErrnoException | null) => void): void => {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (err) {
    cb(err as NodeJS.ErrnoException)
    return
  }
  fsync(fd, (err) => {
    closeSync(fd)
    cb(err)
  })
}

/**
 * A file database commits on the calling thread and makes each commit durable off it. The connection
 * runs with synchronous=NORMAL, so a commit only writes the write-ahead log into the page cache
 * (≈ 0.1 ms); before the commit's writes are acknowledged, an fdatasync of the log runs on libuv's
 * thread pool. That is what synchronous=FULL does inside the commit, without stalling the event loop
 * and without a worker thread's hand-over (≈ 0.2 ms and 0.15–0.6 ms of CPU per commit on one core).
 * Requests that arrive while a sync runs share the next commit (group commit). Checkpoints keep their
 * own syncs under NORMAL (log before copying, database after), so the log is only ever overwritten once
 * the database holds it durably. A failed sync leaves the commit's state unknown: those writes and
 * every later one fail, as PostgreSQL does on an fsync error, until the server restarts.
 */
const syncedWrites = (
  db: Database.Database,
  path: string,
  synchronous: 'full' | 'normal',
  syncFile: SyncFile = fdatasync,
): Writes => {
  const writer = createWriter(db)
  interface Waiting {
    req: WriteRequest
    resolve: (v: unknown) => void
    reject: (e: Error) => void
  }
  let queue: Waiting[] = []
  let scheduled = false
  let syncing = false
  let closing = false
  let broken: Error | null = null
  let logFd: number | null = null
  // The log's directory entry must be durable too (SQLite syncs the directory when it creates the log
  // under FULL): once per process, with the first sync.
  let directorySynced = false
  let drained: (() => void) | null = null

  const syncLog = (cb: (err: NodeJS.ErrnoException | null) => void) => {
    try {
      logFd ??= openSync(`${path}-wal`, 'r')
    } catch (err) {
      cb(err as NodeJS.ErrnoException)
      return
    }
    syncFile(logFd, (err) => {
      if (err || directorySynced) return cb(err)
      syncPath(dirname(path), (dirErr) => {
        if (!dirErr) directorySynced = true
        cb(dirErr)
      })
    })
  }

  const schedule = () => {
    if (scheduled || syncing || queue.length === 0) return
    scheduled = true
    setImmediate(commit)
  }
  const idle = () => {
    if (queue.length === 0 && !syncing && !scheduled) drained?.()
  }

  const commit = () => {
    scheduled = false
    const batch = queue
    queue = []
    if (broken) {
      for (const w of batch) w.reject(broken)
      return idle()
    }
    const outcomes = writer.group(batch.map((w) => w.req))
    const committed: [Waiting, unknown][] = []
    for (const [i, w] of batch.entries()) {
      try {
        committed.push([w, settle(outcomes[i])])
      } catch (err) {
        w.reject(err as Error)
      }
    }
    if (synchronous === 'normal' || committed.length === 0) {
      for (const [w, v] of committed) w.resolve(v)
      schedule()
      return idle()
    }
    syncing = true
    syncLog((err) => {
      syncing = false
      if (err) {
        broken = new StoreWriteError(
          `SQLite: the write-ahead log could not be synced to disk (${err.code ?? err.message}); writes are refused until the server restarts`,
          'SQLITE_IOERR_FSYNC',
        )
        for (const [w] of committed) w.reject(broken)
      } else for (const [w, v] of committed) w.resolve(v)
      schedule()
      idle()
    })
  }

  return {
    submit: (req) => {
      if (closing) return Promise.reject(new StoreWriteError('the store is closed'))
      if (broken) return Promise.reject(broken)
      return new Promise((resolve, reject) => {
        queue.push({ req, resolve, reject })
        schedule()
      })
    },
    close: async () => {
      closing = true
      if (queue.length > 0 || syncing || scheduled) await new Promise<void>((r) => (drained = r))
      if (logFd !== null) closeSync(logFd)
      logFd = null
    },
  }
}

type RunResult = { changes: number; lastInsertRowid: number }

/**
 * Reads and writes run on the calling thread (WAL: reads never wait for a commit); a write's promise
 * resolves once its transaction is committed and, with SQLITE_SYNC=full, the log synced to disk.
 */
export const openSqliteStore = (opts: SqliteOptions): Store => {
  if (opts.path !== ':memory:') mkdirSync(dirname(opts.path), { recursive: true })
  const inline = opts.path === ':memory:' || opts.inlineWrites === true
  // Synced writes do the log's sync themselves, after the commit: the connection commits without one.
  const db = openDatabase(opts.path, inline ? opts.synchronous : 'normal')
  db.exec(SCHEMA)
  // Files made before snapshots kept their state vector.
  if (!(db.pragma('table_info(doc_snapshots)') as { name: string }[]).some((c) => c.name === 'state_vector'))
    db.exec('ALTER TABLE doc_snapshots ADD COLUMN state_vector BLOB')
  const writes = inline
    ? inlineWrites(db)
    : syncedWrites(db, opts.path, opts.synchronous ?? 'full', opts.syncFile)

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
  const stmt = statementCache(db)
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
    appendUpdates: (name, updates) => submit({ op: 'append', doc: name, updates }) as Promise<number>,
    compact: async (name, snapshot, uptoSeq, stateVector) => {
      await submit({
        op: 'compact',
        doc: name,
        snapshot,
        uptoSeq,
        stateVector: stateVector ?? null,
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
