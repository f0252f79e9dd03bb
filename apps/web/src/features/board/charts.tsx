/*
 * The board's small charts, plain SVG. Each is a picture for sighted readers (aria-hidden) with
 * the same numbers beside it in words or in a table that screen readers read instead; no colour
 * carries meaning alone (every cell and point has its number).
 */
import type { ReactNode } from 'react'

/** W on a half-circle dial, 0 on the left, 1 on the right, the five bands marked. */
export const Gauge = ({ value, label }: { value: number | null; label: string }) => {
  const r = 80
  const cx = 100
  const cy = 95
  const at = (w: number) => {
    const angle = Math.PI * (1 - w)
    return { x: cx + r * Math.cos(angle), y: cy - r * Math.sin(angle) }
  }
  const arc = (from: number, to: number) => {
    const a = at(from)
    const b = at(to)
    return `M ${a.x.toFixed(2)} ${a.y.toFixed(2)} A ${r} ${r} 0 0 1 ${b.x.toFixed(2)} ${b.y.toFixed(2)}`
  }
  const bands = [0, 0.2, 0.4, 0.6, 0.8, 1]
  const needle = value === null ? null : at(Math.min(1, Math.max(0, value)))
  return (
    <svg className="gauge" viewBox="0 0 200 110" aria-hidden="true" focusable="false">
      {bands.slice(0, -1).map((from, i) => (
        <path key={from} d={arc(from, bands[i + 1])} className={`gauge-band gauge-band-${i}`} />
      ))}
      {bands.map((b) => {
        const p = at(b)
        const q = { x: cx + (p.x - cx) * 1.14, y: cy + (p.y - cy) * 1.14 }
        return <line key={b} x1={p.x} y1={p.y} x2={q.x} y2={q.y} className="gauge-tick" />
      })}
      {needle ? (
        <>
          <line x1={cx} y1={cy} x2={needle.x} y2={needle.y} className="gauge-needle" />
          <circle cx={cx} cy={cy} r="5" className="gauge-hub" />
        </>
      ) : null}
      <text x={cx} y={cy - 22} textAnchor="middle" className="gauge-value">
        {label}
      </text>
    </svg>
  )
}

export interface HeatCell {
  /** Rankers preferring the row's area to the column's. */
  count: number
  /** Share of the rankers, 0–1 (drives the shade). */
  share: number
}

/** The pairwise matrix: row i, column j shaded by how many prefer area i to area j; numbered axes. */
export const HeatMap = ({
  size,
  cell,
}: {
  size: number
  cell: (row: number, col: number) => HeatCell | null
}) => {
  const s = 34
  const pad = 26
  const w = pad + s * size
  const cells: ReactNode[] = []
  for (let i = 0; i < size; i++)
    for (let j = 0; j < size; j++) {
      const c = cell(i, j)
      const x = pad + j * s
      const y = pad + i * s
      if (!c) {
        cells.push(<rect key={`${i}-${j}`} x={x} y={y} width={s} height={s} className="heat-diagonal" />)
        continue
      }
      // Five steps of one hue, light to dark: the number in the cell says the same.
      const step = Math.min(4, Math.floor(c.share * 5))
      cells.push(
        <g key={`${i}-${j}`}>
          <rect x={x} y={y} width={s} height={s} className={`heat-cell heat-${step}`} />
          <text
            x={x + s / 2}
            y={y + s / 2 + 5}
            textAnchor="middle"
            className={step >= 3 ? 'heat-text-light' : 'heat-text'}
          >
            {c.count}
          </text>
        </g>,
      )
    }
  return (
    <svg className="heatmap" viewBox={`0 0 ${w} ${w}`} aria-hidden="true" focusable="false">
      {Array.from({ length: size }, (_, k) => `axis-${k}`).map((key, k) => (
        <g key={key}>
          <text x={pad + k * s + s / 2} y={pad - 8} textAnchor="middle" className="heat-axis">
            {k + 1}
          </text>
          <text x={pad - 8} y={pad + k * s + s / 2 + 5} textAnchor="end" className="heat-axis">
            {k + 1}
          </text>
        </g>
      ))}
      {cells}
    </svg>
  )
}

/** W over the session: one point per counted burst, y from 0 to 1, gaps where W was undefined. */
export const LineChart = ({ points }: { points: { w: number | null }[] }) => {
  const width = 300
  const height = 120
  const left = 28
  const right = 8
  const top = 8
  const bottom = 16
  const n = points.length
  const x = (i: number) =>
    left + (n <= 1 ? (width - left - right) / 2 : (i * (width - left - right)) / (n - 1))
  const y = (w: number) => top + (1 - w) * (height - top - bottom)
  // Runs of defined points become separate lines: an undefined W (fewer than two rankers) is a gap.
  const runs: { i: number; w: number }[][] = []
  let run: { i: number; w: number }[] = []
  points.forEach((p, i) => {
    if (p.w === null) {
      if (run.length) runs.push(run)
      run = []
    } else run.push({ i, w: p.w })
  })
  if (run.length) runs.push(run)
  return (
    <svg className="linechart" viewBox={`0 0 ${width} ${height}`} aria-hidden="true" focusable="false">
      {[0, 0.5, 1].map((g) => (
        <g key={g}>
          <line x1={left} x2={width - right} y1={y(g)} y2={y(g)} className="chart-grid" />
          <text x={left - 4} y={y(g) + 4} textAnchor="end" className="chart-axis">
            {g}
          </text>
        </g>
      ))}
      {runs.map((r) => (
        <polyline
          key={r[0].i}
          points={r.map((p) => `${x(p.i).toFixed(1)},${y(p.w).toFixed(1)}`).join(' ')}
          className="chart-line"
        />
      ))}
      {runs.flat().map((p) => (
        <circle key={p.i} cx={x(p.i)} cy={y(p.w)} r="3" className="chart-point" />
      ))}
    </svg>
  )
}
