// Runoff methods on ranked ballots: instant-runoff (IRV) and Coombs.
import { rankedProfile } from '../ballots.ts'
import { byName, fmt, list, named, range, same, tiersByScore, winnersSentence } from '../order.ts'
import { chooseElimination, maybeBreaker } from '../tiebreak.ts'
import type { BallotInput, Result, TieBreakRule } from '../types.ts'
import { allContinuing, firstPreferences } from './first-preferences.ts'
import { LastPlaces } from './last-preferences.ts'

export interface RunoffInput {
  candidates: string[]
  ballots: BallotInput[]
}

export interface RunoffOptions {
  unranked?: 'last' | 'ignore'
  tie_break?: TieBreakRule
}

interface RunoffTrace {
  method: 'irv' | 'coombs'
  winners: number[]
  rounds: Record<string, number>[]
  exhausted: number[]
  eliminated: number[][]
  lastCounts: Float64Array | undefined
  notes: string[]
}

function runoff(input: RunoffInput, options: RunoffOptions, method: 'irv' | 'coombs'): Result {
  const { candidates } = input
  const n = candidates.length
  const profile = rankedProfile(candidates, input.ballots, method)
  const unranked = options.unranked ?? 'last'
  const breaker = maybeBreaker(options.tie_break, candidates)
  const continuing = allContinuing(n)
  const history: Float64Array[] = []
  const lastPlaces = method === 'coombs' ? new LastPlaces(profile, unranked) : undefined
  const cursor = profile.start.slice(0, profile.size) // best entry that may still be continuing
  const trace: RunoffTrace = {
    method,
    winners: [],
    rounds: [],
    exhausted: [],
    eliminated: [],
    lastCounts: undefined,
    notes: [],
  }
  const lastPlace: Record<string, number>[] = []
  let counts: Float64Array = new Float64Array(n)
  for (let round = 1; ; round++) {
    const first = firstPreferences(profile, continuing, cursor)
    counts = first.counts
    const cont = range(n).filter((c) => continuing[c])
    trace.rounds.push(byName(candidates, counts, cont))
    trace.exhausted.push(first.exhausted)
    const active = profile.voters - first.exhausted
    if (profile.voters === 0) break
    const top = cont.reduce((a, b) => (counts[b] > counts[a] ? b : a))
    if (cont.length === 1 || (counts[top] > active / 2 && !same(counts[top], active / 2))) {
      // [IRV-2] / [COO-1] more than half of the ballots still in the count wins
      trace.winners = [top]
      trace.notes.push(
        `Round ${round}: ${candidates[top]} has ${fmt(counts[top])} of ${fmt(active)} votes, more than half, and wins.`,
      )
      break
    }
    let worstScores: Float64Array
    let tied: number[]
    if (method === 'irv') {
      // [IRV-3] the candidate with the fewest votes is eliminated
      const low = Math.min(...cont.map((c) => counts[c]))
      tied = cont.filter((c) => same(counts[c], low))
      worstScores = counts
    } else {
      // [COO-1] the candidate with the most last-place votes is eliminated
      const last = (lastPlaces as LastPlaces).count(continuing, cont.length)
      lastPlace.push(byName(candidates, last, cont))
      const high = Math.max(...cont.map((c) => last[c]))
      tied = cont.filter((c) => same(last[c], high))
      worstScores = last
    }
    const choice = chooseElimination(tied, history, method === 'coombs', breaker, round)
    history.push(worstScores)
    if (choice.out.length === cont.length) {
      trace.winners = cont
      trace.notes.push(
        `Round ${round}: ${list(cont.map((c) => candidates[c]))} are tied and cannot be separated.`,
      )
      break
    }
    for (const c of choice.out) {
      continuing[c] = 0
      lastPlaces?.remove(c)
    }
    trace.eliminated.push(choice.out)
    const how = {
      unique: '',
      earlier_rounds: ' (tie resolved by earlier rounds)',
      tie_break: ' (tie broken by the tie-break rule)',
      together: ' (tied, eliminated together)',
    }[choice.how]
    const measure =
      method === 'irv'
        ? `the fewest votes (${fmt(counts[choice.out[0]])})`
        : `the most last-place votes (${fmt(worstScores[choice.out[0]])})`
    trace.notes.push(
      `Round ${round}: ${list(choice.out.map((c) => candidates[c]))} with ${measure} ${choice.out.length > 1 ? 'are' : 'is'} eliminated${how}.`,
    )
  }
  const live = range(n).filter((c) => continuing[c] && !trace.winners.includes(c))
  const tiers = [trace.winners, ...tiersByScore(live, counts), ...[...trace.eliminated].reverse()].filter(
    (t) => t.length > 0,
  )
  const winners = trace.winners.map((c) => candidates[c])
  const result: Result = {
    method,
    winners,
    ranking: named(candidates, tiers),
    rounds: trace.rounds,
    exhausted: trace.exhausted,
    explanation:
      `${trace.notes.join(' ')} ${winnersSentence(winners, method === 'irv' ? 'the instant runoff' : "Coombs' method")}`.trim(),
  }
  if (method === 'coombs') result.last_place = lastPlace
  if (breaker?.record.broken.length) result.tie_break = breaker.record
  return result
}

/**
 * [IRV-1] Each round counts every ballot for its best continuing candidate ([BAL-2]).
 * [IRV-2] More than half of the ballots not yet exhausted wins. [IRV-3] Otherwise the fewest
 * votes is eliminated and its ballots pass on ([TIE-2] for ties).
 */
export function irv(input: RunoffInput, options: RunoffOptions = {}): Result {
  return runoff(input, options, 'irv')
}

/** [COO-1] As IRV, but the candidate with the most last-place votes ([COO-2]) is eliminated. */
export function coombs(input: RunoffInput, options: RunoffOptions = {}): Result {
  return runoff(input, options, 'coombs')
}
