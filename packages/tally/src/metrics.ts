// Consensus metrics over a set of rankings: how much a group agrees, and where it does not.
import { fail, type RankedProfile, rankedProfile, tiersOf } from './ballots.ts'
import { byName, fmt, list, named, range, tidy, tiersByScore } from './order.ts'
import {
  condorcetLoser,
  condorcetWinner,
  type Matrix,
  matrixRecord,
  pairwiseMatrix,
  smithComponents,
} from './pairwise.ts'
import type { BallotInput, Result } from './types.ts'

export interface RankingsInput {
  candidates: string[]
  ballots: BallotInput[]
}

/**
 * [CM-1] Ranks are 1 (best) to n; tied candidates share the mean of the places they span, and
 * unranked candidates are tied below every ranked one.
 */
export function averageRanks(tiers: number[][], n: number): Float64Array {
  const rank = new Float64Array(n)
  const ranked = new Uint8Array(n)
  let place = 1
  const give = (tier: number[]) => {
    const r = place + (tier.length - 1) / 2
    for (const c of tier) rank[c] = r
    place += tier.length
  }
  for (const t of tiers) {
    for (const c of t) ranked[c] = 1
    give(t)
  }
  if (place <= n) give(range(n).filter((c) => !ranked[c]))
  return rank
}

/**
 * averageRanks for distinct ballot b of a profile, written into `rank` (no arrays per ballot);
 * returns Σ (t³ − t) over its tied groups, unranked candidates being one group ([CM-3]).
 */
function ranksInto(p: RankedProfile, b: number, rank: Float64Array, ranked: Uint8Array): number {
  const n = rank.length
  const end = p.start[b + 1]
  let ties = 0
  ranked.fill(0)
  for (let k = p.start[b]; k < end; ) {
    let j = k
    while (j < end && p.tier[j] === p.tier[k]) j++
    const len = j - k
    const r = k - p.start[b] + 1 + (len - 1) / 2
    for (let q = k; q < j; q++) {
      rank[p.cand[q]] = r
      ranked[p.cand[q]] = 1
    }
    ties += len ** 3 - len
    k = j
  }
  const place = end - p.start[b] + 1
  const rest = n - (place - 1)
  if (place <= n) {
    const r = place + (rest - 1) / 2
    for (let c = 0; c < n; c++) if (!ranked[c]) rank[c] = r
  }
  return ties + rest ** 3 - rest
}

/**
 * [CM-2] Bands for reading W aloud, centred on Schmidt's (1997) anchors .1 very weak, .3 weak,
 * .5 moderate, .7 strong, .9 unusually strong: below 0.2 very weak, below 0.4 weak, below 0.6
 * moderate, below 0.8 strong, otherwise very strong agreement.
 */
export const AGREEMENT_BANDS = [
  { below: 0.2, band: 'very weak' },
  { below: 0.4, band: 'weak' },
  { below: 0.6, band: 'moderate' },
  { below: 0.8, band: 'strong' },
  { below: Number.POSITIVE_INFINITY, band: 'very strong' },
] as const
export type AgreementBand = (typeof AGREEMENT_BANDS)[number]['band']

export function agreementBand(W: number): AgreementBand {
  return AGREEMENT_BANDS.find((b) => W < b.below)!.band
}

export interface KendallW {
  W: number
  S: number
  rank_sums: Float64Array
  raters: number
}

/**
 * [CM-3] Kendall's W = 12·S / (m²(n³−n) − m·ΣT) with S the sum of squared deviations of the rank
 * sums from their mean, m raters, n items and T = Σ(t³−t) over each rater's tied groups; with
 * `tie_correction: false` the ΣT term is dropped. W is 0 when undefined (fewer than 2 items,
 * no raters, or every rater ties everything).
 */
