import { type AreaTextField, areasMap, editAreaText, type PriorityId } from '@roundtable/doc-schema'
import { useEffect, useRef, useState } from 'react'
import * as Y from 'yjs'
import { type Selection, shiftSelection, spliceOf, type TextDelta } from './text-sync.ts'

type TextControl = HTMLInputElement | HTMLTextAreaElement

const selectionOf = (el: TextControl): Selection => ({
  start: el.selectionStart ?? 0,
  end: el.selectionEnd ?? 0,
  direction: el.selectionDirection ?? 'none',
})

/**
 * Binds a plain input or textarea to one area's Y.Text, character by character. The control is
 * uncontrolled (React never writes its value): each input event becomes one splice of the Y.Text,
 * and each change from elsewhere is written into the control with the caret moved by what changed
 * before it, so someone typing in the same title does not throw this person's caret around.
 *
 * The invariant is that the control shows the Y.Text exactly after every event: when the document
 * cuts an insert to the field's limit, the control is set back to what the document holds. A remote
 * edit during an IME composition is written in too (the composition may restart): keeping the two
 * equal is what makes the next splice right.
 */
export const useBoundText = <E extends TextControl>(
  doc: Y.Doc,
  areaId: PriorityId,
  field: AreaTextField,
  editedBy: string,
) => {
  const ref = useRef<E | null>(null)
  const [length, setLength] = useState(0)
  const editedByRef = useRef(editedBy)
  editedByRef.current = editedBy
  useEffect(() => {
    const el = ref.current
    const text = areasMap(doc).get(areaId)?.get(field)
    if (!el || !(text instanceof Y.Text)) return
    el.value = text.toString()
    setLength(el.value.length)
    const show = (delta: TextDelta | null) => {
      const value = text.toString()
      setLength(value.length)
      if (el.value === value) return
      const focused = el.ownerDocument.activeElement === el
      const sel = selectionOf(el)
      el.value = value
      if (!focused) return
      const next = delta ? shiftSelection(sel, delta) : sel
      el.setSelectionRange(
        Math.min(next.start, value.length),
        Math.min(next.end, value.length),
        next.direction,
      )
    }
    // Our own splices leave the control equal to the text (show returns at once) unless the
    // document cut them: then the caret stays where it was, within the text.
    const onChange = (e: Y.YTextEvent) => show(e.transaction.local ? null : (e.delta as TextDelta))
    const onInput = () => {
      const s = spliceOf(text.toString(), el.value, el.selectionEnd ?? undefined)
      if (s) editAreaText(doc, areaId, field, s.index, s.deleteCount, s.insert, editedByRef.current)
      show(null)
    }
    text.observe(onChange)
    el.addEventListener('input', onInput)
    return () => {
      text.unobserve(onChange)
      el.removeEventListener('input', onInput)
    }
  }, [doc, areaId, field])
  return { ref, length }
}
