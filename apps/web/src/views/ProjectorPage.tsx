import type { VoteView } from '@roundtable/protocol'
import { useTranslation } from 'react-i18next'
import { useMeeting } from '../app/meeting-runtime.tsx'
import { CurrentItem } from '../features/agenda/CurrentItem.tsx'
import { SpeakerNow } from '../features/floor/SpeakerNow.tsx'
import { SessionGate } from '../features/follow/SessionGate.tsx'
import { Loading } from '../shared/ui/LoadState.tsx'
import '../features/follow/follow.css'

/** The last released result: the order, best first, ties on one line. */
const LastResult = ({ vote }: { vote: VoteView }) => {
  const { t } = useTranslation()
  const label = (id: string) => vote.options.find((o) => o.id === id)?.label ?? id
  const result = vote.result
  if (!result) return null
  return (
    <section className="projector-result" aria-labelledby="projector-result-title">
      <h2 id="projector-result-title">{t('follow.projectorResult', { question: vote.question })}</h2>
      <p>
        {t(`votes.methods.${vote.method}.name`)} ·{' '}
        {t('votes.card.turnout', { cast: vote.turnout.cast, eligible: vote.turnout.eligible })}
      </p>
      <ol>
        {result.ranking.map((tier) => (
          <li key={tier.join(',')}>
            {tier.map(label).join(' = ')}
            {tier.length > 1 ? ` (${t('follow.tie')})` : ''}
          </li>
        ))}
      </ol>
    </section>
  )
}

const ProjectorBody = () => {
  const { t } = useTranslation()
  const meeting = useMeeting((s) => s.meeting)
  const speaker = useMeeting((s) => s.floor?.speaker ?? null)
  const votes = useMeeting((s) => s.votes)
  const last = [...votes]
    .filter((v) => v.status === 'closed' && v.result)
    .sort((a, b) => (a.closedAt ?? '').localeCompare(b.closedAt ?? ''))
    .at(-1)
  if (!meeting) return <Loading />
  return (
    <main className="projector" aria-label={t('follow.projectorTitle')}>
      <p className="projector-meeting">{meeting.title}</p>
      <CurrentItem large />
      {speaker || !last ? <SpeakerNow large /> : <LastResult vote={last} />}
    </main>
  )
}

/** The room's screen: what is on, who speaks and for how long, or the last result. No controls. */
export const ProjectorPage = ({ meetingId }: { meetingId: string }) => (
  <SessionGate meetingId={meetingId}>
    <ProjectorBody />
  </SessionGate>
)
