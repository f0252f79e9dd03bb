import { existsSync } from 'node:fs'
import { join } from 'node:path'
import fastifyCookie from '@fastify/cookie'
import fastifyStatic from '@fastify/static'
import { docName } from '@roundtable/doc-schema'
import {
  can,
  type Delegation,
  LIMITS,
  type MeetingId,
  type Participant,
  SESSION_COOKIE,
} from '@roundtable/protocol'
import Fastify, { type FastifyInstance } from 'fastify'
import type * as Y from 'yjs'
import type { Server as IoServer } from 'socket.io'
import type { Config } from './config.ts'
import { AppError } from './errors.ts'
import { originAllowed, readCookie, redactUrl } from './http/cookies.ts'
import { registerRoutes } from './http/routes.ts'
import { registerSecurityHeaders } from './http/security.ts'
import { KeyedBuckets } from './limits.ts'
import { MeetingService } from './meeting/service.ts'
import { attachMeetingChannel } from './realtime/socket.ts'
import { connectScaleOut } from './scale/connect.ts'
import type { Store } from './store/types.ts'
import { DocHub } from './docs/hub.ts'
import { DocKinds } from './docs/kinds.ts'
import { prepareMeetings } from './docs/prepare.ts'
import type { PeerIdentity } from './docs/peer.ts'
import type { RoomLimits } from './docs/room.ts'

export interface AppDeps {
  config: Config
  store: Store
  roomLimits?: Partial<RoomLimits>
}

export interface RoundtableApp {
  app: FastifyInstance
  service: MeetingService
  hub: DocHub
  io: IoServer
  /** Stops accepting, flushes documents to storage, closes connections. Does not close the store. */
  close(): Promise<void>
}

