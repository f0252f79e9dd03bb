import { BRIEF_FIELD } from '@roundtable/doc-schema'
import type { Anchor, DraftBlock, DraftInline } from '@roundtable/protocol'
import * as Y from 'yjs'

/**
 * A draft's text as the server reads and changes it: passages found by Yjs relative positions over
 * the XmlText nodes of the `brief` fragment, blocks and Markdown for versions and exports. Pure
 * functions over a Y.Doc (never a provider), so a test can run them on in-memory peers.
 */

export const draftFragment = (doc: Y.Doc): Y.XmlFragment => doc.getXmlFragment(BRIEF_FIELD)

/** Plain text of one XmlText, marks left out. */
export const plainOf = (t: Y.XmlText): string =>
  (t.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === 'string' ? d.insert : '')).join('')

/** Every XmlText of the draft, in document order. */
export const textNodes = (doc: Y.Doc): Y.XmlText[] => {
  const out: Y.XmlText[] = []
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const c of node.toArray()) {
      if (c instanceof Y.XmlText) out.push(c)
      else if (c instanceof Y.XmlElement) walk(c)
    }
  }
  walk(draftFragment(doc))
  return out
}

const fromBase64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'))
export const toBase64 = (u: Uint8Array): string => Buffer.from(u).toString('base64')

/** The anchor a client would send for [from, to) of one XmlText (start keeps right, end keeps left). */
export const anchorIn = (t: Y.XmlText, from: number, to: number): Anchor => ({
  start: toBase64(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(t, from, 0))),
  end: toBase64(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(t, to, -1))),
  quote: plainOf(t).slice(from, to),
})

/** Whether a shared type or any of its ancestors is deleted. */
const gone = (type: { _item: Y.Item | null }): boolean => {
  let item = type._item
  while (item) {
    if (item.deleted) return true
    item = (item.parent as { _item: Y.Item | null })._item
  }
  return false
}

export interface Passage {
  start: { node: Y.XmlText; index: number }
  end: { node: Y.XmlText; index: number }
  /** The passage's plain text now (nodes joined by a newline). */
  text: string
  /** Within one XmlText: amendments and brackets can be applied to it. */
  single: boolean
}

const absolute = (encoded: string, doc: Y.Doc) => {
  try {
    const abs = Y.createAbsolutePositionFromRelativePosition(
      Y.decodeRelativePosition(fromBase64(encoded)),
      doc,
    )
    if (!abs || !(abs.type instanceof Y.XmlText) || gone(abs.type)) return null
    return { node: abs.type, index: abs.index }
  } catch {
    // Bytes that do not decode as a relative position: a passage we cannot find.
    return null
  }
}

/**
 * Where an anchor's passage is now, or null if it is detached: a position that no longer resolves,
 * a node deleted, the end before the start, or a passage that had text and now has none.
 */
export const resolveAnchor = (doc: Y.Doc, anchor: Anchor): Passage | null => {
  const start = absolute(anchor.start, doc)
  const end = absolute(anchor.end, doc)
  if (!start || !end) return null
  let text: string
  if (start.node === end.node) {
    if (end.index < start.index)
      return anchor.quote === '' ? { start, end: start, text: '', single: true } : null
    text = plainOf(start.node).slice(start.index, end.index)
  } else {
    const nodes = textNodes(doc)
    const a = nodes.indexOf(start.node)
    const b = nodes.indexOf(end.node)
    if (a < 0 || b < 0 || b < a) return null
    text = [
      plainOf(start.node).slice(start.index),
      ...nodes.slice(a + 1, b).map(plainOf),
      plainOf(end.node).slice(0, end.index),
    ].join('\n')
  }
  if (anchor.quote !== '' && text === '') return null
  return { start, end, text, single: start.node === end.node }
}

/** The formatting of the character at `index` (or the one before it, for an insertion at the end). */
const attributesAt = (t: Y.XmlText, index: number): Record<string, unknown> | undefined => {
  let at = 0
  let last: Record<string, unknown> | undefined
  for (const d of t.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
    const len = typeof d.insert === 'string' ? d.insert.length : 1
    if (index < at + len) return d.attributes
    last = d.attributes
    at += len
  }
  return last
}

/** Replaces a passage within one XmlText by `text`, keeping the formatting it starts with. */
export const replacePassage = (p: Passage, text: string): void => {
  if (!p.single) throw new Error('a passage across paragraphs cannot be replaced in one step')
  const from = p.start.index
  const attrs = attributesAt(p.start.node, from)
  const len = Math.max(0, p.end.index - from)
  if (len > 0) p.start.node.delete(from, len)
  if (text !== '') p.start.node.insert(from, text, attrs ?? {})
}

/** Whether the draft has any text or structure at all. */
export const isEmptyDraft = (doc: Y.Doc): boolean => {
  const frag = draftFragment(doc)
  // A new editor leaves one empty paragraph behind: that is still an empty draft.
  return frag.length === 0 || (frag.length === 1 && textNodes(doc).every((t) => plainOf(t) === ''))
}

