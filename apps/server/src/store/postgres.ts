import type { AgendaItemId, AuditEntry, Delegation } from '@roundtable/protocol'
import pg from 'pg'
import { agendaFrom, invitationFrom, meetingFrom, participantFrom, type Row, toBytes } from './rows.ts'
import { collector } from './together.ts'
import type { SessionSubject, Store, StoredDoc } from './types.ts'

// Columns that lists sort by are COLLATE "C": byte order, as SQLite's BINARY, whatever the database's locale.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS doc_heads (doc TEXT PRIMARY KEY, last_seq BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS doc_updates (
  doc TEXT NOT NULL, seq BIGINT NOT NULL, data BYTEA NOT NULL, PRIMARY KEY (doc, seq)
);
CREATE TABLE IF NOT EXISTS doc_snapshots (doc TEXT PRIMARY KEY, upto_seq BIGINT NOT NULL, data BYTEA NOT NULL);
ALTER TABLE doc_snapshots ADD COLUMN IF NOT EXISTS state_vector BYTEA;
CREATE TABLE IF NOT EXISTS meetings (
  id TEXT PRIMARY KEY, title TEXT NOT NULL, date TEXT COLLATE "C" NOT NULL, place TEXT NOT NULL,
  description TEXT NOT NULL, chair_name TEXT NOT NULL, created_at TEXT COLLATE "C" NOT NULL, current_item_id TEXT
);
CREATE TABLE IF NOT EXISTS delegations (
  id TEXT PRIMARY KEY, meeting_id TEXT NOT NULL, name TEXT COLLATE "C" NOT NULL
);
CREATE TABLE IF NOT EXISTS agenda_items (
  id TEXT COLLATE "C" PRIMARY KEY, meeting_id TEXT NOT NULL, position INTEGER NOT NULL, title TEXT NOT NULL,
  kind TEXT NOT NULL, duration_minutes INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS invitations (
  id TEXT COLLATE "C" PRIMARY KEY, meeting_id TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
  delegation_id TEXT, label TEXT NOT NULL, created_at TEXT COLLATE "C" NOT NULL, expires_at TEXT, revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS participants (
  id TEXT COLLATE "C" PRIMARY KEY, meeting_id TEXT NOT NULL, display_name TEXT NOT NULL, role TEXT NOT NULL,
  delegation_id TEXT, removed BOOLEAN NOT NULL, joined_at TEXT COLLATE "C" NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (token_hash TEXT PRIMARY KEY, subject TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit_log (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, meeting_id TEXT NOT NULL, at TEXT NOT NULL,
  actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL
);
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN RAISE EXCEPTION 'audit log is append-only'; END $$;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass AND tgname = 'audit_log_no_change') THEN
    CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass AND tgname = 'audit_log_no_truncate') THEN
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
  END IF;
END $$;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS agenda_by_meeting ON agenda_items (meeting_id, position);
CREATE INDEX IF NOT EXISTS participants_by_meeting ON participants (meeting_id);
CREATE INDEX IF NOT EXISTS audit_by_meeting ON audit_log (meeting_id, seq);
`

/** Scale-out runs several processes against one database; each keeps a modest share of its connections. */
const POOL_SIZE = 10
/** Any constant will do: it keeps two processes from creating the schema at the same moment (IF NOT EXISTS races). */
const SCHEMA_LOCK_KEY = 0x52_54_44_42 // 'RTDB'

// pg returns BIGINT as a string, since it may exceed 2^53; our sequence numbers never will.
const int = (v: unknown): number => Number(v)

export interface PostgresOptions {
  connectionString: string
  /**
   * Schema to keep the tables in, created if missing; default: the connection's search_path (normally `public`).
   * Tests use a fresh one each and drop it afterwards.
   */
  schema?: string
}

export const openPostgresStore = async (opts: PostgresOptions): Promise<Store> => {
  if (opts.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(opts.schema))
    throw new Error(`invalid schema name: ${opts.schema}`)
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: POOL_SIZE,
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  })
  // An idle connection dropped by the server must not crash the process: the pool replaces it on next use.
  pool.on('error', (err) => console.error('PostgreSQL: idle connection lost:', err.message))

  // Statements issued inside `together` are collected and run in one transaction, in order.
  const { send, together } = collector<{ sql: string; params: unknown[] }>(
    ({ sql, params }) => pool.query(sql, params),
    (statements) =>
      transaction(async (c) => {
        const results: pg.QueryResult[] = []
        for (const st of statements) results.push(await c.query(st.sql, st.params))
        return results
      }),
  )
  const run = (sql: string, params: unknown[] = []) => send({ sql, params }) as Promise<pg.QueryResult>
  const query = async (sql: string, params: unknown[] = []): Promise<Row[]> => (await run(sql, params)).rows
  const transaction = async <T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> => {
    const c = await pool.connect()
    try {
      await c.query('BEGIN')
      const result = await fn(c)
      await c.query('COMMIT')
      return result
    } catch (err) {
      await c.query('ROLLBACK').catch(() => {})
      throw err
    } finally {
      c.release()
    }
  }

  try {
    await transaction(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY])
      if (opts.schema) await c.query(`CREATE SCHEMA IF NOT EXISTS ${opts.schema}`)
      await c.query(SCHEMA)
    })
  } catch (err) {
    await pool.end()
    throw err
  }

  const appendChains = new Map<string, Promise<void>>()
  const appendNow = async (name: string, updates: Uint8Array[]): Promise<number> => {
    if (updates.length === 0) {
      const r = await query('SELECT last_seq FROM doc_heads WHERE doc = $1', [name])
      return r.length ? int(r[0].last_seq) : 0
    }
    return transaction(async (c) => {
      const head = await c.query(
        `INSERT INTO doc_heads (doc, last_seq) VALUES ($1, $2)
           ON CONFLICT (doc) DO UPDATE SET last_seq = doc_heads.last_seq + excluded.last_seq
           RETURNING last_seq`,
        [name, updates.length],
      )
      const last = int(head.rows[0].last_seq)
      await c.query(
        `INSERT INTO doc_updates (doc, seq, data)
           SELECT $1, $2::bigint + t.ord, t.data FROM unnest($3::bytea[]) WITH ORDINALITY AS t(data, ord)`,
        [name, last - updates.length, updates],
      )
      return last
    })
  }

  // Only single-statement writes are collected whole; the meeting service uses it for a change and its audit entry.
  return {
    kind: 'postgres',
    commitsInOrder: false,
    together,
    // One statement sees one snapshot of the database, so a concurrent compaction cannot make
    // this read the old snapshot together with a log it has already trimmed.
    loadDoc: async (name): Promise<StoredDoc> => {
      const rows = await query(
        `WITH s AS (SELECT upto_seq, data, state_vector FROM doc_snapshots WHERE doc = $1)
         SELECT true AS is_snapshot, upto_seq AS seq, data, state_vector FROM s
         UNION ALL
         SELECT false, seq, data, NULL FROM doc_updates
           WHERE doc = $1 AND seq > COALESCE((SELECT upto_seq FROM s), 0)
         ORDER BY is_snapshot DESC, seq`,
        [name],
      )
      const snap = rows[0]?.is_snapshot ? rows[0] : undefined
      const updates = snap ? rows.slice(1) : rows
      const last = updates.length ? updates[updates.length - 1] : snap
      return {
        snapshot: snap ? toBytes(snap.data as Buffer) : null,
        snapshotStateVector: snap?.state_vector ? toBytes(snap.state_vector as Buffer) : null,
        updates: updates.map((r) => toBytes(r.data as Buffer)),
        lastSeq: last ? int(last.seq) : 0,
      }
    },
    // The head row is locked from the increment until COMMIT, so concurrent appenders to one document
    // (several processes) get disjoint ranges and commit in sequence order. Within this process, appends
    // to one document run one after another, so they take sequence numbers in the order they were issued.
    appendUpdates: (name, updates) => {
      const prev = appendChains.get(name) ?? Promise.resolve()
      const next = prev.then(() => appendNow(name, updates))
      const settled = next.then(
        () => {},
        () => {},
      )
      appendChains.set(name, settled)
      settled.then(() => {
        if (appendChains.get(name) === settled) appendChains.delete(name)
      })
      return next
    },
    compact: (name, snapshot, uptoSeq, stateVector) =>
      transaction(async (c) => {
        // Sequence numbers keep rising after compaction, even past a snapshot taken beyond the log's end.
        await c.query(
          `INSERT INTO doc_heads (doc, last_seq) VALUES ($1, $2)
           ON CONFLICT (doc) DO UPDATE SET last_seq = GREATEST(doc_heads.last_seq, excluded.last_seq)`,
          [name, uptoSeq],
        )
        // A compaction behind the stored snapshot (another process, with an older view) must not bring
        // back an older state: the updates between the two are already gone from the log.
        await c.query(
          `INSERT INTO doc_snapshots (doc, upto_seq, data, state_vector) VALUES ($1, $2, $3, $4)
           ON CONFLICT (doc) DO UPDATE SET upto_seq = excluded.upto_seq, data = excluded.data,
             state_vector = excluded.state_vector
           WHERE doc_snapshots.upto_seq <= excluded.upto_seq`,
          [name, uptoSeq, snapshot, stateVector ?? null],
        )
        await c.query('DELETE FROM doc_updates WHERE doc = $1 AND seq <= $2', [name, uptoSeq])
      }),
    docStats: async (name) => {
      const [r] = await query(
        `SELECT (SELECT COUNT(*) FROM doc_updates WHERE doc = $1) AS n,
                (SELECT COALESCE(SUM(octet_length(data)), 0) FROM doc_updates WHERE doc = $1) AS bytes,
                (SELECT octet_length(data) FROM doc_snapshots WHERE doc = $1) AS snap`,
        [name],
      )
      return { updates: int(r.n), updateBytes: int(r.bytes), snapshotBytes: int(r.snap ?? 0) }
    },

    createMeeting: async (m) => {
      await query(
        'INSERT INTO meetings (id, title, date, place, description, chair_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [m.id, m.title, m.date, m.place, m.description, m.chairName, m.createdAt],
      )
    },
    getMeeting: async (id) => {
      const [r] = await query('SELECT * FROM meetings WHERE id = $1', [id])
      return r ? meetingFrom(r) : null
    },
    listMeetings: async () =>
      (await query('SELECT * FROM meetings ORDER BY date DESC, created_at DESC')).map(meetingFrom),
    getCurrentItem: async (id) => {
      const [r] = await query('SELECT current_item_id FROM meetings WHERE id = $1', [id])
      return (r?.current_item_id as AgendaItemId | null) ?? null
    },
    setCurrentItem: async (id, itemId) => {
      await query('UPDATE meetings SET current_item_id = $1 WHERE id = $2', [itemId, id])
    },

    putDelegation: async (d) => {
      await query(
        `INSERT INTO delegations (id, meeting_id, name) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET meeting_id = excluded.meeting_id, name = excluded.name`,
        [d.id, d.meetingId, d.name],
      )
    },
    listDelegations: async (meetingId) =>
      (await query('SELECT * FROM delegations WHERE meeting_id = $1 ORDER BY name', [meetingId])).map(
        (r): Delegation => ({ id: r.id as Delegation['id'], meetingId, name: r.name as string }),
      ),

    putAgendaItem: async (i) => {
      await query(
        `INSERT INTO agenda_items (id, meeting_id, position, title, kind, duration_minutes) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET meeting_id = excluded.meeting_id, position = excluded.position,
           title = excluded.title, kind = excluded.kind, duration_minutes = excluded.duration_minutes`,
        [i.id, i.meetingId, i.position, i.title, i.kind, i.durationMinutes],
      )
    },
    deleteAgendaItem: async (meetingId, id) =>
      ((await run('DELETE FROM agenda_items WHERE id = $1 AND meeting_id = $2', [id, meetingId])).rowCount ??
        0) > 0,
    listAgenda: async (meetingId) =>
      (
        await query('SELECT * FROM agenda_items WHERE meeting_id = $1 ORDER BY position, id', [meetingId])
      ).map(agendaFrom),

    createInvitation: async (i) => {
      await query(
        `INSERT INTO invitations (id, meeting_id, token_hash, role, delegation_id, label, created_at, expires_at, revoked_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          i.id,
          i.meetingId,
          i.tokenHash,
          i.role,
          i.delegationId,
          i.label,
          i.createdAt,
          i.expiresAt,
          i.revokedAt,
        ],
      )
    },
    findInvitationByTokenHash: async (h) => {
      const [r] = await query('SELECT * FROM invitations WHERE token_hash = $1', [h])
      return r ? invitationFrom(r) : null
    },
    listInvitations: async (meetingId) =>
      (
        await query('SELECT * FROM invitations WHERE meeting_id = $1 ORDER BY created_at, id', [meetingId])
      ).map((r) => {
        const { tokenHash: _, ...inv } = invitationFrom(r)
        return inv
      }),
    revokeInvitation: async (meetingId, id, at) =>
      ((
        await run(
          'UPDATE invitations SET revoked_at = $1 WHERE id = $2 AND meeting_id = $3 AND revoked_at IS NULL',
          [at, id, meetingId],
        )
      ).rowCount ?? 0) > 0,

    putParticipant: async (p) => {
      await query(
        `INSERT INTO participants (id, meeting_id, display_name, role, delegation_id, removed, joined_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO UPDATE SET meeting_id = excluded.meeting_id, display_name = excluded.display_name,
           role = excluded.role, delegation_id = excluded.delegation_id, removed = excluded.removed,
           joined_at = excluded.joined_at`,
        [p.id, p.meetingId, p.displayName, p.role, p.delegationId, p.removed, p.joinedAt],
      )
    },
    getParticipant: async (id) => {
      const [r] = await query('SELECT * FROM participants WHERE id = $1', [id])
      return r ? participantFrom(r) : null
    },
    listParticipants: async (meetingId) =>
      (
        await query('SELECT * FROM participants WHERE meeting_id = $1 ORDER BY joined_at, id', [meetingId])
      ).map(participantFrom),

    createSession: async (h, subject, at) => {
      await query('INSERT INTO sessions (token_hash, subject, created_at) VALUES ($1, $2, $3)', [
        h,
        JSON.stringify(subject),
        at,
      ])
    },
    findSession: async (h) => {
      const [r] = await query('SELECT subject FROM sessions WHERE token_hash = $1', [h])
      return r ? (JSON.parse(r.subject as string) as SessionSubject) : null
    },
    deleteSession: async (h) => {
      await query('DELETE FROM sessions WHERE token_hash = $1', [h])
    },

    // detail is JSON in a TEXT column, not JSONB: JSONB reorders keys and rejects \u0000, and the log should
    // give back exactly what was written.
    appendAudit: async (e) => {
      const [r] = await query(
        'INSERT INTO audit_log (meeting_id, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5) RETURNING seq',
        [e.meetingId, e.at, e.actor, e.action, JSON.stringify(e.detail)],
      )
      return int(r.seq)
    },
    listAudit: async (meetingId, afterSeq = 0) =>
      (
        await query('SELECT * FROM audit_log WHERE meeting_id = $1 AND seq > $2 ORDER BY seq', [
          meetingId,
          afterSeq,
        ])
      ).map(
        (r): AuditEntry => ({
          seq: int(r.seq),
          meetingId,
          at: r.at as string,
          actor: r.actor as string,
          action: r.action as string,
          detail: JSON.parse(r.detail as string),
        }),
      ),

    getMeta: async (key) => {
      const [r] = await query('SELECT value FROM meta WHERE key = $1', [key])
      return (r?.value as string | undefined) ?? null
    },
    setMeta: async (key, value) => {
      await query(
        'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        [key, value],
      )
    },

    close: () => pool.end(),
  }
}
