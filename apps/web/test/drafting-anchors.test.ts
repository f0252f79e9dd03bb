import { writeBriefOutline } from '@roundtable/doc-schema'
import { getSchema } from '@tiptap/core'
import StarterKit from '@tiptap/starter-kit'
import { initProseMirrorDoc } from '@tiptap/y-tiptap'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  type Anchor,
  anchorFor,
  type Binding,
  decodeRelative,
  resolveAnchor,
} from '../src/features/drafting/anchors.ts'
import { findBrackets } from '../src/features/drafting/brackets.ts'

const schema = getSchema([StarterKit.configure({ undoRedo: false, trailingNode: false })])
const FIELD = 'draft'

/** What the editor's binding would hold for this document right now. */
const bind = (doc: Y.Doc): Binding & { text: () => string; pos: (needle: string) => number } => {
  const type = doc.getXmlFragment(FIELD)
  const { doc: pm, mapping } = initProseMirrorDoc(type, schema)
  return {
    doc,
    type,
    mapping: mapping as Binding['mapping'],
    text: () => pm.textBetween(0, pm.content.size, '\n'),
    pos: (needle) => {
      let at = -1
      pm.descendants((node, p) => {
        if (at < 0 && node.isText && node.text?.includes(needle)) at = p + (node.text.indexOf(needle) ?? 0)
      })
      return at
    },
  }
}

const passage = (doc: Y.Doc, a: Anchor): string | null => {
  const b = bind(doc)
  const r = resolveAnchor(b, a)
  if (r.detached) return null
  const { doc: pm } = initProseMirrorDoc(b.type, schema)
  return pm.textBetween(r.from, r.to, '\n')
}

const para = (doc: Y.Doc, i: number): Y.XmlText =>
  (doc.getXmlFragment(FIELD).get(i) as Y.XmlElement).get(0) as Y.XmlText

const seeded = () => {
  const doc = new Y.Doc()
  const frag = doc.getXmlFragment(FIELD)
  doc.transact(() => {
    for (const text of ['Tips for leaders', 'Governments shall co-ordinate across agencies.']) {
      const p = new Y.XmlElement('paragraph')
      const t = new Y.XmlText()
      t.insert(0, text)
      p.insert(0, [t])
      frag.push([p])
    }
  })
  return doc
}

describe('comment anchors', () => {
  it('an anchor names the selected passage', () => {
    const doc = seeded()
    const b = bind(doc)
    const from = b.pos('co-ordinate')
    const a = anchorFor(b, from, from + 'co-ordinate'.length)
    expect(passage(doc, a)).toBe('co-ordinate')
  })

  it('follows the passage when text is typed before and inside it', () => {
    const doc = seeded()
    const b = bind(doc)
    const from = b.pos('co-ordinate')
    const a = anchorFor(b, from, from + 'co-ordinate'.length)
    para(doc, 1).insert(0, 'All ')
    para(doc, 0).insert(0, 'Draft: ')
    const t = para(doc, 1)
    t.insert(t.toString().indexOf('ordinate'), 'x')
    expect(passage(doc, a)).toBe('co-xordinate')
  })

  it('text typed right at either edge stays out of the passage (start associates right, end left)', () => {
    const doc = seeded()
    const b = bind(doc)
    const from = b.pos('co-ordinate')
    const a = anchorFor(b, from, from + 'co-ordinate'.length)
    const t = para(doc, 1)
    const at = t.toString().indexOf('co-ordinate')
    t.insert(at + 'co-ordinate'.length, 'XX')
    t.insert(at, 'YY')
    expect(passage(doc, a)).toBe('co-ordinate')
  })

  it('a passage that was deleted is detached, not moved onto its neighbours', () => {
    const doc = seeded()
    const b = bind(doc)
    const from = b.pos('shall')
    const a = anchorFor(b, from, from + 'shall'.length)
    const t = para(doc, 1)
    t.delete(t.toString().indexOf('shall'), 'shall '.length)
    expect(resolveAnchor(bind(doc), a)).toEqual({ detached: true })
  })

  it('a malformed anchor is detached, not an exception', () => {
    const doc = seeded()
    expect(decodeRelative('***')).toBeNull()
    expect(resolveAnchor(bind(doc), { start: '', end: '%%' })).toEqual({ detached: true })
  })

  it('anchors hold across two peers editing around them concurrently (seeded)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            peer: fc.integer({ min: 0, max: 1 }),
            before: fc.boolean(),
            text: fc.string({ minLength: 1, maxLength: 4 }).filter((s) => !s.includes('\n')),
          }),
          { minLength: 1, maxLength: 20 },
        ),
        (edits) => {
          const a = seeded()
          const bDoc = new Y.Doc()
          Y.applyUpdate(bDoc, Y.encodeStateAsUpdate(a))
          const ba = bind(a)
          const from = ba.pos('co-ordinate')
          const anchor = anchorFor(ba, from, from + 'co-ordinate'.length)
          for (const e of edits) {
            const d = e.peer === 0 ? a : bDoc
            const t = para(d, 1)
            const s = t.toString()
            const at = s.indexOf('co-ordinate')
            // Before the passage or after it, never inside: the passage must come back whole.
            t.insert(e.before ? at - (e.text.length % 2) : at + 'co-ordinate'.length, e.text)
          }
          Y.applyUpdate(a, Y.encodeStateAsUpdate(bDoc))
          Y.applyUpdate(bDoc, Y.encodeStateAsUpdate(a))
          expect(passage(a, anchor)).toBe('co-ordinate')
          expect(passage(bDoc, anchor)).toBe('co-ordinate')
        },
      ),
      { seed: 15, numRuns: 60 },
    )
  })

  it('works on a seeded outline (headings and lists)', () => {
    const doc = new Y.Doc()
    const frag = doc.getXmlFragment('brief')
    writeBriefOutline(doc, [
      { type: 'heading', level: 2, text: 'Customer focus' },
      { type: 'bulletList', items: ['one', 'two'] },
    ])
    const { doc: pm, mapping } = initProseMirrorDoc(frag, schema)
    let from = -1
    pm.descendants((n, p) => {
      if (n.isText && n.text === 'two') from = p
    })
    const b = { doc, type: frag, mapping: mapping as Binding['mapping'] }
    const r = resolveAnchor(b, anchorFor(b, from, from + 3))
    expect(r).toEqual({ from, to: from + 3, detached: false })
  })
})

describe('bracketed alternatives', () => {
  it('lists each bracket with its wordings', () => {
    expect(findBrackets('States [shall | should] act [soon|now|later].')).toEqual([
      { from: 7, to: 23, options: ['shall', 'should'] },
      { from: 28, to: 44, options: ['soon', 'now', 'later'] },
    ])
  })
  it('a reference in brackets is not an alternative', () => {
    expect(findBrackets('See [1] and [OECD 2003].')).toEqual([])
  })
})
