// Single transferable vote: Gregory (weighted inclusive) transfers here, Meek's method in meek.ts.
import { fail } from '../ballots.ts'
import { fmt, list, named, range, same, tidy, tiersByScore } from '../order.ts'
import type { Result } from '../types.ts'
import { meek } from './meek.ts'
import {
  beginStage,
  type Count,
  electReached,
  electRemaining,
  exclude,
  hopefulList,
  newCount,
  nextSurplus,
  type QuotaName,
  quotaOf,
  type StvInput,
  type StvOptions,
} from './stv-count.ts'

export { type QuotaName, quotaOf, type StvInput, type StvOptions } from './stv-count.ts'

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
  let pending: number[] = []
  for (let round = 1; ; round++) {
    const hopeful = hopefulList(s)
    beginStage(s, votes, hopeful)
    if (electRemaining(s, round)) break
    const reached = hopeful.filter((c) => meets(votes[c]))
    if (reached.length) {
      const { elected, over } = electReached(s, reached, round, '')
      pending.push(...elected)
      if (over) break
    }
    if (pending.length) {
      const surplusOf = nextSurplus(s, pending, round)
      pending = pending.filter((c) => !surplusOf.includes(c))
      for (const c of surplusOf) {
        const surplus = Math.max(0, votes[c] - quota)
        const ratio = votes[c] > 0 ? surplus / votes[c] : 0
        if (surplus > 0)
          s.notes.push(
            `${profile.candidates[c]}'s surplus of ${fmt(surplus)} passes on at ${fmt(ratio)} of each ballot's value.`,
          )
        move(c, ratio)
        votes[c] = quota
      }
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
