import { areasMap, asPriorityId, editAreaText, liveAreas, proposeArea } from '@roundtable/doc-schema'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { editorsByField, editingOf, fieldKey } from '../src/features/priorities/editors.ts'
import { moveLive, placementFor } from '../src/features/priorities/order.ts'
import { shiftIndex, shiftSelection, spliceOf, type TextDelta } from '../src/features/priorities/text-sync.ts'

const SEED = 20261204
const apply = (old: string, s: { index: number; deleteCount: number; insert: string }) =>
  old.slice(0, s.index) + s.insert + old.slice(s.index + s.deleteCount)

describe('spliceOf: one input event as one splice', () => {
  it('applied to the old text gives the new one, for any texts and caret', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        fc.string({ unit: 'grapheme' }),
        fc.nat(),
        (old, next, c) => {
          const s = spliceOf(old, next, c % (next.length + 1))
          if (old === next) expect(s).toBeNull()
          else expect(apply(old, s ?? { index: 0, deleteCount: 0, insert: '' })).toBe(next)
        },
      ),
      { seed: SEED, numRuns: 500 },
    )
  })

  it('puts a typed character where the caret is, not where a plain diff would', () => {
    // "aa" → "aaa" with the caret after the second character: the insert is at 1, not 2.
    expect(spliceOf('aa', 'aaa', 2)).toEqual({ index: 1, deleteCount: 0, insert: 'a' })
    expect(spliceOf('aa', 'aaa')).toEqual({ index: 2, deleteCount: 0, insert: 'a' })
    // A paste replacing a selection.
    expect(spliceOf('Open data', 'Open government data', 16)).toEqual({
      index: 5,
      deleteCount: 0,
      insert: 'government ',
    })
    // Backspace.
    expect(spliceOf('abc', 'ac', 1)).toEqual({ index: 1, deleteCount: 1, insert: '' })
  })

  it('never cuts a surrogate pair in two', () => {
    // 😀 and 😃 share their high half: the splice must replace the whole character.
    const s = spliceOf('x😀y', 'x😃y', 3)
    expect(s).toEqual({ index: 1, deleteCount: 2, insert: '😃' })
  })
})

/** The delta a real Y.Text reports for a splice. */
const deltaOf = (text: string, index: number, del: number, ins: string): TextDelta => {
  const doc = new Y.Doc()
  const t = doc.getText('t')
  t.insert(0, text)
  let delta: TextDelta = []
  t.observe((e) => {
    delta = e.delta as TextDelta
  })
  doc.transact(() => {
    if (del) t.delete(index, del)
    if (ins) t.insert(index, ins)
  })
  return delta
}

describe('shiftIndex: the caret when a remote edit lands', () => {
  it('moves by what changed before it and stays for what changed after it', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 30 }),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        fc.string({ maxLength: 5 }),
        (text, c0, i0, d0, ins) => {
          const caret = c0 % (text.length + 1)
          const index = i0 % (text.length + 1)
          const del = d0 % (text.length - index + 1)
          const delta = deltaOf(text, index, del, ins)
          const got = shiftIndex(caret, delta)
          if (index >= caret) expect(got).toBe(caret)
          else if (index + del < caret || del === 0) expect(got).toBe(caret - del + ins.length)
          // The caret was inside the deleted run or at its end: it lands at the splice, before or after
          // the new text (both are honest: the characters around it are gone).
          else expect([index, index + ins.length]).toContain(got)
          // What stood before the caret and was not deleted still stands before it.
          const after = apply(text, { index, deleteCount: del, insert: ins })
          if (index >= caret) expect(after.slice(0, got)).toBe(text.slice(0, caret))
        },
      ),
      { seed: SEED, numRuns: 400 },
    )
  })

  it('an insert exactly at the caret leaves the caret in front of it', () => {
    expect(shiftIndex(3, [{ retain: 3 }, { insert: 'XY' }])).toBe(3)
    expect(shiftIndex(4, [{ retain: 3 }, { insert: 'XY' }])).toBe(6)
    expect(shiftIndex(4, [{ delete: 2 }])).toBe(2)
    expect(shiftIndex(1, [{ delete: 3 }])).toBe(0)
  })

  it('a selection keeps its ends on the same characters', () => {
    // "Open data", "data" selected (5–9); someone types "government " at 5: the selection follows "data".
    const delta = deltaOf('Open data', 5, 0, 'government ')
    expect(shiftSelection({ start: 5, end: 9 }, delta)).toEqual({ start: 5, end: 20 })
    const before = deltaOf('Open data', 0, 0, 'Really ')
    expect(shiftSelection({ start: 5, end: 9, direction: 'backward' }, before)).toEqual({
      start: 12,
      end: 16,
      direction: 'backward',
    })
  })
})

/** Two peers of one document that exchange every update as soon as it is made. */
const connectedPair = () => {
  const a = new Y.Doc()
  const b = new Y.Doc()
  a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(b, u, 'remote'))
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(a, u, 'remote'))
  return { a, b }
}

