/** What both dialects' migration runners share: version bookkeeping, and the plans migrations compute in code. */
import { SchemaTooNewError } from '../errors.ts'

export interface Migration<Up> {
  /** 1, 2, 3, …: applied in order, each once, recorded in `schema_migrations`. */
  version: number
  name: string
  up: Up
}

/** The versions `known` lacks among those `applied`; refuses a database migrated beyond the code. */
export const pendingMigrations = <M extends Migration<unknown>>(
  known: readonly M[],
  applied: number[],
): M[] => {
  known.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`migration ${m.name} is numbered ${m.version}, expected ${i + 1}`)
  })
  const latest = known.length
  const newest = Math.max(0, ...applied)
  if (newest > latest) throw new SchemaTooNewError(newest, latest)
  const done = new Set(applied)
  return known.filter((m) => !done.has(m.version))
}

/** Both dialects' `lower(name)` over our columns folds ASCII letters only (SQLite always; PostgreSQL under COLLATE "C"). */
export const foldAscii = (s: string): string => s.replace(/[A-Z]+/g, (c) => c.toLowerCase())

export interface DelegationRow {
  id: string
  meeting_id: string
  name: string
}
export interface Rename {
  id: string
  meetingId: string
  from: string
  to: string
}

/**
 * Migration 2 makes delegation names unique per meeting, ignoring ASCII case. Names that already
 * collide (two `delegation:add` commands racing, before the database checked) keep the first by id;
 * each other one becomes "Name (2)", "Name (3)", …, the first suffix free in its meeting. Nothing is
 * deleted: participants and invitations refer to delegations by id, and the renames are recorded in
 * the meeting's audit log.
 */
export const planDelegationRenames = (rows: readonly DelegationRow[]): Rename[] => {
  const byMeeting = new Map<string, DelegationRow[]>()
  for (const r of rows) byMeeting.set(r.meeting_id, [...(byMeeting.get(r.meeting_id) ?? []), r])
  const renames: Rename[] = []
  for (const [meetingId, list] of byMeeting) {
    const sorted = [...list].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    const taken = new Set(sorted.map((r) => foldAscii(r.name)))
    const kept = new Set<string>()
    for (const r of sorted) {
      const key = foldAscii(r.name)
      if (!kept.has(key)) {
        kept.add(key)
        continue
      }
      let n = 2
      while (taken.has(foldAscii(`${r.name} (${n})`))) n++
      const to = `${r.name} (${n})`
      taken.add(foldAscii(to))
      kept.add(foldAscii(to))
      renames.push({ id: r.id, meetingId, from: r.name, to })
    }
  }
  return renames
}

/** The audit entry that records one rename, in the meeting's own log. */
export const renameAudit = (r: Rename, at: string) => ({
  meetingId: r.meetingId,
  at,
  actor: 'schema migration 2',
  action: 'delegation.rename',
  detail: JSON.stringify({
    delegationId: r.id,
    from: r.from,
    to: r.to,
    reason: 'its name differed only in letter case from an older delegation of the meeting',
  }),
})
