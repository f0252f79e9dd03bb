import { asPriorityId, type BoardRanking, type BoardView, type PriorityId } from '@roundtable/protocol'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createStore } from 'zustand/vanilla'
import { type BoardSlice, createBoardSlice } from '../src/features/board/board-slice.ts'
import {
  entriesToTiers,
  moveEntry,
  placesOf,
  type RankEntry,
  rankLast,
  reconcile,
  setTied,
  tiersToEntries,
  unrank,
} from '../src/features/board/ranking.ts'

const ids = (...s: string[]) => s.map(asPriorityId)
const [a, b, c, d, e] = ids('a', 'b', 'c', 'd', 'e')
const flat = (entries: RankEntry[]) => entries.map((x) => x.id)

/** Random tiers over a random subset of a..h, each area at most once, no empty tier. */
const tiersArb = fc.shuffledSubarray(ids('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h')).chain((order) =>
  fc.array(fc.boolean(), { minLength: order.length, maxLength: order.length }).map((cuts) => {
    const tiers: PriorityId[][] = []
    order.forEach((id, i) => {
      if (i === 0 || cuts[i]) tiers.push([id])
      else tiers[tiers.length - 1].push(id)
    })
    return tiers
  }),
)
const SEED = { seed: 12, numRuns: 300 }

describe('ranking ↔ tiers', () => {
  it('tiers become a flat list with ties and back again, unchanged', () => {
    const tiers: BoardRanking = [[a], [b, c], [d]]
    const entries = tiersToEntries(tiers)
    expect(entries).toEqual([
      { id: a, tied: false },
      { id: b, tied: false },
      { id: c, tied: true },
      { id: d, tied: false },
    ])
    expect(entriesToTiers(entries)).toEqual(tiers)
    fc.assert(
      fc.property(tiersArb, (t) => {
        expect(entriesToTiers(tiersToEntries(t))).toEqual(t)
      }),
      SEED,
    )
  })

  it('a tie flag on the first entry means nothing (nothing is above it)', () => {
    expect(
      entriesToTiers([
        { id: a, tied: true },
        { id: b, tied: true },
      ]),
    ).toEqual([[a, b]])
    expect(setTied(tiersToEntries([[a], [b]]), 0, true)[0].tied).toBe(false)
  })

  it('places count tiers, and mark the shared ones', () => {
    expect(placesOf(tiersToEntries([[a], [b, c], [d]]))).toEqual([
      { place: 1, shared: false },
      { place: 2, shared: true },
      { place: 2, shared: true },
      { place: 3, shared: false },
    ])
  })
})

describe('areas that come and go', () => {
  it('a merged or withdrawn area drops out; a new one is listed as not ranked, in working order', () => {
    const entries = tiersToEntries([[a], [b], [c]])
    const r = reconcile(entries, ids('e', 'c', 'a', 'd'))
    expect(r.ranked).toEqual([
      { id: a, tied: false },
      { id: c, tied: false },
    ])
    expect(r.unranked).toEqual([e, d])
  })

  it('a vanished area that started a tier leaves the rest of its tier together, not joined to the tier above', () => {
    const r = reconcile(tiersToEntries([[a], [b, c, d]]), ids('a', 'c', 'd'))
    expect(entriesToTiers(r.ranked)).toEqual([[a], [c, d]])
    const last = reconcile(tiersToEntries([[a, b], [c]]), ids('b', 'c'))
    expect(entriesToTiers(last.ranked)).toEqual([[b], [c]])
  })

  it('whatever vanishes, every live area is shown exactly once and the kept order is unchanged', () => {
    fc.assert(
      fc.property(
        tiersArb,
        fc.shuffledSubarray(ids('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i')),
        (t, live) => {
          const r = reconcile(tiersToEntries(t), live)
          const shown = [...flat(r.ranked), ...r.unranked]
          expect([...shown].sort()).toEqual([...live].sort())
          expect(flat(r.ranked)).toEqual(t.flat().filter((id) => live.includes(id)))
          // Two kept areas share a tier after exactly when they shared one before.
          const tierOf = (tiers: BoardRanking, id: PriorityId) => tiers.findIndex((x) => x.includes(id))
          const after = entriesToTiers(r.ranked)
          for (const x of flat(r.ranked))
            for (const y of flat(r.ranked))
              expect(tierOf(after, x) === tierOf(after, y)).toBe(tierOf(t, x) === tierOf(t, y))
          expect(r.ranked[0]?.tied ?? false).toBe(false)
        },
      ),
      SEED,
    )
  })

  it('an area ranked twice (a hand-made ranking) is shown once, at its best place', () => {
    const r = reconcile(tiersToEntries([[a], [b], [a]]), ids('a', 'b'))
    expect(flat(r.ranked)).toEqual([a, b])
  })
})

