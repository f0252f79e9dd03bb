// Coombs' last-place votes, with per-ballot cursors so a round costs a step or two per ballot.
import { positionsInto, type RankedProfile } from '../ballots.ts'

/**
 * [COO-2] The last-place vote of a ballot goes to its worst tier holding continuing candidates,
 * split equally within the tier. Unranked continuing candidates are that tier under
 * `unranked: "last"` (default); under `"ignore"` only ranked candidates can be last. A ballot that
 * does not separate at least two continuing candidates gives no last-place vote.
 *
 * Candidates only ever leave the count, so each ballot keeps cursors on its best and worst
 * continuing entries (they only move inwards) and the number of continuing candidates it ranks
 * (which tells whether some continuing candidate is unranked). Each candidate still receives at
 * most one addition per ballot, ballot by ballot, so the sums equal those of a full scan.
 */
export class LastPlaces {
  private readonly best: Int32Array
  private readonly worst: Int32Array
  private readonly rankedLeft: Int32Array
  /** Tier of each candidate on each ballot (row b × n), −1 when unranked. */
  private readonly positions: Int32Array

  constructor(
    private readonly profile: RankedProfile,
    private readonly unranked: 'last' | 'ignore',
  ) {
    const { size, start } = profile
    const n = profile.candidates.length
    this.best = start.slice(0, size)
    this.worst = start.slice(1, size + 1).map((end) => end - 1)
    this.rankedLeft = this.worst.map((w, b) => w - start[b] + 1)
    this.positions = new Int32Array(size * n)
    for (let b = 0; b < size; b++) positionsInto(profile, b, this.positions.subarray(b * n, b * n + n), -1)
  }

  /** Candidate c has left the count. */
  remove(c: number): void {
    const n = this.profile.candidates.length
    for (let b = 0; b < this.profile.size; b++) if (this.positions[b * n + c] >= 0) this.rankedLeft[b]--
  }

  /** Last-place votes of the continuing candidates (`open` of them). */
  count(continuing: Uint8Array, open: number): Float64Array {
    const { cand, tier, count: weight } = this.profile
    const n = this.profile.candidates.length
    const counts = new Float64Array(n)
    for (let b = 0; b < this.profile.size; b++) {
      const count = weight[b]
      let best = this.best[b]
      let worst = this.worst[b]
      while (best <= worst && !continuing[cand[best]]) best++
      while (worst >= best && !continuing[cand[worst]]) worst--
      this.best[b] = best
      this.worst[b] = worst
      const free = open - this.rankedLeft[b] // continuing candidates this ballot leaves unranked
      const rankedAny = best <= worst
      if (this.unranked === 'last' && free > 0) {
        if (!rankedAny) continue // only unranked candidates left: no preference among them
        for (let c = 0; c < n; c++)
          if (continuing[c] && this.positions[b * n + c] < 0) counts[c] += count / free
        continue
      }
      if (!rankedAny || tier[best] === tier[worst]) continue
      // The worst tier with a continuing candidate: entries back from `worst` with its tier.
      let atMax = 0
      let k = worst
      for (; k >= best && tier[k] === tier[worst]; k--) if (continuing[cand[k]]) atMax++
      for (let q = k + 1; q <= worst; q++) if (continuing[cand[q]]) counts[cand[q]] += count / atMax
    }
    return counts
  }
}