export function kendallWOf(profile: RankedProfile, tieCorrection = true): KendallW {
  const n = profile.candidates.length
  const sums = new Float64Array(n)
  let m = 0
  let ties = 0
  const r = new Float64Array(n)
  const ranked = new Uint8Array(n)
  for (let b = 0; b < profile.size; b++) {
    const count = profile.count[b]
    const tieTerm = ranksInto(profile, b, r, ranked)
    for (let c = 0; c < n; c++) sums[c] += r[c] * count
    m += count
    if (tieCorrection) ties += tieTerm * count
  }
  const mean = (m * (n + 1)) / 2
  let S = 0
  for (let c = 0; c < n; c++) S += (sums[c] - mean) ** 2
  const denominator = m * m * (n ** 3 - n) - m * ties
  const W = denominator > 0 ? (12 * S) / denominator : 0
  return { W, S, rank_sums: sums, raters: m }
}

export function kendallW(input: RankingsInput, options: { tie_correction?: boolean } = {}): Result {
  const { candidates } = input
  const profile = rankedProfile(candidates, input.ballots, 'kendall_w')
  const { W, S, rank_sums, raters } = kendallWOf(profile, options.tie_correction ?? true)
  const ranking = named(candidates, tiersByScore(range(candidates.length), rank_sums, 'asc'))
  const band = agreementBand(W)
  return {
    method: 'kendall_w',
    winners: raters > 0 ? ranking[0] : [],
    ranking,
    W: tidy(W),
    band,
    S: tidy(S),
    rank_sums: byName(candidates, rank_sums),
    raters,
    explanation: `Kendall's W is ${fmt(W)} across ${raters} rankings of ${candidates.length} items: ${band} agreement (0 is none, 1 is complete).`,
  }
}

function twoRankings(input: RankingsInput, method: string): [Float64Array, Float64Array, number[][][]] {
  const profile = rankedProfile(input.candidates, input.ballots, method)
  const all: number[][][] = []
  for (let b = 0; b < profile.size; b++)
    for (let k = 0; k < profile.count[b]; k++) all.push(tiersOf(profile, b))
  if (all.length !== 2 || profile.blank > 0)
    fail(`${method} compares exactly two non-empty rankings; got ${all.length + profile.blank}`)
  const n = input.candidates.length
  return [averageRanks(all[0], n), averageRanks(all[1], n), all]
}

/**
 * [CM-4] Kendall tau distance: the number of pairs the two rankings order oppositely, plus
 * `tie_penalty` (default ½, Fagin et al. 2004) for each pair tied in one ranking only;
 * `normalized` divides by n(n−1)/2.
 */
export function kendallTauDistance(input: RankingsInput, options: { tie_penalty?: number } = {}): Result {
  const [x, y] = twoRankings(input, 'kendall_tau_distance')
  const p = options.tie_penalty ?? 0.5
  const n = input.candidates.length
  let distance = 0
  for (let a = 0; a < n; a++)
    for (let b = a + 1; b < n; b++) {
      const s = Math.sign(x[a] - x[b])
      const t = Math.sign(y[a] - y[b])
      if (s * t < 0) distance += 1
      else if (s !== t && s * t === 0) distance += p
    }
  const pairs = (n * (n - 1)) / 2
  const normalized = pairs > 0 ? distance / pairs : 0
  return {
    method: 'kendall_tau_distance',
    winners: [],
    ranking: [],
    distance: tidy(distance),
    normalized: tidy(normalized),
    explanation: `The two rankings disagree on ${fmt(distance)} of ${pairs} pairs (${fmt(normalized * 100)}%).`,
  }
}

/** [CM-6] Spearman's rho: the Pearson correlation of the two rankings' ranks ([CM-1]); null when a ranking ties everything. */
export function spearman(input: RankingsInput): Result {
  const [x, y] = twoRankings(input, 'spearman')
  const n = x.length
  const mx = x.reduce((s, v) => s + v, 0) / n
  const my = y.reduce((s, v) => s + v, 0) / n
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my)
    sxx += (x[i] - mx) ** 2
    syy += (y[i] - my) ** 2
  }
  const rho = sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null
  return {
    method: 'spearman',
    winners: [],
    ranking: [],
    rho: rho === null ? null : tidy(rho),
    explanation:
      rho === null
        ? 'Spearman’s rho is undefined: one ranking ties every item.'
        : `Spearman’s rho is ${fmt(rho)} (1: same order, 0: unrelated, −1: reversed).`,
  } as Result
}