describe('edits', () => {
  it('moving an area keeps every area once; the moved one leaves its tier, its tier stays together', () => {
    const entries = tiersToEntries([[a, b], [c], [d]])
    expect(entriesToTiers(moveEntry(entries, 0, 3))).toEqual([[b], [c], [d], [a]])
    expect(entriesToTiers(moveEntry(entries, 3, 1))).toEqual([[a, d, b], [c]])
    expect(entriesToTiers(moveEntry(entries, 1, 0))).toEqual([[b], [a], [c], [d]])
    expect(moveEntry(entries, 0, 9)).toEqual(entries)
    fc.assert(
      fc.property(tiersArb, fc.nat(), fc.nat(), (t, i, j) => {
        const entries = tiersToEntries(t)
        if (entries.length === 0) return
        const from = i % entries.length
        const to = j % entries.length
        const moved = moveEntry(entries, from, to)
        expect([...flat(moved)].sort()).toEqual([...flat(entries)].sort())
        expect(moved[to].id).toBe(entries[from].id)
        expect(moved[0].tied).toBe(false)
      }),
      SEED,
    )
  })

  it('ranking and unranking: last place of its own; an unranked tier start hands the tier on', () => {
    const entries = tiersToEntries([[a, b], [c]])
    expect(entriesToTiers(rankLast(entries, d))).toEqual([[a, b], [c], [d]])
    expect(rankLast(entries, a)).toEqual(entries)
    expect(entriesToTiers(unrank(entries, a))).toEqual([[b], [c]])
    expect(entriesToTiers(unrank(entries, b))).toEqual([[a], [c]])
    expect(entriesToTiers(unrank(tiersToEntries([[a], [b, c]]), b))).toEqual([[a], [c]])
  })

  it('a tie joins the tier above, untying starts a tier', () => {
    const entries = tiersToEntries([[a], [b], [c]])
    expect(entriesToTiers(setTied(entries, 1, true))).toEqual([[a, b], [c]])
    expect(entriesToTiers(setTied(tiersToEntries([[a, b, c]]), 1, false))).toEqual([[a], [b, c]])
  })
})

const view = (countedAt: string, voters: number): BoardView => ({
  method: 'schulze',
  reveal: false,
  frozen: false,
  optionsHash: null,
  ranking: [],
  voters,
  kendallW: null,
  agreement: null,
  pairwise: {},
  condorcetWinner: null,
  cycles: [],
  contested: [],
  series: [],
  explanation: '',
  candidates: [],
  countedAt,
})

describe('board slice', () => {
  it('keeps the newest count when an event and a board:state answer cross', () => {
    const store = createStore<BoardSlice>()(createBoardSlice)
    store.getState().applyBoard(view('2026-12-04T10:00:02.000Z', 3))
    store.getState().applyBoardState({ board: view('2026-12-04T10:00:01.000Z', 2), mine: [[a]] })
    expect(store.getState().board?.voters).toBe(3)
    expect(store.getState().savedRanking).toEqual([[a]])
    store.getState().applyBoard(view('2026-12-04T10:00:03.000Z', 4))
    expect(store.getState().board?.voters).toBe(4)
  })

  it('knows "not read yet" from "never ranked"', () => {
    const store = createStore<BoardSlice>()(createBoardSlice)
    expect(store.getState().savedRanking).toBeUndefined()
    store.getState().applyBoardState({ board: view('2026-12-04T10:00:00.000Z', 0), mine: null })
    expect(store.getState().savedRanking).toBeNull()
  })
})
