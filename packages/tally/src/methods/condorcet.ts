// Condorcet methods over the pairwise matrix: Schulze, ranked pairs, Copeland, minimax.
import { fail, rankedProfile } from '../ballots.ts'
import {
  byName,
  fmt,
  named,
  range,
  same,
  tiersByScore,
  tiersFromRelation,
  winnersSentence,
} from '../order.ts'
import { type Matrix, matrixRecord, pairwiseMatrix } from '../pairwise.ts'
import type { BallotInput, PairRecord, Result } from '../types.ts'

export interface CondorcetInput {
  candidates: string[]
  ballots: BallotInput[]
}

export interface CondorcetOptions {
  unranked?: 'last' | 'ignore'
}

export type Strength = 'winning' | 'margin' | 'ratio'

export function matrixOf(input: CondorcetInput, options: CondorcetOptions, method: string): Matrix {
  const profile = rankedProfile(input.candidates, input.ballots, method)
  return pairwiseMatrix(profile, options.unranked ?? 'last')
}

function checkStrength(strength: string, allowed: string[]): void {
  if (!allowed.includes(strength))
    fail(`options.strength must be one of ${allowed.join(', ')}; got ${JSON.stringify(strength)}`)
}

/**
 * [SCH-1] The link a→b exists when more voters prefer a to b than b to a; its strength is the
 * votes for a (`strength: "winning"`, default), the margin, or the ratio for/against.
 * [SCH-2] p[a][b] is the strength of the strongest path (its weakest link) from a to b.
 * [SCH-3] a ranks above b when p[a][b] > p[b][a]; tiers are taken as every remaining candidate
 * that nobody remaining ranks above.
 */
export function schulze(
  input: CondorcetInput,
  options: CondorcetOptions & { strength?: Strength } = {},
  m?: Matrix,
): Result {
  const strength = options.strength ?? 'winning'
  checkStrength(strength, ['winning', 'margin', 'ratio'])
  const { n, d } = m ?? matrixOf(input, options, 'schulze')
  const p = new Float64Array(n * n)
  for (let a = 0; a < n; a++)
    for (let b = 0; b < n; b++) {
      if (a === b) continue
      const f = d[a * n + b]
      const g = d[b * n + a]
      if (f > g)
        p[a * n + b] =
          strength === 'winning'
            ? f
            : strength === 'margin'
              ? f - g
              : g === 0
                ? Number.POSITIVE_INFINITY
                : f / g
    }
  for (let k = 0; k < n; k++)
    for (let a = 0; a < n; a++) {
      if (a === k) continue
      const ak = p[a * n + k]
      if (ak === 0) continue
      for (let b = 0; b < n; b++) {
        if (b === a || b === k) continue
        const via = Math.min(ak, p[k * n + b])
        if (via > p[a * n + b]) p[a * n + b] = via
      }
    }
  const tiers = tiersFromRelation(range(n), (a, b) => p[a * n + b] > p[b * n + a])
  const ranking = named(input.candidates, tiers)
  return {
    method: 'schulze',
    winners: ranking[0] ?? [],
    ranking,
    strength,
    pairwise: matrixRecord(input.candidates, { n, d }),
    // JSON has no Infinity: an unopposed ratio path is written as null
    strongest_paths: matrixRecord(input.candidates, { n, d: p }, (x) => (Number.isFinite(x) ? x : null)),
    explanation: `${winnersSentence(ranking[0] ?? [], 'by the Schulze method')} A candidate ranks above another when its strongest chain of pairwise wins (${strength} strength) to the other is stronger than the reverse.`,
  }
}

/** Sort key of a pairwise win: larger is stronger. [RP-1] */
function pairKey(strength: Strength, f: number, g: number): [number, number] {
  if (strength === 'winning') return [f, -g]
  if (strength === 'margin') return [f - g, f]
  return [g === 0 ? Number.POSITIVE_INFINITY : f / g, f]
}

/**
 * [RP-1] Every pairwise win is sorted strongest first: by votes for, then fewer votes against
 * (`winning`, default); by margin, then votes for (`margin`); by ratio, then votes for (`ratio`).
 * [RP-2] Each is locked unless it would close a cycle with pairs already locked; then it is skipped.
 * [RP-3] Equally strong pairs are decided together, so their order cannot matter: each that fits
 * the pairs locked before the group is locked, except those that would close a cycle with the
 * rest of the group, which are all skipped. [RP-4] The ranking is read from the locked pairs
 * (tiers of candidates no remaining candidate is locked above).
 */
