import { can } from '@roundtable/protocol'
import { type ReactNode, useSyncExternalStore } from 'react'
import { useTranslation } from 'react-i18next'
import { useMeeting } from '../app/meeting-runtime.tsx'
import { delegationName } from '../features/access/access-slice.ts'
import { InvitationsPanel } from '../features/access/InvitationsPanel.tsx'
import { ParticipantsPanel } from '../features/access/ParticipantsPanel.tsx'
import { AgendaPanel } from '../features/agenda/AgendaPanel.tsx'
import { CurrentItem } from '../features/agenda/CurrentItem.tsx'
import { ConsolePanel } from '../features/console/ConsolePanel.tsx'
import '../features/console/meeting-layout.css'
import { FloorPanel } from '../features/floor/FloorPanel.tsx'
import { FollowBar } from '../features/follow/FollowBar.tsx'
import { useFollow } from '../features/follow/use-follow.ts'
import { AuditPanel } from '../features/audit/AuditPanel.tsx'
import { BoardPanel } from '../features/board/BoardPanel.tsx'
import { FrozenBanner } from '../features/board/FrozenBanner.tsx'
import { BriefEditor } from '../features/brief/BriefEditor.tsx'
import { NoticeRegion } from '../features/notices/NoticeRegion.tsx'
import { ConnectionStatus } from '../features/presence/ConnectionStatus.tsx'
import { PresenceList } from '../features/presence/PresenceList.tsx'
import { PrioritiesPanel } from '../features/priorities/PrioritiesPanel.tsx'
import { DraftsPanel } from '../features/drafting/DraftsPanel.tsx'
import { VotesPanel } from '../features/votes/VotesPanel.tsx'
import { formatDate } from '../shared/i18n/index.ts'
import { AppLink, Layout } from '../shared/ui/Layout.tsx'
import { Loading } from '../shared/ui/LoadState.tsx'
import { PanelBoundary } from '../shared/ui/PanelBoundary.tsx'
import { SessionGate } from '../features/follow/SessionGate.tsx'
import { type TabDef, Tabs } from '../shared/ui/Tabs.tsx'

const MeetingHeader = () => {
  const { t, i18n } = useTranslation()
  const meeting = useMeeting((s) => s.meeting)
  const me = useMeeting((s) => s.me)
  const delegations = useMeeting((s) => s.delegations)
  const delegation = me ? delegationName(delegations, me.delegationId) : null
  return (
    <div className="meeting-header">
      <div className="meeting-heading">
        <h1>{meeting?.title ?? t('common.loading')}</h1>
        {meeting ? (
          <p className="meeting-facts">
            {formatDate(meeting.date, i18n.language)}
            {meeting.place ? ` · ${meeting.place}` : ''}
          </p>
        ) : null}
      </div>
      {me ? (
        <p className="me">
          <span className="visually-hidden">{t('meeting.youAre')} </span>
          <strong>{me.displayName}</strong>
          <span>
            {' · '}
            {t(`roles.${me.role}`)}
            {delegation ? ` · ${delegation}` : ''}
          </span>
        </p>
      ) : null}
      <ConnectionStatus />
    </div>
  )
}

/** Narrow screens fold the agenda and the people away: the current item and the work come first. */
const NARROW = '(max-width: 52rem)'
const useNarrow = () =>
  useSyncExternalStore(
    (cb) => {
      const mq = window.matchMedia(NARROW)
      mq.addEventListener('change', cb)
      return () => mq.removeEventListener('change', cb)
    },
    () => window.matchMedia(NARROW).matches,
  )

const Sidebar = () => {
  const { t } = useTranslation()
  const narrow = useNarrow()
  const body = (
    <>
      <PanelBoundary>
        <AgendaPanel />
      </PanelBoundary>
      <PanelBoundary>
        <PresenceList />
      </PanelBoundary>
    </>
  )
  return (
    <div className="sidebar">
      {narrow ? (
        <details className="sidebar-fold">
          <summary>{t('console.agendaAndPeople')}</summary>
          {body}
        </details>
      ) : (
        body
      )}
    </div>
  )
}

