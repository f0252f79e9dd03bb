import type { DocName, MeetingId } from '@roundtable/protocol'
import * as Y from 'yjs'

/** The shared documents each meeting has. */
export const DOC_KINDS = ['brief', 'priorities'] as const
export type DocKind = (typeof DOC_KINDS)[number]

/** Name of the Y.XmlFragment holding a brief (Tiptap's Collaboration `field`). */
export const BRIEF_FIELD = 'brief'
/** Name of the legacy Y.Array of priority areas (migrated into `areas`: priorities.ts). */
export const PRIORITIES_FIELD = 'priorities'

export const docName = (meetingId: MeetingId, kind: DocKind): DocName => `${meetingId}.${kind}` as DocName

/** Parses `<meetingId>.<kind>`; anything else is not a document of ours. */
export const parseDocName = (name: string): { meetingId: MeetingId; kind: DocKind } | null => {
  const m = /^([A-Za-z0-9_-]{1,64})\.([a-z]+)$/.exec(name)
  if (!m) return null
  const kind = m[2] as DocKind
  if (!DOC_KINDS.includes(kind)) return null
  return { meetingId: m[1] as MeetingId, kind }
}

/* ---------- brief (rich text in ProseMirror's Yjs layout) ---------- */

export type OutlineBlock =
  | { type: 'heading'; level: 1 | 2 | 3; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'bulletList'; items: string[] }

const textElement = (nodeName: string, text: string, attrs?: Record<string, unknown>) => {
  const el = new Y.XmlElement(nodeName)
  if (attrs) for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v as string)
  const t = new Y.XmlText()
  t.insert(0, text)
  el.insert(0, [t])
  return el
}

const blockElement = (block: OutlineBlock): Y.XmlElement => {
  switch (block.type) {
    case 'heading':
      // y-prosemirror stores attrs as values; level must stay a number for the schema
      return textElement('heading', block.text, { level: block.level })
    case 'paragraph':
      return textElement('paragraph', block.text)
    case 'bulletList': {
      const list = new Y.XmlElement('bulletList')
      list.insert(
        0,
        block.items.map((item) => {
          const li = new Y.XmlElement('listItem')
          li.insert(0, [textElement('paragraph', item)])
          return li
        }),
      )
      return list
    }
  }
}

/** Writes an outline into an empty brief. Does nothing if the brief already has content. */
export const writeBriefOutline = (doc: Y.Doc, outline: OutlineBlock[]): boolean => {
  const frag = doc.getXmlFragment(BRIEF_FIELD)
  if (frag.length > 0) return false
  doc.transact(() => frag.insert(0, outline.map(blockElement)))
  return true
}

/** The brief as plain text, one block per line (for minutes, search and tests). */
export const briefText = (doc: Y.Doc): string => {
  const lines: string[] = []
  const walk = (node: Y.XmlElement | Y.XmlText | Y.XmlFragment) => {
    if (node instanceof Y.XmlText) return
    const children = node.toArray() as (Y.XmlElement | Y.XmlText)[]
    if (node instanceof Y.XmlElement && (node.nodeName === 'paragraph' || node.nodeName === 'heading')) {
      lines.push(
        children.map((c) => (c instanceof Y.XmlText ? c.toString().replace(/<[^>]+>/g, '') : '')).join(''),
      )
      return
    }
    for (const c of children) walk(c)
  }
  walk(doc.getXmlFragment(BRIEF_FIELD))
  return lines.join('\n')
}

/* ---------- priority areas (the shape: priorities.ts) ---------- */

export * from './position.ts'
export * from './priorities.ts'
export * from './kinds.ts'
