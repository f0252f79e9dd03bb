/** Latency histogram: 0.1 ms buckets up to 60 s; exact enough for p50/p99 and cheap to record. */
export class Histogram {
  private readonly buckets = new Uint32Array(600_000)
  count = 0
  max = 0

  record(ms: number): void {
    const i = Math.min(this.buckets.length - 1, Math.max(0, Math.round(ms * 10)))
    this.buckets[i]++
    this.count++
    if (ms > this.max) this.max = ms
  }

  percentile(p: number): number | null {
    if (this.count === 0) return null
    const target = Math.ceil((p / 100) * this.count)
    let seen = 0
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i]
      if (seen >= target) return i / 10
    }
    return this.max
  }
}

export const median = (xs: (number | null)[]): number | null => {
  const v = xs.filter((x): x is number => x !== null && Number.isFinite(x)).sort((a, b) => a - b)
  if (v.length === 0) return null
  const m = v.length >> 1
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2
}

/** How a metric compares: lower or higher is better. */
export type Better = 'lower' | 'higher'

export interface MetricRow {
  metric: string
  unit: string
  better: Better
  /** Median per candidate (Roundtable first). */
  values: Record<string, number | null>
  /** Roundtable ÷ best peer (or ÷ the named peer when the goal names one). */
  ratio: number | null
  goal: string
  met: boolean | null
}

export const fmt = (v: number | null | undefined, digits = 2): string => {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–'
  const a = Math.abs(v)
  if (a >= 1000) return v.toFixed(0)
  if (a >= 100) return v.toFixed(1)
  return v.toFixed(digits)
}

/** A plain-text table, also valid Markdown. */
export const table = (header: string[], rows: string[][]): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n')
}