/** The tabs, following the chair's focus (the chair's console leads; everyone else follows). */
const Workspace = ({ makeTabs }: { makeTabs: (go: (tab: string) => void) => TabDef[] }) => {
  const { t } = useTranslation()
  const me = useMeeting((s) => s.me)
  const chair = me ? can(me.role, 'manageInvitations') : false
  const control = useFollow(chair ? 'console' : 'brief')
  const tabs = makeTabs(control.select)
  const label = (id: string) => tabs.find((x) => x.id === id)?.label ?? id
  return (
    <div className="workspace" id="workspace">
      {me?.role === 'observer' ? (
        <p className="observer-follow">
          <AppLink to={`/m/${me.meetingId}/follow`}>{t('follow.openFollow')}</AppLink>
        </p>
      ) : null}
      {/* The console shows the item with its own controls. */}
      {control.tab === 'console' ? null : (
        <PanelBoundary>
          <CurrentItem />
        </PanelBoundary>
      )}
      <FrozenBanner />
      <FollowBar control={control} tabLabel={label} />
      <Tabs label={t('tabs.label')} tabs={tabs} selected={control.tab} onSelect={control.select} />
    </div>
  )
}

const MeetingBody = () => {
  const { t } = useTranslation()
  const me = useMeeting((s) => s.me)
  const meeting = useMeeting((s) => s.meeting)
  const ended = useMeeting((s) => s.ended)
  if (ended)
    return (
      <Layout>
        <h1>{t('meeting.endedTitle')}</h1>
        <p role="alert">{t('errors.RT_ERR_REMOVED')}</p>
        <p>
          <AppLink to="/">{t('common.backHome')}</AppLink>
        </p>
      </Layout>
    )
  const chair = me ? can(me.role, 'manageInvitations') : false
  // Each panel behind its own boundary (keyed by tab, so another tab starts clean): one that
  // cannot render what it was sent leaves the agenda, the people and the other tabs working.
  const panel = (id: string, label: string, body: ReactNode): TabDef => ({
    id,
    label,
    render: () => <PanelBoundary key={id}>{body}</PanelBoundary>,
  })
  const makeTabs = (goTo: (tab: string) => void): TabDef[] => [
    ...(chair ? [panel('console', t('console.tab'), <ConsolePanel onGo={goTo} />)] : []),
    panel('brief', t('tabs.brief'), <BriefEditor />),
    panel('priorities', t('tabs.priorities'), <PrioritiesPanel />),
    panel('board', t('board.tab'), <BoardPanel />),
    panel('votes', t('votes.tab'), <VotesPanel />),
    panel('drafts', t('drafting.tab'), <DraftsPanel onOpenVotes={() => goTo('votes')} />),
    panel('floor', t('floor.tab'), <FloorPanel />),
    ...(chair
      ? [
          panel('invitations', t('tabs.invitations'), <InvitationsPanel />),
          panel('participants', t('tabs.participants'), <ParticipantsPanel />),
          panel('audit', t('tabs.audit'), <AuditPanel />),
        ]
      : []),
  ]
  return (
    <Layout
      wide
      headerContent={
        <PanelBoundary>
          <MeetingHeader />
        </PanelBoundary>
      }
    >
      <NoticeRegion />
      {!meeting || !me ? (
        <Loading />
      ) : (
        // The workspace first in reading order: the skip link and a phone reach the work before the agenda.
        <div className="meeting-grid">
          <Workspace makeTabs={makeTabs} />
          <Sidebar />
        </div>
      )}
    </Layout>
  )
}

/** Checks the session belongs to this meeting before opening any connection. */
export const MeetingPage = ({ meetingId }: { meetingId: string }) => (
  <SessionGate meetingId={meetingId}>
    <MeetingBody />
  </SessionGate>
)
