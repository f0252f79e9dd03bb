import type { AreaTextField, PriorityId } from '@roundtable/doc-schema'
import { useCallback, useEffect, useState } from 'react'
import type { WebsocketProvider } from 'y-websocket'
import { type Editor, editorsByField } from './editors.ts'

/** Who else is editing which field of the list, re-read on every awareness change. */
export const useEditors = (provider: WebsocketProvider): Map<string, Editor[]> => {
  const [editors, setEditors] = useState<Map<string, Editor[]>>(new Map())
  useEffect(() => {
    const awareness = provider.awareness
    const read = () =>
      setEditors(
        editorsByField(awareness.getStates() as Map<number, Record<string, unknown>>, awareness.clientID),
      )
    read()
    awareness.on('change', read)
    return () => awareness.off('change', read)
  }, [provider])
  return editors
}

/**
 * Focus and blur handlers that tell the room which field this tab is editing (awareness field
 * `editing`), cleared when the field goes away while focused.
 */
export const useEditingPresence = (provider: WebsocketProvider, areaId: PriorityId, field: AreaTextField) => {
  const onFocus = useCallback(
    () => provider.awareness.setLocalStateField('editing', { areaId, field }),
    [provider, areaId, field],
  )
  const onBlur = useCallback(() => {
    const mine = provider.awareness.getLocalState()?.editing as
      | { areaId?: string; field?: string }
      | undefined
    if (mine?.areaId === areaId && mine.field === field)
      provider.awareness.setLocalStateField('editing', null)
  }, [provider, areaId, field])
  useEffect(() => onBlur, [onBlur])
  return { onFocus, onBlur }
}
