/**
 * The PostgreSQL schema, as numbered migrations. `applyPostgresMigrations` runs the missing ones at
 * open, in one transaction that holds an advisory lock: several processes may start at once, and
 * only one migrates while the others wait and then find nothing left to do. Never edit a migration
 * once released: add the next one.
 */
import type pg from 'pg'
import { POSTGRES_DRAFTING_SCHEMA } from '../postgres/drafting.ts'
import { POSTGRES_BOARD_SCHEMA } from '../postgres/board.ts'
import { POSTGRES_MEETING_STATE_SCHEMA } from '../postgres/state.ts'
import { POSTGRES_VOTES_SCHEMA } from '../postgres/votes.ts'
import {
  type DelegationRow,
  type Migration,
  pendingMigrations,
  planDelegationRenames,
  renameAudit,
} from './plan.ts'

export type PostgresMigration = Migration<(c: pg.ClientBase) => Promise<unknown>>

/** Any constant will do: it keeps two processes from migrating the same database at the same moment. */
const SCHEMA_LOCK_KEY = 0x52_54_44_42 // 'RTDB'

/**
 * Version 1 is the schema every database had before migrations were recorded (including the
 * `state_vector` column added to older ones); idempotent, so on such a database it changes nothing
 * and is only recorded. Columns that lists sort by are COLLATE "C": byte order, as SQLite's BINARY,
 * whatever the database's locale.
 */
const V1_SCHEMA = `
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

export const postgresMigrations: readonly PostgresMigration[] = [
  { version: 1, name: 'initial schema', up: (c) => c.query(V1_SCHEMA) },
  {
    version: 2,
    name: 'one delegation name per meeting, ignoring case',
    up: async (c) => {
      const { rows } = await c.query<DelegationRow>('SELECT id, meeting_id, name FROM delegations')
      const at = new Date().toISOString()
      for (const r of planDelegationRenames(rows)) {
        await c.query('UPDATE delegations SET name = $1 WHERE id = $2', [r.to, r.id])
        const e = renameAudit(r, at)
        await c.query(
          'INSERT INTO audit_log (meeting_id, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5)',
          [e.meetingId, e.at, e.actor, e.action, e.detail],
        )
      }
      // name is COLLATE "C", under which lower() folds ASCII letters only, as SQLite's does.
      await c.query(
        'CREATE UNIQUE INDEX delegations_name_per_meeting ON delegations (meeting_id, lower(name))',
      )
    },
  },
  { version: 3, name: 'the priority board', up: (c) => c.query(POSTGRES_BOARD_SCHEMA) },
  { version: 4, name: 'formal votes', up: (c) => c.query(POSTGRES_VOTES_SCHEMA) },
  { version: 5, name: 'meeting state and the floor', up: (c) => c.query(POSTGRES_MEETING_STATE_SCHEMA) },
  {
    version: 6,
    name: 'sessions that end, invitations with a use limit',
    up: (c) =>
      c.query(`
        ALTER TABLE sessions ADD COLUMN last_seen_at TEXT;
        ALTER TABLE sessions ADD COLUMN invitation_id TEXT;
        CREATE INDEX sessions_by_invitation ON sessions (invitation_id);
        ALTER TABLE invitations ADD COLUMN max_uses INTEGER;
        ALTER TABLE invitations ADD COLUMN uses INTEGER NOT NULL DEFAULT 0;
      `),
  },
  {
    version: 7,
    name: 'drafts, comments, amendments, brackets, versions',
    up: (c) => c.query(POSTGRES_DRAFTING_SCHEMA),
  },
]

export const POSTGRES_SCHEMA_VERSION = postgresMigrations.length

/**
 * Brings the database (the connection's search_path, or `schema`, created if missing) up to the code's
 * schema version, on `c`, which must not be in a transaction; returns the versions it applied.
 */
export const applyPostgresMigrations = async (
  c: pg.ClientBase,
  schema?: string,
  migrations: readonly PostgresMigration[] = postgresMigrations,
): Promise<number[]> => {
  await c.query('BEGIN')
  try {
    await c.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY])
    if (schema) await c.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
    await c.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    )
    const { rows } = await c.query<{ version: number }>('SELECT version FROM schema_migrations')
    const pending = pendingMigrations(
      migrations,
      rows.map((r) => r.version),
    )
    for (const m of pending) {
      await m.up(c)
      await c.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        new Date().toISOString(),
      ])
    }
    await c.query('COMMIT')
    return pending.map((m) => m.version)
  } catch (err) {
    await c.query('ROLLBACK').catch(() => {})
    throw err
  }
}
