// [STV-7] Meek near ties, recounted in double-double arithmetic. The float count settles keep values
// to 1e-10 of the quota, which leaves the votes of a few thousand ballots uncertain in their 7th
// decimal: two hopefuls that close may be tied or may differ for real. Only those rounds are
// recounted here, so the common case keeps the speed of the float loop in meek.ts.

// A double-double value is hi + lo with |lo| ≤ ulp(hi)/2: about 106 bits, 31 decimal digits
// (Dekker 1971; Knuth, TAOCP 4.2.2; the layout of Bailey's QD library). Each operation leaves its
// result in H, L instead of returning a pair, so the hot loop allocates nothing.
let H = 0
let L = 0
const SPLIT = 134217729 // 2^27 + 1: splits a double into two 26-bit halves whose products are exact

function twoSum(a: number, b: number): void {
  const s = a + b
  const bb = s - a
  L = a - (s - bb) + (b - bb)
  H = s
}

function quickTwoSum(a: number, b: number): void {
  const s = a + b
  L = b - (s - a)
  H = s
}

function add(ah: number, al: number, bh: number, bl: number): void {
  twoSum(ah, bh)
  const s = H
  let e = L
  twoSum(al, bl)
  const f = L
  e += H
  quickTwoSum(s, e)
  quickTwoSum(H, L + f)
}

function mul(ah: number, al: number, bh: number, bl: number): void {
  const p = ah * bh
  let t = SPLIT * ah
  const ahh = t - (t - ah)
  const ahl = ah - ahh
  t = SPLIT * bh
  const bhh = t - (t - bh)
  const bhl = bh - bhh
  const e = ahh * bhh - p + ahh * bhl + ahl * bhh + ahl * bhl
  quickTwoSum(p, e + (ah * bl + al * bh))
}

/** a / b by long division: three quotient digits, each from the remainder left by the ones before. */
function div(ah: number, al: number, bh: number, bl: number): void {
  const q1 = ah / bh
  mul(q1, 0, bh, bl)
  add(ah, al, -H, -L)
  const r1h = H
  const r1l = L
  const q2 = r1h / bh
  mul(q2, 0, bh, bl)
  add(r1h, r1l, -H, -L)
  const q3 = H / bh
  quickTwoSum(q1, q2)
  add(H, L, q3, 0)
}

/** The live part of each ballot for this round (see liveParts in meek.ts). */
export interface LiveBallots {
  cand: Int32Array
  tier: Int32Array
  start: Int32Array
  /** Ballots whose votes can change with the keep values; the others give the same every pass. */
  varying: Int32Array
  varyingCount: number
}

/**
 * One precise pass over ballots `order[0..ballots)` under keep values kh + kl, adding their votes
 * into vh + vl; leaves the exhausted weight in H, L.
 */
function pass(
  live: LiveBallots,
  order: Int32Array,
  ballots: number,
  count: Float64Array,
  kh: Float64Array,
  kl: Float64Array,
  vh: Float64Array,
  vl: Float64Array,
): void {
  const { cand, tier, start } = live
  let xh = 0
  let xl = 0
  for (let i = 0; i < ballots; i++) {
    const b = order[i]
    let wh = count[b]
    let wl = 0
    const end = start[b + 1]
    for (let k = start[b]; k < end; ) {
      let j = k
      let open = 0
      for (; j < end && tier[j] === tier[k]; j++) if (kh[cand[j]] > 0) open++
      if (open > 0) {
        let sh = wh
        let sl = wl
        if (open > 1) {
          div(wh, wl, open, 0)
          sh = H
          sl = L
        }
        let ph = 0
        let pl = 0
        for (let q = k; q < j; q++) {
          const c = cand[q]
          if (kh[c] === 0) continue
          mul(sh, sl, kh[c], kl[c])
          add(vh[c], vl[c], H, L)
          vh[c] = H
          vl[c] = L
          add(1, 0, -kh[c], -kl[c])
          mul(sh, sl, H, L)
          add(ph, pl, H, L)
          ph = H
          pl = L
        }
        wh = ph
        wl = pl
        if (wh <= 0) break
      }
      k = j
    }
    add(xh, xl, wh, wl)
    xh = H
    xl = L
  }
  H = xh
  L = xl
}

