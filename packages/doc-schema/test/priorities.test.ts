// The priorities document (notes/priorities-shape.md): each helper, and the concurrent cases
// the shape exists for, on in-memory peers synced with Y.applyUpdate.
import { LIMITS } from '@roundtable/protocol'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  addPriority,
  areaById,
  areasMap,
  asPriorityId,
  editAreaText,
  legacyPrioritiesArray,
  listAreas,
  listPriorities,
  liveAreas,
  mergeAreas,
  migrateLegacyPriorities,
  moveArea,
  observeAreas,
  type PriorityId,
  proposeArea,
  resolveArea,
  restoreArea,
  setAreaText,
  withdrawArea,
} from '../src/priorities.ts'

const id = asPriorityId
const peer = (clientID: number) => {
  const doc = new Y.Doc()
  doc.clientID = clientID
  return doc
}
/** Brings every doc up to date with every other (both directions). */
const syncAll = (...docs: Y.Doc[]) => {
  for (const a of docs)
    for (const b of docs) if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
}
const propose = (
  doc: Y.Doc,
  key: string,
  title = key,
  extra: Partial<Parameters<typeof proposeArea>[1]> = {},
) =>
  proposeArea(
    doc,
    {
      id: id(key),
      title,
      description: '',
      proposer: 'France',
      proposerDelegationId: 'd1',
      createdBy: 'u1',
      ...extra,
    },
    { random: null },
  )
const titles = (doc: Y.Doc) => liveAreas(doc).map((a) => a.title)
const legacyItem = (fields: Record<string, string>) => {
  const m = new Y.Map<unknown>()
  for (const [k, v] of Object.entries(fields)) m.set(k, v)
  return m
}

describe('proposing and reading', () => {
  it('writes every field of the shape, and appends in working order', () => {
    const doc = peer(1)
    expect(propose(doc, 'a', 'Central co-ordination', { description: 'Who steers' })).toBe('a')
    propose(doc, 'b', 'Cross-agency collaboration')
    const m = areasMap(doc).get('a')!
    expect(m.get('title')).toBeInstanceOf(Y.Text)
    expect(m.get('description')).toBeInstanceOf(Y.Text)
    expect(m.get('absorbed')).toBeInstanceOf(Y.Array)
    expect(areaById(doc, id('a'))).toEqual({
      id: 'a',
      title: 'Central co-ordination',
      description: 'Who steers',
      proposer: 'France',
      proposerDelegationId: 'd1',
      createdBy: 'u1',
      lastEditedBy: '',
      status: 'proposed',
      mergedInto: null,
      absorbed: [],
      position: 'V',
    })
    expect(titles(doc)).toEqual(['Central co-ordination', 'Cross-agency collaboration'])
    expect(doc.share.size).toBe(1) // nothing else at the top level
  })

  it('places a new area before, after or at an index', () => {
    const doc = peer(1)
    for (const k of ['a', 'b', 'c']) propose(doc, k)
    propose(doc, 'x', 'x', { at: { before: id('a') } })
    propose(doc, 'y', 'y', { at: { after: id('b') } })
    propose(doc, 'z', 'z', { at: 2 })
    expect(titles(doc)).toEqual(['x', 'a', 'z', 'b', 'y', 'c'])
  })

  it('generates a well-formed id, refuses a malformed or taken one, and cuts texts to the limits', () => {
    const doc = peer(1)
    const generated = proposeArea(doc, {
      title: 't'.repeat(LIMITS.title + 50),
      description: 'd'.repeat(LIMITS.description + 1),
      proposer: '',
      proposerDelegationId: null,
      createdBy: '',
    })
    expect(generated).toMatch(/^p-[0-9a-f]{16}$/)
    expect(areaById(doc, generated)?.title.length).toBe(LIMITS.title)
    expect(areaById(doc, generated)?.description.length).toBe(LIMITS.description)
    expect(() => propose(doc, generated)).toThrow(RangeError)
    expect(() => propose(doc, 'has space')).toThrow(RangeError)
  })

  it('observeAreas reports local and remote changes until unsubscribed', () => {
    const a = peer(1)
    const b = peer(2)
    const seen: string[][] = []
    const stop = observeAreas(b, (areas) => seen.push(areas.map((x) => x.title)))
    propose(a, 'a', 'First')
    syncAll(a, b)
    editAreaText(b, id('a'), 'title', 5, 0, '!', 'Ana')
    stop()
    propose(b, 'b')
    expect(seen).toEqual([['First'], ['First!']])
  })
})

