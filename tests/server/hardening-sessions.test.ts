/**
 * Issue 11, finding 4 across processes: a session ended on one server process (logout, a link
 * revoked with endSessions, expiry found by a request) closes the person's Yjs and socket.io
 * connections on the other process too, within a second. Two real processes on PostgreSQL + Redis.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Invitation, SERVER_EVENTS } from '@roundtable/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, sio } from '../../apps/server/test/clients.ts'
import { joinByLink, waitFor, yClient } from '../../apps/server/test/harness.ts'
import { hashToken } from '../../apps/server/src/meeting/tokens.ts'
import { type ChildServer, freePort, startChildServer, stopGracefully } from './child-server.ts'

const PG = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const DOC = 'oecd-egov-2003.brief'
const MEETING = 'oecd-egov-2003'

const psql = (url: string, sql: string) =>
  execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { stdio: 'pipe' })

describe('sessions ended on one process close connections on the other', () => {
  const db = `rt_sess_${randomBytes(4).toString('hex')}`
  const dbUrl = PG.replace(/\/[^/]+$/, `/${db}`)
  const dataDir = mkdtempSync(join(tmpdir(), 'rt-sess-'))
  const servers: ChildServer[] = []
  let one: string
  let two: string
  let chair: string

  beforeAll(async () => {
    psql(PG, `CREATE DATABASE ${db}`)
    const env = { DATABASE_URL: dbUrl, REDIS_URL: REDIS, REDIS_PREFIX: db, DATA_DIR: dataDir }
    for (let i = 0; i < 2; i++) servers.push(await startChildServer(env, await freePort()))
    one = `http://127.0.0.1:${servers[0].port}`
    two = `http://127.0.0.1:${servers[1].port}`
    chair = await joinByLink(one, link('Chair'), 'Mark Forman')
  }, 60_000)

  afterAll(async () => {
    for (const s of servers) await stopGracefully(s)
    rmSync(dataDir, { recursive: true, force: true })
    psql(PG, `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)
  })

  const link = (label: string) => servers[0].links.find((l) => l.label.startsWith(label))!.url

  /** Yjs and socket.io connections to process two; resolves how long after `since` both closed. */
  const connectToTwo = async (cookie: string) => {
    const y = yClient(two.replace('http', 'ws'), DOC, cookie)
    await y.synced
    const sock = await sio(two, cookie)
    let yAt = 0
    let yCode = 0
    let sockAt = 0
    let ended = ''
    y.provider.ws?.addEventListener('close', (e) => {
      yAt = Date.now()
      yCode = e.code
    })
    sock.on(SERVER_EVENTS.ended, (e: { code: string }) => {
      ended = e.code
    })
    sock.on('disconnect', () => {
      sockAt = Date.now()
    })
    return {
      closedAfter: async (since: number) => {
        await waitFor(() => yAt > 0 && sockAt > 0, 1_500, 'both connections on process two closed')
        y.destroy()
        sock.close()
        return { y: yAt - since, sock: sockAt - since, yCode, ended }
      },
    }
  }

  it('logout on process one closes the connections on process two within a second', async () => {
    const cookie = await joinByLink(one, link('France'), 'Ana')
    const live = await connectToTwo(cookie)
    const t0 = Date.now()
    const r = await fetch(`${one}/api/session/logout`, { method: 'POST', headers: { cookie } })
    expect(r.status).toBe(200)
    const took = await live.closedAfter(t0)
    expect(Math.max(took.y, took.sock)).toBeLessThan(1_000)
    expect(took.yCode).toBe(4410)
    expect(took.ended).toBe('RT_ERR_UNAUTHORIZED')
    expect((await fetch(`${two}/api/session`, { headers: { cookie } })).status).toBe(401)
  })

  it('a link revoked with endSessions on process one closes its sessions on process two within a second', async () => {
    const chairSock = await sio(one, chair)
    const ack = await call<Invitation & { url: string }>(chairSock, 'invitation:create', {
      role: 'observer',
      label: 'Forwarded',
    })
    if (!ack.ok) throw new Error(ack.error.message)
    const cookie = await joinByLink(two, ack.data.url, 'Forwarded watcher')
    const live = await connectToTwo(cookie)
    const t0 = Date.now()
    const r = await call<{ endedSessions: number }>(chairSock, 'invitation:revoke', {
      invitationId: ack.data.id,
      endSessions: true,
    })
    expect(r.ok && r.data.endedSessions).toBe(1)
    const took = await live.closedAfter(t0)
    expect(Math.max(took.y, took.sock)).toBeLessThan(1_000)
    expect((await fetch(`${one}/api/session`, { headers: { cookie } })).status).toBe(401)
    chairSock.close()
  })

  it('a session found expired by a request on process one closes on process two within a second', async () => {
    const cookie = await joinByLink(one, link('Canada'), 'Ben')
    const live = await connectToTwo(cookie)
    const hash = hashToken(decodeURIComponent(cookie.split('=')[1]))
    psql(dbUrl, `UPDATE sessions SET created_at = '2016-01-01T00:00:00.000Z' WHERE token_hash = '${hash}'`)
    const t0 = Date.now()
    expect((await fetch(`${one}/api/meetings/${MEETING}/state`, { headers: { cookie } })).status).toBe(401)
    const took = await live.closedAfter(t0)
    expect(Math.max(took.y, took.sock)).toBeLessThan(1_000)
  })
})
