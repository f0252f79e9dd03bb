// Single transferable vote: Gregory (weighted inclusive) transfers, or Meek's method.
import { fail, type RankedProfile, rankedProfile } from '../ballots.ts'
import { byName, fmt, list, named, range, same, tidy, tiersByScore } from '../order.ts'
import { chooseElimination, maybeBreaker, type TieBreaker } from '../tiebreak.ts'
import type { BallotInput, Result, TieBreakRule } from '../types.ts'

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

interface Count {
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

function newCount(input: StvInput, options: StvOptions): Count {
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

const hopefulList = (s: Count) => range(s.hopeful.length).filter((c) => s.hopeful[c])
const names = (s: Count, cs: number[]) => list(cs.map((c) => s.profile.candidates[c]))

/** [STV-3] When no more hopefuls remain than seats, they are all elected, most votes first. */
function electRemaining(s: Count, votes: Float64Array, round: number): boolean {
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
function exclude(s: Count, votes: Float64Array, round: number): number[] | undefined {
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

interface Parcel {
  ballot: number
  /** Entry (index into profile.cand) where the ballot was placed; a transfer resumes there. */
  at: number
  weight: number
}

/**
 * [STV-4] Gregory transfers (weighted inclusive): a surplus passes on every ballot the elected
 * candidate holds, each at its current value × surplus / the candidate's votes. Surpluses are
 * transferred one at a time, largest first; an excluded candidate's ballots pass at their
 * current value. [BAL-2] applies to tied preferences.
 */
function gregory(s: Count, quotaName: QuotaName): { quota: number } {
  const { profile } = s
  const { cand, tier, start } = profile
  const n = profile.candidates.length
  const { quota, strict } = quotaOf(quotaName, profile.voters, s.seats)
  const piles: Parcel[][] = range(n).map(() => [])
  const votes = new Float64Array(n)
  let exhausted = 0
  /** Gives the ballot to its first tier with a hopeful, from entry `from` on (split within the tier). */
  const place = (ballot: number, from: number, weight: number) => {
    const end = start[ballot + 1]
    let k = from
    while (k < end && !s.hopeful[cand[k]]) k++
    if (k === end) {
      exhausted += weight
      return
    }
    let j = k
    let open = 0
    for (; j < end && tier[j] === tier[k]; j++) if (s.hopeful[cand[j]]) open++
    for (let q = k; q < j; q++) {
      const c = cand[q]
      if (!s.hopeful[c]) continue
      piles[c].push({ ballot, at: k, weight: weight / open })
      votes[c] += weight / open
    }
  }
  const move = (from: number, ratio: number) => {
    const pile = piles[from]
    piles[from] = []
    for (const p of pile) place(p.ballot, p.at, p.weight * ratio)
  }
  for (let b = 0; b < profile.size; b++) place(b, start[b], profile.count[b])
  const meets = (v: number) => (strict ? v > quota && !same(v, quota) : v > quota || same(v, quota))
  const pending: number[] = []
  for (let round = 1; ; round++) {
    const hopeful = hopefulList(s)
    s.rounds.push(byName(profile.candidates, votes, hopeful))
    if (electRemaining(s, votes, round)) break
    const reached = tiersByScore(
      hopeful.filter((c) => meets(votes[c])),
      votes,
    ).flat()
    if (reached.length) {
      for (const c of reached) s.hopeful[c] = 0
      s.elected.push(...reached)
      pending.push(...reached)
      s.notes.push(
        `Round ${round}: ${names(s, reached)} reached the quota and ${reached.length > 1 ? 'are' : 'is'} elected.`,
      )
    }
    if (s.elected.length >= s.seats) break
    if (pending.length) {
      pending.sort((a, b) => votes[b] - votes[a])
      const c = pending.shift()!
      const surplus = Math.max(0, votes[c] - quota)
      const ratio = votes[c] > 0 ? surplus / votes[c] : 0
      if (surplus > 0)
        s.notes.push(
          `${profile.candidates[c]}'s surplus of ${fmt(surplus)} passes on at ${fmt(ratio)} of each ballot's value.`,
        )
      move(c, ratio)
      votes[c] = quota
      continue
    }
    const out = exclude(s, votes, round)
    if (!out) break
    for (const c of out) {
      votes[c] = 0
      move(c, 1)
    }
  }
  s.notes.push(`${fmt(exhausted)} ballot value was exhausted (no further preference).`)
  return { quota }
}

interface Flat {
  cand: Int32Array
  tier: Int32Array
  start: Int32Array
}

/**
 * Meek iterates the whole count many times per round (about 200 distributions for 10 000
 * ballots, 20 candidates, 5 seats), so each round first cuts every ballot down to the entries that
 * can take weight: candidates with keep value 0 (excluded) take nothing and pass everything, and
 * after the first tier whose open candidates are all hopeful (keep value 1) nothing is passed on.
 * Reading the cut ballot does exactly the same arithmetic, in the same order, as the whole one.
 */
function liveParts(profile: RankedProfile, keep: Float64Array, hopeful: Uint8Array, out: Flat): void {
  const { cand, tier, start } = profile
  let w = 0
  for (let b = 0; b < profile.size; b++) {
    out.start[b] = w
    const end = start[b + 1]
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
      if (open > 0 && allHopeful) break
      k = j
    }
  }
  out.start[profile.size] = w
}

const MEEK_TOLERANCE = 1e-10 // relative; far below any count a chair could read out
const MEEK_MAX_ITERATIONS = 10_000

/**
 * [STV-6] Meek: every elected candidate keeps a fraction (keep value) of each ballot that reaches
 * it and passes on the rest; keep values are iterated until each elected candidate holds the
 * quota, which is recomputed from the non-exhausted votes ((V − exhausted)/(S+1); /S for hare).
 * Hopefuls keep all, excluded keep nothing. A hopeful is elected on exceeding the quota (as the
 * New Zealand rules do by adding 10⁻⁹ to it).
 */
function meek(s: Count, quotaName: QuotaName): { quota: number; quotas: number[] } {
  const { profile } = s
  const { cand, count } = profile
  const n = profile.candidates.length
  const keep = new Float64Array(n).fill(1)
  const votes = new Float64Array(n)
  const divisor = quotaName === 'hare' ? s.seats : s.seats + 1
  let quota = 0
  const quotas: number[] = []
  // This round's live part of each ballot (see liveParts); rebuilt before each settle.
  const live: Flat = {
    cand: new Int32Array(cand.length),
    tier: new Int32Array(cand.length),
    start: new Int32Array(profile.size + 1),
  }
  const distribute = () => {
    votes.fill(0)
    let exhausted = 0
    const { cand, tier, start } = live
    for (let b = 0; b < profile.size; b++) {
      let weight = count[b]
      const end = start[b + 1]
      for (let k = start[b]; k < end; ) {
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
    quota = (profile.voters - exhausted) / divisor
  }
  const settle = () => {
    for (let i = 0; i < MEEK_MAX_ITERATIONS; i++) {
      distribute()
      let done = true
      for (const c of s.elected) {
        if (Math.abs(votes[c] - quota) > MEEK_TOLERANCE * Math.max(1, quota)) done = false
        if (votes[c] > 0) keep[c] = Math.min(1, (keep[c] * quota) / votes[c])
      }
      if (done) return
    }
  }
  for (let round = 1; ; round++) {
    liveParts(profile, keep, s.hopeful, live)
    settle()
    const hopeful = hopefulList(s)
    s.rounds.push(byName(profile.candidates, votes, hopeful))
    quotas.push(tidy(quota))
    if (electRemaining(s, votes, round)) break
    const reached = tiersByScore(
      hopeful.filter((c) => votes[c] > quota && !same(votes[c], quota)),
      votes,
    ).flat()
    if (reached.length) {
      for (const c of reached) s.hopeful[c] = 0
      s.elected.push(...reached)
      s.notes.push(
        `Round ${round}: ${names(s, reached)} reached the quota (${fmt(quota)}) and ${reached.length > 1 ? 'are' : 'is'} elected.`,
      )
      if (s.elected.length >= s.seats) break
      continue
    }
    const out = exclude(s, votes, round)
    if (!out) break
    for (const c of out) keep[c] = 0
  }
  return { quota, quotas }
}

/**
 * [STV-2] Rounds show the votes of the hopeful candidates at the start of each stage; `elected`
 * lists winners in order of election; the ranking is elected, then hopefuls by votes, then the
 * excluded, last excluded first.
 */
export function stv(input: StvInput, options: StvOptions = {}): Result {
  const s = newCount(input, options)
  const transfer = options.transfer ?? 'gregory'
  const quotaName = options.quota ?? 'droop'
  if (transfer !== 'gregory' && transfer !== 'meek') fail('options.transfer must be "gregory" or "meek"')
  quotaOf(quotaName, 1, 1)
  const extra: Record<string, unknown> = {}
  let quota: number
  if (s.profile.voters === 0) quota = 0
  else if (transfer === 'meek') {
    const r = meek(s, quotaName)
    quota = r.quota
    extra.quotas = r.quotas
  } else quota = gregory(s, quotaName).quota
  const { candidates } = input
  const rest = hopefulList(s).filter((c) => !s.tiedForLast.includes(c))
  const tiers = [
    ...s.elected.map((c) => [c]),
    ...(s.tiedForLast.length ? [s.tiedForLast] : []),
    ...tiersByScore(rest, new Float64Array(candidates.length)),
    ...[...s.excluded].reverse(),
  ].filter((t) => t.length > 0)
  const elected = s.elected.map((c) => candidates[c])
  const result: Result = {
    method: 'stv',
    winners: elected,
    ranking: named(candidates, tiers),
    elected,
    quota: tidy(quota),
    rounds: s.rounds,
    transfer,
    ...extra,
    explanation: `${s.seats} seat(s), ${transfer === 'meek' ? `Meek quota ${fmt((extra.quotas as number[] | undefined)?.[0] ?? quota)} at the start, recomputed as ballots exhaust` : `${quotaName.replace('_', ' ')} quota ${fmt(quota)}`}, ${transfer} transfers. ${s.notes.join(' ')} Elected: ${list(elected) || 'nobody'}.`,
  }
  if (s.tiedForLast.length) result.tied = s.tiedForLast.map((c) => candidates[c])
  if (s.breaker?.record.broken.length) result.tie_break = s.breaker.record
  return result
}
