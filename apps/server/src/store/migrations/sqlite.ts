/**
 * The SQLite schema, as numbered migrations. `applySqliteMigrations` runs the missing ones at open,
 * in one IMMEDIATE transaction (a second connection opening at the same moment waits for it), and
 * records each in `schema_migrations`. Never edit a migration once released: add the next one.
 */
import type Database from 'better-sqlite3'
import { SQLITE_DRAFTING_SCHEMA } from '../sqlite/drafting.ts'
import { SQLITE_BOARD_SCHEMA } from '../sqlite/board.ts'
import { SQLITE_MEETING_STATE_SCHEMA } from '../sqlite/state.ts'
import { SQLITE_VOTES_SCHEMA } from '../sqlite/votes.ts'
import {
  type DelegationRow,
  type Migration,
  pendingMigrations,
  planDelegationRenames,
  renameAudit,
} from './plan.ts'

export type SqliteMigration = Migration<(db: Database.Database) => void>

/**
 * Version 1 is the schema every database had before migrations were recorded; written with IF NOT
 * EXISTS, so on such a database it changes nothing and is only recorded.
 */
const V1_SCHEMA = `
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

export const sqliteMigrations: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'initial schema',
    up: (db) => {
      db.exec(V1_SCHEMA)
      // Files made before snapshots kept their state vector.
      const columns = db.pragma('table_info(doc_snapshots)') as { name: string }[]
      if (!columns.some((c) => c.name === 'state_vector'))
        db.exec('ALTER TABLE doc_snapshots ADD COLUMN state_vector BLOB')
    },
  },
  {
    version: 2,
    name: 'one delegation name per meeting, ignoring case',
    up: (db) => {
      const rows = db.prepare('SELECT id, meeting_id, name FROM delegations').all() as DelegationRow[]
      const rename = db.prepare('UPDATE delegations SET name = ? WHERE id = ?')
      const audit = db.prepare(
        'INSERT INTO audit_log (meeting_id, at, actor, action, detail) VALUES (@meetingId, @at, @actor, @action, @detail)',
      )
      const at = new Date().toISOString()
      for (const r of planDelegationRenames(rows)) {
        rename.run(r.to, r.id)
        audit.run(renameAudit(r, at))
      }
      // SQLite's lower() folds ASCII letters only, as PostgreSQL's does over the COLLATE "C" column.
      db.exec('CREATE UNIQUE INDEX delegations_name_per_meeting ON delegations (meeting_id, lower(name))')
    },
  },
  { version: 3, name: 'the priority board', up: (db) => db.exec(SQLITE_BOARD_SCHEMA) },
  { version: 4, name: 'formal votes', up: (db) => db.exec(SQLITE_VOTES_SCHEMA) },
  { version: 5, name: 'meeting state and the floor', up: (db) => db.exec(SQLITE_MEETING_STATE_SCHEMA) },
  {
    version: 6,
    name: 'sessions that end, invitations with a use limit',
    up: (db) =>
      db.exec(`
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
    up: (db) => db.exec(SQLITE_DRAFTING_SCHEMA),
  },
]

export const SQLITE_SCHEMA_VERSION = sqliteMigrations.length

/** Brings the database up to the code's schema version; returns the versions it applied. */
export const applySqliteMigrations = (
  db: Database.Database,
  migrations: readonly SqliteMigration[] = sqliteMigrations,
): number[] =>
  db
    .transaction(() => {
      db.exec(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
      )
      const applied = (
        db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]
      ).map((r) => r.version)
      const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
      const pending = pendingMigrations(migrations, applied)
      for (const m of pending) {
        m.up(db)
        record.run(m.version, m.name, new Date().toISOString())
      }
      return pending.map((m) => m.version)
    })
    .immediate()
