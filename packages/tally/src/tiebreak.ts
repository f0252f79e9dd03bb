// Ties are results. Breaking one is a separate, recorded step: the chair's stated order, or a
// lot drawn from a seed the chair announces, so anyone can redraw it.
import { fail } from './ballots.ts'
import { list } from './order.ts'
import type { Result, TieBreakRecord, TieBreakRule } from './types.ts'

/** A small seeded generator (mulberry32 over a 32-bit FNV-1a hash of the seed). */
export function seededRandom(seed: number | string): () => number {
  let h = 0x811c9dc5
  for (const ch of String(seed)) {
    h ^= ch.codePointAt(0)!
    h = Math.imul(h, 0x01000193)
  }
  let a = h >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Orders tied candidates by a rule, remembering every tie it broke. */
export class TieBreaker {
  readonly record: TieBreakRecord
  private readonly random?: () => number
  private readonly rank = new Map<string, number>()

  constructor(
    readonly rule: TieBreakRule,
    private readonly candidates: string[],
  ) {
    if (rule.method === 'chair') {
      if (!Array.isArray(rule.order)) fail('tie_break.order must list candidates, best first')
      for (const [i, c] of rule.order.entries()) this.rank.set(c, i)
      this.record = { rule: 'chair', broken: [] }
    } else if (rule.method === 'lot') {
      this.random = seededRandom(rule.seed)
      this.record = { rule: 'lot', seed: rule.seed, broken: [] }
    } else {
      fail('tie_break.method must be "chair" or "lot"')
    }
  }

  /** Tied candidate indices in the order the rule puts them, best first. */
  order(among: number[], round?: number): number[] {
    let ordered: number[]
    if (this.random) {
      // Fisher–Yates over the candidates in ballot-independent (input) order.
      ordered = [...among].sort((a, b) => a - b)
      for (let i = ordered.length - 1; i > 0; i--) {
        const j = Math.floor(this.random() * (i + 1))
        ;[ordered[i], ordered[j]] = [ordered[j], ordered[i]]
      }
    } else {
      const missing = among.filter((c) => !this.rank.has(this.candidates[c]))
      if (missing.length > 0) {
        fail(`tie_break.order does not place ${list(missing.map((c) => this.candidates[c]))}`)
      }
      ordered = [...among].sort(
        (a, b) => this.rank.get(this.candidates[a])! - this.rank.get(this.candidates[b])!,
      )
    }
    const names = (xs: number[]) => xs.map((c) => this.candidates[c])
    this.record.broken.push({ among: names(among), order: names(ordered), ...(round ? { round } : {}) })
    return ordered
  }
}

export interface EliminationChoice {
  out: number[]
  how: 'unique' | 'earlier_rounds' | 'tie_break' | 'together'
}

/**
 * Picks who leaves a count when several are equally worst. [TIE-2] Look back at earlier rounds,
 * most recent first; then the tie-break rule if one is given; otherwise all of them leave together.
 */
export function chooseElimination(
  tied: number[],
  history: ArrayLike<number>[],
  worstIsHighest: boolean,
  breaker: TieBreaker | undefined,
  round: number,
): EliminationChoice {
  if (tied.length === 1) return { out: tied, how: 'unique' }
  let left = tied
  for (let r = history.length - 1; r >= 0 && left.length > 1; r--) {
    const counts = history[r]
    const pick = worstIsHighest ? Math.max : Math.min
    const worst = pick(...left.map((c) => counts[c]))
    left = left.filter((c) => Math.abs(counts[c] - worst) <= 1e-9 * Math.max(1, Math.abs(worst)))
  }
  if (left.length === 1) return { out: left, how: 'earlier_rounds' }
  if (breaker) {
    const ordered = breaker.order(left, round)
    return { out: [ordered[ordered.length - 1]], how: 'tie_break' }
  }
  return { out: left, how: 'together' }
}

/**
 * [TIE-1] Breaks the ties that decide the winner(s) by the rule and records how; winners become
 * the first `seats` candidates of the broken ranking.
 */
export function breakTies(result: Result, candidates: string[], rule: TieBreakRule, seats = 1): Result {
  if (result.winners.length <= seats) return result
  const breaker = new TieBreaker(rule, candidates)
  const index = new Map(candidates.map((c, i) => [c, i]))
  // The rule chooses among the winners only. They are the top of the ranking, except under
  // Kemeny–Young ([KY-5]), where the top tier can also hold candidates no optimal order puts
  // first: those cannot take the place, and stay tied just below the ones the rule ordered.
  const contenders = new Set(result.winners)
  const ranking: string[][] = []
  let placed = 0
  for (const tier of result.ranking) {
    // Only ties that decide a seat are broken; ties further down stay ties.
    if (tier.length === 1 || placed >= seats) ranking.push(tier)
    else {
      const among = tier.filter((c) => contenders.has(c))
      const rest = tier.filter((c) => !contenders.has(c))
      for (const c of breaker.order(among.map((n) => index.get(n)!))) ranking.push([candidates[c]])
      if (rest.length) ranking.push(rest)
    }
    placed += tier.length
  }
  const winners = ranking.slice(0, Math.max(seats, 1)).map((t) => t[0])
  const notes = breaker.record.broken.map(
    (b) => `${list(b.among)} were tied; ${ruleText(rule)} ordered them ${b.order.join(', ')}.`,
  )
  return {
    ...result,
    winners,
    tied_ranking: result.ranking,
    ranking,
    tie_break: breaker.record,
    explanation: `${result.explanation} ${notes.join(' ')}`,
  }
}

function ruleText(rule: TieBreakRule): string {
  return rule.method === 'chair' ? "the chair's order" : `a lot drawn with seed ${JSON.stringify(rule.seed)}`
}

export function maybeBreaker(rule: TieBreakRule | undefined, candidates: string[]): TieBreaker | undefined {
  return rule ? new TieBreaker(rule, candidates) : undefined
}
