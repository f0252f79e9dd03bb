import { isIP } from 'node:net'
import { resolve } from 'node:path'

export interface Config {
  host: string
  port: number
  /** Base URL people open; invitation links are built on it. */
  publicUrl: string
  /** Origins allowed to open the socket.io and Yjs channels (browsers send Origin). */
  allowedOrigins: string[]
  dataDir: string
  /** When set, PostgreSQL holds the data instead of SQLite. */
  databaseUrl: string | null
  /** When set, socket.io and document updates fan out between processes over Redis. */
  redisUrl: string | null
  /** Namespace for Redis channels and keys, so several deployments can share one Redis. */
  redisPrefix: string
  sqliteSync: 'full' | 'normal'
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** Load the demo meeting on first start. */
  seedDemo: boolean
  /** Directory of the built web app to serve; null to serve none. */
  webDist: string | null
  /** Cookies marked Secure (set when serving over https). */
  secureCookies: boolean
  /** How long sessions last on the server; past a limit a session answers 401 and its connections close. */
  sessions: SessionLimits
  /** Request budgets (abuse limits, not quotas: a person never meets them). */
  limits: RequestLimits
  /** Shared documents' limits (see PROTOCOL.md §1). */
  docs: DocLimits
  /**
   * Which proxies' X-Forwarded-For to believe for the client address (per-address limits): false (none:
   * the address is the socket's), a number of proxy hops in front, or the proxies' addresses/CIDRs.
   */
  trustProxy: false | number | string[]
}

export interface DocLimits {
  /** Content bytes one document may hold (stored snapshot + log); past it updates adding content are refused (4423). */
  maxDocBytes: number
  /** Presence bytes one document holds, everyone's together. */
  presenceBytesPerRoom: number
  /** Connections one participant may have open to one document in one process (4429 past it). */
  connectionsPerParticipant: number
  /** How long a reader has to take a document larger than the send queue's hard cap (ms). */
  slowReaderMs: number
}

export interface SessionLimits {
  /** A participant's session ends after this long without a request or an open connection (ms). */
  idleMs: number
  /** A participant's session ends this long after joining, however active (ms). */
  maxMs: number
  /** The organiser's session ends this long after the link was opened (ms). */
  organiserMaxMs: number
}

export interface RequestLimits {
  /** Commands per second per participant, over socket.io and HTTP together (bursts of three times it). */
  commandsPerSecond: number
  /** Joins per minute from one client address (one link is limited apart from this). */
  joinsPerMinutePerIp: number
  /** Unknown invitation or organiser tokens per minute from one client address, before 429. */
  tokenFailuresPerMinutePerIp: number
}

