import { asPriorityId, docName, listAreas, proposeArea } from '@roundtable/doc-schema'
import { asMeetingId, CloseCode } from '@roundtable/protocol'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import { encodeSyncUpdate } from '../src/docs/wire.ts'
import { DEMO_MEETING, startServer, type TestServer, waitFor, yClient } from './harness.ts'

const brief = docName(asMeetingId(DEMO_MEETING), 'brief')
const other = docName(asMeetingId(DEMO_MEETING), 'priorities')

const openRaw = (s: TestServer, name: string, cookie: string): Promise<WebSocket> =>
  new Promise((res, rej) => {
    const ws = new WebSocket(`${s.wsBase}/yjs/${name}`, { headers: { cookie } })
    ws.on('open', () => res(ws))
    ws.on('error', rej)
  })

const closed = (ws: WebSocket): Promise<number> =>
  new Promise((res) => {
    if (ws.readyState === ws.CLOSED) return res(-1)
    ws.on('close', (code) => res(code))
  })

describe('bad input on the Yjs endpoint', () => {
  let s: TestServer
  let cookie: string
  let cookie2: string
  beforeAll(async () => {
    s = await startServer()
    cookie = await s.join('France delegate', 'Fuzzer')
    cookie2 = await s.join('Canada delegate', 'Bystander')
  })
  afterAll(() => s.close())

  it('random and truncated frames close only that connection; another document keeps syncing; the stored document still loads', async () => {
    const a = yClient(s.wsBase, other, cookie2)
    const b = yClient(s.wsBase, other, cookie2)
    await Promise.all([a.synced, b.synced])

    // A real update to truncate.
    const src = new Y.Doc()
    src.getText('t').insert(0, 'a valid edit that will be cut short')
    const valid = encodeSyncUpdate(Y.encodeStateAsUpdate(src))

    const frames = fc.sample(
      fc.oneof(
        fc.uint8Array({ minLength: 0, maxLength: 200 }),
        fc.integer({ min: 1, max: valid.length - 1 }).map((n) => valid.slice(0, n)),
        fc.uint8Array({ minLength: 1, maxLength: 64 }).map((tail) => new Uint8Array([0, 2, ...tail])),
        fc.uint8Array({ minLength: 1, maxLength: 64 }).map((tail) => new Uint8Array([1, ...tail])),
      ),
      { seed: 20030609, numRuns: 120 },
    )
    let i = 0
    for (const frame of frames) {
      const ws = await openRaw(s, brief, cookie)
      ws.send(frame)
      // Keep the other document busy meanwhile (with in-shape edits: the server refuses any other).
      proposeArea(a.doc, {
        id: asPriorityId(`tick-${i++}`),
        title: 'tick',
        description: '',
        proposer: '',
        proposerDelegationId: null,
        createdBy: '',
      })
      await new Promise((r) => setTimeout(r, 5))
      ws.close()
      await closed(ws)
    }
    await waitFor(
      () => listAreas(b.doc).filter((x) => x.id.startsWith('tick-')).length === frames.length,
      5_000,
      'other document kept syncing',
    )

    const health = await fetch(`${s.base}/api/health`)
    expect(health.status).toBe(200)

    // The stored brief still loads, from storage, after the room is unloaded.
    await waitFor(() => !s.rt.hub.rooms.has(brief), 5_000, 'room unload')
    const c = yClient(s.wsBase, brief, cookie2)
    await c.synced
    expect(c.doc.getXmlFragment('brief').length).toBeGreaterThan(0)
    for (const x of [a, b, c]) x.destroy()
  })

  it('a malformed frame closes the connection with the bad-frame code', async () => {
    const ws = await openRaw(s, brief, cookie)
    ws.send(new Uint8Array([7, 7, 7]))
    expect(await closed(ws)).toBe(CloseCode.BadFrame)
  })

  it('a text frame is refused', async () => {
    const ws = await openRaw(s, brief, cookie)
    ws.send('hello')
    expect(await closed(ws)).toBe(CloseCode.BadFrame)
  })

  it('a frame over the size limit is refused and nothing of it is stored', async () => {
    const ws = await openRaw(s, brief, cookie)
    const big = new Y.Doc()
    big.getText('huge').insert(0, 'x'.repeat(1_100_000))
    ws.send(encodeSyncUpdate(Y.encodeStateAsUpdate(big)))
    expect(await closed(ws)).toBe(1009)
    await waitFor(() => !s.rt.hub.rooms.has(brief), 5_000, 'room unload')
    const c = yClient(s.wsBase, brief, cookie2)
    await c.synced
    expect(c.doc.getText('huge').length).toBe(0)
    c.destroy()
  })

  it('a flood of frames closes that connection with the retry code', async () => {
    const ws = await openRaw(s, brief, cookie)
    const frame = new Uint8Array([3]) // query-awareness: tiny, but not free for the server
    for (let i = 0; i < 3_000 && ws.readyState === ws.OPEN; i++) ws.send(frame)
    expect(await closed(ws)).toBe(CloseCode.SlowConsumer)
    expect((await fetch(`${s.base}/api/health`)).status).toBe(200)
  })

  it('an upgrade to any other path is answered and closed, not left hanging', async () => {
    const status = await new Promise<number>((res) => {
      const ws = new WebSocket(`${s.wsBase}/elsewhere`, { headers: { cookie } })
      ws.on('unexpected-response', (_q, r) => res(r.statusCode ?? 0))
      ws.on('open', () => res(101))
      ws.on('error', () => res(-1))
    })
    expect(status).toBe(404)
  })

  it('upgrades without a session, to unknown documents or from a foreign origin are refused', async () => {
    const attempt = (name: string, headers: Record<string, string>) =>
      new Promise<number>((res) => {
        const ws = new WebSocket(`${s.wsBase}/yjs/${name}`, { headers })
        ws.on('unexpected-response', (_req, r) => res(r.statusCode ?? 0))
        ws.on('open', () => res(101))
        ws.on('error', () => res(-1))
      })
    expect(await attempt(brief, {})).toBe(401)
    expect(await attempt('not-a-doc', { cookie })).toBe(404)
    expect(await attempt('othermeeting.brief', { cookie })).toBe(403)
    expect(await attempt(brief, { cookie, origin: 'https://evil.example' })).toBe(403)
  })
})
