import { docName } from '@roundtable/doc-schema'
import { asMeetingId, COMMANDS } from '@roundtable/protocol'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { encodeAwareness } from '../src/docs/wire.ts'
import { call, sio, varUint } from './clients.ts'
import { DEMO_MEETING, startServer, type TestServer, waitFor, yClient } from './harness.ts'

const SEED = 20030609
const hostile = fc.oneof(
  fc.constant(JSON.parse('{"__proto__": {"polluted": true}}')),
  fc.constant(JSON.parse('{"constructor": {"prototype": {"polluted": true}}}')),
  fc.constant({ title: 'x'.repeat(20_000), kind: 'discussion', durationMinutes: 1 }),
  fc.constant({ itemIds: Array.from({ length: 500 }, (_, i) => `i${i}`) }),
)
const payload = fc.oneof(
  fc.anything(),
  fc.jsonValue(),
  hostile,
  fc.record({ title: fc.string(), kind: fc.string(), durationMinutes: fc.double() }),
)

describe('fuzzing both channels (fixed seed)', () => {
  let s: TestServer
  let chair: string
  beforeAll(async () => {
    s = await startServer()
    chair = await s.join(/^Chair/, 'Mark')
  })
  afterAll(() => s.close())

  it('random socket.io payloads: errors come back, the server stays up, nothing leaks into Object.prototype', async () => {
    const bystander = yClient(s.wsBase, docName(asMeetingId(DEMO_MEETING), 'priorities'), chair)
    await bystander.synced
    const sock = await sio(s.base, chair)
    const names = [...Object.keys(COMMANDS), 'unknown:event', '__proto__', 'constructor']
    const samples = fc.sample(fc.tuple(fc.constantFrom(...names), payload), { seed: SEED, numRuns: 200 })
    let answered = 0
    for (const [name, body] of samples) {
      try {
        const ack = await call(sock, name, body)
        answered++
        if (!ack.ok) expect(typeof ack.error.code).toBe('string')
      } catch {
        // Over the size limit socket.io drops the connection; reconnect and go on.
        if (!sock.connected) sock.connect()
        await waitFor(() => sock.connected, 3_000)
      }
      // Stay under the rate limit so that validation, not throttling, is what is exercised.
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(answered).toBeGreaterThan(170)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.keys(Object.prototype)).toEqual([])
    const health = await fetch(`${s.base}/api/health`)
    expect(health.status).toBe(200)
    // The other channel kept working throughout.
    bystander.doc.getArray('after-fuzz').push([1])
    const check = yClient(s.wsBase, docName(asMeetingId(DEMO_MEETING), 'priorities'), chair)
    await check.synced
    await waitFor(() => check.doc.getArray('after-fuzz').length === 1)
    // Whatever the fuzzer managed to add is well-formed.
    for (const item of await s.store.listAgenda(asMeetingId(DEMO_MEETING))) {
      expect(item.title.length).toBeGreaterThan(0)
      expect(item.title.length).toBeLessThanOrEqual(200)
    }
    sock.close()
    bystander.destroy()
    check.destroy()
  }, 60_000)

  it('a connection that floods events is throttled, and only that connection', async () => {
    const flooder = await sio(s.base, chair)
    const calm = await sio(s.base, chair)
    const acks = await Promise.all(Array.from({ length: 120 }, () => call(flooder, 'invitation:list', {})))
    const limited = acks.filter((a) => !a.ok && a.error.code === 'RT_ERR_RATE_LIMITED').length
    expect(limited).toBeGreaterThan(50)
    expect((await call(calm, 'invitation:list', {})).ok).toBe(true)
    flooder.close()
    calm.close()
  })

  it('random awareness states with hostile keys do not pollute prototypes or break presence', async () => {
    const watcher = yClient(s.wsBase, docName(asMeetingId(DEMO_MEETING), 'brief'), chair)
    await watcher.synced
    const states = fc.sample(fc.oneof(fc.jsonValue(), hostile), { seed: SEED, numRuns: 60 })
    const ws = await new Promise<WebSocket>((res) => {
      const w = new WebSocket(`${s.wsBase}/yjs/${DEMO_MEETING}.brief`, { headers: { cookie: chair } })
      w.on('open', () => res(w))
    })
    let clock = 1
    for (const st of states) {
      if (ws.readyState !== ws.OPEN) break
      const json = JSON.stringify(st) ?? 'null'
      const enc = new TextEncoder().encode(json)
      // awareness update: count=1, clientId, clock, varString(json)
      const bytes = [1, 42, clock++, ...varUint(enc.length), ...enc]
      ws.send(encodeAwareness(new Uint8Array(bytes)))
    }
    await new Promise((r) => setTimeout(r, 200))
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect((await fetch(`${s.base}/api/health`)).status).toBe(200)
    ws.close()
    watcher.destroy()
  })
})
