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
 *
 * Up to 30 candidates with whole-number weights summing to at most 2^53 (every realistic count)
 * take the packed path below; anything else the plain one. Both give the same matrix: every cell
 * is a sum of whole numbers below 2^53, which is exact in any order.
 */
export function pairwiseMatrix(profile: RankedProfile, unranked: Unranked = 'last'): Matrix {
  return packable(profile) ? pairwiseMatrixPacked(profile, unranked) : pairwiseMatrixPlain(profile, unranked)
}

/** The straightforward count: one addition per pair a ballot orders. Reference for the packed path. */
export function pairwiseMatrixPlain(profile: RankedProfile, unranked: Unranked = 'last'): Matrix {
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

/** Candidates per packed group: one 10-bit slice of a "beats" mask. */
const GROUP = 10
/** Bits per counter inside a packed double: 10 × 5 = 50 bits, below the 53 a double holds exactly. */
const LANE = 5
/** A counter holds up to 31; the packed sums are spilled into the matrix before any could pass it. */
const LANE_MAX = 31
const LOW = 2 ** 25
/** SPREAD[m] = Σ over the bits j set in m of 32^j: ten counters, each incremented by bit j of m. */
const SPREAD = new Float64Array(1 << GROUP)
for (let m = 0; m < 1 << GROUP; m++)
  for (let j = 0; j < GROUP; j++) if (m & (1 << j)) SPREAD[m] += 2 ** (LANE * j)

function packable(profile: RankedProfile): boolean {
  if (profile.candidates.length > 30 || !(profile.voters <= Number.MAX_SAFE_INTEGER)) return false
  const { count } = profile
  for (let b = 0; b < profile.size; b++) if (!Number.isInteger(count[b])) return false
  return true
}

/**
 * The same matrix with ten counters packed into each double. Reading a ballot from its worst
 * tier up, `under` is the bit mask of candidates it ranks below the current tier (with
 * `unranked: "last"`, the unranked ones from the start); a candidate's row then gains the ballot's
 * weight in every column of `under` — ⌈n/10⌉ additions of SPREAD[slice] × weight instead of one
 * addition per pair. Before any counter could pass 31 the packed sums are added to the matrix.
 * A ballot of weight above 31 is added pair by pair.
 */
function pairwiseMatrixPacked(profile: RankedProfile, unranked: Unranked): Matrix {
  const n = profile.candidates.length
  const groups = Math.ceil(n / GROUP)
  const d = new Float64Array(n * n)
  const acc = new Float64Array(n * groups)
  const all = (1 << n) - 1
  const { cand, tier, start, count } = profile
  let pending = 0 // weight added to the packed counters since they were last spilled
  for (let b = 0; b < profile.size; b++) {
    const w = count[b]
    const from = start[b]
    const end = start[b + 1]
    let under = 0
    if (unranked === 'last' && end - from < n) {
      let ranked = 0
      for (let k = from; k < end; k++) ranked |= 1 << cand[k]
      under = all & ~ranked
    }
    if (w > LANE_MAX) {
      addHeavy(d, n, cand, tier, from, end, under, w)
      continue
    }
    if (pending + w > LANE_MAX) {
      spill(d, acc, n, groups)
      pending = 0
    }
    pending += w
    for (let k = end - 1; k >= from; ) {
      const t = tier[k]
      let tierMask = 0
      for (; k >= from && tier[k] === t; k--) {
        const a = cand[k]
        tierMask |= 1 << a
        const row = a * groups
        if (groups === 2) {
          acc[row] += SPREAD[under & 1023] * w
          acc[row + 1] += SPREAD[under >>> GROUP] * w
        } else for (let g = 0, m = under; g < groups; g++, m >>>= GROUP) acc[row + g] += SPREAD[m & 1023] * w
      }
      under |= tierMask
    }
  }
  spill(d, acc, n, groups)
  return { n, d }
}

/** Adds the packed counters to the matrix and clears them. */
function spill(d: Float64Array, acc: Float64Array, n: number, groups: number): void {
  for (let a = 0; a < n; a++)
    for (let g = 0; g < groups; g++) {
      const v = acc[a * groups + g]
      if (v === 0) continue
      acc[a * groups + g] = 0
      const lo = v % LOW // counters 0–4, exact: v is a whole number below 2^50
      const hi = (v - lo) / LOW // counters 5–9
      const row = a * n + g * GROUP
      const last = Math.min(GROUP, n - g * GROUP)
      for (let j = 0; j < last; j++) {
        const part = j < 5 ? lo : hi
        d[row + j] += (part >>> (LANE * (j % 5))) & LANE_MAX
      }
    }
}

/** One heavy ballot, pair by pair: the bits of `under` below each tier, as the packed path reads them. */
function addHeavy(
  d: Float64Array,
  n: number,
  cand: Int32Array,
  tier: Int32Array,
  from: number,
  end: number,
  under: number,
  w: number,
): void {
  for (let k = end - 1; k >= from; ) {
    const t = tier[k]
    let tierMask = 0
    for (; k >= from && tier[k] === t; k--) {
      const a = cand[k]
      tierMask |= 1 << a
      for (let c = 0, m = under; m !== 0; c++, m >>>= 1) if (m & 1) d[a * n + c] += w
    }
    under |= tierMask
  }
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
