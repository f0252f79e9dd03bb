import type { MethodComparison, VoteView } from '@roundtable/protocol'

export type Labeller = (id: string) => string

/** A label for each option id (motion's yes/no are their own labels). */
export const labeller =
  (vote: Pick<VoteView, 'options'>, extra: Record<string, string> = {}): Labeller =>
  (id) =>
    vote.options.find((o) => o.id === id)?.label ?? extra[id] ?? id

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * The tally's explanation names options by id; the reader knows them by label. Longest ids
 * first, whole words only, so `o1` never rewrites part of `o12`.
 */
export const withLabels = (text: string, vote: Pick<VoteView, 'options'>): string => {
  const ids = vote.options.map((o) => o.id).sort((a, b) => b.length - a.length)
  if (ids.length === 0) return text
  const re = new RegExp(`(?<![\\w-])(${ids.map(escapeRegExp).join('|')})(?![\\w-])`, 'g')
  return text.replace(re, (id) => vote.options.find((o) => o.id === id)?.label ?? id)
}

/** How the methods of the comparison group: the largest agreement first (the server's verdict, as data). */
export const verdictGroups = (
  comparison: readonly MethodComparison[],
): { winners: string[]; methods: MethodComparison['method'][] }[] => {
  const groups = new Map<string, { winners: string[]; methods: MethodComparison['method'][] }>()
  for (const c of comparison) {
    const key = [...c.winners].sort().join('\u0000')
    const g = groups.get(key) ?? { winners: [...c.winners].sort(), methods: [] }
    g.methods.push(c.method)
    groups.set(key, g)
  }
  return [...groups.values()].sort((a, b) => b.methods.length - a.methods.length)
}

/** Per round, how each option's votes changed from the round before: the transfers. */
export const roundChanges = (rounds: readonly Record<string, number>[]): Record<string, number>[] =>
  rounds.map((r, i) =>
    Object.fromEntries(Object.entries(r).map(([id, v]) => [id, i === 0 ? 0 : v - (rounds[i - 1][id] ?? 0)])),
  )

/** Options in the result's order (tiers flattened), then any the result left out. */
export const orderedIds = (vote: Pick<VoteView, 'options'>, ranking: readonly string[][]): string[] => {
  const seen = ranking.flat()
  return [...seen, ...vote.options.map((o) => o.id).filter((id) => !seen.includes(id))]
}

/** Whole seconds until `closesAt` on the server's clock (local time plus its offset), never negative. */
export const secondsLeft = (closesAtIso: string, localNowMs: number, offsetMs: number): number => {
  const at = Date.parse(closesAtIso)
  if (Number.isNaN(at)) return 0
  return Math.max(0, Math.ceil((at - (localNowMs + offsetMs)) / 1000))
}
