import type { AuditEntry } from '@roundtable/protocol'

/** Names for the ids an entry carries: the log reads as sentences about people and items, not ids. */
export interface AuditNames {
  participant(id: string): string | null
  delegation(id: string): string | null
  item(id: string): string | null
}

/** The translation key of an action: `agenda.setCurrent` → `auditLog.actions.agenda_setCurrent`. */
export const actionKey = (action: string): string => `auditLog.actions.${action.replace(/[.:]/g, '_')}`

/** The area an action belongs to, for the filter (`floor.grant` → `floor`). */
export const actionArea = (action: string): string => action.split(/[.:]/)[0] ?? action

/** An action with no translation still reads as words: `floor.pointOfOrder` → "floor: point of order". */
export const humanize = (action: string): string => {
  const [area, ...rest] = action.split(/[.:]/)
  const words = rest
    .join(' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
  return words ? `${area}: ${words}` : area
}

/** Who did it: a participant's name, or the actor as recorded (the organiser, a migration). */
export const actorName = (actor: string, names: AuditNames): string => {
  // The server records the actor as "Name (role, participantId)"; older entries may carry the id alone.
  const m = /^(.*) \((?:chair|delegate|observer), ([\w-]+)\)$/.exec(actor)
  if (m) return names.participant(m[2]) ?? m[1]
  return names.participant(actor) ?? actor
}

/** Detail keys never shown: internal hashes, paths and raw ids that have a name shown instead. */
const HIDDEN = /(hash|path|^id$|seq|token)/i

export interface DetailPart {
  /** A translation key for the label (`auditLog.detail.<key>`), or the raw key when unknown. */
  key: string
  value: string
}

/**
 * The entry's details worth reading, ids turned into names. Nested objects and arrays are left
 * out: the CSV export has everything.
 */
export const detailParts = (detail: Record<string, unknown>, names: AuditNames): DetailPart[] => {
  const out: DetailPart[] = []
  for (const [k, v] of Object.entries(detail)) {
    if (v === null || v === undefined || typeof v === 'object' || HIDDEN.test(k)) continue
    const s = String(v)
    // An id whose thing is gone (a removed person or item) is left out: its name is usually in the detail too.
    const named = /participantId$/i.test(k)
      ? ['participant', names.participant(s)]
      : /delegationId$/i.test(k)
        ? ['delegation', names.delegation(s)]
        : /itemId$/i.test(k)
          ? ['item', names.item(s)]
          : null
    if (named) {
      if (named[1] !== null) out.push({ key: named[0] as string, value: named[1] as string })
    } else if (/Id$/.test(k)) continue
    else out.push({ key: k, value: s })
  }
  return out
}

/** Does the entry match the filter: an area ('' for all) and words anywhere in what the row shows. */
export const matches = (e: AuditEntry, text: string, area: string, shown: string): boolean =>
  (area === '' || actionArea(e.action) === area) &&
  (text.trim() === '' || shown.toLowerCase().includes(text.trim().toLowerCase()))

/** Appends newer entries (by seq) to what we hold: a re-fetch after `afterSeq` never duplicates. */
export const mergeEntries = (held: AuditEntry[], more: AuditEntry[]): AuditEntry[] => {
  const last = held.at(-1)?.seq ?? 0
  return [...held, ...more.filter((e) => e.seq > last).sort((a, b) => a.seq - b.seq)]
}
