// Positional methods: Borda and Dowdall give points by place on a ranked ballot.
import { rankedProfile } from '../ballots.ts'
import { byName, named, range, tiersByScore, winnersSentence } from '../order.ts'
import type { BallotInput, Result } from '../types.ts'

export interface PositionalInput {
  candidates: string[]
  ballots: BallotInput[]
}

export interface PositionalOptions {
  unranked?: 'last' | 'ignore'
}

export interface BordaOptions extends PositionalOptions {
  /** Points for the last place; 0 (default) gives n-1..0, 1 gives n..1. */
  start?: number
}

/**
 * [POS-1] A tier of tied candidates spanning places p..q gives each of them the mean of the points
 * of those places. [POS-2] `unranked: "last"` (default): the unranked candidates form one tied
 * last tier; `"ignore"`: they get no points from that ballot.
 */
function positional(
  { candidates, ballots }: PositionalInput,
  method: 'borda' | 'dowdall',
  points: (place: number) => number,
  unranked: 'last' | 'ignore',
): Float64Array {
  const n = candidates.length
  const profile = rankedProfile(candidates, ballots, method)
  const { cand, tier, start, count } = profile
  const scores = new Float64Array(n)
  const ranked = new Uint8Array(n)
  // Points by place, computed once rather than per ballot.
  const pointsAt = Float64Array.from(range(n), points)
  for (let b = 0; b < profile.size; b++) {
    const end = start[b + 1]
    ranked.fill(0)
    for (let k = start[b]; k < end; ) {
      // One tier: entries k..j−1, at places k − start[b] onwards.
      let j = k
      while (j < end && tier[j] === tier[k]) j++
      const place = k - start[b]
      let sum = 0
      for (let q = 0; q < j - k; q++) sum += pointsAt[place + q]
      const each = (sum / (j - k)) * count[b]
      for (let q = k; q < j; q++) {
        scores[cand[q]] += each
        ranked[cand[q]] = 1
      }
      k = j
    }
    const place = end - start[b]
    if (unranked === 'last' && place < n) {
      let sum = 0
      for (let q = place; q < n; q++) sum += pointsAt[q]
      const each = (sum / (n - place)) * count[b]
      for (let c = 0; c < n; c++) if (!ranked[c]) scores[c] += each
    }
  }
  return scores
}

/** [BOR-1] Place k (0 = first) of n earns start + n - 1 - k points; most points wins. */
export function borda(input: PositionalInput, options: BordaOptions = {}): Result {
  const n = input.candidates.length
  const start = options.start ?? 0
  const scores = positional(input, 'borda', (k) => start + n - 1 - k, options.unranked ?? 'last')
  const ranking = named(input.candidates, tiersByScore(range(n), scores))
  return {
    method: 'borda',
    winners: ranking[0] ?? [],
    ranking,
    scores: byName(input.candidates, scores),
    explanation: `${winnersSentence(ranking[0] ?? [], 'the Borda count')} Each ballot gives ${start + n - 1} points to its first choice, one fewer to each next place, down to ${start} for the last.`,
  }
}

/** [DOW-1] Place k (0 = first) earns 1/(k+1) points (Nauru's Dowdall count); most points wins. */
export function dowdall(input: PositionalInput, options: PositionalOptions = {}): Result {
  const n = input.candidates.length
  const scores = positional(input, 'dowdall', (k) => 1 / (k + 1), options.unranked ?? 'last')
  const ranking = named(input.candidates, tiersByScore(range(n), scores))
  return {
    method: 'dowdall',
    winners: ranking[0] ?? [],
    ranking,
    scores: byName(input.candidates, scores),
    explanation: `${winnersSentence(ranking[0] ?? [], 'the Dowdall count')} Each ballot gives 1 point to its first choice, 1/2 to the second, 1/3 to the third and so on.`,
  }
}
