import { type DocKind, docName } from '@roundtable/doc-schema'
import { CloseCode, type MeetingId } from '@roundtable/protocol'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { ConnectionStore } from '../../features/presence/connection.ts'
import { syncMessageUpdate, UnsavedTracker } from './unsaved.ts'

export interface DocLinkHandle {
  name: string
  doc: Y.Doc
  provider: WebsocketProvider
  tracker: UnsavedTracker
  destroy(): void
}

const MESSAGE_SYNC = 0

/**
 * The server refused for good (no session, another meeting, removed, an update out of the
 * document's shape): reconnecting cannot help, and would resend the refused update forever.
 * 4509 Resync is not here: it asks for a reconnect.
 */
const TERMINAL_CLOSES = new Set<number>([
  CloseCode.Unauthorized,
  CloseCode.Forbidden,
  CloseCode.NotFound,
  CloseCode.SessionEnded,
  CloseCode.BadFrame,
  CloseCode.TooLarge,
  CloseCode.DocumentShape,
  CloseCode.DocumentFull,
  CloseCode.TooManyConnections,
])

export const yjsServerUrl = (loc: Location = window.location) =>
  `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/yjs`

/**
 * Opens one shared document of a meeting over y-websocket and reports its status, sync and
 * unsaved state to the connection store.
 */
export const openDoc = (
  meetingId: MeetingId,
  kind: DocKind,
  connection: ConnectionStore,
  onTerminalClose: (code: number) => void,
): DocLinkHandle => openNamedDoc(docName(meetingId, kind), connection, onTerminalClose)

/**
 * Opens a shared document by its full name: the fixed kinds above, and documents a meeting
 * creates as it goes (a draft is `<meetingId>.draft-<id>`, named by the server).
 */
export const openNamedDoc = (
  name: string,
  connection: ConnectionStore,
  onTerminalClose: (code: number) => void,
): DocLinkHandle => {
  const doc = new Y.Doc()
  const { setDoc, removeDoc } = connection.getState()
  setDoc(name, { status: 'connecting', synced: false, unsaved: false })
  const provider = new WebsocketProvider(yjsServerUrl(), name, doc, {
    // Another tab of ours must not count as the server having our edits.
    disableBc: true,
    maxBackoffTime: 5000,
    // Final closes (removed, refused) stop here; a slow consumer (4529) reconnects and resyncs.
    shouldReconnect: (event) => !TERMINAL_CLOSES.has(event.code),
  })
  const tracker = new UnsavedTracker(
    doc,
    (origin) => origin === provider,
    (unsaved) => setDoc(name, { unsaved }),
  )
  // Let the tracker see every update the server sends, after the provider has applied it.
  const syncHandler = provider.messageHandlers[MESSAGE_SYNC]
  provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, p, emitSynced, type) => {
    const body = decoder.arr
    const at = decoder.pos
    try {
      syncHandler(encoder, decoder, p, emitSynced, type)
    } finally {
      // An observer that throws (an editor that cannot show the new content) does so after the
      // update is in the document: the server has it all the same, so the tracker must too.
      const update = syncMessageUpdate(body, at)
      if (update) tracker.serverUpdate(update)
    }
  }
  provider.on('status', ({ status }) => setDoc(name, { status }))
  provider.on('sync', (synced: boolean) => setDoc(name, { synced }))
  provider.on('closed', (event) => {
    setDoc(name, { status: 'disconnected' })
    onTerminalClose(event.code)
  })
  return {
    name,
    doc,
    provider,
    tracker,
    destroy() {
      provider.destroy()
      tracker.destroy()
      doc.destroy()
      removeDoc(name)
    },
  }
}