describe('editing text', () => {
  it('editAreaText splices characters, clamps ranges and records the editor', () => {
    const doc = peer(1)
    propose(doc, 'a', 'Central coordination')
    expect(editAreaText(doc, id('a'), 'title', 10, 0, '-', 'Ana')).toBe(true)
    expect(areaById(doc, id('a'))).toMatchObject({ title: 'Central co-ordination', lastEditedBy: 'Ana' })
    expect(editAreaText(doc, id('a'), 'title', 999, 5, '!', 'Ben')).toBe(true)
    expect(areaById(doc, id('a'))?.title).toBe('Central co-ordination!')
    expect(editAreaText(doc, id('a'), 'title', 3, 0, '', 'Ben')).toBe(false)
    expect(editAreaText(doc, id('missing'), 'title', 0, 0, 'x', 'Ben')).toBe(false)
    // An insert that would pass the limit is cut to fit.
    editAreaText(doc, id('a'), 'title', 0, 0, 'x'.repeat(LIMITS.title), 'Ben')
    expect(areaById(doc, id('a'))?.title.length).toBe(LIMITS.title)
  })

  it('setAreaText writes only the changed middle and leaves an unchanged text untouched', () => {
    const doc = peer(1)
    propose(doc, 'a', 'Customer-focused government')
    const text = areasMap(doc).get('a')!.get('title') as Y.Text
    const deltas: unknown[] = []
    text.observe((e) => deltas.push(e.delta))
    expect(setAreaText(doc, id('a'), 'title', 'Customer-centred government', 'Ana')).toBe(true)
    expect(deltas).toEqual([[{ retain: 9 }, { delete: 5 }, { insert: 'centr' }]])
    expect(setAreaText(doc, id('a'), 'title', 'Customer-centred government', 'Ben')).toBe(false)
    expect(areaById(doc, id('a'))?.lastEditedBy).toBe('Ana')
  })

  it('setAreaText never splits a surrogate pair', () => {
    const doc = peer(1)
    propose(doc, 'a', 'flag 🇫🇷 here')
    setAreaText(doc, id('a'), 'title', 'flag 🇩🇪 here', 'Ana')
    expect(areaById(doc, id('a'))?.title).toBe('flag 🇩🇪 here')
    // 😀 and 😃 share their high surrogate: the common prefix must stop before it.
    setAreaText(doc, id('a'), 'description', '😀', 'Ana')
    const d = areasMap(doc).get('a')!.get('description') as Y.Text
    const ops: unknown[] = []
    d.observe((e) => ops.push(e.delta))
    setAreaText(doc, id('a'), 'description', '😃', 'Ana')
    expect(ops).toEqual([[{ delete: 2 }, { insert: '😃' }]])
  })

  it('regression (convergence fuzz, seeds 9001–9012 before the fix): a splice inside a surrogate pair no longer corrupts the text, which made peers diverge', () => {
    // Yjs turns each half of a split pair into U+FFFD, on each peer where it splits the text
    // item; peers that split it differently then hold different text forever.
    const a = peer(1)
    const b = peer(2)
    propose(a, 'p', 'ab', { description: 'x 🇫🇷 🇩🇪 y' })
    syncAll(a, b)
    for (let i = 0; i < 6; i++) {
      editAreaText(a, id('p'), 'description', 3 + i, 1, 'é', 'Ana')
      editAreaText(b, id('p'), 'description', 4 + i, 0, '🇮🇹', 'Ben')
      syncAll(a, b)
      expect(areaById(a, id('p'))?.description).toBe(areaById(b, id('p'))?.description)
    }
    const d = areaById(a, id('p'))?.description ?? ''
    expect(d).not.toMatch(/\ufffd|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/)
    expect(areaById(b, id('p'))?.description).toBe(d)
  })

  it('editAreaText moves a splice that starts or ends inside a surrogate pair out to whole characters', () => {
    const doc = peer(1)
    propose(doc, 'p', 'a😀b')
    editAreaText(doc, id('p'), 'title', 2, 0, 'x', 'Ana') // inside 😀: goes before it
    expect(areaById(doc, id('p'))?.title).toBe('ax😀b')
    editAreaText(doc, id('p'), 'title', 1, 2, '', 'Ana') // 'x' and half of 😀: takes all of 😀
    expect(areaById(doc, id('p'))?.title).toBe('ab')
    editAreaText(doc, id('p'), 'title', 1, 0, '\ud83d', 'Ana') // a lone half becomes U+FFFD
    expect(areaById(doc, id('p'))?.title).toBe('a\ufffdb')
  })

  it('two people saving edits of one title at once both keep their characters', () => {
    const a = peer(1)
    const b = peer(2)
    propose(a, 'p', 'Central co-ordination')
    syncAll(a, b)
    setAreaText(a, id('p'), 'title', 'Central co-ordination and steering', 'Ana')
    setAreaText(b, id('p'), 'title', 'Strong central co-ordination', 'Ben')
    syncAll(a, b)
    expect(areaById(a, id('p'))?.title).toBe('Strong central co-ordination and steering')
    expect(areaById(b, id('p'))?.title).toBe('Strong central co-ordination and steering')
  })

  it('two people typing into one description at once both keep their characters', () => {
    const a = peer(1)
    const b = peer(2)
    propose(a, 'p', 'P', { description: 'one two' })
    syncAll(a, b)
    editAreaText(a, id('p'), 'description', 3, 0, ' and a half', 'Ana')
    editAreaText(b, id('p'), 'description', 7, 0, ' three', 'Ben')
    syncAll(a, b)
    const d = areaById(a, id('p'))?.description
    expect(d).toBe('one and a half two three')
    expect(areaById(b, id('p'))?.description).toBe(d)
  })
})

