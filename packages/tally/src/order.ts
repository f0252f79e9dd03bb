// Small helpers shared by the methods: comparing fractional counts, building tiers, naming.

/** Relative tolerance for comparing sums of fractions (Gregory transfers, Dowdall, means). */
export const EPS = 1e-9

export function same(a: number, b: number): boolean {
  if (a === b) return true
  return Math.abs(a - b) <= EPS * Math.max(1, Math.abs(a), Math.abs(b))
}

/** Rounds away float noise (4.999999999997 → 5) for output only; counting uses full precision. */
export function tidy(x: number): number {
  if (!Number.isFinite(x) || Number.isInteger(x)) return x
  return Math.round(x * 1e9) / 1e9
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i)
}

/** Groups candidates into tiers by score; equal scores (within EPS) share a tier. */
export function tiersByScore(
  idx: number[],
  score: ArrayLike<number>,
  direction: 'desc' | 'asc' = 'desc',
): number[][] {
  const sign = direction === 'desc' ? -1 : 1
  // Near-equal sums (fractions added in another order) compare as equal, so ballot order
  // cannot reorder candidates inside a tier.
  const sorted = [...idx].sort(
    (a, b) => (same(score[a], score[b]) ? 0 : sign * (score[a] - score[b])) || a - b,
  )
  const tiers: number[][] = []
  for (const c of sorted) {
    const last = tiers[tiers.length - 1]
    if (last && same(score[last[0]], score[c])) last.push(c)
    else tiers.push([c])
  }
  for (const t of tiers) t.sort((a, b) => a - b)
  return tiers
}

/** Tiers from a dominance relation: each tier is every remaining candidate nobody remaining beats. */
export function tiersFromRelation(idx: number[], beats: (a: number, b: number) => boolean): number[][] {
  let rest = [...idx]
  const tiers: number[][] = []
  while (rest.length > 0) {
    let top = rest.filter((b) => !rest.some((a) => a !== b && beats(a, b)))
    // A cyclic relation has no unbeaten member; keep the rest together rather than loop.
    if (top.length === 0) top = rest
    tiers.push(top)
    rest = rest.filter((c) => !top.includes(c))
  }
  return tiers
}

export function named(candidates: string[], tiers: number[][]): string[][] {
  return tiers.map((t) => t.map((c) => candidates[c]))
}

export function byName(
  candidates: string[],
  values: ArrayLike<number>,
  idx?: number[],
): Record<string, number> {
  const out: Record<string, number> = {}
  for (const c of idx ?? range(candidates.length)) out[candidates[c]] = tidy(values[c])
  return out
}

/** "A", "A and B", "A, B and C". */
export function list(names: string[]): string {
  if (names.length <= 1) return names.join('')
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
}

export function winnersSentence(winners: string[], why: string): string {
  if (winners.length === 0) return `Nobody wins ${why}.`
  if (winners.length === 1) return `${winners[0]} wins ${why}.`
  return `${list(winners)} are tied ${why}; the tie stands until it is broken by the rule the chair names.`
}

export function fmt(x: number): string {
  const t = tidy(x)
  return Number.isInteger(t) ? String(t) : t.toFixed(3).replace(/0+$/, '')
}
