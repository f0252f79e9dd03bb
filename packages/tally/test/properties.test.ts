// Properties every count must have, checked on random profiles (fixed seed: a failure reproduces).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type BallotInput,
  condorcetWinner,
  count,
  type Election,
  pairwiseMatrix,
  rankedProfile,
  type Result,
} from '../src/index.ts'

const RUNS = { seed: 20251128, numRuns: 150 }
const NAMES = ['A', 'B', 'C', 'D', 'E']

const RANKED: Election['method'][] = [
  'plurality',
  'two_round_runoff',
  'borda',
  'dowdall',
  'irv',
  'coombs',
  'stv',
  'schulze',
  'ranked_pairs',
  'copeland',
  'minimax',
  'kemeny_young',
  'kendall_w',
]
const CONDORCET: Election['method'][] = ['schulze', 'ranked_pairs', 'copeland', 'minimax', 'kemeny_young']

/** A profile of complete strict rankings (with counts) over 2–5 candidates. */
const strictProfile = fc.integer({ min: 2, max: 5 }).chain((n) =>
  fc.record({
    candidates: fc.constant(NAMES.slice(0, n)),
    ballots: fc.array(
      fc.record({
        ranking: fc.shuffledSubarray(NAMES.slice(0, n), { minLength: n, maxLength: n }),
        count: fc.integer({ min: 1, max: 4 }),
      }),
      { minLength: 1, maxLength: 12 },
    ),
  }),
)

/** Rankings that may be truncated and may contain ties. */
const looseProfile = fc.integer({ min: 2, max: 5 }).chain((n) =>
  fc.record({
    candidates: fc.constant(NAMES.slice(0, n)),
    ballots: fc.array(
      fc
        .tuple(
          fc.shuffledSubarray(NAMES.slice(0, n), { minLength: 1, maxLength: n }),
          fc.array(fc.boolean(), { minLength: n, maxLength: n }),
        )
        .map(([order, joins]) => {
          const ranking: (string | string[])[] = []
          order.forEach((c, i) => {
            const last = ranking[ranking.length - 1]
            if (i > 0 && joins[i]) ranking[ranking.length - 1] = [...(Array.isArray(last) ? last : [last]), c]
            else ranking.push(c)
          })
          return { ranking, count: 1 } as BallotInput
        }),
      { minLength: 1, maxLength: 10 },
    ),
  }),
)

const essence = (r: Result) => ({
  winners: r.winners,
  ranking: r.ranking,
  scores: r.scores,
  rounds: r.rounds,
  W: r.W,
})
const sortedTiers = (ranking: string[][]) => ranking.map((t) => [...t].sort())

