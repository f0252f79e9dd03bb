import { type Editor, useEditorState } from '@tiptap/react'
import type { Resolved } from './anchors.ts'
import { highlightsKey } from './highlights.ts'

/** Where each anchored item is now, and the text it spans there. */
export type Anchored = Map<string, { resolved: Resolved; text: string | null }>

const NONE: Anchored = new Map()

/** Follows the highlights plugin: a new map whenever it resolved or mapped the anchors. */
export const useAnchored = (editor: Editor | null): Anchored => {
  const where = useEditorState({
    editor,
    selector: (ctx) => (ctx.editor ? (highlightsKey.getState(ctx.editor.state)?.where ?? null) : null),
    equalityFn: (a, b) => a === b,
  })
  if (!editor || !where) return NONE
  const doc = editor.state.doc
  const out: Anchored = new Map()
  for (const [id, r] of where)
    out.set(id, {
      resolved: r,
      text: r.detached || r.to > doc.content.size ? null : doc.textBetween(r.from, r.to, '\n'),
    })
  return out
}
