import type { AreaTextField } from '@roundtable/doc-schema'
import { identityOf, type PresenceIdentity } from '../presence/who.ts'

/** What a person's awareness state says they are editing in the priorities document. */
export interface EditingField {
  areaId: string
  field: AreaTextField
}

/** Who is in a field: the identity the server stamped on their state, and the tab. */
export interface Editor extends PresenceIdentity {
  /** Awareness client id: one per open tab. */
  clientId: number
}

/** The key of one field of one area, as `editorsByField` groups them. */
export const fieldKey = (areaId: string, field: AreaTextField) => `${areaId}:${field}`

const isField = (v: unknown): v is AreaTextField => v === 'title' || v === 'description'

/** The `editing` field of an awareness state, if it is well formed (states come from anyone). */
export const editingOf = (state: Record<string, unknown> | undefined): EditingField | null => {
  const e = state?.editing
  if (typeof e !== 'object' || e === null) return null
  const { areaId, field } = e as Record<string, unknown>
  return typeof areaId === 'string' && isField(field) ? { areaId, field } : null
}

/**
 * Who else is editing which field, from the awareness states: name, role and delegation are the
 * ones the server stamped on the state (`user.*`), so nobody can badge a field as someone else.
 * This tab's own state is left out; the same person in another tab is shown, like anyone.
 */
export const editorsByField = (
  states: ReadonlyMap<number, Record<string, unknown>>,
  selfClientId: number,
): Map<string, Editor[]> => {
  const out = new Map<string, Editor[]>()
  for (const [clientId, state] of states) {
    if (clientId === selfClientId) continue
    const editing = editingOf(state)
    if (!editing) continue
    const key = fieldKey(editing.areaId, editing.field)
    const list = out.get(key) ?? []
    list.push({ clientId, ...identityOf(state) })
    out.set(key, list)
  }
  for (const list of out.values())
    list.sort((a, b) => a.name.localeCompare(b.name) || a.clientId - b.clientId)
  return out
}
