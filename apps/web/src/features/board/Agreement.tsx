import type { AreaView } from '@roundtable/doc-schema'
import type { BoardView, PriorityId } from '@roundtable/protocol'
import { useTranslation } from 'react-i18next'
import { formatDateTime } from '../../shared/i18n/index.ts'
import { Gauge, HeatMap, LineChart } from './charts.tsx'

/** The tally package's band names, as translation keys. */
const BAND_KEYS: Record<string, string> = {
  'very weak': 'veryWeak',
  weak: 'weak',
  moderate: 'moderate',
  strong: 'strong',
  'very strong': 'veryStrong',
}

const useNumber = () => {
  const { i18n } = useTranslation()
  return (n: number, digits = 2) =>
    new Intl.NumberFormat(i18n.language, {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(n)
}

/** The room's agreement as the server last counted it, live from `meeting:board`. */
export const Agreement = ({ board, areas }: { board: BoardView; areas: AreaView[] }) => {
  const { t, i18n } = useTranslation()
  const num = useNumber()
  const titles = new Map(areas.map((a) => [a.id as string, a.title]))
  const titleOf = (id: PriorityId) => titles.get(id) ?? t('board.agreement.unknownArea')
  const method = t(`board.methods.${board.method}.name`)
  // Areas numbered by the group order: the heat map's axes and the key below it use these numbers.
  const order = board.ranking.flat().filter((id) => board.candidates.includes(id))
  for (const id of board.candidates) if (!order.includes(id)) order.push(id)
  const band = board.agreement ? t(`board.agreement.bands.${BAND_KEYS[board.agreement] ?? 'moderate'}`) : null
  const w = board.kendallW
  const list = (ids: PriorityId[]) =>
    new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(ids.map(titleOf))
  // A pair is contested when someone is on each side; a unanimous pair is not, however close the list.
  const contested = board.contested.filter((p) => p.forA > 0 && p.forB > 0)
  const charted = board.series.some((p) => p.kendallW !== null)
  let place = 0

  return (
    <section className="card board-agreement" aria-labelledby="board-agreement-title">
      <h3 id="board-agreement-title">{t('board.agreement.title')}</h3>
      <p className="board-facts">
        <span>{t('board.agreement.method', { method })}</span>
        <span className="board-voters">{t('board.agreement.voters', { count: board.voters })}</span>
      </p>
      {board.cycles.length > 0 ? (
        <p className="board-banner board-cycle">
          <strong>{t('board.agreement.cycleTitle')}</strong>{' '}
          {board.cycles.map((c) => t('board.agreement.cycle', { areas: list(c) })).join(' ')}
        </p>
      ) : null}
      {board.condorcetWinner ? (
        <p className="board-banner board-winner">
          {t('board.agreement.condorcet', { title: titleOf(board.condorcetWinner) })}
        </p>
      ) : null}

      <div className="board-grid">
        <div>
          <h4>{t('board.agreement.orderTitle')}</h4>
          {board.voters === 0 ? (
            <p className="hint">{t('board.agreement.noVoters')}</p>
          ) : (
            <ol className="board-order">
              {board.ranking.map((tier) => {
                place += 1
                const shared = tier.length > 1
                return tier.map((id) => (
                  <li key={id} value={place}>
                    <span className="order-place" aria-hidden="true">
                      {shared ? `=${place}` : place}
                    </span>
                    <span className="order-title">{titleOf(id)}</span>
                    {shared ? <span className="visually-hidden"> ({t('board.agreement.tied')})</span> : null}
                  </li>
                ))
              })}
            </ol>
          )}
        </div>
        <div className="board-w">
          <h4>{t('board.agreement.wTitle')}</h4>
          <Gauge value={w} label={w === null ? '–' : num(w)} />
          <p className="board-w-reading">
            {w === null ? (
              t('board.agreement.wNeedTwo')
            ) : (
              <>
                <strong>{t('board.agreement.wValue', { value: num(w) })}</strong> · {band}
              </>
            )}
          </p>
          <p className="hint">{t('board.agreement.wScale')}</p>
        </div>
      </div>

      {board.voters > 0 && order.length > 1 ? (
        <>
          <h4 id="board-matrix-title">{t('board.agreement.matrixTitle')}</h4>
          <p className="hint">{t('board.agreement.matrixHint')}</p>
          <div className="board-matrix">
            <HeatMap
              size={order.length}
              cell={(i, j) => {
                if (i === j) return null
                const count = board.pairwise[order[i]]?.[order[j]] ?? 0
                return { count, share: board.voters ? count / board.voters : 0 }
              }}
            />
            <ol className="matrix-key" aria-hidden="true">
              {order.map((id) => (
                <li key={id}>{titleOf(id)}</li>
              ))}
            </ol>
          </div>
          <div className="visually-hidden">
            <table>
              <caption>{t('board.agreement.matrixCaption')}</caption>
              <thead>
                <tr>
                  <td />
                  {order.map((id) => (
                    <th key={id} scope="col">
                      {titleOf(id)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {order.map((a) => (
                  <tr key={a}>
                    <th scope="row">{titleOf(a)}</th>
                    {order.map((b) => (
                      <td key={b}>{a === b ? '—' : (board.pairwise[a]?.[b] ?? 0)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}

      {contested.length > 0 ? (
        <>
          <h4>{t('board.agreement.contestedTitle')}</h4>
          <ul className="board-contested">
            {contested.map((p) => (
              <li key={`${p.a}-${p.b}`}>
                {t('board.agreement.contestedPair', {
                  a: titleOf(p.a),
                  b: titleOf(p.b),
                  forA: p.forA,
                  forB: p.forB,
                })}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h4>{t('board.agreement.seriesTitle')}</h4>
      {!charted ? (
        <p className="hint">{t('board.agreement.seriesEmpty')}</p>
      ) : (
        <>
          <LineChart points={board.series.map((p) => ({ w: p.kendallW }))} />
          <div className="visually-hidden">
            <table>
              <caption>{t('board.agreement.seriesCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('board.agreement.seriesTime')}</th>
                  <th scope="col">{t('board.agreement.seriesW')}</th>
                  <th scope="col">{t('board.agreement.seriesVoters')}</th>
                </tr>
              </thead>
              <tbody>
                {board.series.map((p) => (
                  <tr key={p.at}>
                    <td>{formatDateTime(p.at, i18n.language)}</td>
                    <td>{p.kendallW === null ? '–' : num(p.kendallW)}</td>
                    <td>{p.voters}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      {board.explanation ? (
        <details className="board-explanation">
          <summary>{t('board.agreement.explanation')}</summary>
          <p lang="en">{board.explanation}</p>
        </details>
      ) : null}
    </section>
  )
}
