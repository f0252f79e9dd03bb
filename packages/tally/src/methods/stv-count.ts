// Single transferable vote bookkeeping shared by Gregory and Meek transfers: quotas, who is
// hopeful, elected or excluded, and the notes that explain each stage.
import { fail, type RankedProfile, rankedProfile } from '../ballots.ts'
import { fmt, list, range, same, tiersByScore } from '../order.ts'
import { chooseElimination, maybeBreaker, type TieBreaker } from '../tiebreak.ts'
import type { BallotInput, TieBreakRule } from '../types.ts'

export interface StvInput {
  candidates: string[]
  ballots: BallotInput[]
}

export type QuotaName = 'droop' | 'droop_exact' | 'hare' | 'hagenbach_bischoff'

export interface StvOptions {
  seats?: number
  quota?: QuotaName
  transfer?: 'gregory' | 'meek'
  tie_break?: TieBreakRule
}

/**
 * [STV-1] Quotas over V valid ballots and S seats: droop ⌊V/(S+1)⌋+1, droop_exact V/(S+1),
 * hare V/S, hagenbach_bischoff V/(S+1). Droop and Hare elect on reaching the quota; the exact
 * Droop and Hagenbach-Bischoff quotas must be exceeded.
 */
export function quotaOf(name: QuotaName, votes: number, seats: number): { quota: number; strict: boolean } {
  switch (name) {
    case 'droop':
      return { quota: Math.floor(votes / (seats + 1)) + 1, strict: false }
    case 'droop_exact':
      return { quota: votes / (seats + 1), strict: true }
    case 'hare':
      return { quota: votes / seats, strict: false }
    case 'hagenbach_bischoff':
      return { quota: votes / (seats + 1), strict: true }
    default:
      return fail(`unknown quota ${JSON.stringify(name)}; use droop, droop_exact, hare or hagenbach_bischoff`)
  }
}

export interface Count {
  profile: RankedProfile
  seats: number
  hopeful: Uint8Array
  elected: number[]
  excluded: number[][]
  rounds: Record<string, number>[]
  notes: string[]
  tiedForLast: number[]
  breaker?: TieBreaker
  history: Float64Array[]
}

export function newCount(input: StvInput, options: StvOptions): Count {
  const seats = options.seats ?? 1
  if (!Number.isInteger(seats) || seats < 1) fail('options.seats must be a whole number ≥ 1')
  const profile = rankedProfile(input.candidates, input.ballots, 'stv')
  const n = input.candidates.length
  if (seats > n) fail(`options.seats (${seats}) is more than the number of candidates (${n})`)
  return {
    profile,
    seats,
    hopeful: new Uint8Array(n).fill(1),
    elected: [],
    excluded: [],
    rounds: [],
    notes: [],
    tiedForLast: [],
    breaker: maybeBreaker(options.tie_break, input.candidates),
    history: [],
  }
}

export const hopefulList = (s: Count) => range(s.hopeful.length).filter((c) => s.hopeful[c])
export const names = (s: Count, cs: number[]) => list(cs.map((c) => s.profile.candidates[c]))

/** [STV-3] When no more hopefuls remain than seats, they are all elected, most votes first. */
export function electRemaining(s: Count, votes: Float64Array, round: number): boolean {
  const hopeful = hopefulList(s)
  if (hopeful.length > s.seats - s.elected.length) return false
  const order = tiersByScore(hopeful, votes).flat()
  for (const c of order) s.hopeful[c] = 0
  s.elected.push(...order)
  if (order.length)
    s.notes.push(
      `Round ${round}: ${names(s, order)} ${order.length > 1 ? 'fill' : 'fills'} the remaining seats.`,
    )
  return true
}

/** [STV-5] The hopeful with the fewest votes is excluded ([TIE-2] for ties). Returns false when a tie for the last seats stands. */
export function exclude(s: Count, votes: Float64Array, round: number): number[] | undefined {
  const hopeful = hopefulList(s)
  const low = Math.min(...hopeful.map((c) => votes[c]))
  const tied = hopeful.filter((c) => same(votes[c], low))
  const choice = chooseElimination(tied, s.history, false, s.breaker, round)
  s.history.push(Float64Array.from(votes))
  const seatsLeft = s.seats - s.elected.length
  if (hopeful.length - choice.out.length < seatsLeft) {
    // Excluding them all would leave seats empty: the ones above fill seats, the tie stands.
    const above = hopeful.filter((c) => !choice.out.includes(c))
    for (const c of above) s.hopeful[c] = 0
    s.elected.push(...tiersByScore(above, votes).flat())
    s.tiedForLast = choice.out
    s.notes.push(
      `Round ${round}: ${names(s, choice.out)} are tied for the last ${seatsLeft - above.length} seat(s); the tie stands.`,
    )
    return undefined
  }
  for (const c of choice.out) s.hopeful[c] = 0
  s.excluded.push(choice.out)
  s.notes.push(
    `Round ${round}: ${names(s, choice.out)} with the fewest votes (${fmt(low)}) ${choice.out.length > 1 ? 'are' : 'is'} excluded${choice.how === 'unique' ? '' : ` (tie: ${choice.how.replace('_', ' ')})`}.`,
  )
  return choice.out
}
