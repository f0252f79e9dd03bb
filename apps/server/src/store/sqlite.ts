import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { AgendaItemId, AuditEntry, Delegation } from '@roundtable/protocol'
import Database from 'better-sqlite3'
import { agendaFrom, invitationFrom, meetingFrom, participantFrom, type Row, toBytes } from './rows.ts'
import type { SessionSubject, Store, StoredDoc } from './types.ts'

const SCHEMA = `
CREATE TABLE IF NOT EXISTS doc_updates (
  doc TEXT NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (doc, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS doc_snapshots (
  doc TEXT PRIMARY KEY, upto_seq INTEGER NOT NULL, data BLOB NOT NULL
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
}

/** better-sqlite3 is synchronous: each method does its work before returning an already-settled promise. */
export const openSqliteStore = (opts: SqliteOptions): Store => {
  if (opts.path !== ':memory:') mkdirSync(dirname(opts.path), { recursive: true })
  const db = new Database(opts.path)
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${opts.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`)
  db.pragma('busy_timeout = 5000')
  db.exec(SCHEMA)

  const q = {
    lastSeq: db.prepare('SELECT MAX(seq) AS s FROM doc_updates WHERE doc = ?'),
    snapshot: db.prepare('SELECT upto_seq, data FROM doc_snapshots WHERE doc = ?'),
    updatesAfter: db.prepare('SELECT seq, data FROM doc_updates WHERE doc = ? AND seq > ? ORDER BY seq'),
    insertUpdate: db.prepare('INSERT INTO doc_updates (doc, seq, data) VALUES (?, ?, ?)'),
    deleteUpto: db.prepare('DELETE FROM doc_updates WHERE doc = ? AND seq <= ?'),
    putSnapshot: db.prepare(
      'INSERT INTO doc_snapshots (doc, upto_seq, data) VALUES (?, ?, ?) ON CONFLICT(doc) DO UPDATE SET upto_seq = excluded.upto_seq, data = excluded.data WHERE doc_snapshots.upto_seq <= excluded.upto_seq',
    ),
    docStats: db.prepare(
      'SELECT COUNT(*) AS n, COALESCE(SUM(LENGTH(data)), 0) AS bytes FROM doc_updates WHERE doc = ?',
    ),
  }
  // Sequence numbers keep rising after compaction, so a snapshot's upto_seq stays meaningful.
  const seqOf = (name: string): number => {
    const fromLog = (q.lastSeq.get(name) as { s: number | null }).s
    const snap = q.snapshot.get(name) as { upto_seq: number } | undefined
    return Math.max(fromLog ?? 0, snap?.upto_seq ?? 0)
  }
  const append = db.transaction((name: string, updates: Uint8Array[]) => {
    let seq = seqOf(name)
    for (const u of updates) q.insertUpdate.run(name, ++seq, u)
    return seq
  })
  // A compaction older than the stored snapshot is ignored, as in PostgreSQL: it would move upto_seq back.
  const compact = db.transaction((name: string, snapshot: Uint8Array, uptoSeq: number) => {
    if (q.putSnapshot.run(name, uptoSeq, snapshot).changes > 0) q.deleteUpto.run(name, uptoSeq)
  })
  const run = <T>(fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn())
    } catch (err) {
      return Promise.reject(err)
    }
  }

  return {
    kind: 'sqlite',
    loadDoc: (name) =>
      run((): StoredDoc => {
        const snap = q.snapshot.get(name) as { upto_seq: number; data: Buffer } | undefined
        const rows = q.updatesAfter.all(name, snap?.upto_seq ?? 0) as { seq: number; data: Buffer }[]
        return {
          snapshot: snap ? toBytes(snap.data) : null,
          updates: rows.map((r) => toBytes(r.data)),
          lastSeq: rows.length ? rows[rows.length - 1].seq : (snap?.upto_seq ?? 0),
        }
      }),
    appendUpdates: (name, updates) => run(() => append(name, updates)),
    compact: (name, snapshot, uptoSeq) => run(() => compact(name, snapshot, uptoSeq)),
    docStats: (name) =>
      run(() => {
        const r = q.docStats.get(name) as { n: number; bytes: number }
        const snap = q.snapshot.get(name) as { data: Buffer } | undefined
        return { updates: r.n, updateBytes: r.bytes, snapshotBytes: snap?.data.byteLength ?? 0 }
      }),

    createMeeting: (m) =>
      run(() => {
        db.prepare(
          'INSERT INTO meetings (id, title, date, place, description, chair_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        ).run(m.id, m.title, m.date, m.place, m.description, m.chairName, m.createdAt)
      }),
    getMeeting: (id) =>
      run(() => {
        const r = db.prepare('SELECT * FROM meetings WHERE id = ?').get(id) as Row | undefined
        return r ? meetingFrom(r) : null
      }),
    listMeetings: () =>
      run(() =>
        (db.prepare('SELECT * FROM meetings ORDER BY date DESC, created_at DESC').all() as Row[]).map(
          meetingFrom,
        ),
      ),
    getCurrentItem: (id) =>
      run(() => {
        const r = db.prepare('SELECT current_item_id FROM meetings WHERE id = ?').get(id) as Row | undefined
        return (r?.current_item_id as AgendaItemId | null) ?? null
      }),
    setCurrentItem: (id, itemId) =>
      run(() => {
        db.prepare('UPDATE meetings SET current_item_id = ? WHERE id = ?').run(itemId, id)
      }),

    putDelegation: (d) =>
      run(() => {
        db.prepare('INSERT OR REPLACE INTO delegations (id, meeting_id, name) VALUES (?, ?, ?)').run(
          d.id,
          d.meetingId,
          d.name,
        )
      }),
    listDelegations: (meetingId) =>
      run(() =>
        (
          db.prepare('SELECT * FROM delegations WHERE meeting_id = ? ORDER BY name').all(meetingId) as Row[]
        ).map((r): Delegation => ({ id: r.id as Delegation['id'], meetingId, name: r.name as string })),
      ),

    putAgendaItem: (i) =>
      run(() => {
        db.prepare(
          'INSERT OR REPLACE INTO agenda_items (id, meeting_id, position, title, kind, duration_minutes) VALUES (?, ?, ?, ?, ?, ?)',
        ).run(i.id, i.meetingId, i.position, i.title, i.kind, i.durationMinutes)
      }),
    deleteAgendaItem: (meetingId, id) =>
      run(
        () =>
          db.prepare('DELETE FROM agenda_items WHERE id = ? AND meeting_id = ?').run(id, meetingId).changes >
          0,
      ),
    listAgenda: (meetingId) =>
      run(() =>
        (
          db
            .prepare('SELECT * FROM agenda_items WHERE meeting_id = ? ORDER BY position, id')
            .all(meetingId) as Row[]
        ).map(agendaFrom),
      ),

    createInvitation: (i) =>
      run(() => {
        db.prepare(
          'INSERT INTO invitations (id, meeting_id, token_hash, role, delegation_id, label, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        ).run(
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
      }),
    findInvitationByTokenHash: (h) =>
      run(() => {
        const r = db.prepare('SELECT * FROM invitations WHERE token_hash = ?').get(h) as Row | undefined
        return r ? invitationFrom(r) : null
      }),
    listInvitations: (meetingId) =>
      run(() =>
        (
          db
            .prepare('SELECT * FROM invitations WHERE meeting_id = ? ORDER BY created_at, id')
            .all(meetingId) as Row[]
        ).map((r) => {
          const { tokenHash: _, ...inv } = invitationFrom(r)
          return inv
        }),
      ),
    revokeInvitation: (meetingId, id, at) =>
      run(
        () =>
          db
            .prepare(
              'UPDATE invitations SET revoked_at = ? WHERE id = ? AND meeting_id = ? AND revoked_at IS NULL',
            )
            .run(at, id, meetingId).changes > 0,
      ),

    putParticipant: (p) =>
      run(() => {
        db.prepare(
          'INSERT OR REPLACE INTO participants (id, meeting_id, display_name, role, delegation_id, removed, joined_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        ).run(p.id, p.meetingId, p.displayName, p.role, p.delegationId, p.removed ? 1 : 0, p.joinedAt)
      }),
    getParticipant: (id) =>
      run(() => {
        const r = db.prepare('SELECT * FROM participants WHERE id = ?').get(id) as Row | undefined
        return r ? participantFrom(r) : null
      }),
    listParticipants: (meetingId) =>
      run(() =>
        (
          db
            .prepare('SELECT * FROM participants WHERE meeting_id = ? ORDER BY joined_at, id')
            .all(meetingId) as Row[]
        ).map(participantFrom),
      ),

    createSession: (h, subject, at) =>
      run(() => {
        db.prepare('INSERT INTO sessions (token_hash, subject, created_at) VALUES (?, ?, ?)').run(
          h,
          JSON.stringify(subject),
          at,
        )
      }),
    findSession: (h) =>
      run(() => {
        const r = db.prepare('SELECT subject FROM sessions WHERE token_hash = ?').get(h) as Row | undefined
        return r ? (JSON.parse(r.subject as string) as SessionSubject) : null
      }),
    deleteSession: (h) =>
      run(() => {
        db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(h)
      }),

    appendAudit: (e) =>
      run(
        () =>
          db
            .prepare('INSERT INTO audit_log (meeting_id, at, actor, action, detail) VALUES (?, ?, ?, ?, ?)')
            .run(e.meetingId, e.at, e.actor, e.action, JSON.stringify(e.detail)).lastInsertRowid as number,
      ),
    listAudit: (meetingId, afterSeq = 0) =>
      run(() =>
        (
          db
            .prepare('SELECT * FROM audit_log WHERE meeting_id = ? AND seq > ? ORDER BY seq')
            .all(meetingId, afterSeq) as Row[]
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
      run(
        () =>
          ((db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as Row | undefined)
            ?.value as string) ?? null,
      ),
    setMeta: (key, value) =>
      run(() => {
        db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value)
      }),

    close: () =>
      run(() => {
        db.close()
      }),
  }
}