describe('properties', () => {
  it('[BAL-1] ballot order never changes a result', () => {
    fc.assert(
      fc.property(looseProfile, fc.func(fc.integer()), ({ candidates, ballots }, key) => {
        const shuffled = [...ballots]
          .map((b, i) => [key(i), b] as const)
          .sort((x, y) => x[0] - y[0])
          .map(([, b]) => b)
        for (const method of RANKED) {
          const a = count({ method, candidates, ballots })
          const b = count({ method, candidates, ballots: shuffled.reverse() })
          expect(essence(b)).toEqual(essence(a))
        }
      }),
      RUNS,
    )
  })

  it('[RES-1] renaming (and reordering) candidates renames the result', () => {
    fc.assert(
      fc.property(strictProfile, ({ candidates, ballots }) => {
        const rename = (c: string) => `delegate ${c.toLowerCase()}`
        const renamed = ballots.map((b) => ({ ...b, ranking: b.ranking.map(rename) }))
        for (const method of RANKED) {
          const a = count({ method, candidates, ballots })
          const b = count({ method, candidates: [...candidates].reverse().map(rename), ballots: renamed })
          expect(sortedTiers(b.ranking)).toEqual(sortedTiers(a.ranking.map((t) => t.map(rename))))
          expect([...b.winners].sort()).toEqual(a.winners.map(rename).sort())
        }
      }),
      RUNS,
    )
  })

  it('[SCH-3][RP-4][COP-1][MM-1][KY-1] Condorcet methods elect a Condorcet winner when there is one', () => {
    fc.assert(
      fc.property(looseProfile, ({ candidates, ballots }) => {
        const cw = condorcetWinner(pairwiseMatrix(rankedProfile(candidates, ballots, 'test')))
        fc.pre(cw !== undefined)
        for (const method of CONDORCET)
          expect(count({ method, candidates, ballots }).winners).toEqual([candidates[cw!]])
      }),
      RUNS,
    )
  })

  it('[IRV-2][TRR-1] a majority of first choices wins IRV, Coombs, the two-round runoff and plurality', () => {
    fc.assert(
      fc.property(strictProfile, ({ candidates, ballots }) => {
        const total = ballots.reduce((s, b) => s + b.count, 0)
        const firsts = new Map<string, number>()
        for (const b of ballots) firsts.set(b.ranking[0], (firsts.get(b.ranking[0]) ?? 0) + b.count)
        const major = [...firsts].find(([, v]) => v * 2 > total)?.[0]
        fc.pre(major !== undefined)
        for (const method of ['irv', 'coombs', 'two_round_runoff', 'plurality'] as const) {
          expect(count({ method, candidates, ballots }).winners).toEqual([major])
        }
      }),
      RUNS,
    )
  })

  it('[RES-1] a unanimous ranking wins everywhere', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 5 })
          .chain((n) => fc.shuffledSubarray(NAMES.slice(0, n), { minLength: n, maxLength: n })),
        fc.integer({ min: 1, max: 9 }),
        (order, voters) => {
          const candidates = [...order].sort()
          const ranked = [{ ranking: order, count: voters }]
          const scores = Object.fromEntries(order.map((c, i) => [c, Math.max(0, 5 - i)]))
          const graded = [{ scores, count: voters }]
          for (const method of RANKED) {
            if (method === 'kendall_w') continue
            expect(count({ method, candidates, ballots: ranked }).winners).toEqual([order[0]])
            expect(count({ method, candidates, ballots: ranked }).ranking[0]).toEqual([order[0]])
          }
          for (const method of ['score', 'star', 'majority_judgment', 'cumulative'] as const) {
            expect(count({ method, candidates, ballots: graded }).winners).toEqual([order[0]])
          }
          expect(
            count({ method: 'approval', candidates, ballots: [{ approvals: [order[0]], count: voters }] })
              .winners,
          ).toEqual([order[0]])
          expect(count({ method: 'kendall_w', candidates, ballots: ranked }).W).toBe(1)
        },
      ),
      RUNS,
    )
  })

  it('[KY-3][KY-5] Kemeny–Young winners are exactly the first places of the optimal orders', () => {
    fc.assert(
      fc.property(looseProfile, ({ candidates, ballots }) => {
        const r = count({ method: 'kemeny_young', candidates, ballots })
        if ((r.orders_count as number) > (r.orders as string[][]).length) return // not all listed
        const firsts = new Set((r.orders as string[][]).map((o) => o[0]))
        expect(new Set(r.winners)).toEqual(firsts)
        for (const w of r.winners) expect(r.ranking[0]).toContain(w)
      }),
      RUNS,
    )
  })

  it('[PW-1][IRV-1][BOR-1][KY-1][STV-2] totals add up', () => {
    fc.assert(
      fc.property(strictProfile, ({ candidates, ballots }) => {
        const n = candidates.length
        const voters = ballots.reduce((s, b) => s + b.count, 0)
        const sum = (o: Record<string, number>) => Object.values(o).reduce((s, v) => s + v, 0)
        expect(sum(count({ method: 'plurality', candidates, ballots }).scores!)).toBe(voters)
        const irv = count({ method: 'irv', candidates, ballots })
        for (const [i, round] of irv.rounds!.entries())
          expect(sum(round) + (irv.exhausted as number[])[i]).toBeCloseTo(voters, 9)
        expect(sum(count({ method: 'borda', candidates, ballots }).scores!)).toBe((voters * n * (n - 1)) / 2)
        const p = count({ method: 'copeland', candidates, ballots }).pairwise!
        for (const a of candidates)
          for (const b of candidates) if (a !== b) expect(p[a][b] + p[b][a]).toBe(voters)
        const ky = count({ method: 'kemeny_young', candidates, ballots })
        expect((ky.score as number) + ky.distance!).toBe((voters * n * (n - 1)) / 2)
        const seats = Math.min(2, n)
        for (const transfer of ['gregory', 'meek'] as const) {
          const stv = count({ method: 'stv', candidates, ballots, options: { seats, transfer } })
          // every seat is filled unless a tie for the last seat stands ([STV-5])
          if (stv.tied === undefined) expect(stv.elected).toHaveLength(seats)
          else expect(stv.elected!.length + 1).toBeLessThanOrEqual(seats)
          expect(sum(stv.rounds![0])).toBeCloseTo(voters, 9)
        }
      }),
      RUNS,
    )
  })
})
