// The pairwise preference matrix, built once per count from the aggregated ballots.
import type { RankedProfile } from './ballots.ts'
import { tidy } from './order.ts'

export type Unranked = 'last' | 'ignore'

/** d[a * n + b] = weighted number of voters who rank a above b. */
export interface Matrix {
  n: number
  d: Float64Array
}

/**
 * [PW-1] A voter prefers a to b when a is in a better tier. [PW-2] With `unranked: "last"` (default)
 * every ranked candidate is preferred to every unranked one and unranked candidates are tied;
 * with `unranked: "ignore"` a pair counts only when the ballot ranks both.
 */
export function pairwiseMatrix(profile: RankedProfile, unranked: Unranked = 'last'): Matrix {
  const n = profile.candidates.length
  const d = new Float64Array(n * n)
  const ranked = new Uint8Array(n)
  const { cand, tier, start, count } = profile
  for (let b = 0; b < profile.size; b++) {
    const w = count[b]
    const end = start[b + 1]
    // Each entry beats every entry of a later tier: n(n−1)/2 updates for a full ranking, and
    // each cell still gets at most one addition per ballot, so the sums do not depend on the loop.
    for (let k = start[b]; k < end; ) {
      let j = k
      while (j < end && tier[j] === tier[k]) j++
      for (let q = k; q < j; q++) {
        const row = cand[q] * n
        for (let l = j; l < end; l++) d[row + cand[l]] += w
      }
      k = j
    }
    if (unranked === 'ignore' || end - start[b] === n) continue
    // [PW-2] "last": every ranked candidate beats every unranked one.
    ranked.fill(0)
    for (let k = start[b]; k < end; k++) ranked[cand[k]] = 1
    for (let k = start[b]; k < end; k++) {
      const row = cand[k] * n
      for (let c = 0; c < n; c++) if (!ranked[c]) d[row + c] += w
    }
  }
  return { n, d }
}

export function matrixRecord(
  candidates: string[],
  { n, d }: { n: number; d: ArrayLike<number> },
  map: (x: number) => number | null = tidy,
): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {}
  for (let a = 0; a < n; a++) {
    const row: Record<string, number> = {}
    for (let b = 0; b < n; b++) if (a !== b) row[candidates[b]] = map(d[a * n + b]) as number
    out[candidates[a]] = row
  }
  return out
}

/** Candidates who beat (or lose to) every other candidate head to head. */
export function condorcetWinner({ n, d }: Matrix, idx?: number[]): number | undefined {
  const cs = idx ?? Array.from({ length: n }, (_, i) => i)
  return cs.find((a) => cs.every((b) => a === b || d[a * n + b] > d[b * n + a]))
}

export function condorcetLoser({ n, d }: Matrix, idx?: number[]): number | undefined {
  const cs = idx ?? Array.from({ length: n }, (_, i) => i)
  if (cs.length < 2) return undefined
  return cs.find((a) => cs.every((b) => a === b || d[a * n + b] < d[b * n + a]))
}

/**
 * [CM-5] Components of the "not beaten by" graph in dominance order: the first is the Smith set
 * (the smallest set whose members each beat everyone outside it). Members of a component with
 * two or more candidates are in a majority cycle (or a pairwise tie).
 */
export function smithComponents({ n, d }: Matrix): number[][] {
  // reach[a][b]: a reaches b by steps "a is not beaten by the next one"
  const reach = new Uint8Array(n * n)
  for (let a = 0; a < n; a++)
    for (let b = 0; b < n; b++) reach[a * n + b] = a === b || d[a * n + b] >= d[b * n + a] ? 1 : 0
  for (let k = 0; k < n; k++)
    for (let a = 0; a < n; a++) {
      if (!reach[a * n + k]) continue
      for (let b = 0; b < n; b++) if (reach[k * n + b]) reach[a * n + b] = 1
    }
  // Component of a = candidates mutually reachable; a component is above another if it reaches it.
  const comp = new Int32Array(n).fill(-1)
  const comps: number[][] = []
  for (let a = 0; a < n; a++) {
    if (comp[a] >= 0) continue
    const members = []
    for (let b = 0; b < n; b++) if (reach[a * n + b] && reach[b * n + a]) members.push(b)
    for (const m of members) comp[m] = comps.length
    comps.push(members)
  }
  const reachCount = comps.map((c) => {
    let k = 0
    for (let b = 0; b < n; b++) if (reach[c[0] * n + b]) k++
    return k
  })
  return comps
    .map((c, i) => [c, reachCount[i]] as const)
    .sort((x, y) => y[1] - x[1])
    .map(([c]) => c)
}