/** Replaces the draft's whole content by a copy of another document's (a version's), as one edit. */
export const replaceContent = (doc: Y.Doc, from: Y.Doc): void => {
  const frag = draftFragment(doc)
  const source = draftFragment(from)
  const copies = source.toArray().map((n) => (n as Y.XmlElement | Y.XmlText).clone())
  if (frag.length > 0) frag.delete(0, frag.length)
  frag.insert(0, copies)
}

/* ---------- reading: blocks and Markdown ---------- */

// y-tiptap names overlapping marks `<mark>--<hash>`.
const markName = (key: string): string => key.replace(/--[a-zA-Z0-9+/=]{8}$/, '')

const inlinesOf = (el: Y.XmlElement): DraftInline[] => {
  const out: DraftInline[] = []
  for (const c of el.toArray()) {
    if (c instanceof Y.XmlElement && c.nodeName === 'hardBreak') out.push({ text: '\n' })
    if (!(c instanceof Y.XmlText)) continue
    for (const d of c.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
      if (typeof d.insert !== 'string' || d.insert === '') continue
      const inline: DraftInline = { text: d.insert }
      for (const [k, v] of Object.entries(d.attributes ?? {})) {
        const m = markName(k)
        if (m === 'bold' || m === 'italic' || m === 'strike' || m === 'underline' || m === 'code')
          inline[m] = true
        if (m === 'link' && v && typeof v === 'object' && typeof (v as { href?: unknown }).href === 'string')
          inline.href = (v as { href: string }).href
      }
      out.push(inline)
    }
  }
  return out
}

const blockOf = (el: Y.XmlElement): DraftBlock | null => {
  const children = () => el.toArray().filter((c): c is Y.XmlElement => c instanceof Y.XmlElement)
  switch (el.nodeName) {
    case 'heading':
      return { type: 'heading', level: Number(el.getAttribute('level')) || 1, content: inlinesOf(el) }
    case 'paragraph':
      return { type: 'paragraph', content: inlinesOf(el) }
    case 'bulletList':
    case 'orderedList':
      return {
        type: el.nodeName,
        items: children().map((li) =>
          li.toArray().flatMap((c) => (c instanceof Y.XmlElement ? (blockOf(c) ?? []) : [])),
        ),
      }
    case 'blockquote':
      return { type: 'blockquote', blocks: children().flatMap((c) => blockOf(c) ?? []) }
    case 'codeBlock':
      return {
        type: 'codeBlock',
        text: el
          .toArray()
          .map((c) => (c instanceof Y.XmlText ? plainOf(c) : ''))
          .join(''),
      }
    case 'horizontalRule':
      return { type: 'horizontalRule' }
    default:
      return null
  }
}

export const blocksOf = (doc: Y.Doc): DraftBlock[] =>
  draftFragment(doc)
    .toArray()
    .flatMap((c) => (c instanceof Y.XmlElement ? (blockOf(c) ?? []) : []))

const escapeMd = (s: string): string => s.replace(/([\\`*_[\]])/g, '\\$1')

export const inlineMarkdown = (inlines: DraftInline[]): string =>
  inlines
    .map((i) => {
      if (i.code) return `\`${i.text}\``
      if (i.text === '\n') return '  \n'
      let t = escapeMd(i.text)
      // Markdown marks cannot start or end on a space: keep the spaces outside them.
      const lead = t.match(/^\s*/)?.[0] ?? ''
      const trail = t.slice(lead.length).match(/\s*$/)?.[0] ?? ''
      let core = t.slice(lead.length, t.length - trail.length)
      if (core === '') return t
      if (i.strike) core = `~~${core}~~`
      if (i.italic) core = `*${core}*`
      if (i.bold) core = `**${core}**`
      if (i.href) core = `[${core}](${i.href})`
      t = lead + core + trail
      return t
    })
    .join('')

const blockMarkdown = (b: DraftBlock, indent: string): string => {
  switch (b.type) {
    case 'heading':
      return `${indent}${'#'.repeat(Math.min(6, b.level))} ${inlineMarkdown(b.content)}`
    case 'paragraph':
      return indent + inlineMarkdown(b.content)
    case 'bulletList':
    case 'orderedList':
      return b.items
        .map((item, n) => {
          const bullet = b.type === 'bulletList' ? '- ' : `${n + 1}. `
          const [first, ...rest] = item.map((x) =>
            blockMarkdown(x, `${indent}${' '.repeat(bullet.length)}`).trimStart(),
          )
          return [
            `${indent}${bullet}${first ?? ''}`,
            ...rest.map((r) => `${indent}${' '.repeat(bullet.length)}${r}`),
          ].join('\n')
        })
        .join('\n')
    case 'blockquote':
      return b.blocks.map((x) => `${indent}> ${blockMarkdown(x, '')}`).join('\n>\n')
    case 'codeBlock':
      return `${indent}\`\`\`\n${b.text}\n${indent}\`\`\``
    case 'horizontalRule':
      return `${indent}---`
  }
}

export const markdownOf = (blocks: DraftBlock[]): string =>
  blocks.map((b) => blockMarkdown(b, '')).join('\n\n')

/** Plain text of inlines (for PDF/DOCX runs and searches). */
export const plainInlines = (inlines: DraftInline[]): string => inlines.map((i) => i.text).join('')

/** A document built from a stored update (a version's snapshot). */
export const docFrom = (update: Uint8Array): Y.Doc => {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, update)
  return doc
}
