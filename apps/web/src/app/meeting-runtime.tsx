import { DOC_KINDS, type DocKind } from '@roundtable/doc-schema'
import { CloseCode, type MeetingId } from '@roundtable/protocol'
import { createContext, type ReactNode, useContext, useEffect, useState } from 'react'
import { useStore } from 'zustand'
import { type DocLinkHandle, openDoc, openNamedDoc } from '../shared/api/docs.ts'
import { type MeetingChannel, openMeetingChannel } from '../shared/api/meeting-channel.ts'
import {
  type ConnectionState,
  type ConnectionStore,
  createConnectionStore,
} from '../features/presence/connection.ts'
import { createMeetingStore, type MeetingStore, type MeetingStoreState } from './meeting-store.ts'
import { sessionStore } from './stores.ts'

/** Close codes a document connection ends on for good, and the notice each one shows. */
const DOC_REFUSALS: Record<number, string> = {
  [CloseCode.DocumentShape]: 'shape',
  [CloseCode.DocumentFull]: 'full',
  [CloseCode.TooManyConnections]: 'tooMany',
}

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
  /**
   * Any other document of the meeting by name (a draft), opened on first use and shared by its
   * users; `release` closes it when the last one lets go. A fixed kind's name gives that document.
   */
  acquireDoc(name: string): { handle: DocLinkHandle; release(): void }
}

const Ctx = createContext<MeetingRuntime | null>(null)

export const useRuntime = (): MeetingRuntime => {
  const rt = useContext(Ctx)
  if (!rt) throw new Error('useRuntime outside a meeting')
  return rt
}

/** The open meeting's shared document of one kind. */
export const useDoc = (kind: DocKind): DocLinkHandle => useRuntime().docs[kind]

/** A shared document of the meeting by name, open while the component is mounted (null at first). */
export const useNamedDoc = (name: string): DocLinkHandle | null => {
  const rt = useRuntime()
  const [handle, setHandle] = useState<DocLinkHandle | null>(null)
  useEffect(() => {
    const { handle: h, release } = rt.acquireDoc(name)
    setHandle(h)
    return () => {
      setHandle(null)
      release()
    }
  }, [rt, name])
  return handle && handle.name === name ? handle : null
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
      for (const d of Object.values(docs)) d.provider.disconnect()
      for (const d of named.values()) d.handle.provider.disconnect()
    }
    const onDocClosed = (code: number) => {
      // 4410: the session ended; 4401: it is gone. The channel reports the same; either settles it.
      if (code === 4410) ended('removed')
      // Refused for good: the person is told why, and the document stops reconnecting.
      const why = DOC_REFUSALS[code]
      if (why) meeting.getState().notify({ kind: 'error', key: `docClosed.${why}` })
    }
    const docs = Object.fromEntries(
      DOC_KINDS.map((kind) => [kind, openDoc(meetingId, kind, connection, onDocClosed)]),
    ) as Record<DocKind, DocLinkHandle>
    // Documents opened by name (drafts), counted by users so two views of one draft share it.
    const named = new Map<string, { handle: DocLinkHandle; users: number }>()
    const acquireDoc = (name: string) => {
      const fixed = Object.values(docs).find((d) => d.name === name)
      if (fixed) return { handle: fixed, release: () => {} }
      let entry = named.get(name)
      if (!entry) {
        entry = { handle: openNamedDoc(name, connection, onDocClosed), users: 0 }
        named.set(name, entry)
      }
      const e = entry
      e.users++
      let released = false
      return {
        handle: e.handle,
        release: () => {
          if (released) return
          released = true
          if (--e.users === 0 && named.get(name) === e) {
            named.delete(name)
            e.handle.destroy()
          }
        },
      }
    }
    const channel = openMeetingChannel({ meeting, connection, session: sessionStore }, ended)
    const online = () => connection.getState().setBrowserOnline(navigator.onLine)
    online()
    window.addEventListener('online', online)
    window.addEventListener('offline', online)
    setRt({ meetingId, meeting, connection, channel, docs, acquireDoc })
    return () => {
      window.removeEventListener('online', online)
      window.removeEventListener('offline', online)
      channel.close()
      for (const d of Object.values(docs)) d.destroy()
      for (const d of named.values()) d.handle.destroy()
      named.clear()
      setRt(null)
    }
  }, [meetingId])
  if (!rt) return null
  return <Ctx.Provider value={rt}>{children}</Ctx.Provider>
}
