import type { DraftView } from '@roundtable/protocol'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useMeeting } from '../../app/meeting-runtime.tsx'
import { useCommand } from '../../app/use-command.ts'

/** The chair seeds an empty draft's outline from a closed vote's adopted ranking. */
export const SeedOutline = ({ draft }: { draft: DraftView }) => {
  const { t } = useTranslation()
  const send = useCommand()
  // Select the list itself (a stable reference) and filter here: a selector returning a new array
  // on every call would make the store re-render without end.
  const votes = useMeeting((s) => s.votes)
  const closed = votes.filter((v) => v.status === 'closed' && v.result)
  const [voteId, setVoteId] = useState('')
  const chosen = voteId || closed.at(-1)?.id || ''
  if (closed.length === 0) return <p className="hint">{t('drafting.seed.noVote')}</p>
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    await send('draft:seedOutline', { draftId: draft.id, voteId: chosen }, { key: 'drafting.sent.seeded' })
  }
  return (
    <form className="row seed card" onSubmit={submit} aria-labelledby="seed-title">
      <p id="seed-title" className="hint">
        {t('drafting.seed.help')}
      </p>
      <div className="field">
        <label htmlFor="seed-vote">{t('drafting.seed.vote')}</label>
        <select id="seed-vote" value={chosen} onChange={(e) => setVoteId(e.target.value)}>
          {closed.map((v) => (
            <option key={v.id} value={v.id}>
              {v.question}
            </option>
          ))}
        </select>
      </div>
      <button type="submit">{t('drafting.seed.send')}</button>
    </form>
  )
}
