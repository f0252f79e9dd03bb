import type { MeetingId } from '@roundtable/protocol'
import { createContext, type ReactNode, useContext, useEffect, useState } from 'react'
import { useStore } from 'zustand'
import { type DocLinkHandle, openDoc } from '../shared/api/docs.ts'
import { type MeetingChannel, openMeetingChannel } from '../shared/api/meeting-channel.ts'
import {
  type ConnectionState,
  type ConnectionStore,
  createConnectionStore,
} from '../features/presence/connection.ts'
import { createMeetingStore, type MeetingStore, type MeetingStoreState } from './meeting-store.ts'
import { sessionStore } from './stores.ts'

/** Everything one open meeting needs: its stores, its channel and its two shared documents. */
export interface MeetingRuntime {
  meetingId: MeetingId
  meeting: MeetingStore
  connection: ConnectionStore
  channel: MeetingChannel
  brief: DocLinkHandle
  priorities: DocLinkHandle
}

const Ctx = createContext<MeetingRuntime | null>(null)

export const useRuntime = (): MeetingRuntime => {
  const rt = useContext(Ctx)
  if (!rt) throw new Error('useRuntime outside a meeting')
  return rt
}

export const useMeeting = <T,>(select: (s: MeetingStoreState) => T): T =>
  useStore(useRuntime().meeting, select)
export const useConnection = <T,>(select: (s: ConnectionState) => T): T =>
  useStore(useRuntime().connection, select)

/** Opens the meeting for as long as the component is mounted; closes every socket after. */
export const MeetingRuntimeProvider = ({
  meetingId,
  children,
}: {
  meetingId: MeetingId
  children: ReactNode
}) => {
  const [rt, setRt] = useState<MeetingRuntime | null>(null)
  useEffect(() => {
    const meeting = createMeetingStore()
    const connection = createConnectionStore()
    const ended = (why: 'removed' | 'unauthorized') => {
      if (why === 'removed') meeting.getState().endSession()
      else void sessionStore.getState().load()
      brief.provider.disconnect()
      priorities.provider.disconnect()
    }
    const onDocClosed = (code: number) => {
      // 4410: the session ended; 4401: it is gone. The channel reports the same; either settles it.
      if (code === 4410) ended('removed')
    }
    const brief = openDoc(meetingId, 'brief', connection, onDocClosed)
    const priorities = openDoc(meetingId, 'priorities', connection, onDocClosed)
    const channel = openMeetingChannel({ meeting, connection, session: sessionStore }, ended)
    const online = () => connection.getState().setBrowserOnline(navigator.onLine)
    online()
    window.addEventListener('online', online)
    window.addEventListener('offline', online)
    setRt({ meetingId, meeting, connection, channel, brief, priorities })
    return () => {
      window.removeEventListener('online', online)
      window.removeEventListener('offline', online)
      channel.close()
      brief.destroy()
      priorities.destroy()
      setRt(null)
    }
  }, [meetingId])
  if (!rt) return null
  return <Ctx.Provider value={rt}>{children}</Ctx.Provider>
}
