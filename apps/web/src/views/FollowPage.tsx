import { useTranslation } from 'react-i18next'
import { useMeeting } from '../app/meeting-runtime.tsx'
import { CurrentItem } from '../features/agenda/CurrentItem.tsx'
import { BoardPanel } from '../features/board/BoardPanel.tsx'
import { BriefEditor } from '../features/brief/BriefEditor.tsx'
import { FloorPanel, MyRequest } from '../features/floor/FloorPanel.tsx'
import { SpeakerNow } from '../features/floor/SpeakerNow.tsx'
import { FollowBar } from '../features/follow/FollowBar.tsx'
import { Reconnected } from '../features/follow/Reconnected.tsx'
import { SessionGate } from '../features/follow/SessionGate.tsx'
import { useFollow } from '../features/follow/use-follow.ts'
import { NoticeRegion } from '../features/notices/NoticeRegion.tsx'
import { ConnectionStatus } from '../features/presence/ConnectionStatus.tsx'
import { VotesPanel } from '../features/votes/VotesPanel.tsx'
import { AppLink, Layout } from '../shared/ui/Layout.tsx'
import { Loading } from '../shared/ui/LoadState.tsx'
import { PanelBoundary } from '../shared/ui/PanelBoundary.tsx'
import { type TabDef, Tabs } from '../shared/ui/Tabs.tsx'
import '../features/follow/follow.css'

const FollowBody = () => {
  const { t } = useTranslation()
  const meeting = useMeeting((s) => s.meeting)
  const me = useMeeting((s) => s.me)
  const floor = useMeeting((s) => s.floor)
  const control = useFollow('floor', { joinCurrent: true })
  const panel = (id: string, label: string, body: React.ReactNode): TabDef => ({
    id,
    label,
    render: () => <PanelBoundary key={id}>{body}</PanelBoundary>,
  })
  const tabs: TabDef[] = [
    panel('floor', t('floor.tab'), <FloorPanel />),
    panel('brief', t('tabs.brief'), <BriefEditor />),
    panel('board', t('board.tab'), <BoardPanel />),
    panel('votes', t('votes.tab'), <VotesPanel />),
  ]
  const label = (id: string) => tabs.find((x) => x.id === id)?.label ?? id
  return (
    <Layout
      wide
      headerContent={
        <div className="meeting-header">
          <div className="meeting-heading">
            <p className="follow-title">
              <strong>{meeting?.title ?? t('common.loading')}</strong> · {t('follow.title')}
            </p>
          </div>
          <ConnectionStatus />
        </div>
      }
    >
      <NoticeRegion />
      <Reconnected />
      {!meeting || !me ? (
        <Loading />
      ) : (
        <div className="follow-page">
          <h1 className="visually-hidden">{t('follow.title')}</h1>
          <div className="follow-section">
            <PanelBoundary>
              <CurrentItem />
            </PanelBoundary>
            <PanelBoundary>
              <SpeakerNow />
              {floor ? <MyRequest floor={floor} /> : null}
            </PanelBoundary>
          </div>
          <FollowBar control={control} tabLabel={label} />
          <Tabs label={t('follow.tabs')} tabs={tabs} selected={control.tab} onSelect={control.select} />
          <p className="follow-full">
            <AppLink to={`/m/${meeting.id}`}>{t('follow.fullPage')}</AppLink>
          </p>
        </div>
      )}
    </Layout>
  )
}

/** A remote member's window on the meeting: read-only, live, following the chair. */
export const FollowPage = ({ meetingId }: { meetingId: string }) => (
  <SessionGate meetingId={meetingId}>
    <FollowBody />
  </SessionGate>
)
