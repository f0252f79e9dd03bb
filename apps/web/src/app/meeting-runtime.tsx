import { DOC_KINDS, type DocKind } from '@roundtable/doc-schema'
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

/**
 * Everything one open meeting needs: its stores, its channel and its shared documents, one per
 * document kind (a new kind in doc-schema is opened here with no other change).
 */
export interface MeetingRuntime {
  meetingId: MeetingId
  meeting: MeetingStore
  connection: ConnectionStore
  channel: MeetingChannel
  docs: Record<DocKind, DocLinkHandle>
}

const Ctx = createContext<MeetingRuntime | null>(null)

export const useRuntime = (): MeetingRuntime => {
  const rt = useContext(Ctx)
  if (!rt) throw new Error('useRuntime outside a meeting')
  return rt
}

/** The open meeting's shared document of one kind. */
export const useDoc = (kind: DocKind): DocLinkHandle => useRuntime().docs[kind]

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
      for (const d of Object.values(docs)) d.provider.disconnect()
    }
    const onDocClosed = (code: number) => {
      // 4410: the session ended; 4401: it is gone. The channel reports the same; either settles it.
      if (code === 4410) ended('removed')
    }
    const docs = Object.fromEntries(
      DOC_KINDS.map((kind) => [kind, openDoc(meetingId, kind, connection, onDocClosed)]),
    ) as Record<DocKind, DocLinkHandle>
    const channel = openMeetingChannel({ meeting, connection, session: sessionStore }, ended)
    const online = () => connection.getState().setBrowserOnline(navigator.onLine)
    online()
    window.addEventListener('online', online)
    window.addEventListener('offline', online)
    setRt({ meetingId, meeting, connection, channel, docs })
    return () => {
      window.removeEventListener('online', online)
      window.removeEventListener('offline', online)
      channel.close()
      for (const d of Object.values(docs)) d.destroy()
      setRt(null)
    }
  }, [meetingId])
  if (!rt) return null
  return <Ctx.Provider value={rt}>{children}</Ctx.Provider>
}
