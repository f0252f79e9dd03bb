// Counting each ballot for its most preferred continuing candidate(s): plurality, runoffs, STV.
import type { RankedProfile } from '../ballots.ts'

export interface FirstCount {
  counts: Float64Array
  /** Weight of ballots that rank no continuing candidate. */
  exhausted: number
}

/**
 * [BAL-2] A ballot goes to its best tier that still holds a continuing candidate; when that
 * tier ties k continuing candidates, each receives 1/k of the ballot.
 */
export function firstPreferences(profile: RankedProfile, continuing: Uint8Array): FirstCount {
  const counts = new Float64Array(profile.candidates.length)
  let exhausted = 0
  for (const { tiers, count } of profile.ballots) {
    let placed = false
    for (const tier of tiers) {
      let k = 0
      for (const c of tier) if (continuing[c]) k++
      if (k === 0) continue
      const share = count / k
      for (const c of tier) if (continuing[c]) counts[c] += share
      placed = true
      break
    }
    if (!placed) exhausted += count
  }
  return { counts, exhausted }
}

export function allContinuing(n: number): Uint8Array {
  return new Uint8Array(n).fill(1)
}
