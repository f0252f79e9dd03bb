import type { VoteView } from '@roundtable/protocol'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useMeeting, useRuntime } from '../../app/meeting-runtime.tsx'
import { useCommand } from '../../app/use-command.ts'
import { formatDateTime } from '../../shared/i18n/index.ts'
import {
  type BallotDraft,
  ballotKindOf,
  CONSENT_LEVELS,
  emptyDraft,
  buildBallot,
  MOTION_CHOICES,
  pointsBudget,
  scoreMax,
} from './ballot.ts'
import { Radios } from './form-controls.tsx'
import { OptionsHash } from './OptionsHash.tsx'
import { RankBallot } from './RankBallot.tsx'
import { loadReceipt, type StoredReceipt, saveReceipt } from './receipts.ts'

/** Number inputs, one per option (score, budget, consent on several proposals). */
const ScoreInputs = ({
  vote,
  draft,
  max,
  step,
  onChange,
}: {
  vote: VoteView
  draft: BallotDraft
  max: number
  step: number | 'any'
  onChange: (scores: Record<string, string>) => void
}) => {
  const { t } = useTranslation()
  return (
    <ul className="score-list">
      {vote.options.map((o) => (
        <li key={o.id} className="score-row">
          <label htmlFor={`score-${vote.id}-${o.id}`}>{o.label}</label>
          <input
            id={`score-${vote.id}-${o.id}`}
            type="number"
            inputMode={step === 1 ? 'numeric' : 'decimal'}
            min={0}
            max={max}
            step={step}
            value={draft.scores[o.id] ?? ''}
            aria-describedby={`score-range-${vote.id}`}
            onChange={(e) => onChange({ ...draft.scores, [o.id]: e.target.value })}
          />
        </li>
      ))}
      <li className="hint" id={`score-range-${vote.id}`}>
        {t('votes.ballot.range', { max })}
      </li>
    </ul>
  )
}

/** The ballot that fits the vote's method; sent as often as the voter likes until close. */
export const BallotForm = ({ vote }: { vote: VoteView }) => {
  const { t, i18n } = useTranslation()
  const command = useCommand()
  const { meetingId } = useRuntime()
  const voted = useMeeting((s) => s.voted.includes(vote.id))
  const markVoted = useMeeting((s) => s.markVoted)
  const [draft, setDraft] = useState(() => emptyDraft(vote))
  const [problem, setProblem] = useState<string | null>(null)
  const [sending, setSending] = useState(false)
  const [receipt, setReceipt] = useState<StoredReceipt | null>(() => loadReceipt(meetingId, vote.id))
  const update = (patch: Partial<BallotDraft>) => {
    setDraft((d) => ({ ...d, ...patch }))
    setProblem(null)
  }
  const kind = ballotKindOf(vote.method)
  const name = `ballot-${vote.id}`
  const budget = pointsBudget(vote)
  const spent = Object.values(draft.scores).reduce((s, x) => s + (Number(x.replace(',', '.')) || 0), 0)

  const submit = async () => {
    const built = buildBallot(vote, draft)
    if (built.error) {
      setProblem(t(`votes.problem.${built.error}`, built.values))
      return
    }
    setSending(true)
    const r = await command('vote:cast', { voteId: vote.id, ballot: built.data })
    setSending(false)
    if (r.error) {
      // The tally's own reason (English) says what did not fit; the code's sentence is in the live region.
      if (r.error.code === 'RT_ERR_BAD_BALLOT') setProblem(r.error.message)
      return
    }
    const stored = { receipt: r.data.receipt, at: new Date().toISOString() }
    saveReceipt(meetingId, vote.id, stored)
    setReceipt(stored)
    markVoted(vote.id)
  }

  return (
    <form
      className="ballot form"
      aria-labelledby={`vote-${vote.id}-question`}
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <h4>{t('votes.ballot.title')}</h4>
      <p className="hint">{t(`votes.ballot.how.${kind}`)}</p>
      {kind === 'rank' ? (
        <RankBallot
          options={vote.options}
          order={draft.order}
          tiedWithAbove={draft.tiedWithAbove}
          disabled={sending}
          onChange={(order, tiedWithAbove) => update({ order, tiedWithAbove })}
        />
      ) : kind === 'choose' ? (
        <Radios
          name={name}
          legend={t('votes.ballot.chooseLegend')}
          choices={vote.options.map((o) => ({ value: o.id, label: o.label }))}
          value={draft.choice}
          onChange={(choice) => update({ choice })}
        />
      ) : kind === 'approve' ? (
        <fieldset className="choices">
          <legend>{t('votes.ballot.approveLegend')}</legend>
          {vote.options.map((o) => (
            <label key={o.id} className="choice">
              <input
                type="checkbox"
                checked={draft.approvals.includes(o.id)}
                onChange={(e) =>
                  update({
                    approvals: e.target.checked
                      ? [...draft.approvals, o.id]
                      : draft.approvals.filter((x) => x !== o.id),
                  })
                }
              />
              <span>{o.label}</span>
            </label>
          ))}
        </fieldset>
      ) : kind === 'score' ? (
        <ScoreInputs
          vote={vote}
          draft={draft}
          max={scoreMax(vote)}
          step={vote.method === 'score' ? 'any' : 1}
          onChange={(scores) => update({ scores })}
        />
      ) : kind === 'budget' ? (
        <>
          <ScoreInputs
            vote={vote}
            draft={draft}
            max={budget ?? 1000}
            step="any"
            onChange={(scores) => update({ scores })}
          />
          {budget !== null ? (
            <p className={spent > budget ? 'error' : 'hint'} role="status">
              {t('votes.ballot.pointsLeft', { left: budget - spent, budget })}
            </p>
          ) : null}
        </>
      ) : kind === 'consent' && vote.options.length === 1 ? (
        <Radios
          name={name}
          legend={t('votes.ballot.consentLegend', { proposal: vote.options[0].label })}
          choices={CONSENT_LEVELS.map((l) => ({
            value: l,
            label: `${l} · ${t(`votes.consent.${l}`)}`,
          }))}
          value={draft.level}
          onChange={(level) => update({ level })}
        />
      ) : kind === 'consent' ? (
        <ScoreInputs vote={vote} draft={draft} max={5} step={1} onChange={(scores) => update({ scores })} />
      ) : (
        <Radios
          name={name}
          legend={t('votes.ballot.motionLegend')}
          choices={MOTION_CHOICES.map((m) => ({ value: m, label: t(`votes.motion.${m}`) }))}
          value={draft.motion}
          onChange={(motion) => update({ motion })}
        />
      )}
      <OptionsHash hash={vote.optionsHash} />
      <p className="error" role="alert">
        {problem}
      </p>
      <button type="submit" className="primary" disabled={sending}>
        {voted || receipt ? t('votes.ballot.resubmit') : t('votes.ballot.submit')}
      </button>
      <div className="receipt" role="status">
        {receipt ? (
          <>
            <p>
              <strong>{t('votes.ballot.received')}</strong> {t('votes.ballot.receiptIs')}{' '}
              <code className="receipt-code">{receipt.receipt}</code>
            </p>
            <p className="hint">
              {t('votes.ballot.lastCounts', { at: formatDateTime(receipt.at, i18n.language) })}
            </p>
          </>
        ) : voted ? (
          <p>{t('votes.ballot.votedElsewhere')}</p>
        ) : null}
      </div>
    </form>
  )
}
