// Meek's method of single transferable vote: keep values iterated to a fixed point each stage.
import type { RankedProfile } from '../ballots.ts'
import { fmt, tidy } from '../order.ts'
import { preciseRound } from './meek-precise.ts'
import {
  beginStage,
  type Count,
  electReached,
  electRemaining,
  exclude,
  hopefulList,
  PRECISE_TIE,
  type QuotaName,
} from './stv-count.ts'

interface Live {
  cand: Int32Array
  tier: Int32Array
  start: Int32Array
  /** Ballots that reach an elected candidate or run out; the others give fixed votes to hopefuls. */
  varying: Int32Array
  varyingCount: number
}

/**
 * Meek iterates the whole count many times per round (about 200 distributions for 10 000
 * ballots, 20 candidates, 5 seats), so each round first cuts every ballot down to the entries that
 * can take weight: candidates with keep value 0 (excluded) take nothing and pass everything, and
 * after the first tier whose open candidates are all hopeful (keep value 1) nothing is passed on.
 * Reading the cut ballot does exactly the same arithmetic, in the same order, as the whole one.
 *
 * A ballot whose first live tier is all hopeful gives the same votes to hopefuls in every
 * iteration and nothing to the elected or to the exhausted; only the elected and the exhausted
 * steer the iteration, so it reads just the other ballots ("varying") until the keep values
 * settle, then reads every ballot once, in order, for the exact votes of the round.
 */
function liveParts(profile: RankedProfile, keep: Float64Array, hopeful: Uint8Array, out: Live): void {
  const { cand, tier, start } = profile
  let w = 0
  out.varyingCount = 0
  for (let b = 0; b < profile.size; b++) {
    out.start[b] = w
    const end = start[b + 1]
    let fixed = false
    for (let k = start[b]; k < end; ) {
      let j = k
      let open = 0
      let allHopeful = true
      for (; j < end && tier[j] === tier[k]; j++) {
        const c = cand[j]
        if (keep[c] === 0) continue
        open++
        if (!hopeful[c]) allHopeful = false
        out.cand[w] = c
        out.tier[w++] = tier[j]
      }
      if (open > 0 && allHopeful) {
        fixed = w - open === out.start[b] // nothing live before this tier
        break
      }
      k = j
    }
    if (!fixed) out.varying[out.varyingCount++] = b
  }
  out.start[profile.size] = w
}

/**
 * Adds each ballot's votes under the keep values into `votes` (ballots `order[0..ballots)`, or
 * 0..ballots when `order` is null) and returns the exhausted weight. A top-level function over
 * typed arrays: it runs about 200 times per count, and is the hot loop of Meek.
 */
function meekPass(
  live: Live,
  order: Int32Array | null,
  ballots: number,
  count: Float64Array,
  keep: Float64Array,
  votes: Float64Array,
): number {
  const { cand, tier, start } = live
  let exhausted = 0
  for (let i = 0; i < ballots; i++) {
    const b = order === null ? i : order[i]
    let weight = count[b]
    const end = start[b + 1]
    for (let k = start[b]; k < end; ) {
      if (k + 1 === end || tier[k + 1] !== tier[k]) {
        // A tier of one (most are): the general case below with open = 1, written out; the
        // arithmetic is identical (weight / 1 = weight, 0 + x = x for the x ≥ 0 passed on).
        const kc = keep[cand[k]]
        if (kc > 0) {
          votes[cand[k]] += weight * kc
          weight = weight * (1 - kc)
          if (weight <= 0) break
        }
        k++
        continue
      }
      // One tier: entries k..j−1.
      let j = k
      let open = 0
      for (; j < end && tier[j] === tier[k]; j++) if (keep[cand[j]] > 0) open++
      if (open > 0) {
        const share = weight / open
        let passed = 0
        for (let q = k; q < j; q++) {
          const c = cand[q]
          if (keep[c] === 0) continue
          votes[c] += share * keep[c]
          passed += share * (1 - keep[c])
        }
        weight = passed
        if (weight <= 0) break
      }
      k = j
    }
    exhausted += weight
  }
  return exhausted
}

