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
 * `cursor` (one entry index per ballot, from `start`) lets successive rounds resume where the
 * last one found a continuing candidate; valid only while candidates just leave the count.
 */
export function firstPreferences(
  profile: RankedProfile,
  continuing: Uint8Array,
  cursor?: Int32Array,
): FirstCount {
  const counts = new Float64Array(profile.candidates.length)
  const { cand, tier, start, count } = profile
  let exhausted = 0
  for (let b = 0; b < profile.size; b++) {
    const end = start[b + 1]
    let k = cursor ? cursor[b] : start[b]
    while (k < end && !continuing[cand[k]]) k++
    if (cursor) cursor[b] = k
    if (k === end) {
      exhausted += count[b]
      continue
    }
    // k is the first continuing candidate; its tier may hold more continuing candidates.
    const t = tier[k]
    let last = k
    let open = 0
    for (let j = k; j < end && tier[j] === t; j++) {
      if (continuing[cand[j]]) open++
      last = j
    }
    const share = count[b] / open
    for (let j = k; j <= last; j++) if (continuing[cand[j]]) counts[cand[j]] += share
  }
  return { counts, exhausted }
}

export function allContinuing(n: number): Uint8Array {
  return new Uint8Array(n).fill(1)
}