describe('moving', () => {
  it('moves by before, after and live index, writing only the position', () => {
    const doc = peer(1)
    for (const k of ['a', 'b', 'c', 'd']) propose(doc, k)
    const before = areasMap(doc).get('a')!.toJSON()
    expect(moveArea(doc, id('a'), { after: id('c') })).toBe(true)
    expect(titles(doc)).toEqual(['b', 'c', 'a', 'd'])
    const after = areasMap(doc).get('a')!.toJSON()
    expect({ ...after, position: before.position }).toEqual(before)
    expect(moveArea(doc, id('d'), { before: id('b') })).toBe(true)
    expect(titles(doc)).toEqual(['d', 'b', 'c', 'a'])
    expect(moveArea(doc, id('d'), 99)).toBe(true)
    expect(titles(doc)).toEqual(['b', 'c', 'a', 'd'])
    expect(moveArea(doc, id('a'), 0)).toBe(true)
    expect(titles(doc)).toEqual(['a', 'b', 'c', 'd'])
    expect(moveArea(doc, id('b'), { after: id('a'), before: id('c') })).toBe(false) // already there
    expect(moveArea(doc, id('b'), { after: id('c'), before: id('a') })).toBe(false) // out of order
    expect(moveArea(doc, id('b'), { after: id('b') })).toBe(false)
    expect(moveArea(doc, id('zz'), 0)).toBe(false)
  })

  it('concurrent moves of one area by two peers end with it once, in one place', () => {
    const a = peer(1)
    const b = peer(2)
    for (const k of ['p1', 'p2', 'p3', 'p4']) propose(a, k)
    syncAll(a, b)
    moveArea(a, id('p2'), 0)
    moveArea(b, id('p2'), { after: id('p4') })
    syncAll(a, b)
    expect(listAreas(a)).toEqual(listAreas(b))
    expect(titles(a).filter((t) => t === 'p2')).toHaveLength(1)
    expect([
      ['p2', 'p1', 'p3', 'p4'],
      ['p1', 'p3', 'p4', 'p2'],
    ]).toContainEqual(titles(a))
  })

  it('two peers inserting into one gap without jitter tie, and a later insert between them still fits', () => {
    const a = peer(1)
    const b = peer(2)
    propose(a, 'first')
    propose(a, 'last')
    syncAll(a, b)
    propose(a, 'ma', 'ma', { at: { after: id('first') } })
    propose(b, 'mb', 'mb', { at: { after: id('first') } })
    syncAll(a, b)
    expect(areaById(a, id('ma'))?.position).toBe(areaById(a, id('mb'))?.position) // a tie, broken by id
    expect(titles(a)).toEqual(['first', 'ma', 'mb', 'last'])
    expect(moveArea(a, id('last'), { after: id('ma') }, { random: null })).toBe(true)
    expect(titles(a)).toEqual(['first', 'ma', 'last', 'mb'])
    const positions = listAreas(a).map((x) => x.position)
    expect(new Set(positions).size).toBe(positions.length) // the tie was re-keyed apart
    syncAll(a, b)
    expect(titles(b)).toEqual(titles(a))
  })

  it('a neighbour with a malformed position is re-keyed rather than trusted', () => {
    const doc = peer(1)
    for (const k of ['a', 'b', 'c']) propose(doc, k)
    areasMap(doc).get('b')!.set('position', 'W0')
    expect(moveArea(doc, id('c'), { after: id('a') }, { random: null })).toBe(true)
    expect(titles(doc)).toEqual(['a', 'c', 'b'])
    expect(
      listAreas(doc)
        .map((x) => x.position)
        .every((p) => /^[0-9A-Za-z]*[1-9A-Za-z]$/.test(p)),
    ).toBe(true)
  })
})