export interface Spread {
  mean: number
  sd: number
  min: number
  max: number
  /** sd divided by its largest possible value ((n−1)/2): 0 = everyone agrees, 1 = split between the extremes. */
  contested: number
}

/** [CM-7] Per item: mean, population standard deviation, best and worst rank across rankings. */
export function spreadOf(profile: RankedProfile): Spread[] {
  const n = profile.candidates.length
  const sum = new Float64Array(n)
  const sq = new Float64Array(n)
  const min = new Float64Array(n).fill(Number.POSITIVE_INFINITY)
  const max = new Float64Array(n).fill(Number.NEGATIVE_INFINITY)
  let m = 0
  const r = new Float64Array(n)
  const ranked = new Uint8Array(n)
  for (let b = 0; b < profile.size; b++) {
    const count = profile.count[b]
    ranksInto(profile, b, r, ranked)
    m += count
    for (let c = 0; c < n; c++) {
      sum[c] += r[c] * count
      sq[c] += r[c] * r[c] * count
      if (r[c] < min[c]) min[c] = r[c]
      if (r[c] > max[c]) max[c] = r[c]
    }
  }
  return range(n).map((c) => {
    const mean = m ? sum[c] / m : 0
    const sd = m ? Math.sqrt(Math.max(0, sq[c] / m - mean * mean)) : 0
    return {
      mean: tidy(mean),
      sd: tidy(sd),
      min: m ? min[c] : 0,
      max: m ? max[c] : 0,
      contested: n > 1 ? tidy(sd / ((n - 1) / 2)) : 0,
    }
  })
}

export interface Consensus {
  voters: number
  W: number
  band: AgreementBand
  pairwise: Record<string, Record<string, number>>
  condorcet_winner: string | null
  condorcet_loser: string | null
  smith_set: string[]
  /** Groups of candidates caught in a majority cycle (or a pairwise tie), best group first. */
  cycles: string[][]
  /** Candidates by mean rank, best first (ties kept). */
  ranking: string[][]
  spread: Record<string, Spread>
  explanation: string
}

/**
 * The live straw-ranking metrics, recomputed on every ballot change: one pass to aggregate, one
 * to build the matrix, then O(n³) on the matrix (n ≈ 12 at a meeting).
 */
export function consensus(input: RankingsInput, options: { tie_correction?: boolean } = {}): Consensus {
  const { candidates } = input
  const profile = rankedProfile(candidates, input.ballots, 'consensus')
  const matrix: Matrix = pairwiseMatrix(profile, 'last')
  const { W } = kendallWOf(profile, options.tie_correction ?? true)
  const band = agreementBand(W)
  const cw = condorcetWinner(matrix)
  const cl = condorcetLoser(matrix)
  const comps = smithComponents(matrix)
  const spread = spreadOf(profile)
  const means = Float64Array.from(spread.map((s) => s.mean))
  const smith = profile.voters > 0 ? comps[0].map((c) => candidates[c]) : []
  const cycles = comps.filter((c) => c.length > 1).map((c) => c.map((x) => candidates[x]))
  const winnerText =
    cw !== undefined
      ? `${candidates[cw]} beats every other item head to head.`
      : smith.length > 1
        ? `No item beats all others: ${list(smith)} form a cycle at the top.`
        : ''
  return {
    voters: profile.voters,
    W: tidy(W),
    band,
    pairwise: matrixRecord(candidates, matrix),
    condorcet_winner: cw === undefined ? null : candidates[cw],
    condorcet_loser: cl === undefined ? null : candidates[cl],
    smith_set: smith,
    cycles,
    ranking: named(candidates, tiersByScore(range(candidates.length), means, 'asc')),
    spread: Object.fromEntries(candidates.map((c, i) => [c, spread[i]])),
    explanation:
      `${band[0].toUpperCase()}${band.slice(1)} agreement (W = ${fmt(W)}, ${profile.voters} rankings). ${winnerText}`.trim(),
  }
}