describe('two people typing in one title at once', () => {
  it('both keep their characters, and both carets stay after their own typing', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    const id = proposeArea(
      a,
      {
        title: 'Open data',
        description: '',
        proposer: 'Canada',
        proposerDelegationId: null,
        createdBy: 'p1',
      },
      { random: null },
    )
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    // Each "field" is its value and its caret; each types on its own copy before hearing the other.
    const type = (doc: Y.Doc, field: { value: string; caret: number }, chars: string, who: string) => {
      for (const ch of chars) {
        const next = field.value.slice(0, field.caret) + ch + field.value.slice(field.caret)
        const s = spliceOf(field.value, next, field.caret + 1)
        if (s) editAreaText(doc, id, 'title', s.index, s.deleteCount, s.insert, who)
        field.value = next
        field.caret++
      }
    }
    const fa = { value: 'Open data', caret: 4 } // after "Open"
    const fb = { value: 'Open data', caret: 9 } // at the end
    const title = (doc: Y.Doc) => areasMap(doc).get(id)?.get('title') as Y.Text
    const deltas: { a: TextDelta[]; b: TextDelta[] } = { a: [], b: [] }
    title(a).observe((e) => e.transaction.origin === 'remote' && deltas.a.push(e.delta as TextDelta))
    title(b).observe((e) => e.transaction.origin === 'remote' && deltas.b.push(e.delta as TextDelta))
    type(a, fa, ' government', 'Amélie')
    type(b, fb, ' portals', 'Bob')
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a), 'remote')
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b), 'remote')
    expect(title(a).toString()).toBe(title(b).toString())
    expect(title(a).toString()).toBe('Open government data portals')
    for (const d of deltas.a) fa.caret = shiftIndex(fa.caret, d)
    for (const d of deltas.b) fb.caret = shiftIndex(fb.caret, d)
    expect(title(a).toString().slice(0, fa.caret)).toBe('Open government')
    expect(title(b).toString().slice(0, fb.caret)).toBe('Open government data portals')
  })
})

describe('moving in the working order', () => {
  const three = () => {
    const doc = new Y.Doc()
    for (const t of ['A', 'B', 'C'])
      proposeArea(
        doc,
        {
          id: asPriorityId(t),
          title: t,
          description: '',
          proposer: '',
          proposerDelegationId: null,
          createdBy: '',
        },
        { random: null },
      )
    return doc
  }
  const order = (doc: Y.Doc) => liveAreas(doc).map((a) => a.title)

  it('names the neighbour it goes next to', () => {
    const live = ['A', 'B', 'C'].map((id) => ({ id: asPriorityId(id) }))
    expect(placementFor(live, 0, 2)).toEqual({ after: 'C' })
    expect(placementFor(live, 2, 0)).toEqual({ before: 'A' })
    expect(placementFor(live, 1, 1)).toBeNull()
    expect(placementFor(live, 1, 3)).toBeNull()
  })

  it('down, up, to the end and to the start', () => {
    const doc = three()
    expect(moveLive(doc, liveAreas(doc), 0, 1)).toBe(true)
    expect(order(doc)).toEqual(['B', 'A', 'C'])
    expect(moveLive(doc, liveAreas(doc), 2, 1)).toBe(true)
    expect(order(doc)).toEqual(['B', 'C', 'A'])
    expect(moveLive(doc, liveAreas(doc), 0, 2)).toBe(true)
    expect(order(doc)).toEqual(['C', 'A', 'B'])
    expect(moveLive(doc, liveAreas(doc), 2, 0)).toBe(true)
    expect(order(doc)).toEqual(['B', 'C', 'A'])
  })

  it('two people moving at once end with the same order and every area once', () => {
    const { a, b } = connectedPair()
    Y.applyUpdate(a, Y.encodeStateAsUpdate(three()))
    // Cut the link for a moment: both move before hearing each other.
    const ua: Uint8Array[] = []
    const ub: Uint8Array[] = []
    const sa = Y.encodeStateVector(a)
    const sb = Y.encodeStateVector(b)
    moveLive(a, liveAreas(a), 0, 2)
    ua.push(Y.encodeStateAsUpdate(a, sa))
    moveLive(b, liveAreas(b), 2, 0)
    ub.push(Y.encodeStateAsUpdate(b, sb))
    for (const u of ub) Y.applyUpdate(a, u, 'remote')
    for (const u of ua) Y.applyUpdate(b, u, 'remote')
    expect(order(a)).toEqual(order(b))
    expect([...order(a)].sort()).toEqual(['A', 'B', 'C'])
  })
})

describe('who is editing what', () => {
  it('groups other tabs by field, with the name the server stamped, and leaves this tab out', () => {
    const states = new Map<number, Record<string, unknown>>([
      [1, { user: { name: 'Me', participantId: 'p0' }, editing: { areaId: 'x', field: 'title' } }],
      [2, { user: { name: 'Bob', participantId: 'p2' }, editing: { areaId: 'x', field: 'title' } }],
      [3, { user: { name: 'Amélie', participantId: 'p3' }, editing: { areaId: 'x', field: 'title' } }],
      [4, { user: { name: 'Chen', participantId: 'p4' }, editing: { areaId: 'y', field: 'description' } }],
      [5, { user: { name: 'Idle' } }],
      [6, { user: { name: 'Odd' }, editing: { areaId: 'x', field: 'proposer' } }],
    ])
    const by = editorsByField(states, 1)
    expect(by.get(fieldKey('x', 'title'))?.map((e) => e.name)).toEqual(['Amélie', 'Bob'])
    expect(by.get(fieldKey('y', 'description'))?.map((e) => e.participantId)).toEqual(['p4'])
    expect([...by.keys()].sort()).toEqual(['x:title', 'y:description'])
  })

  it('reads only a well-formed editing field', () => {
    expect(editingOf({ editing: { areaId: 'a', field: 'description' } })).toEqual({
      areaId: 'a',
      field: 'description',
    })
    expect(editingOf({ editing: null })).toBeNull()
    expect(editingOf({ editing: { areaId: 3, field: 'title' } })).toBeNull()
    expect(editingOf(undefined)).toBeNull()
  })
})
