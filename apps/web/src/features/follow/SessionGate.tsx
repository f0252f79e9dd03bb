import { asMeetingId } from '@roundtable/protocol'
import { type ReactNode, useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { MeetingRuntimeProvider } from '../../app/meeting-runtime.tsx'
import { sessionStore, useSession } from '../../app/stores.ts'
import { AppLink, Layout } from '../../shared/ui/Layout.tsx'
import { Loading } from '../../shared/ui/LoadState.tsx'

/** Opens the meeting's connections only for a session of this meeting (the meeting page, the follow and projector views). */
export const SessionGate = ({ meetingId, children }: { meetingId: string; children: ReactNode }) => {
  const { t } = useTranslation()
  const status = useSession((s) => s.status)
  const participant = useSession((s) => s.participant)
  useEffect(() => {
    const s = sessionStore.getState()
    if (s.status === 'unknown' || (s.status === 'ready' && !s.participant)) void s.load()
  }, [])
  if (status === 'unknown' || status === 'loading')
    return (
      <Layout>
        <Loading />
      </Layout>
    )
  if (!participant || participant.meetingId !== meetingId)
    return (
      <Layout>
        <h1>{t('meeting.noAccessTitle')}</h1>
        <p>{participant ? t('meeting.otherMeeting') : t('errors.RT_ERR_UNAUTHORIZED')}</p>
        <p>
          {participant ? (
            <AppLink to={`/m/${participant.meetingId}`}>{t('meeting.openMine')}</AppLink>
          ) : (
            <AppLink to="/">{t('common.backHome')}</AppLink>
          )}
        </p>
      </Layout>
    )
  return <MeetingRuntimeProvider meetingId={asMeetingId(meetingId)}>{children}</MeetingRuntimeProvider>
}
