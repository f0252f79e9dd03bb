import type { EditorState } from '@tiptap/pm/state'
import {
  absolutePositionToRelativePosition,
  relativePositionToAbsolutePosition,
  ySyncPluginKey,
} from '@tiptap/y-tiptap'
import * as Y from 'yjs'

/**
 * A passage of a shared draft, held as two Yjs relative positions (base64 of
 * `Y.encodeRelativePosition`): they name the characters around the passage, not offsets, so the
 * passage follows the text as others type before or inside it.
 */
export interface Anchor {
  start: string
  end: string
}

/** Where an anchor sits in the editor now; `detached` when its passage is gone. */
export type Resolved = { from: number; to: number; detached: false } | { detached: true }

/** What the binding keeps: the Y.Doc, the fragment it shows, and its type → node mapping. */
export interface Binding {
  doc: Y.Doc
  type: Y.XmlFragment
  mapping: Map<Y.AbstractType<unknown>, unknown>
}

const toBase64 = (bytes: Uint8Array): string => {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s)
}

/** Parse boundary: a malformed anchor is a value (null), never an exception. */
const fromBase64 = (s: string): Uint8Array | null => {
  try {
    const bin = atob(s)
    const out = new Uint8Array(bin.length)
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
    return out
  } catch {
    return null
  }
}

export const encodeRelative = (rel: Y.RelativePosition): string => toBase64(Y.encodeRelativePosition(rel))

export const decodeRelative = (s: string): Y.RelativePosition | null => {
  const bytes = fromBase64(s)
  if (!bytes || bytes.length === 0) return null
  try {
    return Y.decodeRelativePosition(bytes)
  } catch {
    return null
  }
}

/** The binding behind an editor state (null before Collaboration has bound the document). */
export const bindingOf = (state: EditorState): Binding | null => {
  const y = ySyncPluginKey.getState(state)
  if (!y?.binding) return null
  return { doc: y.doc, type: y.type, mapping: y.binding.mapping }
}

/**
 * A relative position for an editor position, with the association the protocol asks for: the
 * binding's helper always associates left (-1); the start of a passage associates right (0) so
 * text typed just before the passage stays out of it, as the end's -1 keeps out text typed after.
 */
const relativeAt = (b: Binding, pos: number, assoc: 0 | -1): Y.RelativePosition => {
  const left = absolutePositionToRelativePosition(pos, b.type, b.mapping as never)
  if (assoc === -1) return left
  const abs = Y.createAbsolutePositionFromRelativePosition(left, b.doc)
  if (!abs || !(abs.type instanceof Y.XmlText)) return left
  return Y.createRelativePositionFromTypeIndex(abs.type, abs.index, 0)
}

/** An anchor for editor positions `from`..`to` (equal for an insertion point). */
export const anchorFor = (b: Binding, from: number, to: number): Anchor => ({
  start: encodeRelative(relativeAt(b, from, 0)),
  end: encodeRelative(relativeAt(b, to, -1)),
})

/**
 * Where an anchor is now. A passage whose text was deleted collapses (its two ends meet), so a
 * non-empty anchor that resolves to an empty range is detached; an insertion point (`collapsed`)
 * stays attached wherever its character is.
 */
export const resolveAnchor = (b: Binding, a: Anchor, collapsed = false): Resolved => {
  const s = decodeRelative(a.start)
  const e = decodeRelative(a.end)
  if (!s || !e) return { detached: true }
  const from = relativePositionToAbsolutePosition(b.doc, b.type, s, b.mapping as never)
  const to = relativePositionToAbsolutePosition(b.doc, b.type, e, b.mapping as never)
  if (from === null || to === null) return { detached: true }
  if (collapsed) return { from, to: from, detached: false }
  if (to <= from) return { detached: true }
  return { from, to, detached: false }
}
