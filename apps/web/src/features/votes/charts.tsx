import { useTranslation } from 'react-i18next'

/** Patterns for series: a shape and a dash as well as a colour, so no series is told by colour alone. */
const SERIES = [
  { colour: '#0b4f9c', dash: '', marker: 'circle' },
  { colour: '#a1221a', dash: '6 3', marker: 'square' },
  { colour: '#14532d', dash: '2 3', marker: 'triangle' },
  { colour: '#6b3fa0', dash: '8 3 2 3', marker: 'diamond' },
  { colour: '#7a4b00', dash: '1 2', marker: 'circle' },
  { colour: '#1b1f24', dash: '4 4', marker: 'square' },
] as const

export const useNumber = () => {
  const { i18n } = useTranslation()
  const f = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 2 })
  return (n: number) => f.format(n)
}

/**
 * Horizontal bars, one per row, with the label and the value as text beside each bar (the bar
 * itself is decoration: everything it says is written next to it).
 */
export const BarChart = ({
  caption,
  rows,
}: {
  caption: string
  rows: { id: string; label: string; value: number; highlight?: boolean }[]
}) => {
  const num = useNumber()
  const top = Math.max(1e-9, ...rows.map((r) => Math.abs(r.value)))
  return (
    <figure className="bar-chart">
      <figcaption>{caption}</figcaption>
      <ul>
        {rows.map((r) => (
          <li key={r.id} className={r.highlight ? 'bar-row top' : 'bar-row'}>
            <span className="bar-label">{r.label}</span>
            <svg className="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
              <rect x="0" y="0" width="100" height="10" fill="#e6eef8" />
              <rect x="0" y="0" width={(Math.abs(r.value) / top) * 100} height="10" fill="#0b4f9c" />
            </svg>
            <span className="bar-value">{num(r.value)}</span>
          </li>
        ))}
      </ul>
    </figure>
  )
}

const Marker = ({ kind, x, y, colour }: { kind: string; x: number; y: number; colour: string }) => {
  switch (kind) {
    case 'square':
      return <rect x={x - 3} y={y - 3} width="6" height="6" fill={colour} />
    case 'triangle':
      return <polygon points={`${x},${y - 4} ${x + 4},${y + 3} ${x - 4},${y + 3}`} fill={colour} />
    case 'diamond':
      return <polygon points={`${x},${y - 4} ${x + 4},${y} ${x},${y + 4} ${x - 4},${y}`} fill={colour} />
    default:
      return <circle cx={x} cy={y} r="3.5" fill={colour} />
  }
}

/**
 * Votes per option across rounds (IRV, STV, Coombs, runoff): one line per option with its own
 * marker and dash; the table beside it carries the same numbers for screen readers.
 */
export const RoundsChart = ({
  caption,
  ids,
  label,
  rounds,
}: {
  caption: string
  ids: string[]
  label: (id: string) => string
  rounds: Record<string, number>[]
}) => {
  const { t } = useTranslation()
  const W = 320
  const H = 160
  const pad = { l: 30, r: 10, t: 10, b: 24 }
  const top = Math.max(1, ...rounds.flatMap((r) => Object.values(r)))
  const x = (i: number) => pad.l + (rounds.length === 1 ? 0 : (i / (rounds.length - 1)) * (W - pad.l - pad.r))
  const y = (v: number) => pad.t + (1 - v / top) * (H - pad.t - pad.b)
  return (
    <figure className="rounds-chart">
      <figcaption>{caption}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('votes.result.roundsChartLabel')}>
        <line x1={pad.l} y1={y(0)} x2={W - pad.r} y2={y(0)} stroke="#4a5360" />
        <line x1={pad.l} y1={pad.t} x2={pad.l} y2={y(0)} stroke="#4a5360" />
        <text x={pad.l - 4} y={pad.t + 4} textAnchor="end" fontSize="9" fill="#1b1f24">
          {Math.round(top)}
        </text>
        <text x={pad.l - 4} y={y(0)} textAnchor="end" fontSize="9" fill="#1b1f24">
          0
        </text>
        {rounds.map((_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rounds are numbered, never reordered
          <text key={i} x={x(i)} y={H - 8} textAnchor="middle" fontSize="9" fill="#1b1f24">
            {i + 1}
          </text>
        ))}
        {ids.map((id, k) => {
          const s = SERIES[k % SERIES.length]
          const pts = rounds.map((r, i) => (id in r ? { i, v: r[id] } : null)).filter((p) => p !== null)
          return (
            <g key={id}>
              <polyline
                fill="none"
                stroke={s.colour}
                strokeWidth="2"
                strokeDasharray={s.dash}
                points={pts.map((p) => `${x(p.i)},${y(p.v)}`).join(' ')}
              />
              {pts.map((p) => (
                <Marker key={p.i} kind={s.marker} x={x(p.i)} y={y(p.v)} colour={s.colour} />
              ))}
            </g>
          )
        })}
      </svg>
      <ul className="legend" aria-hidden="true">
        {ids.map((id, k) => {
          const s = SERIES[k % SERIES.length]
          return (
            <li key={id}>
              <svg viewBox="0 0 24 10" width="24" height="10" aria-hidden="true">
                <line
                  x1="0"
                  y1="5"
                  x2="24"
                  y2="5"
                  stroke={s.colour}
                  strokeWidth="2"
                  strokeDasharray={s.dash}
                />
                <Marker kind={s.marker} x={12} y={5} colour={s.colour} />
              </svg>{' '}
              {label(id)}
            </li>
          )
        })}
      </ul>
    </figure>
  )
}

/** A turnout bar: how many of how many, as text and as a bar. */
export const TurnoutBar = ({ cast, eligible, label }: { cast: number; eligible: number; label: string }) => {
  const share = eligible > 0 ? Math.min(1, cast / eligible) : 0
  return (
    <div className="turnout">
      <span className="turnout-text">{label}</span>
      <svg className="turnout-bar" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true">
        <rect x="0" y="0" width="100" height="8" fill="#e6eef8" stroke="#4a5360" strokeWidth="0.5" />
        <rect x="0" y="0" width={share * 100} height="8" fill="#14532d" />
      </svg>
    </div>
  )
}
