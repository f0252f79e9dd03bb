import type { Server as HttpServer } from 'node:http'
import {
  type Ack,
  COMMANDS,
  errorBody,
  LIMITS,
  type MeetingId,
  type Participant,
  SERVER_EVENTS,
  SESSION_COOKIE,
} from '@roundtable/protocol'
import { Server, type Socket } from 'socket.io'
import type { Config } from '../config.ts'
import { toErrorBody } from '../errors.ts'
import { originAllowed, readCookie } from '../http/cookies.ts'
import type { MeetingService } from '../meeting/service.ts'

/** Token bucket: a burst of 40 events, then 20 per second per connection. */
const RATE = { burst: 40, perSecond: 20 }

const room = (meetingId: MeetingId) => `meeting:${meetingId}`

interface SocketData {
  participant: Participant
  tokens: number
  refilledAt: number
}

export const attachMeetingChannel = (http: HttpServer, config: Config, service: MeetingService): Server => {
  const io = new Server(http, {
    path: '/socket.io',
    maxHttpBufferSize: LIMITS.eventBytes,
    serveClient: false,
    // Our own upgrade handler serves /yjs/*: socket.io must leave those sockets alone.
    destroyUpgrade: false,
    allowRequest: (req, cb) => cb(null, originAllowed(req.headers.origin, config.allowedOrigins)),
  })

  io.use(async (socket, next) => {
    try {
      const actor = await service.resolveSession(readCookie(socket.request, SESSION_COOKIE))
      if (actor?.kind !== 'participant') return next(new Error('RT_ERR_UNAUTHORIZED'))
      const data = socket.data as SocketData
      data.participant = actor.participant
      data.tokens = RATE.burst
      data.refilledAt = Date.now()
      next()
    } catch {
      next(new Error('RT_ERR_INTERNAL'))
    }
  })

  const allowed = (data: SocketData): boolean => {
    const now = Date.now()
    data.tokens = Math.min(RATE.burst, data.tokens + ((now - data.refilledAt) / 1000) * RATE.perSecond)
    data.refilledAt = now
    if (data.tokens < 1) return false
    data.tokens -= 1
    return true
  }

  io.on('connection', async (socket: Socket) => {
    const data = socket.data as SocketData
    const meetingId = data.participant.meetingId
    socket.join(room(meetingId))
    service.setOnline(data.participant, 1)
    socket.on('disconnect', () => service.setOnline(data.participant, -1))

    for (const name of Object.keys(COMMANDS)) {
      socket.on(name, async (payload: unknown, ack?: (a: Ack<unknown>) => void) => {
        const reply = typeof ack === 'function' ? ack : () => {}
        if (!allowed(data)) return reply({ ok: false, error: errorBody('RT_ERR_RATE_LIMITED') })
        try {
          const result = await service.command(
            { kind: 'participant', participant: data.participant },
            meetingId,
            name,
            payload,
          )
          reply({ ok: true, data: result })
        } catch (err) {
          reply({ ok: false, error: toErrorBody(err) })
        }
      })
    }
    // Anything else is answered with an error (when it asks for an answer) and changes nothing.
    socket.onAny((event: string, ...args: unknown[]) => {
      if (Object.hasOwn(COMMANDS, event)) return
      const last = args[args.length - 1]
      if (typeof last === 'function')
        last({ ok: false, error: errorBody('RT_ERR_NOT_FOUND', `Unknown event "${event}".`) })
    })

    try {
      socket.emit(SERVER_EVENTS.state, await service.state(data.participant))
    } catch (err) {
      socket.emit('error', toErrorBody(err))
    }
  })

  service.events.on('agenda', async (meetingId) => {
    const [agenda, currentItemId] = await Promise.all([
      service.agenda(meetingId),
      service.currentItem(meetingId),
    ])
    io.to(room(meetingId)).emit(SERVER_EVENTS.agenda, { agenda, currentItemId })
  })
  service.events.on('delegations', async (meetingId) => {
    io.to(room(meetingId)).emit(SERVER_EVENTS.delegations, await service.delegations(meetingId))
  })
  service.events.on('participants', async (meetingId) => {
    io.to(room(meetingId)).emit(SERVER_EVENTS.participants, await service.participants(meetingId))
  })
  service.events.on('participant', async (p) => {
    const sockets = await io.in(room(p.meetingId)).fetchSockets()
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
  })

  return io
}
