// Kemeny–Young: the order(s) that agree with the most pairwise preferences.
import { rankedProfile } from '../ballots.ts'
import { fmt, named, range, same, tiersFromRelation, winnersSentence } from '../order.ts'
import { type Matrix, matrixRecord, pairwiseMatrix } from '../pairwise.ts'
import type { BallotInput, Result } from '../types.ts'

export interface KemenyInput {
  candidates: string[]
  ballots: BallotInput[]
}

export interface KemenyOptions {
  unranked?: 'last' | 'ignore'
  /** Largest candidate count counted exactly (2^n states); beyond it a local search is used. */
  exact_limit?: number
}

const DEFAULT_EXACT_LIMIT = 16 // 2^16 subsets × 16: well under a second; 2^20 would need ~1 GB of paths
const MAX_LISTED_ORDERS = 100 // every optimal order is counted; only this many are listed

/**
 * [KY-1] The score of an order is the number of voter-pair agreements: Σ d[a][b] over a placed
 * before b. [KY-2] Exact for up to `exact_limit` (16) candidates by dynamic programming over
 * subsets: best(S) = max over c in S of best(S∖c) + Σ_{b∈S∖c} d[b][c] (c placed last in S).
 * [KY-3] Every optimal order is counted and up to 100 are listed; a ranks above b only when a
 * precedes b in every optimal order. [KY-4] Beyond the limit: a local search (moves of one
 * candidate) from the Copeland-like order, flagged `approximate: true`. [KY-5] The winners are
 * the candidates some optimal order puts first: the top tier of [KY-3] can hold more (a candidate
 * that every order places behind someone, but never behind the same one).
 */
export function kemenyYoung(input: KemenyInput, options: KemenyOptions = {}, m?: Matrix): Result {
  const { candidates } = input
  const matrix =
    m ?? pairwiseMatrix(rankedProfile(candidates, input.ballots, 'kemeny_young'), options.unranked ?? 'last')
  const { n, d } = matrix
  const limit = options.exact_limit ?? DEFAULT_EXACT_LIMIT
  let total = 0
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) if (a !== b) total += d[a * n + b]
  const exact = n <= limit
  const found = exact ? exactKemeny(n, d) : localSearch(n, d)
  const ranking = named(candidates, found.tiers)
  const winners = found.firsts.map((c) => candidates[c])
  const result: Result = {
    method: 'kemeny_young',
    winners,
    ranking,
    approximate: !exact,
    score: found.score,
    distance: total - found.score,
    orders: found.orders.map((o) => o.map((c) => candidates[c])),
    orders_count: found.count,
    pairwise: matrixRecord(candidates, matrix),
    explanation: `${winnersSentence(winners, 'by Kemeny–Young')} The best order agrees with ${fmt(found.score)} pairwise preferences and disagrees with ${fmt(total - found.score)}${found.count > 1 ? `; ${found.count} orders are equally good and the ranking keeps as ties what they disagree on` : ''}.${exact ? '' : ' Too many candidates for an exact count: this order comes from a local search and may not be optimal.'}`,
  }
  return result
}

interface Found {
  score: number
  orders: number[][]
  count: number
  tiers: number[][]
  /** [KY-5] Candidates first in some optimal order, in input order. */
  firsts: number[]
}

