import type { AreaTextField } from '@roundtable/doc-schema'

/** What a person's awareness state says they are editing in the priorities document. */
export interface EditingField {
  areaId: string
  field: AreaTextField
}

export interface Editor {
  /** Awareness client id: one per open tab. */
  clientId: number
  name: string
  participantId: string | null
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
 * Who else is editing which field, from the awareness states: the name is the one the server
 * stamped on the state (`user.name`), so nobody can badge a field with someone else's name.
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
    const user = (typeof state.user === 'object' && state.user !== null ? state.user : {}) as Record<
      string,
      unknown
    >
    const name = typeof user.name === 'string' ? user.name : ''
    const participantId = typeof user.participantId === 'string' ? user.participantId : null
    const key = fieldKey(editing.areaId, editing.field)
    const list = out.get(key) ?? []
    list.push({ clientId, name, participantId })
    out.set(key, list)
  }
  for (const list of out.values())
    list.sort((a, b) => a.name.localeCompare(b.name) || a.clientId - b.clientId)
  return out
}
