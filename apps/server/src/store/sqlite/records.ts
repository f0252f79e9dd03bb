import type { AuditEntry } from '@roundtable/protocol'
import type { Row } from '../rows.ts'
import type { RecordStore } from '../types.ts'
import type { SqliteContext } from './context.ts'

/** The audit log (append-only: triggers refuse UPDATE and DELETE) and meta settings. */
export const sqliteRecords = ({ read, stmt, exec }: SqliteContext): RecordStore => ({
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
        ((stmt('SELECT value FROM meta WHERE key = ?').get(key) as Row | undefined)?.value as string) ?? null,
    ),
  setMeta: async (key, value) => {
    await exec('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)', key, value)
  },
})