export type ConfigResult = { config: Config; error?: undefined } | { config?: undefined; error: string }

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/** Reads the environment once. A bad value stops start-up with a message naming the variable. */
export const readConfig = (env: NodeJS.ProcessEnv, cwd = process.cwd()): ConfigResult => {
  const fail = (name: string, why: string): ConfigResult => ({ error: `${name}: ${why}` })
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    return fail('PORT', `"${env.PORT}" is not a port number (0–65535)`)
  const host = env.HOST || '0.0.0.0'
  const publicUrl = (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, '')
  let publicOrigin: string
  try {
    publicOrigin = new URL(publicUrl).origin
  } catch {
    return fail('PUBLIC_URL', `"${env.PUBLIC_URL}" is not a URL`)
  }
  const extra = (env.ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  for (const o of extra) {
    try {
      new URL(o)
    } catch {
      return fail('ALLOWED_ORIGINS', `"${o}" is not an origin like https://example.org`)
    }
  }
  const allowedOrigins = [...new Set([publicOrigin, ...extra.map((o) => new URL(o).origin)])]
  const sqliteSync = (env.SQLITE_SYNC || 'full') as Config['sqliteSync']
  if (sqliteSync !== 'full' && sqliteSync !== 'normal')
    return fail('SQLITE_SYNC', 'must be "full" or "normal"')
  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel']
  if (!LOG_LEVELS.includes(logLevel)) return fail('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`)
  const databaseUrl = env.DATABASE_URL || null
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl))
    return fail('DATABASE_URL', 'must start with postgres://')
  const redisUrl = env.REDIS_URL || null
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) return fail('REDIS_URL', 'must start with redis://')
  const redisPrefix = env.REDIS_PREFIX || 'rt'
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(redisPrefix))
    return fail('REDIS_PREFIX', 'must be 1–64 of A-Z a-z 0-9 _ . : -')
  const bool = (name: string, dflt: boolean): boolean | string => {
    const v = env[name]
    if (v === undefined || v === '') return dflt
    if (v === '1' || v === 'true') return true
    if (v === '0' || v === 'false') return false
    return `${name}: must be true or false`
  }
  const seedDemo = bool('SEED_DEMO', true)
  if (typeof seedDemo === 'string') return { error: seedDemo }
  const secureCookies = bool('SECURE_COOKIES', publicUrl.startsWith('https:'))
  if (typeof secureCookies === 'string') return { error: secureCookies }
  const positive = (name: string, dflt: number): number | string => {
    const v = env[name]
    if (v === undefined || v === '') return dflt
    const n = Number(v)
    return Number.isFinite(n) && n > 0 ? n : `${name}: must be a positive number`
  }
  const numbers = {
    idleHours: positive('SESSION_IDLE_HOURS', 12),
    maxDays: positive('SESSION_MAX_DAYS', 30),
    organiserHours: positive('ORGANISER_SESSION_HOURS', 12),
    commands: positive('COMMANDS_PER_SECOND', 20),
    joins: positive('JOINS_PER_MINUTE', 120),
    failures: positive('TOKEN_FAILURES_PER_MINUTE', 10),
  }
  for (const v of Object.values(numbers)) if (typeof v === 'string') return { error: v }
  const n = numbers as Record<keyof typeof numbers, number>
  const whole = (name: string, dflt: number, min: number): number | string => {
    const v = env[name]
    if (v === undefined || v === '') return dflt
    const x = Number(v)
    return Number.isSafeInteger(x) && x >= min ? x : `${name}: must be a whole number of at least ${min}`
  }
  const docs = {
    maxDocBytes: whole('DOC_MAX_BYTES', 16 << 20, 1024),
    presenceBytesPerRoom: whole('PRESENCE_MAX_BYTES', 2 << 20, 16 << 10),
    connectionsPerParticipant: whole('DOC_CONNECTIONS_PER_PARTICIPANT', 8, 1),
    slowReaderMs: whole('SLOW_READER_MS', 30_000, 100),
  }
  for (const v of Object.values(docs)) if (typeof v === 'string') return { error: v }
  const trustProxy = readTrustProxy(env.TRUST_PROXY)
  if (typeof trustProxy === 'string') return { error: trustProxy }
  const HOUR_MS = 3_600_000
  return {
    config: {
      host,
      port,
      publicUrl,
      allowedOrigins,
      dataDir: resolve(cwd, env.DATA_DIR || 'data'),
      databaseUrl,
      redisUrl,
      redisPrefix,
      sqliteSync,
      logLevel,
      seedDemo,
      webDist: env.WEB_DIST === '' ? null : resolve(cwd, env.WEB_DIST || 'apps/web/dist'),
      secureCookies,
      sessions: {
        idleMs: n.idleHours * HOUR_MS,
        maxMs: n.maxDays * 24 * HOUR_MS,
        organiserMaxMs: n.organiserHours * HOUR_MS,
      },
      limits: {
        commandsPerSecond: n.commands,
        joinsPerMinutePerIp: n.joins,
        tokenFailuresPerMinutePerIp: n.failures,
      },
      docs: docs as DocLimits,
      trustProxy: trustProxy.value,
    },
  }
}

/** An IPv4 or IPv6 address, optionally with a /prefix. */
const isAddressOrCidr = (s: string): boolean => {
  const [addr, prefix, extra] = s.split('/')
  const family = isIP(addr)
  if (family === 0 || extra !== undefined) return false
  if (prefix === undefined) return true
  const bits = Number(prefix)
  return /^\d{1,3}$/.test(prefix) && bits <= (family === 4 ? 32 : 128)
}

/**
 * TRUST_PROXY: unset, empty, `false` or `0`: none. A whole number 1–10: that many proxy hops in front
 * (the client address is the one that many hops back in X-Forwarded-For). Otherwise a comma-separated
 * list of the proxies' addresses or CIDRs. Never "trust everyone": then any client could pick the
 * address its limits are counted against.
 */
const readTrustProxy = (v: string | undefined): { value: Config['trustProxy'] } | string => {
  const raw = (v ?? '').trim()
  if (raw === '' || raw === 'false' || raw === '0') return { value: false }
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw)
    return hops <= 10 ? { value: hops } : 'TRUST_PROXY: at most 10 proxy hops'
  }
  const list = raw.split(',').map((x) => x.trim())
  const bad = list.find((x) => !isAddressOrCidr(x))
  if (bad !== undefined)
    return `TRUST_PROXY: "${bad.slice(0, 60)}" is not an address or CIDR (give a number of hops, or the proxies' addresses, comma-separated)`
  return { value: list }
}
