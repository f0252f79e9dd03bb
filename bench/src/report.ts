import { type Better, fmt, type MetricRow, median, table } from './stats.ts'

export interface MetricDef<R> {
  metric: string
  unit: string
  better: Better
  value: (run: R) => number | null
  /** Compare with this peer instead of the best one (the goal names it). */
  vs?: string
  goal: string
  /** Whether Roundtable meets the goal, from its ratio and its own median. */
  check?: (ratio: number | null, rt: number | null) => boolean | null
}

export interface CandidateRuns<R> {
  id: string
  peer: boolean
  runs: R[]
}

export const buildRows = <R>(defs: MetricDef<R>[], cands: CandidateRuns<R>[]): MetricRow[] =>
  defs.map((d) => {
    const values: Record<string, number | null> = {}
    for (const c of cands) values[c.id] = median(c.runs.map(d.value))
    const rt = values.roundtable ?? null
    const peers = cands.filter((c) => c.peer && (d.vs === undefined || c.id === d.vs))
    const peerValues = peers.map((c) => values[c.id]).filter((v): v is number => v !== null)
    const best =
      peerValues.length === 0
        ? null
        : d.better === 'lower'
          ? Math.min(...peerValues)
          : Math.max(...peerValues)
    const ratio =
      rt === null || best === null ? null : best === 0 ? (rt === 0 ? 1 : Number.POSITIVE_INFINITY) : rt / best
    return {
      metric: d.metric,
      unit: d.unit,
      better: d.better,
      values,
      ratio,
      goal: d.goal,
      met: d.check ? d.check(ratio, rt) : null,
    }
  })

export const ratioAtMost =
  (limit: number) =>
  (ratio: number | null): boolean | null =>
    ratio === null ? null : ratio <= limit
export const ratioAtLeast =
  (limit: number) =>
  (ratio: number | null): boolean | null =>
    ratio === null ? null : ratio >= limit

export const renderRows = (rows: MetricRow[], candidates: string[]): string =>
  table(
    ['metric', ...candidates, 'ratio RT ÷ peer', 'goal', 'met?'],
    rows.map((r) => [
      `${r.metric} (${r.unit})`,
      ...candidates.map((c) => fmt(r.values[c])),
      r.ratio === null ? '–' : fmt(r.ratio),
      r.goal,
      r.met === null ? '–' : r.met ? 'yes' : '**no**',
    ]),
  )
