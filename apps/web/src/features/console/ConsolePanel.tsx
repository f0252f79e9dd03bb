import { docName } from '@roundtable/doc-schema'
import type { VoteView } from '@roundtable/protocol'
import { useTranslation } from 'react-i18next'
import { useConnection, useMeeting, useRuntime } from '../../app/meeting-runtime.tsx'
import { CurrentItem } from '../agenda/CurrentItem.tsx'
import { useOpenItem } from '../agenda/AgendaPanel.tsx'
import { FloorPanel } from '../floor/FloorPanel.tsx'
import { PresenceList } from '../presence/PresenceList.tsx'
import { TurnoutBar } from '../votes/charts.tsx'
import { PanelBoundary } from '../../shared/ui/PanelBoundary.tsx'
import './console.css'

/** The projector's address: a window of its own, on the chair's session. */
export const projectorUrl = (meetingId: string) => `/m/${encodeURIComponent(meetingId)}/projector`

/** Where the agenda stands, and the one button that moves it on. */
const AgendaControl = () => {
  const { t } = useTranslation()
  const agenda = useMeeting((s) => s.agenda)
  const currentItemId = useMeeting((s) => s.currentItemId)
  const openItem = useOpenItem()
  const at = agenda.findIndex((i) => i.id === currentItemId)
  const next = agenda[at + 1] ?? null
  return (
    <section className="console-card console-agenda" aria-labelledby="console-agenda-title">
      <h2 id="console-agenda-title" className="console-card-title">
        {t('console.agenda')}
      </h2>
      <CurrentItem />
      <div className="row">
        {next ? (
          <button type="button" className="primary" onClick={() => void openItem(next)}>
            {at < 0 ? t('console.start', { title: next.title }) : t('console.next', { title: next.title })}
          </button>
        ) : (
          <p className="hint">{agenda.length ? t('console.lastItem') : t('agenda.empty')}</p>
        )}
      </div>
    </section>
  )
}

const VoteLine = ({ vote }: { vote: VoteView }) => {
  const { t } = useTranslation()
  return (
    <li>
      <span className="vote-question">{vote.question}</span> · {t(`votes.status.${vote.status}`)}
      {vote.status !== 'draft' ? (
        <TurnoutBar
          cast={vote.turnout.cast}
          eligible={vote.turnout.eligible}
          label={t('votes.card.turnout', { cast: vote.turnout.cast, eligible: vote.turnout.eligible })}
        />
      ) : null}
    </li>
  )
}

/** Open and draft votes at a glance; the Votes tab holds their controls. */
const VotesStatus = ({ onGo }: { onGo: (tab: string) => void }) => {
  const { t } = useTranslation()
  const votes = useMeeting((s) => s.votes)
  const live = votes.filter((v) => v.status !== 'closed')
  const last = [...votes].reverse().find((v) => v.status === 'closed')
  return (
    <section className="console-card" aria-labelledby="console-votes-title">
      <h2 id="console-votes-title" className="console-card-title">
        {t('votes.title')}
      </h2>
      {live.length ? (
        <ul className="console-list">
          {live.map((v) => (
            <VoteLine key={v.id} vote={v} />
          ))}
        </ul>
      ) : (
        <p className="hint">{t('console.noLiveVote')}</p>
      )}
      {last ? <p>{t('console.lastResult', { question: last.question })}</p> : null}
      <button type="button" onClick={() => onGo('votes')}>
        {t('console.goVotes')}
      </button>
    </section>
  )
}

/** The board's state (frozen or open, how many ranked, how much they agree) and the brief's link. */
const WorkStatus = ({ onGo }: { onGo: (tab: string) => void }) => {
  const { t } = useTranslation()
  const board = useMeeting((s) => s.board)
  const { meetingId } = useRuntime()
  const brief = useConnection((s) => s.docs[docName(meetingId, 'brief')] ?? null)
  return (
    <section className="console-card" aria-labelledby="console-work-title">
      <h2 id="console-work-title" className="console-card-title">
        {t('console.work')}
      </h2>
      <dl className="console-facts">
        <div>
          <dt>{t('board.tab')}</dt>
          <dd>
            {board
              ? [
                  board.frozen ? t('console.frozen') : t('console.open'),
                  t('console.ranked', { count: board.voters }),
                  board.kendallW !== null ? `W = ${board.kendallW.toFixed(2)}` : null,
                ]
                  .filter(Boolean)
                  .join(' · ')
              : t('common.loading')}
          </dd>
        </div>
        <div>
          <dt>{t('tabs.brief')}</dt>
          <dd>
            {!brief
              ? t('common.loading')
              : brief.unsaved
                ? t('console.briefSaving')
                : brief.synced
                  ? t('console.briefSynced')
                  : t('console.briefConnecting')}
          </dd>
        </div>
      </dl>
      <div className="row">
        <button type="button" onClick={() => onGo('board')}>
          {t('console.goBoard')}
        </button>
        <button type="button" onClick={() => onGo('brief')}>
          {t('console.goBrief')}
        </button>
      </div>
    </section>
  )
}

/**
 * The chair's one screen: the agenda and its clock, the speaker queue, the votes, the board's
 * and the brief's state, who is present. Moving on sends everyone who follows to the new tool.
 */
export const ConsolePanel = ({ onGo }: { onGo: (tab: string) => void }) => {
  const { t } = useTranslation()
  const { meetingId } = useRuntime()
  return (
    <div className="console">
      <div className="console-top">
        <button
          type="button"
          onClick={() => window.open(projectorUrl(meetingId), 'roundtable-projector', 'noopener')}
        >
          {t('console.projector')}
        </button>
      </div>
      <div className="console-grid">
        <div className="console-col">
          <PanelBoundary>
            <AgendaControl />
          </PanelBoundary>
          <PanelBoundary>
            <section className="console-card">
              <FloorPanel compact />
            </section>
          </PanelBoundary>
        </div>
        <div className="console-col">
          <PanelBoundary>
            <VotesStatus onGo={onGo} />
          </PanelBoundary>
          <PanelBoundary>
            <WorkStatus onGo={onGo} />
          </PanelBoundary>
          <PanelBoundary>
            <section className="console-card">
              <PresenceList heading={t('console.present')} />
            </section>
          </PanelBoundary>
        </div>
      </div>
    </div>
  )
}
