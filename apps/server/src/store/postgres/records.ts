import type { AuditEntry } from '@roundtable/protocol'
import type { RecordStore } from '../types.ts'
import { int, type PostgresContext } from './context.ts'

/** The audit log (append-only: triggers refuse UPDATE, DELETE and TRUNCATE) and meta settings. */
export const postgresRecords = ({ query, run }: PostgresContext): RecordStore => ({
  // detail is JSON in a TEXT column, not JSONB: JSONB reorders keys and rejects \u0000, and the log should
  // give back exactly what was written.
  appendAudit: async (e) => {
    const { rows } = await run(
      'INSERT INTO audit_log (meeting_id, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5) RETURNING seq',
      [e.meetingId, e.at, e.actor, e.action, JSON.stringify(e.detail)],
    )
    return int(rows[0].seq)
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
    await run(
      'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      [key, value],
    )
  },
})