function exactKemeny(n: number, d: Float64Array): Found {
  const size = 1 << n
  const best = new Float64Array(size)
  // inner[c][S] would cost 2^n·n memory; instead Σ_{b∈S} d[b][c] is summed on the fly (n ≤ 16).
  const gain = (S: number, c: number) => {
    let s = 0
    for (let b = 0, bit = 1; b < n; b++, bit <<= 1) if (S & bit) s += d[b * n + c]
    return s
  }
  for (let S = 1; S < size; S++) {
    let top = Number.NEGATIVE_INFINITY
    for (let c = 0, bit = 1; c < n; c++, bit <<= 1) {
      if (!(S & bit)) continue
      const v = best[S ^ bit] + gain(S ^ bit, c)
      if (v > top) top = v
    }
    best[S] = top
  }
  const full = size - 1
  // A subset S is an optimal prefix when best(S) + best(rest) + Σ_{a∈S,b∉S} d[a][b] = best(all).
  const optimalPrefix = new Uint8Array(size)
  const mustPrecede = new Uint8Array(n * n).fill(1) // cleared when some optimal order breaks it
  for (let a = 0; a < n; a++) mustPrecede[a * n + a] = 0
  for (let S = 0; S <= full; S++) {
    let cross = 0
    for (let a = 0; a < n; a++) {
      if (!(S & (1 << a))) continue
      for (let b = 0; b < n; b++) if (!(S & (1 << b))) cross += d[a * n + b]
    }
    if (!same(best[S] + best[full ^ S] + cross, best[full])) continue
    optimalPrefix[S] = 1
    for (let b = 0; b < n; b++) {
      if (!(S & (1 << b))) continue
      for (let a = 0; a < n; a++) if (!(S & (1 << a))) mustPrecede[a * n + b] = 0 // b before a happens
    }
  }
  // An order is optimal exactly when each of its prefixes is an optimal prefix reached by a
  // tight step (placing c next adds exactly best(S ∪ c) − best(S)). Count and list those walks.
  const step = (S: number, c: number) => {
    const next = S | (1 << c)
    return next !== S && optimalPrefix[next] === 1 && same(best[next], best[S] + gain(S, c))
  }
  const ways = new Float64Array(size)
  ways[full] = 1
  for (let S = full - 1; S >= 0; S--) {
    if (!optimalPrefix[S]) continue
    for (let c = 0; c < n; c++) if (step(S, c)) ways[S] += ways[S | (1 << c)]
  }
  const orders: number[][] = []
  const walk = (S: number, path: number[]) => {
    if (orders.length >= MAX_LISTED_ORDERS) return
    if (S === full) {
      orders.push([...path])
      return
    }
    for (let c = 0; c < n; c++) {
      if (!step(S, c)) continue
      path.push(c)
      walk(S | (1 << c), path)
      path.pop()
    }
  }
  walk(0, [])
  const tiers = tiersFromRelation(range(n), (a, b) => mustPrecede[a * n + b] === 1)
  // {c} is an optimal prefix reached by a tight step exactly when c leads some optimal order.
  const firsts = range(n).filter((c) => step(0, c))
  return { score: best[full], orders, count: ways[0], tiers, firsts }
}

function orderScore(order: number[], n: number, d: Float64Array): number {
  let s = 0
  for (let i = 0; i < order.length; i++)
    for (let j = i + 1; j < order.length; j++) s += d[order[i] * n + order[j]]
  return s
}

function localSearch(n: number, d: Float64Array): Found {
  const net = range(n).map((a) => range(n).reduce((s, b) => s + d[a * n + b] - d[b * n + a], 0))
  const order = range(n).sort((a, b) => net[b] - net[a] || a - b)
  let improved = true
  while (improved) {
    improved = false
    // Moving one candidate from i to j changes only the pairs it passes over.
    for (let i = 0; i < n && !improved; i++) {
      const c = order[i]
      let delta = 0
      for (let j = i + 1; j < n; j++) {
        delta += d[order[j] * n + c] - d[c * n + order[j]]
        if (delta > 1e-9) {
          order.splice(i, 1)
          order.splice(j, 0, c)
          improved = true
          break
        }
      }
      if (improved) break
      delta = 0
      for (let j = i - 1; j >= 0; j--) {
        delta += d[c * n + order[j]] - d[order[j] * n + c]
        if (delta > 1e-9) {
          order.splice(i, 1)
          order.splice(j, 0, c)
          improved = true
          break
        }
      }
    }
  }
  return {
    score: orderScore(order, n, d),
    orders: [order],
    count: 1,
    tiers: order.map((c) => [c]),
    firsts: order.slice(0, 1),
  }
}
