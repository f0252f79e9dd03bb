import type { VoteView } from '@roundtable/protocol'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useRuntime } from '../../app/meeting-runtime.tsx'
import { findReceipt, loadReceipt, type PublishedBallots } from './receipts.ts'
import { labeller } from './result.ts'

/** A ballot as the voter would recognise it: labels, not ids. */
const describe = (ballot: Record<string, unknown>, label: (id: string) => string): string => {
  const ranking = ballot.ranking as (string | string[])[] | undefined
  if (ranking)
    return ranking
      .map((tier) => (Array.isArray(tier) ? tier.map(label).join(' = ') : label(tier)))
      .join(' › ')
  if (typeof ballot.choice === 'string') return label(ballot.choice)
  if (Array.isArray(ballot.approvals)) return (ballot.approvals as string[]).map(label).join(', ')
  if (ballot.scores && typeof ballot.scores === 'object')
    return Object.entries(ballot.scores as Record<string, number>)
      .map(([id, n]) => `${label(id)}: ${n}`)
      .join(', ')
  if (typeof ballot.level === 'number') return String(ballot.level)
  if (typeof ballot.vote === 'string') return label(ballot.vote)
  return JSON.stringify(ballot)
}

/** Looks the stored (or typed) receipt up in the published ballots, fetched here from the same link. */
export const ReceiptCheck = ({ vote, url }: { vote: VoteView; url: string }) => {
  const { t } = useTranslation()
  const { meetingId } = useRuntime()
  const [code, setCode] = useState(() => loadReceipt(meetingId, vote.id)?.receipt ?? '')
  const [outcome, setOutcome] = useState<string | null>(null)
  const id = `receipt-${vote.id}`
  const check = async () => {
    setOutcome(t('votes.published.checking'))
    try {
      const res = await fetch(url, { credentials: 'same-origin' })
      if (!res.ok) throw new Error(String(res.status))
      const published = (await res.json()) as PublishedBallots
      const found = findReceipt(published, code)
      const label = labeller(vote, {
        yes: t('votes.motion.yes'),
        no: t('votes.motion.no'),
        abstain: t('votes.motion.abstain'),
      })
      setOutcome(
        found
          ? t('votes.published.found', {
              n: found.index + 1,
              total: published.ballots.length,
              ballot: describe(found.ballot, label),
            })
          : t('votes.published.notFound', { total: published.ballots.length }),
      )
    } catch {
      setOutcome(t('votes.published.fetchFailed'))
    }
  }
  return (
    <form
      className="receipt-check"
      onSubmit={(e) => {
        e.preventDefault()
        void check()
      }}
    >
      <label htmlFor={id}>{t('votes.published.receipt')}</label>
      <div className="row">
        <input
          id={id}
          type="text"
          autoComplete="off"
          spellCheck={false}
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
        <button type="submit" disabled={!code.trim()}>
          {t('votes.published.check')}
        </button>
      </div>
      <p role="status" className="receipt-outcome">
        {outcome}
      </p>
    </form>
  )
}
