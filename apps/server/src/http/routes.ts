import fastifyRateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  asMeetingId,
  ID_PATTERN,
  CreateMeetingBody,
  JoinBody,
  ORGANISER_COOKIE,
  PROTOCOL_VERSION,
  parseWith,
  SESSION_COOKIE,
} from '@roundtable/protocol'
import { z } from 'zod'
import type { Config } from '../config.ts'
import { AppError } from '../errors.ts'
import type { Actor, MeetingService } from '../meeting/service.ts'
import type { Store } from '../store/types.ts'
import type { DocHub } from '../docs/hub.ts'
import { KeyedBuckets } from '../limits.ts'
import { hashToken } from '../meeting/tokens.ts'
import { originAllowed } from './cookies.ts'
import { registerOutputRoutes } from './outputs.ts'

interface RouteDeps {
  config: Config
  store: Store
  service: MeetingService
  hub: DocHub
  /** Each participant's command budget, shared with the socket.io channel. */
  commandBudget: KeyedBuckets
}

/** One link takes a burst of 20 joins, then one a second: a room's arrivals, not a script's. */
const JOINS_PER_LINK = { burst: 20, perSecond: 1 }

const RATE_LIMITED = () => new AppError('RT_ERR_RATE_LIMITED')

const TOKEN = z.string().regex(/^[A-Za-z0-9_-]{16,128}$/)
const ID = z.string().regex(ID_PATTERN)

const parse = <S extends z.ZodType>(schema: S, input: unknown): z.output<S> => {
  const r = parseWith(schema, input)
  if (r.error) throw new AppError('RT_ERR_BAD_REQUEST', undefined, r.error)
  return r.data
}

