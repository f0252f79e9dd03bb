/**
 * Comment anchors under concurrent editing: several in-memory peers edit around an anchored passage
 * and exchange their updates in a random (seeded) order, duplicated and late. Every peer converges,
 * and the anchor resolves to the same passage text on each — or, when a peer deleted the passage,
 * is detached on each.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { anchorIn, plainOf, resolveAnchor, textNodes } from '../src/meeting/drafting/text.ts'

const PASSAGE = 'share data across agencies'

const paragraph = (text: string) => {
  const el = new Y.XmlElement('paragraph')
  const t = new Y.XmlText()
  t.insert(0, text)
  el.insert(0, [t])
  return el
}

/** A seeded generator (mulberry32): the runs repeat exactly for a seed. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const runScenario = (seed: number, peers: number, rounds: number, deletePassage: boolean) => {
  const rand = prng(seed)
  const pick = (n: number) => Math.floor(rand() * n)
  const docs = Array.from({ length: peers }, () => new Y.Doc())
  // Peer 0 writes the draft; everyone starts from it.
  docs[0]
    .getXmlFragment('brief')
    .insert(0, [
      paragraph('Introduction.'),
      paragraph(`Governments should ${PASSAGE} by default.`),
      paragraph('Closing words.'),
    ])
  const initial = Y.encodeStateAsUpdate(docs[0])
  for (const d of docs.slice(1)) Y.applyUpdate(d, initial)
  const node = textNodes(docs[0])[1]
  const at = plainOf(node).indexOf(PASSAGE)
  const anchor = anchorIn(node, at, at + PASSAGE.length)

  // Updates in flight: each peer's, delivered later to the others in random order, some twice.
  const inbox: { to: number; update: Uint8Array }[] = []
  for (const [i, d] of docs.entries())
    d.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'remote') return
      for (let j = 0; j < peers; j++) if (j !== i) inbox.push({ to: j, update })
    })
  const deliverSome = () => {
    const n = pick(inbox.length + 1)
    for (let k = 0; k < n; k++) {
      const m = inbox.splice(pick(inbox.length), 1)[0]
      Y.applyUpdate(docs[m.to], m.update, 'remote')
      if (rand() < 0.1) Y.applyUpdate(docs[m.to], m.update, 'remote') // a duplicate is harmless
    }
  }
  const deleter = deletePassage ? pick(peers) : -1
  const deleteRound = pick(rounds)

  for (let round = 0; round < rounds; round++) {
    for (let p = 0; p < peers; p++) {
      const doc = docs[p]
      if (p === deleter && round === deleteRound) {
        const here = resolveAnchor(doc, anchor)
        if (here) here.start.node.delete(here.start.index, here.end.index - here.start.index)
        continue
      }
      const nodes = textNodes(doc)
      if (nodes.length === 0) continue
      const t = nodes[pick(nodes.length)]
      const len = t.length
      // Around the passage only: never inside [start, end) as this peer sees it (its ends included).
      const here = resolveAnchor(doc, anchor)
      const inside = here && here.start.node === t ? [here.start.index, here.end.index] : null
      const op = rand()
      if (op < 0.55) {
        let i = pick(len + 1)
        if (inside && i > inside[0] && i < inside[1]) i = rand() < 0.5 ? inside[0] : inside[1]
        t.insert(i, ['x', ' new ', 'é', '—'][pick(4)])
      } else if (op < 0.85 && len > 0) {
        let from = pick(len)
        let to = Math.min(len, from + 1 + pick(4))
        if (inside && from < inside[1] && to > inside[0]) {
          // Shift the range to one side of the passage.
          if (inside[0] >= 1) [from, to] = [Math.max(0, inside[0] - 2), inside[0]]
          else if (inside[1] < len) [from, to] = [inside[1], Math.min(len, inside[1] + 2)]
          else continue
        }
        if (to > from) t.delete(from, to - from)
      } else {
        const frag = doc.getXmlFragment('brief')
        frag.insert(pick(frag.length + 1), [paragraph(`Added by ${p}.`)])
      }
    }
    deliverSome()
  }
  while (inbox.length > 0) deliverSome()
  return { docs, anchor }
}

describe('comment anchors under concurrent edits', () => {
  it('[CM-ANCHOR] edits around the passage: every peer converges and reads the same passage', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 2, max: 5 }), (seed, peers) => {
        const { docs, anchor } = runScenario(seed, peers, 12, false)
        const texts = docs.map((d) => textNodes(d).map(plainOf).join('\n'))
        expect(new Set(texts).size).toBe(1)
        for (const d of docs) expect(resolveAnchor(d, anchor)?.text).toBe(PASSAGE)
      }),
      { seed: 20261204, numRuns: 40 },
    )
  })

  it('[CM-DETACH] one peer deletes the passage meanwhile: detached on every peer, the comment kept', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 2, max: 5 }), (seed, peers) => {
        const { docs, anchor } = runScenario(seed, peers, 12, true)
        const texts = docs.map((d) => textNodes(d).map(plainOf).join('\n'))
        expect(new Set(texts).size).toBe(1)
        expect(texts[0]).not.toContain(PASSAGE)
        for (const d of docs) expect(resolveAnchor(d, anchor)).toBeNull()
      }),
      { seed: 42, numRuns: 40 },
    )
  })

  it('a passage whose whole paragraph is removed is detached', () => {
    const { docs, anchor } = runScenario(7, 2, 0, false)
    docs[0].getXmlFragment('brief').delete(1, 1)
    expect(resolveAnchor(docs[0], anchor)).toBeNull()
    expect(resolveAnchor(docs[1], anchor)?.text).toBe(PASSAGE)
  })
})