describe('merging, withdrawing, restoring', () => {
  it('a merge keeps both areas, hides the absorbed one, leaves the texts of `into` alone and can be undone', () => {
    const doc = peer(1)
    propose(doc, 'a', 'Central co-ordination', { description: 'A' })
    propose(doc, 'b', 'Co-ordination from the centre', { description: 'B' })
    expect(mergeAreas(doc, { from: id('b'), into: id('a') })).toBe(true)
    expect(liveAreas(doc).map((x) => x.id)).toEqual(['a'])
    expect(areaById(doc, id('a'))).toMatchObject({
      title: 'Central co-ordination',
      description: 'A',
      absorbed: ['b'],
    })
    expect(areaById(doc, id('b'))).toMatchObject({ status: 'merged', mergedInto: 'a', description: 'B' })
    expect(resolveArea(doc, id('b'))).toBe('a')
    expect(mergeAreas(doc, { from: id('b'), into: id('a') })).toBe(false) // b is no longer live
    expect(mergeAreas(doc, { from: id('a'), into: id('a') })).toBe(false)
    expect(restoreArea(doc, id('b'))).toBe(true)
    expect(liveAreas(doc).map((x) => x.id)).toEqual(['a', 'b'])
    expect(areaById(doc, id('a'))?.absorbed).toEqual([])
    expect((areasMap(doc).get('a')!.get('absorbed') as Y.Array<string>).toArray()).toEqual([])
  })

  it('withdraw and restore', () => {
    const doc = peer(1)
    propose(doc, 'a')
    propose(doc, 'b')
    expect(withdrawArea(doc, id('a'))).toBe(true)
    expect(withdrawArea(doc, id('a'))).toBe(false)
    expect(liveAreas(doc).map((x) => x.id)).toEqual(['b'])
    expect(listAreas(doc).map((x) => x.id)).toEqual(['a', 'b'])
    expect(restoreArea(doc, id('a'))).toBe(true)
    expect(restoreArea(doc, id('a'))).toBe(false)
    expect(liveAreas(doc).map((x) => x.id)).toEqual(['a', 'b'])
  })

  it('A into B and B into A at once leave one of them live, the same one everywhere', () => {
    const a = peer(1)
    const b = peer(2)
    propose(a, 'x')
    propose(a, 'y')
    syncAll(a, b)
    mergeAreas(a, { from: id('x'), into: id('y') })
    mergeAreas(b, { from: id('y'), into: id('x') })
    syncAll(a, b)
    expect(liveAreas(a).map((x) => x.id)).toEqual(['x'])
    expect(liveAreas(b)).toEqual(liveAreas(a))
    expect(resolveArea(a, id('y'))).toBe('x')
    // The survivor can still be merged away, which breaks the cycle.
    propose(a, 'z')
    expect(mergeAreas(a, { from: id('x'), into: id('z') })).toBe(true)
    expect(liveAreas(a).map((x) => x.id)).toEqual(['z'])
    expect(resolveArea(a, id('y'))).toBe('z')
  })

  it('one area merged into two at once belongs to one of them only', () => {
    const a = peer(1)
    const b = peer(2)
    for (const k of ['x', 'y', 'z']) propose(a, k)
    syncAll(a, b)
    mergeAreas(a, { from: id('x'), into: id('y') })
    mergeAreas(b, { from: id('x'), into: id('z') })
    syncAll(a, b)
    const into = areaById(a, id('x'))?.mergedInto as PriorityId
    const other = into === 'y' ? id('z') : id('y')
    expect(areaById(a, into)?.absorbed).toEqual(['x'])
    expect(areaById(a, other)?.absorbed).toEqual([])
    expect(listAreas(b)).toEqual(listAreas(a))
  })

  it('merging into an area someone withdraws at once hides both until it is restored', () => {
    const a = peer(1)
    const b = peer(2)
    propose(a, 'x')
    propose(a, 'y')
    syncAll(a, b)
    mergeAreas(a, { from: id('x'), into: id('y') })
    withdrawArea(b, id('y'))
    syncAll(a, b)
    expect(liveAreas(a)).toEqual([])
    restoreArea(b, id('y'))
    syncAll(a, b)
    expect(liveAreas(a).map((x) => x.id)).toEqual(['y'])
    expect(areaById(a, id('y'))?.absorbed).toEqual(['x'])
  })
})

