import type { Server as HttpServer } from 'node:http'
import {
  type Ack,
  errorBody,
  LIMITS,
  type MeetingId,
  type Participant,
  type ParticipantId,
  type ParticipantView,
  type PresenceChange,
  SERVER_EVENTS,
  SESSION_COOKIE,
} from '@roundtable/protocol'
import { Server, type ServerOptions, type Socket } from 'socket.io'
import type { Config } from '../config.ts'
import { toErrorBody } from '../errors.ts'
import { originAllowed, readCookie } from '../http/cookies.ts'
import { floorView } from '../meeting/floor/commands.ts'
import type { KeyedBuckets } from '../limits.ts'
import { type MeetingService, SESSION_TOUCH_MS } from '../meeting/service.ts'
import { timingView } from '../meeting/timing/commands.ts'
import { hashToken } from '../meeting/tokens.ts'

const room = (meetingId: MeetingId) => `meeting:${meetingId}`
const PARTICIPANT_CHANGED = 'rt:participant-changed'
const FROZEN_CHANGED = 'rt:frozen-changed'
const SESSIONS_ENDED = 'rt:sessions-ended'

interface SocketData {
  participant: Participant
  /** The session this socket was opened with (kept seen while the socket is open). */
  sessionHash: string
}

/**
 * How often this process marks its open sockets' sessions as seen and ends the sessions past their
 * limits (ms): an expired session's connections close within this long.
 */
const SESSION_CHECK_MS = SESSION_TOUCH_MS

/** Presence changes are gathered this long per meeting before they go out (ms). */
const PRESENCE_COALESCE_MS = 250

export interface MeetingChannelOptions {
  /** socket.io adapter carrying events between server processes (scale-out). */
  adapter?: ServerOptions['adapter']
  /** A participant's role or removal changed (here or on another process): apply it to their open documents. */
  onParticipantChanged: (p: Participant) => void
  /** A meeting's priority list was frozen or thawed (here or on another process). */
  onFrozen: (meetingId: MeetingId, frozen: boolean) => void
  /** These participants' sessions ended (here or on another process): close their open documents. */
  onSessionsEnded: (ids: readonly ParticipantId[]) => void
  /** Each participant's command budget, shared with the HTTP commands. */
  commandBudget: KeyedBuckets
  log: { error(obj: object, msg: string): void }
}

