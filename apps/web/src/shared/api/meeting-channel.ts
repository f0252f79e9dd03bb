import {
  type Ack,
  type CommandInput,
  type CommandName,
  type CommandResult,
  decodeMeetingState,
  type MeetingStateWire,
  type Participant,
  SERVER_EVENTS,
} from '@roundtable/protocol'
import { io, type Socket } from 'socket.io-client'
import type { ConnectionStore } from '../../features/presence/connection.ts'
import type { MeetingStore } from '../../app/meeting-store.ts'
import type { SessionStore } from '../../features/access/session.ts'
import type { ClientError } from './http.ts'

/** How long a command waits for the server's ack before we call it lost (ms). */
const ACK_TIMEOUT_MS = 10_000

/** A command's answer as a value: the result its definition names, or why it was refused. */
export type CommandOutcome<N extends CommandName> =
  | { data: CommandResult<N>; error?: undefined }
  | { data?: undefined; error: ClientError }

export interface MeetingChannel {
  command<N extends CommandName>(name: N, payload: CommandInput<N>): Promise<CommandOutcome<N>>
  close(): void
}

interface Stores {
  meeting: MeetingStore
  connection: ConnectionStore
  session: SessionStore
}

/**
 * The socket.io meeting channel: server events go into the stores, commands come back as
 * values. Same origin, the session cookie authenticates the handshake.
 */
export const openMeetingChannel = (stores: Stores, onEnded: (why: 'removed' | 'unauthorized') => void) => {
  const socket: Socket = io({
    path: '/socket.io',
    withCredentials: true,
    transports: ['websocket', 'polling'],
  })
  const m = stores.meeting.getState()
  const c = stores.connection.getState()
  c.setChannel('connecting')

  socket.on('connect', () => {
    c.setChannel('connected')
    // The board's aggregate and this person's saved ranking, read again after every (re)connect.
    void command('board:state', {}).then((r) => r.data && m.applyBoardState(r.data))
    // Votes are not in `meeting:state` either: the list again, so events missed meanwhile are not lost.
    void command('vote:list', {}).then((r) => r.data && m.applyVoteList(r.data))
    // Drafts are not in `meeting:state` either; each open draft reads its own lists (useDraftItems).
    void command('draft:list', {}).then((r) => r.data && m.applyDraftList(r.data.drafts))
    // The queue and the agenda's clock: missed events are caught up without a reload.
    void command('floor:state', {}).then((r) => r.data && m.applyFloor(r.data.floor))
    void command('agenda:timing', {}).then((r) => r.data && m.applyTiming(r.data.timing))
  })
  socket.on('disconnect', () => c.setChannel('disconnected'))
  socket.on('connect_error', (err) => {
    c.setChannel('disconnected')
    // The handshake middleware names the reason; a missing session will not fix itself.
    if (err.message === 'RT_ERR_UNAUTHORIZED') {
      socket.disconnect()
      onEnded('unauthorized')
    }
  })
  socket.on(SERVER_EVENTS.state, (s: MeetingStateWire) => m.applyState(decodeMeetingState(s)))
  socket.on(SERVER_EVENTS.agenda, m.applyAgenda)
  socket.on(SERVER_EVENTS.participant, m.applyParticipant)
  socket.on(SERVER_EVENTS.presence, m.applyPresence)
  socket.on(SERVER_EVENTS.delegations, m.applyDelegations)
  socket.on(SERVER_EVENTS.vote, m.applyVote)
  socket.on(SERVER_EVENTS.floor, m.applyFloor)
  socket.on(SERVER_EVENTS.timing, m.applyTiming)
  socket.on(SERVER_EVENTS.me, (p: Participant) => {
    m.applyMe(p)
    stores.session.getState().setParticipant(p)
  })
  socket.on(SERVER_EVENTS.board, m.applyBoard)
  socket.on(SERVER_EVENTS.drafting, m.applyDrafting)
  socket.on(SERVER_EVENTS.ended, () => {
    m.endSession()
    socket.disconnect()
    onEnded('removed')
  })

  const command = <N extends CommandName>(name: N, payload: CommandInput<N>) =>
    new Promise<CommandOutcome<N>>((resolve) => {
      if (!socket.connected) {
        resolve({ error: { code: 'RT_ERR_NETWORK', message: 'not connected' } })
        return
      }
      // The server answers with what the command's definition names: the same package's type.
      socket.timeout(ACK_TIMEOUT_MS).emit(name, payload, (err: Error | null, ack: Ack<CommandResult<N>>) => {
        if (err) resolve({ error: { code: 'RT_ERR_TIMEOUT', message: err.message } })
        else if (ack.ok) resolve({ data: ack.data })
        else resolve({ error: ack.error })
      })
    })
  const channel: MeetingChannel = {
    command,
    close: () => {
      socket.removeAllListeners()
      socket.disconnect()
    },
  }
  return channel
}
