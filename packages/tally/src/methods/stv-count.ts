// Single transferable vote bookkeeping shared by Gregory and Meek transfers: quotas, who is
// hopeful, elected or excluded, and the notes that explain each stage.
import { fail, type RankedProfile, rankedProfile } from '../ballots.ts'
import { byName, fmt, list, range, same } from '../order.ts'
import { maybeBreaker, type TieBreaker } from '../tiebreak.ts'
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

/** The votes of every candidate at the start of one stage (only hopefuls are ever compared). */
export interface Stage {
  votes: Float64Array
  /**
   * Low-order parts, where Meek recounted the stage in double-double arithmetic because the
   * float count could not separate two values with certainty ([STV-7]); votes + low is the count.
   */
  low?: Float64Array
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
  /** [TIE-2] Every stage, surplus transfers and elections included, for the look-back. */
  stages: Stage[]
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
    stages: [],
  }
}

export const hopefulList = (s: Count) => range(s.hopeful.length).filter((c) => s.hopeful[c])
export const names = (s: Count, cs: number[]) => list(cs.map((c) => s.profile.candidates[c]))

/** [STV-2] Records the start of a stage: `rounds` for the result, the exact votes for [TIE-2]. */
export function beginStage(s: Count, votes: Float64Array, hopeful: number[], low?: Float64Array): void {
  s.rounds.push(byName(s.profile.candidates, votes, hopeful))
  s.stages.push({ votes: Float64Array.from(votes), ...(low ? { low: Float64Array.from(low) } : {}) })
}

export const PRECISE_TIE = 1e-22 // relative; double-double counts carry ~31 digits, so only a real tie is this close

/** Compares two candidates' votes at one stage: > 0 when a has more, 0 when they are tied. */
export function compareAt(stage: Stage, a: number, b: number): number {
  const { votes, low } = stage
  if (!low) return same(votes[a], votes[b]) ? 0 : votes[a] - votes[b]
  const d = votes[a] - votes[b] + (low[a] - low[b])
  return Math.abs(d) <= PRECISE_TIE * Math.max(1, Math.abs(votes[a]), Math.abs(votes[b])) ? 0 : d
}

/** Tiers by votes at one stage, most first; candidates in a tier are tied there (input order kept). */
function tiersAt(stage: Stage, cs: number[]): number[][] {
  const sorted = [...cs].sort((a, b) => -compareAt(stage, a, b) || a - b)
  const tiers: number[][] = []
  for (const c of sorted) {
    const last = tiers[tiers.length - 1]
    if (last && compareAt(stage, last[0], c) === 0) last.push(c)
    else tiers.push([c])
  }
  return tiers
}

/**
 * [TIE-2] Orders candidates by their votes at the current stage, most first; candidates tied there
 * are ordered by the stage before (more votes first), and so on back to the first stage. Every
 * stage counts: a surplus transfer separates candidates as well as an exclusion does. Candidates
 * no stage separates share a tier.
 */
export function rankByStages(s: Count, cs: number[], at = s.stages.length - 1): number[][] {
  if (cs.length <= 1 || at < 0) return cs.length ? [[...cs].sort((a, b) => a - b)] : []
  return tiersAt(s.stages[at], cs).flatMap((t) => rankByStages(s, t, at - 1))
}

/**
 * Puts one tier that the look-back could not separate in the tie-break rule's order (each as a tier of
 * its own), or leaves it tied when there is no rule.
 */
function breakTier(s: Count, tier: number[], round: number): number[][] {
  if (tier.length === 1 || !s.breaker) return [tier]
  return s.breaker.order(tier, round).map((c) => [c])
}

/** [STV-3] When no more hopefuls remain than seats, they are all elected, most votes first. */
export function electRemaining(s: Count, round: number): boolean {
  const hopeful = hopefulList(s)
  if (hopeful.length > s.seats - s.elected.length) return false
  const order = rankByStages(s, hopeful).flat()
  for (const c of order) s.hopeful[c] = 0
  s.elected.push(...order)
  if (order.length)
    s.notes.push(
      `Round ${round}: ${names(s, order)} ${order.length > 1 ? 'fill' : 'fills'} the remaining seats.`,
    )
  return true
}