export const attachMeetingChannel = (
  http: HttpServer,
  config: Config,
  service: MeetingService,
  opts: MeetingChannelOptions,
): Server => {
  const io = new Server(http, {
    ...(opts.adapter ? { adapter: opts.adapter } : {}),
    path: '/socket.io',
    maxHttpBufferSize: LIMITS.eventBytes,
    serveClient: false,
    // Our own upgrade handler serves /yjs/*: socket.io must leave those sockets alone.
    destroyUpgrade: false,
    allowRequest: (req, cb) => cb(null, originAllowed(req.headers.origin, config.allowedOrigins)),
  })

  io.use(async (socket, next) => {
    try {
      const token = readCookie(socket.request, SESSION_COOKIE)
      const actor = await service.resolveSession(token)
      if (actor?.kind !== 'participant' || !token) return next(new Error('RT_ERR_UNAUTHORIZED'))
      const data = socket.data as SocketData
      data.participant = actor.participant
      data.sessionHash = hashToken(token)
      next()
    } catch {
      next(new Error('RT_ERR_INTERNAL'))
    }
  })

  // One budget per participant, whatever the number of sockets, and shared with HTTP commands.
  const allowed = (data: SocketData): boolean => opts.commandBudget.take(data.participant.id)

  const commandNames = new Set<string>(service.commandNames)
  io.on('connection', async (socket: Socket) => {
    const data = socket.data as SocketData
    const meetingId = data.participant.meetingId
    socket.join(room(meetingId))
    countSocket(data.participant, 1)
    socket.on('disconnect', () => countSocket(data.participant, -1))

    // One listener for every command, not one per command on every socket: a connection's memory
    // does not grow with the registry (≈ 60 commands). Anything that is not a command is answered
    // with an error (when it asks for an answer) and changes nothing.
    socket.onAny(async (event: string, ...args: unknown[]) => {
      if (!commandNames.has(event)) {
        const last = args[args.length - 1]
        if (typeof last === 'function')
          last({ ok: false, error: errorBody('RT_ERR_NOT_FOUND', `Unknown event "${event}".`) })
        return
      }
      const [payload, ack] = args
      const reply = typeof ack === 'function' ? (ack as (a: Ack<unknown>) => void) : () => {}
      if (!allowed(data)) return reply({ ok: false, error: errorBody('RT_ERR_RATE_LIMITED') })
      try {
        const result = await service.command(
          { kind: 'participant', participant: data.participant },
          meetingId,
          event,
          payload,
        )
        reply({ ok: true, data: result })
      } catch (err) {
        reply({ ok: false, error: toErrorBody(err) })
      }
    })

    try {
      socket.emit(SERVER_EVENTS.state, await service.channelState(data.participant))
    } catch (err) {
      socket.emit('error', toErrorBody(err))
    }
  })

  // The events carry the state as of the change just made durable: it goes out as it is.
  service.events.on('agenda', (meetingId, state) => {
    io.to(room(meetingId)).emit(SERVER_EVENTS.agenda, state)
  })
  service.events.on('delegations', (meetingId, delegations) => {
    io.to(room(meetingId)).emit(SERVER_EVENTS.delegations, delegations)
  })
  // Counted once per burst, then sent once to the whole room (every process's sockets).
  service.events.on('board', (meetingId, view) => {
    io.to(room(meetingId)).emit(SERVER_EVENTS.board, view)
  })
  // Status and turnout; a result only once closed; never a ballot or a partial count of a secret vote.
  service.events.on('vote', (meetingId, view) => {
    io.to(room(meetingId)).emit(SERVER_EVENTS.vote, view)
  })
  // The floor and the agenda's clock carry the server's time, so every client runs the same timer.
  service.events.on('floor', (meetingId, floor) => {
    io.to(room(meetingId)).emit(SERVER_EVENTS.floor, floorView(floor, new Date()))
  })
  service.events.on('timing', (meetingId, timing) => {
    io.to(room(meetingId)).emit(SERVER_EVENTS.timing, timingView(timing, new Date()))
  })
  service.events.on('drafting', (meetingId, event) =>
    io.to(room(meetingId)).emit(SERVER_EVENTS.drafting, event),
  )

  /** Live sockets per participant on this process. */
  const localSockets = new Map<string, number>()
  // Online = has a socket in the meeting's room. One process counts its own; with several, every
  // process's sockets are asked (the adapter answers for the others).
  const onlineIn = async (meetingId: MeetingId): Promise<ReadonlySet<string>> => {
    if (!opts.adapter) return new Set(localSockets.keys())
    const sockets = await io.in(room(meetingId)).fetchSockets()
    return new Set(sockets.map((s) => (s.data as SocketData).participant?.id).filter(Boolean))
  }
  service.setOnlineSource(onlineIn)

  // Presence goes out as deltas, coalesced per meeting: a room filling up sends a few small
  // messages, not a full participant list per arrival to everyone (quadratic in the room size).
  const changed = new Map<MeetingId, Set<string>>()
  const presenceSoon = (meetingId: MeetingId, participantId: string) => {
    let ids = changed.get(meetingId)
    if (ids) {
      ids.add(participantId)
      return
    }
    ids = new Set([participantId])
    changed.set(meetingId, ids)
    const timer = setTimeout(async () => {
      changed.delete(meetingId)
      try {
        const online = await onlineIn(meetingId)
        const change: PresenceChange = { online: [], offline: [] }
        for (const id of ids) (online.has(id) ? change.online : change.offline).push(id as ParticipantId)
        io.to(room(meetingId)).emit(SERVER_EVENTS.presence, change)
      } catch (err) {
        opts.log.error({ err }, 'presence update failed')
      }
    }, PRESENCE_COALESCE_MS)
    timer.unref()
  }
  const countSocket = (p: Participant, delta: 1 | -1) => {
    const n = (localSockets.get(p.id) ?? 0) + delta
    if (n > 0) localSockets.set(p.id, n)
    else localSockets.delete(p.id)
    if (n === 0 || (n === 1 && delta === 1)) presenceSoon(p.meetingId, p.id)
  }

  const sendParticipant = async (p: Participant) => {
    const online = p.removed ? false : (await onlineIn(p.meetingId)).has(p.id)
    io.to(room(p.meetingId)).emit(SERVER_EVENTS.participant, { ...p, online } satisfies ParticipantView)
  }
  service.events.on('joined', (p) => {
    sendParticipant(p).catch((err) => opts.log.error({ err }, 'announcing a participant failed'))
  })

  /** Applies a role change or removal to this process's sockets and documents. */
  const applyParticipant = async (p: Participant) => {
    opts.onParticipantChanged(p)
    const sockets = await io.local.in(room(p.meetingId)).fetchSockets()
    for (const s of sockets) {
      const d = s.data as SocketData
      if (d.participant?.id !== p.id) continue
      if (p.removed) {
        s.emit(SERVER_EVENTS.ended, errorBody('RT_ERR_REMOVED'))
        s.disconnect(true)
      } else {
        d.participant = p
        s.emit(SERVER_EVENTS.me, p)
      }
    }
  }
  service.events.on('participant', (p) => {
    applyParticipant(p).catch((err) => opts.log.error({ err }, 'applying a participant change failed'))
    // Everyone's list; the room spans every process, so only the process that made the change sends it.
    sendParticipant(p).catch((err) => opts.log.error({ err }, 'announcing a participant failed'))
    // The person may be connected to another server process too.
    if (opts.adapter) io.serverSideEmit(PARTICIPANT_CHANGED, p)
  })
  service.events.on('frozen', (meetingId, frozen) => {
    opts.onFrozen(meetingId, frozen)
    if (opts.adapter) io.serverSideEmit(FROZEN_CHANGED, meetingId, frozen)
  })
  io.on(FROZEN_CHANGED, (meetingId: MeetingId, frozen: boolean) => opts.onFrozen(meetingId, frozen))
  io.on(PARTICIPANT_CHANGED, (p: Participant) => {
    applyParticipant(p).catch((err) => opts.log.error({ err }, 'applying a participant change failed'))
  })

  /** Closes this process's sockets and documents of participants whose session ended. */
  const endSessions = async (ids: readonly ParticipantId[]) => {
    opts.onSessionsEnded(ids)
    const ended = new Set<string>(ids)
    for (const s of await io.local.fetchSockets()) {
      if (!ended.has((s.data as SocketData).participant?.id)) continue
      s.emit(SERVER_EVENTS.ended, errorBody('RT_ERR_UNAUTHORIZED', 'Your session has ended.'))
      s.disconnect(true)
    }
  }
  service.events.on('sessionsEnded', (ids) => {
    endSessions(ids).catch((err) => opts.log.error({ err }, 'closing ended sessions failed'))
    // The person may have connections on other server processes too: each closes its own.
    if (opts.adapter) io.serverSideEmit(SESSIONS_ENDED, ids)
  })
  io.on(SESSIONS_ENDED, (ids: ParticipantId[]) => {
    endSessions(ids).catch((err) => opts.log.error({ err }, 'closing ended sessions failed'))
  })

  // An open socket keeps its session in use (idle means no request and no connection); then the
  // sessions past a limit end, here or on whichever process finds them first.
  const checkSessions = async () => {
    const hashes = new Set<string>()
    for (const s of await io.local.fetchSockets()) hashes.add((s.data as SocketData).sessionHash)
    await service.touchSessions([...hashes])
    await service.expireSessions()
  }
  const sessionTimer = setInterval(() => {
    checkSessions().catch((err) => opts.log.error({ err }, 'checking sessions failed'))
  }, SESSION_CHECK_MS)
  sessionTimer.unref()
  http.once('close', () => clearInterval(sessionTimer))

  return io
}