export const registerRoutes = async (app: FastifyInstance, deps: RouteDeps): Promise<void> => {
  const { config, service, hub, store, commandBudget } = deps
  // The cookie lasts as long as the server keeps the session at most (seconds); the server decides.
  const cookieOptions = (maxMs: number) => ({
    httpOnly: true,
    sameSite: 'lax' as const,
    path: '/',
    secure: config.secureCookies,
    maxAge: Math.floor(maxMs / 1000),
  })

  // Joins per client address (a fixed window, @fastify/rate-limit); routes opt in through `config.rateLimit`.
  await app.register(fastifyRateLimit, { global: false, errorResponseBuilder: RATE_LIMITED })
  const joinLimit = { rateLimit: { max: config.limits.joinsPerMinutePerIp, timeWindow: '1 minute' } }
  const joinsPerLink = new KeyedBuckets(JOINS_PER_LINK)
  // Token guesses: only a look-up that finds nothing costs, so people with good links never meet it.
  const failures = new KeyedBuckets({
    burst: config.limits.tokenFailuresPerMinutePerIp,
    perSecond: config.limits.tokenFailuresPerMinutePerIp / 60,
  })
  const guarded = async <T>(req: FastifyRequest, lookup: () => Promise<T>): Promise<T> => {
    const bucket = failures.bucket(req.ip)
    if (!bucket.has()) throw RATE_LIMITED()
    try {
      return await lookup()
    } catch (err) {
      if (err instanceof AppError && err.code === 'RT_ERR_INVITATION_INVALID') bucket.charge()
      throw err
    }
  }
  /** A participant's HTTP commands draw on the same budget as their socket.io events. */
  const spend = (actor: Actor) => {
    if (actor.kind === 'participant' && !commandBudget.take(actor.participant.id)) throw RATE_LIMITED()
  }

  // State-changing requests from a browser must come from an allowed origin (cookies ride along otherwise).
  app.addHook('onRequest', async (req) => {
    if (
      req.method !== 'GET' &&
      req.method !== 'HEAD' &&
      !originAllowed(req.headers.origin, config.allowedOrigins)
    )
      throw new AppError('RT_ERR_BAD_ORIGIN')
  })

  const requireOrganiser = async (req: FastifyRequest): Promise<Actor> => {
    const a = await service.resolveSession(req.cookies[ORGANISER_COOKIE])
    if (a?.kind !== 'organiser') throw new AppError('RT_ERR_UNAUTHORIZED', 'Open your organiser link first.')
    return a
  }
  /**
   * A participant of this meeting. The organiser session does not reach inside meetings: it creates
   * and lists them, and acts in one through the chair link it was given.
   */
  const requireMember = async (req: FastifyRequest, meetingId: string): Promise<Actor> => {
    const participant = await service.resolveSession(req.cookies[SESSION_COOKIE])
    if (participant?.kind === 'participant' && participant.participant.meetingId === meetingId)
      return participant
    if (participant) throw new AppError('RT_ERR_FORBIDDEN')
    if (await service.resolveSession(req.cookies[ORGANISER_COOKIE]))
      throw new AppError('RT_ERR_FORBIDDEN', "The organiser acts inside a meeting through its chair's link.")
    throw new AppError('RT_ERR_UNAUTHORIZED')
  }

  app.get('/api/health', async () => ({
    status: 'ok',
    protocol: PROTOCOL_VERSION,
    storage: store.kind,
    openDocuments: hub.rooms.size,
  }))

  app.get<{ Params: { token: string } }>('/api/invitations/:token', async (req) => {
    const token = parse(TOKEN, req.params.token)
    return guarded(req, () => service.previewInvitation(token))
  })

  app.post<{ Params: { token: string } }>(
    '/api/invitations/:token/join',
    { config: joinLimit },
    async (req, reply) => {
      const token = parse(TOKEN, req.params.token)
      const body = parse(JoinBody, req.body)
      if (!joinsPerLink.take(hashToken(token))) throw RATE_LIMITED()
      // Rejoining with one's own live session: one's own name is not "taken".
      const current = await service.resolveSession(req.cookies[SESSION_COOKIE])
      const self = current?.kind === 'participant' ? current.participant.id : null
      const { session, participant } = await guarded(req, () => service.join(token, body.displayName, self))
      reply.setCookie(SESSION_COOKIE, session, cookieOptions(config.sessions.maxMs))
      return { participant }
    },
  )

  app.post('/api/organiser/claim', { config: joinLimit }, async (req, reply) => {
    const { token } = parse(z.strictObject({ token: TOKEN }), req.body)
    const session = await guarded(req, () => service.claimOrganiserLink(token))
    reply.setCookie(ORGANISER_COOKIE, session, cookieOptions(config.sessions.organiserMaxMs))
    return { ok: true }
  })

  app.get('/api/session', async (req) => {
    const participant = await service.resolveSession(req.cookies[SESSION_COOKIE])
    const organiser = await service.resolveSession(req.cookies[ORGANISER_COOKIE])
    if (!participant && !organiser) throw new AppError('RT_ERR_UNAUTHORIZED')
    return {
      participant: participant?.kind === 'participant' ? participant.participant : null,
      organiser: organiser?.kind === 'organiser',
    }
  })

  app.post('/api/session/logout', async (req, reply) => {
    for (const name of [SESSION_COOKIE, ORGANISER_COOKIE]) {
      const t = req.cookies[name]
      if (t) await service.endSession(t)
      reply.clearCookie(name, { path: '/' })
    }
    return { ok: true }
  })

  app.get('/api/meetings', async (req) => service.listMeetings(await requireOrganiser(req)))

  app.post('/api/meetings', async (req, reply) => {
    const actor = await requireOrganiser(req)
    const body = parse(CreateMeetingBody, req.body)
    reply.code(201)
    return service.createMeeting(actor, body)
  })

  app.get<{ Params: { id: string } }>('/api/meetings/:id/state', async (req) => {
    const actor = await requireMember(req, req.params.id)
    if (actor.kind !== 'participant')
      throw new AppError('RT_ERR_FORBIDDEN', 'Join the meeting as a participant to view it.')
    return service.state(actor.participant)
  })

  app.post<{ Params: { id: string; name: string } }>('/api/meetings/:id/commands/:name', async (req) => {
    const actor = await requireMember(req, req.params.id)
    spend(actor)
    return service.command(actor, asMeetingId(req.params.id), req.params.name, req.body ?? {})
  })

  // The board's current rankings as input for `pnpm --silent tally`: anyone allowed can recount it.
  app.get<{ Params: { id: string } }>('/api/meetings/:id/board/rankings', async (req) => {
    const actor = await requireMember(req, req.params.id)
    const meetingId = asMeetingId(req.params.id)
    const config = await service.boardConfig(meetingId)
    if (actor.kind === 'participant' && actor.participant.role !== 'chair' && !config.reveal)
      throw new AppError('RT_ERR_FORBIDDEN', 'The chair has not revealed the rankings.')
    return service.boardElection(meetingId)
  })

  // A closed vote's anonymous ballots, with receipts: `pnpm --silent tally` on it reproduces the result.
  app.get<{ Params: { id: string; voteId: string } }>(
    '/api/meetings/:id/votes/:voteId/ballots',
    async (req) => {
      await requireMember(req, req.params.id)
      return service.voteBallots(asMeetingId(req.params.id), parse(ID, req.params.voteId))
    },
  )

  registerOutputRoutes(app, { store, hub, service, requireMember, spend })

  app.get<{ Params: { id: string }; Querystring: { format?: string } }>(
    '/api/meetings/:id/audit',
    async (req, reply: FastifyReply) => {
      const actor = await requireMember(req, req.params.id)
      spend(actor)
      const entries = await service.command(actor, asMeetingId(req.params.id), 'audit:list', {})
      if (req.query.format === 'csv') {
        // A cell starting with = + - @ (or a tab/CR) is a formula to a spreadsheet: a leading ' keeps it text.
        const cell = (v: unknown) => {
          const text = String(v)
          const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
          return `"${safe.replaceAll('"', '""')}"`
        }
        const rows = entries.map((e) =>
          [e.seq, e.at, e.actor, e.action, JSON.stringify(e.detail)].map(cell).join(','),
        )
        reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="audit-${req.params.id}.csv"`)
        return ['seq,at,actor,action,detail', ...rows].join('\n')
      }
      return entries
    },
  )
}