/**
 * [STV-8] Elects the hopefuls that reached the quota this stage, most votes first ([TIE-2] for equal
 * votes). If more reached it than seats remain and the look-back and the tie-break rule cannot say
 * which, the ones above the tie are elected and the tie stands. Returns the elected, in order, and
 * whether the count is over.
 */
export function electReached(
  s: Count,
  reached: number[],
  round: number,
  quotaText: string,
): { elected: number[]; over: boolean } {
  const elected: number[] = []
  for (const tier of rankByStages(s, reached).flatMap((t) => breakTier(s, t, round))) {
    const seatsLeft = s.seats - s.elected.length - elected.length
    if (tier.length <= seatsLeft) {
      elected.push(...tier)
      continue
    }
    if (seatsLeft > 0) {
      s.tiedForLast = tier
      s.notes.push(
        `Round ${round}: ${names(s, tier)} reached the quota${quotaText} with equal votes at every stage, for ${seatsLeft} seat(s); the tie stands.`,
      )
    }
    break
  }
  for (const c of elected) s.hopeful[c] = 0
  s.elected.push(...elected)
  if (elected.length)
    s.notes.push(
      `Round ${round}: ${names(s, elected)} reached the quota${quotaText} and ${elected.length > 1 ? 'are' : 'is'} elected.`,
    )
  return { elected, over: s.tiedForLast.length > 0 || s.elected.length >= s.seats }
}

/**
 * [STV-4] Whose surplus passes this stage: the largest; equal surpluses by [TIE-2], then the
 * tie-break rule. Surpluses that nothing separates pass together in one stage: no ballot of one
 * can reach the other (both are elected), so neither is favoured by going first.
 */
export function nextSurplus(s: Count, pending: number[], round: number): number[] {
  return breakTier(s, rankByStages(s, pending)[0], round)[0]
}

/**
 * [STV-5] The hopeful with the fewest votes is excluded ([TIE-2] for ties). Returns undefined when a
 * tie for the last seats stands.
 */
export function exclude(s: Count, votes: Float64Array, round: number): number[] | undefined {
  const hopeful = hopefulList(s)
  const stage = s.stages[s.stages.length - 1]
  // One pass for the lowest, not a sort: this runs at every exclusion stage.
  const { votes: v, low } = stage
  let min = hopeful[0]
  for (const c of hopeful) if (v[c] - v[min] + (low ? low[c] - low[min] : 0) < 0) min = c
  const lowest = hopeful.filter((c) => compareAt(stage, c, min) === 0)
  const settled = rankByStages(s, lowest)
  const last = settled[settled.length - 1]
  const out = last.length > 1 && s.breaker ? [s.breaker.order(last, round).at(-1)!] : last
  const how =
    lowest.length === 1
      ? ''
      : out.length === 1 && last.length === 1
        ? ' (tie: earlier stages)'
        : out.length === 1
          ? ' (tie: tie break)'
          : ' (tie: together)'
  const seatsLeft = s.seats - s.elected.length
  if (hopeful.length - out.length < seatsLeft) {
    // Excluding them all would leave seats empty: the ones above fill seats, the tie stands.
    const above = hopeful.filter((c) => !out.includes(c))
    for (const c of above) s.hopeful[c] = 0
    s.elected.push(...rankByStages(s, above).flat())
    s.tiedForLast = out
    s.notes.push(
      `Round ${round}: ${names(s, out)} are tied for the last ${seatsLeft - above.length} seat(s) at every stage; the tie stands.`,
    )
    return undefined
  }
  for (const c of out) s.hopeful[c] = 0
  s.excluded.push(out)
  s.notes.push(
    `Round ${round}: ${names(s, out)} with the fewest votes (${fmt(votes[out[0]])}) ${out.length > 1 ? 'are' : 'is'} excluded${how}.`,
  )
  return out
}
