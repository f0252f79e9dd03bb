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
  const scores = new Float64Array(n)
  const ranked = new Uint8Array(n)
  for (const { tiers, count } of profile.ballots) {
    let place = 0
    ranked.fill(0)
    const give = (tier: number[]) => {
      let sum = 0
      for (let k = 0; k < tier.length; k++) sum += points(place + k)
      for (const c of tier) scores[c] += (sum / tier.length) * count
      place += tier.length
    }
    for (const tier of tiers) {
      for (const c of tier) ranked[c] = 1
      give(tier)
    }
    if (unranked === 'last' && place < n) give(range(n).filter((c) => !ranked[c]))
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