export interface PreciseRound {
  votes: Float64Array
  low: Float64Array
  quota: number
  quotaLow: number
}

const PRECISE_TOLERANCE = 1e-27 // relative: a few digits above double-double's 1e-31
const PRECISE_MAX_ITERATIONS = 10_000
/**
 * A near value is decided once its gap is this many times the distance of the elected from the
 * quota: the error that distance leaves in a hopeful's votes is of its size, times the rate at
 * which surpluses return to the elected (well under 1000 unless nearly all of them do).
 */
const RESOLVED_MARGIN = 1000

/**
 * Settles the round again from the float keep values in double-double arithmetic, until each
 * elected candidate holds the quota to 1e-27, or every near pair of `watch` (hopefuls' votes and
 * the quota, adjacent when sorted) is apart by far more than what is left.
 */
export function preciseRound(
  live: LiveBallots,
  size: number,
  count: Float64Array,
  voters: number,
  divisor: number,
  keep: Float64Array,
  elected: number[],
  watch: number[],
): PreciseRound {
  const n = keep.length
  const kh = Float64Array.from(keep)
  const kl = new Float64Array(n)
  const vh = new Float64Array(n)
  const vl = new Float64Array(n)
  let qh = 0
  let ql = 0
  const hi = (c: number) => (c === n ? qh : vh[c])
  const lo = (c: number) => (c === n ? ql : vl[c])
  const gap = (a: number, b: number) => Math.abs(hi(a) - hi(b) + (lo(a) - lo(b)))
  // Pairs to decide: neighbours by value among the watched hopefuls, the quota being index n.
  const pairs: [number, number][] = []
  const watched = [...watch, n]
  // Ballots that do not vary give the same votes in every pass (and exhaust nothing): once.
  const isVarying = new Uint8Array(size)
  for (let i = 0; i < live.varyingCount; i++) isVarying[live.varying[i]] = 1
  const fixedOrder = new Int32Array(size - live.varyingCount)
  for (let b = 0, w = 0; b < size; b++) if (!isVarying[b]) fixedOrder[w++] = b
  const fh = new Float64Array(n)
  const fl = new Float64Array(n)
  pass(live, fixedOrder, fixedOrder.length, count, kh, kl, fh, fl)
  for (let i = 0; i < PRECISE_MAX_ITERATIONS; i++) {
    vh.set(fh)
    vl.set(fl)
    pass(live, live.varying, live.varyingCount, count, kh, kl, vh, vl)
    add(voters, 0, -H, -L)
    div(H, L, divisor, 0)
    qh = H
    ql = L
    let residual = 0
    for (const c of elected) residual = Math.max(residual, Math.abs(vh[c] - qh + (vl[c] - ql)))
    if (i === 0) {
      watched.sort((a, b) => hi(a) - hi(b))
      for (let w = 1; w < watched.length; w++) {
        const [a, b] = [watched[w - 1], watched[w]]
        // Exactly 0 is exact (a sum of non-negative terms is 0 only when every term is): no question.
        if (hi(a) !== 0 || hi(b) !== 0) pairs.push([a, b])
      }
    }
    const settled = residual <= PRECISE_TOLERANCE * Math.max(1, qh)
    if (settled || pairs.every(([a, b]) => gap(a, b) > RESOLVED_MARGIN * residual)) break
    for (const c of elected) {
      if (vh[c] <= 0) continue
      mul(kh[c], kl[c], qh, ql)
      div(H, L, vh[c], vl[c])
      if (H > 1 || (H === 1 && L > 0)) {
        H = 1
        L = 0
      }
      kh[c] = H
      kl[c] = L
    }
  }
  return { votes: vh, low: vl, quota: qh, quotaLow: ql }
}