describe('the legacy list', () => {
  const legacyDoc = (clientID: number) => {
    const doc = peer(clientID)
    legacyPrioritiesArray(doc).push([
      legacyItem({ id: 'p1', title: 'Central co-ordination', description: 'd1', proposer: 'Chair' }),
      legacyItem({ id: 'p2', title: 'Cross-agency collaboration', description: 'd2', proposer: 'France' }),
      legacyItem({ id: 'p3', title: 'Customer-focused government', description: '', proposer: '' }),
    ])
    return doc
  }

  it('moves every item into areas in legacy order, empties the array, and is idempotent', () => {
    const doc = legacyDoc(1)
    expect(migrateLegacyPriorities(doc)).toBe(true)
    expect(legacyPrioritiesArray(doc).length).toBe(0)
    expect(listAreas(doc).map((a) => [a.id, a.title, a.description, a.proposer, a.status])).toEqual([
      ['p1', 'Central co-ordination', 'd1', 'Chair', 'proposed'],
      ['p2', 'Cross-agency collaboration', 'd2', 'France', 'proposed'],
      ['p3', 'Customer-focused government', '', '', 'proposed'],
    ])
    expect(areasMap(doc).get('p1')!.get('title')).toBeInstanceOf(Y.Text)
    expect(migrateLegacyPriorities(doc)).toBe(false)
  })

  it('two peers migrating at once converge to one area per legacy item', () => {
    const a = legacyDoc(1)
    const b = peer(2)
    syncAll(a, b)
    expect(migrateLegacyPriorities(a)).toBe(true)
    expect(migrateLegacyPriorities(b)).toBe(true)
    syncAll(a, b)
    expect(Y.encodeStateAsUpdate(a)).toEqual(Y.encodeStateAsUpdate(b))
    expect(listAreas(a)).toEqual(listAreas(b))
    expect(listAreas(a).map((x) => x.id)).toEqual(['p1', 'p2', 'p3'])
    expect(legacyPrioritiesArray(a).length).toBe(0)
    expect(migrateLegacyPriorities(a)).toBe(false)
  })

  it('an item added to the legacy list during a migration is migrated by the next run, once', () => {
    const a = legacyDoc(1)
    const b = peer(2)
    syncAll(a, b)
    migrateLegacyPriorities(a)
    legacyPrioritiesArray(b).push([legacyItem({ id: 'p4', title: 'Late', description: '', proposer: '' })])
    syncAll(a, b)
    expect(migrateLegacyPriorities(b)).toBe(true)
    syncAll(a, b)
    expect(listAreas(a).map((x) => x.id)).toEqual(['p1', 'p2', 'p3', 'p4'])
    expect(listAreas(b)).toEqual(listAreas(a))
  })

  it('legacy items with a repeated, malformed or already-migrated id keep their content under a derived id', () => {
    const doc = peer(7)
    propose(doc, 'p1', 'Already here')
    legacyPrioritiesArray(doc).push([
      legacyItem({ id: 'p1', title: 'Already here', description: '', proposer: '' }),
      legacyItem({ id: 'p2', title: 'Two', description: '', proposer: '' }),
      legacyItem({ id: 'p2', title: 'Two again', description: '', proposer: '' }),
      legacyItem({ id: 'not ok!', title: 'Bad id', description: '', proposer: '' }),
    ])
    migrateLegacyPriorities(doc)
    const areas = listAreas(doc)
    expect(areas.map((a) => a.title)).toEqual(['Already here', 'Two', 'Two again', 'Bad id'])
    expect(areas[2].id).toMatch(/^legacy-7-[0-9a-z]+$/)
    expect(new Set(areas.map((a) => a.id)).size).toBe(4)
  })
})

describe('adapters for the first shape', () => {
  it('addPriority writes the new shape and listPriorities reads the live areas', () => {
    const doc = peer(1)
    addPriority(doc, { id: 'p1', title: 'One', description: 'first', proposer: 'Chair' })
    addPriority(doc, { id: 'p2', title: 'Two', description: '', proposer: 'Chair' })
    expect(legacyPrioritiesArray(doc).length).toBe(0)
    withdrawArea(doc, id('p2'))
    expect(listPriorities(doc)).toEqual([{ id: 'p1', title: 'One', description: 'first', proposer: 'Chair' }])
  })
})
