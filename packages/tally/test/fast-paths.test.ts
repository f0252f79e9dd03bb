// The fast paths against straightforward versions, on random ballots (fixed seed: a failure reproduces).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type BallotInput, type RankedProfile, rankedProfile } from '../src/index.ts'
import { pairwiseMatrix, pairwiseMatrixPlain } from '../src/pairwise.ts'

const RUNS = { seed: 20251129, numRuns: 200 }
const names = (n: number) => Array.from({ length: n }, (_, i) => `C${i}`)

/**
 * Up to 34 candidates (the packed matrix takes up to 30), rankings that may be truncated, hold
 * ties and repeat; counts from 0 to 70 so packed counters fill up (31) and heavy ballots occur.
 */
const election = fc.integer({ min: 1, max: 34 }).chain((n) =>
  fc.record({
    candidates: fc.constant(names(n)),
    ballots: fc
      .array(
        fc.tuple(
          fc.shuffledSubarray(names(n), { minLength: 0, maxLength: n }),
          fc.array(fc.boolean(), { minLength: n, maxLength: n }),
          fc.oneof(fc.constant(1), fc.integer({ min: 0, max: 70 })),
          fc.boolean(),
        ),
        { minLength: 0, maxLength: 60 },
      )
      .chain((drawn) =>
        // repeat some ballots so merging has work to do
        fc.array(fc.nat({ max: Math.max(0, drawn.length - 1) }), { maxLength: drawn.length }).map((again) =>
          [...drawn, ...(drawn.length ? again.map((i) => drawn[i]) : [])].map(
            ([order, joins, count, bare]) => {
              const ranking: (string | string[])[] = []
              order.forEach((c, i) => {
                const last = ranking[ranking.length - 1]
                if (i > 0 && joins[i])
                  ranking[ranking.length - 1] = [...(Array.isArray(last) ? last : [last]), c]
                else ranking.push(bare ? c : [c])
              })
              return (count === 1 && bare ? { ranking } : { ranking, count }) as BallotInput
            },
          ),
        ),
      ),
  }),
)

/** The profile built the obvious way: tiers as arrays, merged by a string key. */
function referenceProfile(candidates: string[], ballots: BallotInput[]) {
  const index = new Map(candidates.map((c, i) => [c, i]))
  const merged = new Map<string, { tiers: number[][]; count: number }>()
  let voters = 0
  let blank = 0
  for (const b of ballots) {
    const count = b.count ?? 1
    const tiers = (b.ranking ?? [])
      .map((t) => (Array.isArray(t) ? t : [t]).map((c) => index.get(c)!).sort((x, y) => x - y))
      .filter((t) => t.length > 0)
    if (count === 0) continue
    if (tiers.length === 0) {
      blank += count
      continue
    }
    voters += count
    const key = JSON.stringify(tiers)
    const seen = merged.get(key)
    if (seen) seen.count += count
    else merged.set(key, { tiers, count })
  }
  return { ballots: [...merged.values()], voters, blank }
}

function readBack(p: RankedProfile) {
  const ballots = []
  for (let b = 0; b < p.size; b++) {
    const tiers: number[][] = []
    for (let k = p.start[b]; k < p.start[b + 1]; k++) {
      if (k === p.start[b] || p.tier[k] !== p.tier[k - 1]) tiers.push([])
      expect(p.tier[k]).toBe(tiers.length - 1)
      tiers[tiers.length - 1].push(p.cand[k])
    }
    ballots.push({ tiers, count: p.count[b] })
  }
  return { ballots, voters: p.voters, blank: p.blank }
}

describe('fast paths', () => {
  it('[BAL-1] rankedProfile merges exactly as a string-keyed merge does', () => {
    fc.assert(
      fc.property(election, ({ candidates, ballots }) => {
        const p = rankedProfile(candidates, ballots, 'test')
        expect(p.cand.length).toBe(p.start[p.size])
        expect(readBack(p)).toEqual(referenceProfile(candidates, ballots))
      }),
      RUNS,
    )
  })

  it('[PW-1][PW-2] the packed pairwise matrix equals the plain one', () => {
    fc.assert(
      fc.property(election, fc.constantFrom('last', 'ignore'), ({ candidates, ballots }, unranked) => {
        const p = rankedProfile(candidates, ballots, 'test')
        const fast = pairwiseMatrix(p, unranked)
        const plain = pairwiseMatrixPlain(p, unranked)
        expect(fast.n).toBe(plain.n)
        expect(Array.from(fast.d)).toEqual(Array.from(plain.d))
      }),
      RUNS,
    )
  })

  it('[PW-1] the packed matrix holds on large profiles (many spills, 30 candidates)', () => {
    const rnd = mulberry(7)
    for (const n of [10, 20, 21, 30]) {
      const cands = names(n)
      const ballots: BallotInput[] = Array.from({ length: 3000 }, (_, i) => {
        const order = [...cands].sort(() => rnd() - 0.5).slice(0, n - (i % 4))
        return { ranking: order, count: i % 97 === 0 ? 40 + (i % 5) : 1 }
      })
      const p = rankedProfile(cands, ballots, 'test')
      for (const unranked of ['last', 'ignore'] as const)
        expect(Array.from(pairwiseMatrix(p, unranked).d)).toEqual(
          Array.from(pairwiseMatrixPlain(p, unranked).d),
        )
    }
  })
})

function mulberry(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