const MEEK_TOLERANCE = 1e-10 // relative; far below any count a chair could read out
const MEEK_MAX_ITERATIONS = 10_000
/**
 * [STV-7] Hopefuls (or a hopeful and the quota) closer than this share of the valid votes are
 * recounted precisely. Settling to MEEK_TOLERANCE leaves each hopeful's votes off by about
 * 1e-10 × V at most (the elected together miss the quota by that much, and only what they pass on
 * moves); 1e-7 leaves a thousandfold margin for surpluses that pass between the elected.
 */
const NEAR = 1e-7

/** [STV-7] Whether two hopefuls, or a hopeful and the quota, are too close for the float count to tell apart. */
function nearTie(hopeful: number[], votes: Float64Array, quota: number, voters: number): boolean {
  const xs = hopeful.map((c) => votes[c])
  xs.push(quota)
  xs.sort((a, b) => a - b)
  const within = NEAR * Math.max(1, voters)
  // Exactly 0 is exact: a sum of non-negative terms is 0 only when every term is.
  for (let i = 1; i < xs.length; i++) if (xs[i] - xs[i - 1] <= within && xs[i] !== 0) return true
  return false
}

/**
 * [STV-6] Meek: every elected candidate keeps a fraction (keep value) of each ballot that reaches
 * it and passes on the rest; keep values are iterated until each elected candidate holds the
 * quota, which is recomputed from the non-exhausted votes ((V − exhausted)/(S+1); /S for hare).
 * Hopefuls keep all, excluded keep nothing. A hopeful is elected on exceeding the quota (as the
 * New Zealand rules do by adding 10⁻⁹ to it).
 */
export function meek(s: Count, quotaName: QuotaName): { quota: number; quotas: number[] } {
  const { profile } = s
  const { cand, count } = profile
  const n = profile.candidates.length
  const keep = new Float64Array(n).fill(1)
  const votes = new Float64Array(n)
  const divisor = quotaName === 'hare' ? s.seats : s.seats + 1
  let quota = 0
  const quotas: number[] = []
  // This round's live part of each ballot (see liveParts); rebuilt before each settle.
  const live: Live = {
    cand: new Int32Array(cand.length),
    tier: new Int32Array(cand.length),
    start: new Int32Array(profile.size + 1),
    varying: new Int32Array(profile.size),
    varyingCount: 0,
  }
  /** One pass of the count; `all: false` reads the varying ballots only (see liveParts). */
  const distribute = (all: boolean) => {
    votes.fill(0)
    const exhausted = all
      ? meekPass(live, null, profile.size, count, keep, votes)
      : meekPass(live, live.varying, live.varyingCount, count, keep, votes)
    quota = (profile.voters - exhausted) / divisor
  }
  const settle = () => {
    for (let i = 0; i < MEEK_MAX_ITERATIONS; i++) {
      distribute(false)
      let done = true
      for (const c of s.elected) {
        if (Math.abs(votes[c] - quota) > MEEK_TOLERANCE * Math.max(1, quota)) done = false
      }
      // The last pass is read in full (same keep values) so the hopefuls' votes are exact.
      if (done || i === MEEK_MAX_ITERATIONS - 1) distribute(true)
      for (const c of s.elected) {
        if (votes[c] > 0) keep[c] = Math.min(1, (keep[c] * quota) / votes[c])
      }
      if (done) return
    }
  }
  for (let round = 1; ; round++) {
    liveParts(profile, keep, s.hopeful, live)
    settle()
    const hopeful = hopefulList(s)
    const precise = nearTie(hopeful, votes, quota, profile.voters)
      ? preciseRound(live, profile.size, count, profile.voters, divisor, keep, s.elected, hopeful)
      : undefined
    if (precise) {
      votes.set(precise.votes)
      quota = precise.quota
    }
    beginStage(s, votes, hopeful, precise?.low)
    quotas.push(tidy(quota))
    if (electRemaining(s, round)) break
    // Without a precise recount no hopeful is near the quota, so the float comparison is exact enough.
    const exceeds = precise
      ? (c: number) =>
          votes[c] - quota + (precise.low[c] - precise.quotaLow) > PRECISE_TIE * Math.max(1, quota)
      : (c: number) => votes[c] > quota
    const reached = hopeful.filter(exceeds)
    if (reached.length) {
      if (electReached(s, reached, round, ` (${fmt(quota)})`).over) break
      continue
    }
    const out = exclude(s, votes, round)
    if (!out) break
    for (const c of out) keep[c] = 0
  }
  return { quota, quotas }
}