/** Builds the whole server without listening; `main.ts` alone reads the environment and listens. */
export const buildApp = async (deps: AppDeps): Promise<RoundtableApp> => {
  const { config, store } = deps
  const { trustProxy } = config
  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            serializers: {
              req: (req) => ({ method: req.method, url: redactUrl(req.url) }),
            },
          },
    bodyLimit: LIMITS.eventBytes,
    // Per-address limits count the client behind a trusted proxy, not the proxy (TRUST_PROXY).
    // Fastify types no hop count: N hops in front is "trust the N nearest".
    trustProxy:
      typeof trustProxy === 'number' ? (_address: string, hop: number) => hop < trustProxy : trustProxy,
  })
  const log = app.log
  // With Redis, other processes change meetings too: every read goes to the database.
  const service = new MeetingService({
    store,
    publicUrl: config.publicUrl,
    cacheState: !config.redisUrl,
    sessions: config.sessions,
    // The chair's changes to a shared document go through the hub: validated, durable, relayed.
    docs: { transact: (name: string, fn: (doc: Y.Doc) => void): Promise<void> => hub.transact(name, fn) },
    log,
  })
  const scale = config.redisUrl ? await connectScaleOut(config.redisUrl, config.redisPrefix, log) : null

  /** Who a participant is in presence: name, role and delegation from storage, never from the client. */
  const identityOf = async (
    p: Participant,
    delegationsOf: (meetingId: MeetingId) => Promise<Delegation[]> = (m) => service.delegations(m),
  ): Promise<PeerIdentity> => {
    const delegation = p.delegationId
      ? ((await delegationsOf(p.meetingId)).find((d) => d.id === p.delegationId)?.name ?? null)
      : null
    return { participantId: p.id, meetingId: p.meetingId, name: p.displayName, role: p.role, delegation }
  }

  const kinds = new DocKinds()
  const hub = new DocHub({
    store,
    kinds,
    log,
    limits: {
      maxDocBytes: config.docs.maxDocBytes,
      presenceBytesPerRoom: config.docs.presenceBytesPerRoom,
      slowReaderMs: config.docs.slowReaderMs,
      ...deps.roomLimits,
    },
    connectionsPerParticipant: config.docs.connectionsPerParticipant,
    maxFrameBytes: LIMITS.yjsFrameBytes,
    fanout: scale?.fanout,
    current: async (ids) => {
      const out = new Map<string, { identity: PeerIdentity; canWrite: boolean } | null>()
      // One delegation list per meeting, however many of its participants are connected.
      const lists = new Map<MeetingId, Promise<Delegation[]>>()
      const delegationsOf = (m: MeetingId) => {
        const known = lists.get(m)
        if (known) return known
        const fresh = service.delegations(m)
        lists.set(m, fresh)
        return fresh
      }
      for (const id of ids) {
        const p = await store.getParticipant(id as Participant['id'])
        out.set(
          id,
          p && !p.removed
            ? { identity: await identityOf(p, delegationsOf), canWrite: can(p.role, 'writeDoc') }
            : null,
        )
      }
      return out
    },
    authorize: async (req, name) => {
      if (!originAllowed(req.headers.origin, config.allowedOrigins))
        return { ok: false, status: 403, reason: 'origin' }
      const parsed = kinds.parse(name)
      if (!parsed) return { ok: false, status: 404, reason: 'no such document' }
      const actor = await service.resolveSession(readCookie(req, SESSION_COOKIE))
      if (actor?.kind !== 'participant') return { ok: false, status: 401, reason: 'no session' }
      const p = actor.participant
      // Document names are scoped to the session's meeting.
      if (p.meetingId !== parsed.meetingId) return { ok: false, status: 403, reason: 'other meeting' }
      return { ok: true, docName: name, canWrite: can(p.role, 'writeDoc'), identity: await identityOf(p) }
    },
  })

  const applyToDocuments = async (p: Participant) => {
    // Write rights first and synchronously: the identity needs a store read, the revocation must not wait for it.
    hub.updateParticipant(p.id, { remove: p.removed, canWrite: can(p.role, 'writeDoc') })
    if (p.removed) return
    try {
      hub.updateParticipant(p.id, { identity: await identityOf(p) })
    } catch (err) {
      log.warn({ err }, 'could not restamp presence after a role change')
    }
  }

  await app.register(fastifyCookie)
  await registerSecurityHeaders(app)
  // A participant's commands over socket.io and HTTP draw on one budget (per process).
  const commandBudget = new KeyedBuckets({
    burst: 3 * config.limits.commandsPerSecond,
    perSecond: config.limits.commandsPerSecond,
  })
  app.setErrorHandler((err, req, reply) => {
    if (err instanceof AppError) return reply.code(err.status).send(err.toBody())
    const status = (err as { statusCode?: number }).statusCode
    if (status === 413) return reply.code(413).send(new AppError('RT_ERR_TOO_LARGE').toBody())
    if (status && status >= 400 && status < 500)
      return reply.code(400).send(new AppError('RT_ERR_BAD_REQUEST', (err as Error).message).toBody())
    req.log.error({ err }, 'request failed')
    return reply.code(500).send(new AppError('RT_ERR_INTERNAL').toBody())
  })
  await registerRoutes(app, { config, store, service, hub, commandBudget })

  const webDist = config.webDist && existsSync(join(config.webDist, 'index.html')) ? config.webDist : null
  if (webDist) {
    // wildcard: files are looked up per request, so a rebuild while running serves the new assets.
    await app.register(fastifyStatic, { root: webDist, wildcard: true, index: ['index.html'] })
  }
  // Client-side routes (/join/…, /m/…, /organiser/…) get the app shell; unknown API paths get a JSON 404.
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]
    // A missing file (an old asset name) is a 404, not the app shell: a script tag must not get HTML.
    const isFile = /\.[A-Za-z0-9]+$/.test(path)
    if (webDist && req.method === 'GET' && !isFile && !path.startsWith('/api/') && !path.startsWith('/yjs/'))
      return reply.type('text/html').sendFile('index.html')
    return reply.code(404).send(new AppError('RT_ERR_NOT_FOUND').toBody())
  })

  app.server.on('upgrade', (req, socket, head) => {
    const url = req.url ?? ''
    if (url.startsWith('/socket.io/')) return // socket.io's own upgrade listener takes it
    if (!url.startsWith('/yjs/')) {
      // Nobody else would answer: an open upgrade would hang until the client gives up.
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    let name: string
    try {
      name = decodeURIComponent(url.slice('/yjs/'.length).split('?')[0])
    } catch {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    void hub.handleUpgrade(req, socket, head, name)
  })

  const io = attachMeetingChannel(app.server, config, service, {
    adapter: scale?.adapter,
    onParticipantChanged: (p) => void applyToDocuments(p),
    // Logout, expiry or a revoked link: the person's documents close at once (4410), like a removal.
    onSessionsEnded: (ids) => {
      for (const id of ids) hub.updateParticipant(id, { remove: true })
    },
    commandBudget,
    // A frozen list takes no participant's edit, on this process and (told over the bus) every other.
    onFrozen: (meetingId, frozen) =>
      kinds.setWritable(docName(meetingId, 'priorities'), !frozen, 'frozen for a vote'),
    log,
  })
  await prepareMeetings(store, service, hub, kinds, log)

  let closing: Promise<void> | null = null
  const close = () => {
    closing ??= (async () => {
      // socket.io's close also closes the HTTP server; documents are flushed first.
      service.close()
      await hub.close()
      await new Promise<void>((resolve) => io.close(() => resolve()))
      await app.close()
      await scale?.close()
    })()
    return closing
  }
  return { app, service, hub, io, close }
}
