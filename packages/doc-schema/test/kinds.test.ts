// Document kinds: the shapes the server checks every update against, judged here on whole documents
// (checkDoc) and on single items (placeContent), with seeded random documents built by the helpers.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  asPriorityId,
  BRIEF_FIELD,
  BRIEF_KIND,
  BRIEF_SCHEMA,
  checkDoc,
  DOC_KIND_SPECS,
  DOC_KINDS,
  editAreaText,
  mergeAreas,
  migrateLegacyPriorities,
  moveArea,
  PRIORITIES_KIND,
  placeContent,
  proposeArea,
  withdrawArea,
  writeBriefOutline,
} from '../src/index.ts'

const propose = (doc: Y.Doc, id: string, title = 'T') =>
  proposeArea(doc, {
    id: asPriorityId(id),
    title,
    description: 'd',
    proposer: 'Canada',
    proposerDelegationId: 'd-ca',
    createdBy: 'p1',
  })

const paragraph = (text: string) => {
  const p = new Y.XmlElement('paragraph')
  p.insert(0, [new Y.XmlText(text)])
  return p
}

describe('document kinds', () => {
  it('every document kind a meeting has is registered once, and binds one of its roots', () => {
    expect(
      DOC_KIND_SPECS.filter((k) => !k.family)
        .map((k) => k.name)
        .sort(),
    ).toEqual([...DOC_KINDS].sort())
    for (const k of DOC_KIND_SPECS) expect(Object.keys(k.roots)).toContain(k.client.field)
  })

  describe('brief', () => {
    it('the seeded outline and editor-shaped content are in shape', () => {
      const doc = new Y.Doc()
      writeBriefOutline(doc, [
        { type: 'heading', level: 2, text: 'Tips' },
        { type: 'paragraph', text: 'Lead' },
        { type: 'bulletList', items: ['a', 'b'] },
      ])
      const frag = doc.getXmlFragment(BRIEF_FIELD)
      const p = paragraph('bold and ')
      frag.push([p])
      const t = p.get(0) as Y.XmlText
      t.format(0, 4, { bold: {} })
      // y-tiptap names overlapping marks `<name>--<hash>`; a link carries its attributes.
      t.insert(t.length, 'linked', { 'link--AbCd1234': { href: 'https://example.org', target: '_blank' } })
      p.insert(1, [new Y.XmlElement('hardBreak')])
      expect(checkDoc(BRIEF_KIND, doc)).toEqual([])
    })

    it('finds what the editor could not have written', () => {
      const doc = new Y.Doc()
      const frag = doc.getXmlFragment(BRIEF_FIELD)
      frag.push([new Y.XmlText('loose'), new Y.XmlElement('script'), paragraph('ok')])
      ;(frag.get(2) as Y.XmlElement).setAttribute('style', 'x')
      doc.getText('notes').insert(0, 'stray')
      expect(checkDoc(BRIEF_KIND, doc)).toEqual([
        'brief: text not allowed here',
        'brief: element <script> not allowed',
        'brief<paragraph>: attribute "style" not allowed',
        'root "notes" is not part of a brief document',
      ])
    })

    it('placeContent: heading levels, marks and their attributes', () => {
      const heading = { type: 'xmlElement', schema: BRIEF_SCHEMA, name: 'heading' } as const
      const level = (v: unknown) => placeContent(heading, 'level', { kind: 'values', values: [v] }).ok
      expect([1, 3, 6].map(level)).toEqual([true, true, true])
      expect([0, 7, 2.5, '2', null].map(level)).toEqual([false, false, false, false, false])
      const text = { type: 'xmlText', schema: heading.schema, marks: true } as const
      const mark = (key: string, value: unknown) =>
        placeContent(text, null, { kind: 'format', key, value }).ok
      expect(mark('italic', {})).toBe(true)
      expect(mark('italic', null)).toBe(true)
      expect(mark('link', { href: 'x', rel: null })).toBe(true)
      expect(mark('link', { href: 'x', onclick: 'y' })).toBe(false)
      expect(mark('link', 'https://x')).toBe(false)
      expect(mark('highlight', {})).toBe(false)
      // A code block's text carries no marks.
      expect(
        placeContent({ ...text, marks: false }, null, { kind: 'format', key: 'bold', value: {} }).ok,
      ).toBe(false)
    })
  })

  describe('priorities', () => {
    it('[P-shape] seeded random sequences of the helpers keep the document in shape', () => {
      const op = fc.oneof(
        fc.record({ kind: fc.constant('propose' as const), title: fc.string({ maxLength: 300 }) }),
        fc.record({ kind: fc.constant('edit' as const), at: fc.nat(5), text: fc.string({ maxLength: 50 }) }),
        fc.record({ kind: fc.constant('move' as const), to: fc.nat(10) }),
        fc.record({ kind: fc.constant('merge' as const) }),
        fc.record({ kind: fc.constant('withdraw' as const) }),
      )
      fc.assert(
        fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
          const doc = new Y.Doc()
          const ids: string[] = []
          for (const [i, o] of ops.entries()) {
            const last = ids.at(-1)
            switch (o.kind) {
              case 'propose':
                ids.push(propose(doc, `a${i}`, o.title))
                break
              case 'edit':
                if (last) editAreaText(doc, asPriorityId(last), 'description', o.at, 1, o.text, 'Dana')
                break
              case 'move':
                if (last) moveArea(doc, asPriorityId(last), o.to)
                break
              case 'merge':
                if (ids.length >= 2)
                  mergeAreas(doc, { from: asPriorityId(ids[0]), into: asPriorityId(ids[1]) })
                break
              case 'withdraw':
                if (last) withdrawArea(doc, asPriorityId(last))
                break
            }
          }
          expect(checkDoc(PRIORITIES_KIND, doc)).toEqual([])
        }),
        { seed: 20031114, numRuns: 100 },
      )
    })

    it('a legacy list is in shape before and after migration', () => {
      const doc = new Y.Doc()
      const old = new Y.Map<string>()
      for (const [k, v] of Object.entries({ id: 'old-1', title: 'Old', description: '', proposer: 'Korea' }))
        old.set(k, v)
      doc.getArray('priorities').push([old])
      expect(checkDoc(PRIORITIES_KIND, doc)).toEqual([])
      expect(migrateLegacyPriorities(doc)).toBe(true)
      expect(checkDoc(PRIORITIES_KIND, doc)).toEqual([])
    })

    it('finds wrong types, unknown keys, bad ids and texts over their limit', () => {
      const doc = new Y.Doc()
      const id = propose(doc, 'a1')
      const area = doc.getMap('areas').get(id) as Y.Map<unknown>
      area.set('status', 'elected')
      area.set('votes', 3)
      ;(area.get('title') as Y.Text).insert(0, 'x'.repeat(200))
      doc.getMap('areas').set('bad id', new Y.Map())
      const legacy = new Y.Map<unknown>()
      legacy.set('title', 5)
      doc.getArray('priorities').push([legacy])
      expect(checkDoc(PRIORITIES_KIND, doc)).toEqual([
        'areas[a1].title: 201 characters, at most 200',
        'areas[a1].status: value out of range',
        'areas[a1]: unknown key "votes"',
        'areas: key "bad id" not allowed',
        'priorities[].title: value out of range',
      ])
    })
  })
})