export function rankedPairs(
  input: CondorcetInput,
  options: CondorcetOptions & { strength?: Strength } = {},
  m?: Matrix,
): Result {
  const strength = options.strength ?? 'winning'
  checkStrength(strength, ['winning', 'margin', 'ratio'])
  const { candidates } = input
  const { n, d } = m ?? matrixOf(input, options, 'ranked_pairs')
  const pairs: { a: number; b: number; key: [number, number] }[] = []
  for (let a = 0; a < n; a++)
    for (let b = 0; b < n; b++)
      if (d[a * n + b] > d[b * n + a])
        pairs.push({ a, b, key: pairKey(strength, d[a * n + b], d[b * n + a]) })
  pairs.sort((x, y) => y.key[0] - x.key[0] || y.key[1] - x.key[1] || x.a - y.a || x.b - y.b)
  const edge = new Uint8Array(n * n)
  const reaches = (from: number, to: number, extra?: Uint8Array) => {
    const seen = new Uint8Array(n)
    const stack = [from]
    seen[from] = 1
    while (stack.length) {
      const x = stack.pop()!
      if (x === to) return true
      for (let y = 0; y < n; y++)
        if (!seen[y] && (edge[x * n + y] || extra?.[x * n + y])) {
          seen[y] = 1
          stack.push(y)
        }
    }
    return false
  }
  const locked: PairRecord[] = []
  const skipped: PairRecord[] = []
  const record = (p: { a: number; b: number }): PairRecord => ({
    winner: candidates[p.a],
    loser: candidates[p.b],
    for: d[p.a * n + p.b],
    against: d[p.b * n + p.a],
  })
  for (let i = 0; i < pairs.length; ) {
    let j = i
    while (
      j < pairs.length &&
      same(pairs[j].key[0], pairs[i].key[0]) &&
      same(pairs[j].key[1], pairs[i].key[1])
    )
      j++
    const group = pairs.slice(i, j)
    const fits = group.filter((p) => !reaches(p.b, p.a))
    const tentative = new Uint8Array(n * n)
    for (const p of fits) tentative[p.a * n + p.b] = 1
    const keep = fits.filter((p) => !reaches(p.b, p.a, tentative))
    for (const p of keep) edge[p.a * n + p.b] = 1
    for (const p of group) (keep.includes(p) ? locked : skipped).push(record(p))
    i = j
  }
  const above = Uint8Array.from(edge)
  for (let k = 0; k < n; k++)
    for (let a = 0; a < n; a++)
      if (above[a * n + k]) for (let b = 0; b < n; b++) if (above[k * n + b]) above[a * n + b] = 1
  const tiers = tiersFromRelation(range(n), (a, b) => above[a * n + b] === 1)
  const ranking = named(candidates, tiers)
  return {
    method: 'ranked_pairs',
    winners: ranking[0] ?? [],
    ranking,
    strength,
    pairwise: matrixRecord(candidates, { n, d }),
    locked,
    skipped,
    explanation: `${winnersSentence(ranking[0] ?? [], 'by ranked pairs')} Pairwise wins were locked in from strongest to weakest (${strength}); ${skipped.length ? `${skipped.length} pair(s) were skipped because they would have created a cycle: ${skipped.map((p) => `${p.winner} over ${p.loser}`).join(', ')}` : 'none had to be skipped'}.`,
  }
}

/** [COP-1] Score = pairwise wins − pairwise losses (ties count 0); highest score wins. */
export function copeland(input: CondorcetInput, options: CondorcetOptions = {}, m?: Matrix): Result {
  const { candidates } = input
  const { n, d } = m ?? matrixOf(input, options, 'copeland')
  const score = new Float64Array(n)
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) score[a] += Math.sign(d[a * n + b] - d[b * n + a])
  const ranking = named(candidates, tiersByScore(range(n), score))
  return {
    method: 'copeland',
    winners: ranking[0] ?? [],
    ranking,
    scores: byName(candidates, score),
    pairwise: matrixRecord(candidates, { n, d }),
    explanation: `${winnersSentence(ranking[0] ?? [], 'by Copeland')} Each candidate scores its pairwise wins minus its pairwise losses.`,
  }
}

/**
 * [MM-1] Each candidate's score is its worst pairwise result: the most votes against it in a
 * defeat (`winning`, default; 0 if never defeated), the largest margin against it over every
 * opponent (`margin`; negative when never defeated), or the most votes against it whether it lost
 * or not (`opposition`). The lowest score wins; the ranking orders all candidates by score.
 */
export function minimax(
  input: CondorcetInput,
  options: CondorcetOptions & { strength?: Strength | 'opposition' } = {},
  m?: Matrix,
): Result {
  const strength = options.strength ?? 'winning'
  checkStrength(strength, ['winning', 'margin', 'opposition'])
  const { candidates } = input
  const { n, d } = m ?? matrixOf(input, options, 'minimax')
  const score = new Float64Array(n)
  for (let a = 0; a < n; a++) {
    let worst = strength === 'margin' ? Number.NEGATIVE_INFINITY : 0
    for (let b = 0; b < n; b++) {
      if (a === b) continue
      const against = d[b * n + a]
      const pro = d[a * n + b]
      const v =
        strength === 'margin'
          ? against - pro
          : strength === 'opposition'
            ? against
            : against > pro
              ? against
              : 0
      if (v > worst) worst = v
    }
    score[a] = n > 1 ? worst : 0
  }
  const ranking = named(candidates, tiersByScore(range(n), score, 'asc'))
  return {
    method: 'minimax',
    winners: ranking[0] ?? [],
    ranking,
    strength,
    scores: byName(candidates, score),
    pairwise: matrixRecord(candidates, { n, d }),
    explanation: `${winnersSentence(ranking[0] ?? [], 'by minimax')} Each candidate is scored by its worst pairwise result (${strength}); the mildest worst result wins${ranking[0]?.length === 1 ? ` (${ranking[0][0]}: ${fmt(score[candidates.indexOf(ranking[0][0])])})` : ''}.`,
  }
}
