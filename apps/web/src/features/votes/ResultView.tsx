import type { VoteMethod, VoteView } from '@roundtable/protocol'
import { useTranslation } from 'react-i18next'
import { BarChart, RoundsChart, useNumber } from './charts.tsx'
import { type Labeller, labeller, orderedIds, roundChanges, verdictGroups, withLabels } from './result.ts'

type Result = NonNullable<VoteView['result']>

/** Tiers best first; a tier of several is a tie and says so. */
export const Order = ({ ranking, label }: { ranking: string[][]; label: Labeller }) => {
  const { t } = useTranslation()
  return (
    <ol className="result-order">
      {ranking.map((tier) => (
        <li key={tier.join()}>
          {tier.map(label).join(' = ')}
          {tier.length > 1 ? <span className="badge tie-badge">{t('votes.result.tied')}</span> : null}
        </li>
      ))}
    </ol>
  )
}

/** A head-to-head matrix (pairwise counts, strongest paths): row beats column by the number shown. */
const Matrix = ({
  caption,
  ids,
  label,
  cells,
}: {
  caption: string
  ids: string[]
  label: Labeller
  cells: Record<string, Record<string, number | null>>
}) => {
  const { t } = useTranslation()
  const num = useNumber()
  return (
    <>
      {/* The caption shown above the scrolling box, so a wide matrix does not scroll it out of sight. */}
      <p className="table-caption" aria-hidden="true">
        {caption}
      </p>
      <div className="table-scroll">
        <table className="vote-matrix">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <td />
              {ids.map((c, i) => (
                // Columns by number (the rows name them in full), so the matrix fits a phone.
                <th key={c} scope="col">
                  <span aria-hidden="true">{i + 1}</span>
                  <span className="visually-hidden">{label(c)}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {ids.map((r, i) => (
              <tr key={r}>
                <th scope="row">
                  <span aria-hidden="true">{i + 1}. </span>
                  {label(r)}
                </th>
                {ids.map((c) => {
                  if (r === c)
                    return (
                      <td key={c} className="self">
                        <span aria-hidden="true">—</span>
                        <span className="visually-hidden">{t('votes.result.self')}</span>
                      </td>
                    )
                  const v = cells[r]?.[c] ?? null
                  const w = cells[c]?.[r] ?? null
                  const cls = v === null || w === null ? '' : v > w ? 'win' : v < w ? 'loss' : 'even'
                  return (
                    <td key={c} className={cls}>
                      {v === null ? '—' : num(v)}
                      {cls === 'win' ? (
                        <span aria-hidden="true"> ▲</span>
                      ) : cls === 'loss' ? (
                        <span aria-hidden="true"> ▼</span>
                      ) : null}
                    </td>
                  )
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}

const RoundsTable = ({
  ids,
  label,
  rounds,
  elected,
}: {
  ids: string[]
  label: Labeller
  rounds: Record<string, number>[]
  /** STV: options elected drop out of the later rounds as elected, not as eliminated. */
  elected: string[]
}) => {
  const { t } = useTranslation()
  const num = useNumber()
  const changes = roundChanges(rounds)
  return (
    <div className="table-scroll">
      <table className="rounds">
        <caption>{t('votes.result.roundsTable')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('votes.result.option')}</th>
            {rounds.map((_, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rounds are numbered, never reordered
              <th key={i} scope="col">
                {t('votes.result.round', { n: i + 1 })}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ids.map((id) => (
            <tr key={id}>
              <th scope="row">{label(id)}</th>
              {rounds.map((r, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rounds are numbered, never reordered
                <td key={i}>
                  {id in r ? (
                    <>
                      {num(r[id])}
                      {i > 0 && changes[i][id] !== 0 ? (
                        <span className="transfer">
                          {' '}
                          ({changes[i][id] > 0 ? '+' : '−'}
                          {num(Math.abs(changes[i][id]))})
                        </span>
                      ) : null}
                    </>
                  ) : (
                    <span className="hint">
                      {elected.includes(id) && rounds.slice(0, i).some((earlier) => id in earlier)
                        ? t('votes.result.electedOut')
                        : t('votes.result.out')}
                    </span>
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

const ScoresTable = ({
  rows,
  caption,
}: {
  rows: { id: string; label: string; value: number }[]
  caption: string
}) => {
  const { t } = useTranslation()
  const num = useNumber()
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('votes.result.option')}</th>
          <th scope="col">{t('votes.result.value')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id}>
            <th scope="row">{r.label}</th>
            <td>{num(r.value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** The method's working: whatever the tally reported, each as a table and, where it helps, a chart. */
const Working = ({ vote, result, label }: { vote: VoteView; result: Result; label: Labeller }) => {
  const { t } = useTranslation()
  const ids = orderedIds(vote.method === 'motion' ? { options: [] } : vote, result.ranking)
  const scores = result.scores as Record<string, number> | undefined
  const rounds = result.rounds as Record<string, number>[] | undefined
  const pairwise = result.pairwise as Record<string, Record<string, number>> | undefined
  const paths = result.strongest_paths as Record<string, Record<string, number | null>> | undefined
  const locked = result.locked as
    | { winner: string; loser: string; for: number; against: number }[]
    | undefined
  const num = useNumber()
  const scoreIds = scores
    ? [...ids.filter((id) => id in scores), ...Object.keys(scores).filter((id) => !ids.includes(id))]
    : []
  const scoreRows = scoreIds.map((id) => ({
    id,
    label: label(id),
    value: scores?.[id] ?? 0,
    highlight: result.winners.includes(id),
  }))
  return (
    <section className="working" aria-labelledby={`working-${vote.id}`}>
      <h4 id={`working-${vote.id}`}>{t('votes.result.working')}</h4>
      {scores && scoreRows.length > 0 ? (
        <div className="working-part">
          <BarChart caption={t('votes.result.scoresChart')} rows={scoreRows} />
          <details>
            <summary>{t('votes.result.asTable')}</summary>
            <ScoresTable rows={scoreRows} caption={t('votes.result.scoresChart')} />
          </details>
        </div>
      ) : null}
      {rounds && rounds.length > 0 ? (
        <div className="working-part">
          <RoundsChart
            caption={t('votes.result.roundsChart')}
            ids={ids.filter((id) => rounds.some((r) => id in r))}
            label={label}
            rounds={rounds}
          />
          <RoundsTable
            ids={ids.filter((id) => rounds.some((r) => id in r))}
            label={label}
            rounds={rounds}
            elected={(result.elected as string[] | undefined) ?? []}
          />
          {typeof result.quota === 'number' ? (
            <p className="hint">{t('votes.result.quota', { quota: num(result.quota) })}</p>
          ) : null}
        </div>
      ) : null}
      {pairwise ? (
        <div className="working-part">
          <Matrix caption={t('votes.result.pairwise')} ids={ids} label={label} cells={pairwise} />
        </div>
      ) : null}
      {paths ? (
        <div className="working-part">
          <Matrix caption={t('votes.result.paths')} ids={ids} label={label} cells={paths} />
        </div>
      ) : null}
      {locked && locked.length > 0 ? (
        <div className="working-part">
          <table>
            <caption>{t('votes.result.locked')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('votes.result.winnerCol')}</th>
                <th scope="col">{t('votes.result.loserCol')}</th>
                <th scope="col">{t('votes.result.margin')}</th>
              </tr>
            </thead>
            <tbody>
              {locked.map((p) => (
                <tr key={`${p.winner}>${p.loser}`}>
                  <td>{label(p.winner)}</td>
                  <td>{label(p.loser)}</td>
                  <td>
                    {num(p.for)}–{num(p.against)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  )
}

/** The same ballots by every other method of the family, and how they agree. */
const Comparison = ({ vote, result, label }: { vote: VoteView; result: Result; label: Labeller }) => {
  const { t } = useTranslation()
  if (result.comparison.length < 2) return null
  const groups = verdictGroups(result.comparison)
  const who = (ids: string[]) =>
    ids.length ? ids.map(label).join(t('votes.result.and')) : t('votes.result.nobody')
  const name = (m: VoteMethod) => t(`votes.methods.${m}.name`)
  const [top, ...rest] = groups
  return (
    <section className="comparison" aria-labelledby={`compare-${vote.id}`}>
      <h4 id={`compare-${vote.id}`}>{t('votes.result.comparison')}</h4>
      <p className="verdict">
        {rest.length === 0
          ? t(top.winners.length > 1 ? 'votes.verdict.allTie' : 'votes.verdict.all', {
              who: who(top.winners),
            })
          : [
              t(top.winners.length > 1 ? 'votes.verdict.mostTie' : 'votes.verdict.most', {
                who: who(top.winners),
                n: top.methods.length,
                total: result.comparison.length,
              }),
              ...rest.map((g) =>
                t(g.winners.length > 1 ? 'votes.verdict.otherTie' : 'votes.verdict.other', {
                  count: g.methods.length,
                  methods: g.methods.map(name).join(', '),
                  who: who(g.winners),
                }),
              ),
            ].join(t('votes.verdict.sep'))}
      </p>
      {/* A phone gets the same rows as a list (CSS shows one or the other, so each is read once). */}
      <ul className="comparison-list">
        {result.comparison.map((c) => (
          <li key={c.method} className={c.method === vote.method ? 'this-method' : undefined}>
            <strong>
              {name(c.method)}
              {c.method === vote.method ? ` (${t('votes.result.thisVote')})` : ''}
            </strong>
            {' — '}
            {who(c.winners)}
            <span className="hint comparison-order">
              {c.ranking.map((tier) => tier.map(label).join(' = ')).join(' › ')}
            </span>
          </li>
        ))}
      </ul>
      <div className="table-scroll comparison-table">
        <table>
          <caption className="visually-hidden">{t('votes.result.comparison')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('votes.result.method')}</th>
              <th scope="col">{t('votes.result.winners')}</th>
              <th scope="col">{t('votes.result.fullOrder')}</th>
            </tr>
          </thead>
          <tbody>
            {result.comparison.map((c) => (
              <tr key={c.method} className={c.method === vote.method ? 'this-method' : undefined}>
                <th scope="row">
                  {name(c.method)}
                  {c.method === vote.method ? (
                    <span className="hint"> ({t('votes.result.thisVote')})</span>
                  ) : null}
                </th>
                <td>{who(c.winners)}</td>
                <td>{c.ranking.map((tier) => tier.map(label).join(' = ')).join(' › ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

/** A closed vote's result: winners, the full order, quorum, the working, the explanation and the comparison. */
export const ResultView = ({ vote, result }: { vote: VoteView; result: Result }) => {
  const { t, i18n } = useTranslation()
  const label = labeller(vote, {
    yes: t('votes.motion.yes'),
    no: t('votes.motion.no'),
    abstain: t('votes.motion.abstain'),
  })
  const tieBreak = result.tie_break as { rule: 'chair' | 'lot'; seed?: number | string } | undefined
  return (
    <section className="result" aria-labelledby={`result-${vote.id}`}>
      <h4 id={`result-${vote.id}`}>{t('votes.result.title')}</h4>
      {result.tie ? (
        <p className="tie-notice" role="status">
          <strong>{t('votes.result.tieTitle')}</strong>{' '}
          {t('votes.result.tieBody', { who: result.winners.map(label).join(' = ') })}
        </p>
      ) : null}
      <p className="winners">
        {t('votes.result.winnersAre', { count: result.winners.length })}{' '}
        <strong>
          {result.winners.length
            ? result.winners.map(label).join(t('votes.result.and'))
            : t('votes.result.nobody')}
        </strong>
      </p>
      {tieBreak ? (
        <p className="hint">
          {tieBreak.rule === 'lot'
            ? t('votes.result.brokenLot', { seed: String(tieBreak.seed) })
            : t('votes.result.brokenChair')}
        </p>
      ) : null}
      <p className={result.quorumMet ? 'quorum ok' : 'quorum not-met'}>
        {vote.quorum === null
          ? t('votes.result.noQuorum', { count: result.ballots })
          : result.quorumMet
            ? t('votes.result.quorumMet', { count: result.ballots, quorum: vote.quorum })
            : t('votes.result.quorumNotMet', { count: result.ballots, quorum: vote.quorum })}
      </p>
      <h5>{t('votes.result.fullOrder')}</h5>
      <Order ranking={result.ranking} label={label} />
      <Working vote={vote} result={result} label={label} />
      <section aria-labelledby={`explain-${vote.id}`}>
        <h4 id={`explain-${vote.id}`}>{t('votes.result.explanation')}</h4>
        <p lang="en" className="explanation">
          {withLabels(result.explanation, vote)}
        </p>
        {i18n.language !== 'en' ? <p className="hint">{t('votes.result.explanationEnglish')}</p> : null}
      </section>
      <Comparison vote={vote} result={result} label={label} />
    </section>
  )
}
