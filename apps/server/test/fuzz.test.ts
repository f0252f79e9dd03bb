import { BRIEF_FIELD, briefText, docName, proposeArea } from '@roundtable/doc-schema'
import { asMeetingId, CloseCode, COMMANDS } from '@roundtable/protocol'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import { encodeAwareness, MAX_PRESENCE_STATE_CHARS } from '../src/docs/wire.ts'
import { call, sio, varUint } from './clients.ts'
import { DEMO_MEETING, sleep, startServer, type TestServer, waitFor, yClient } from './harness.ts'

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
    const id = proposeArea(bystander.doc, {
      title: 'after the fuzz',
      description: '',
      proposer: '',
      proposerDelegationId: null,
      createdBy: '',
    })
    const check = yClient(s.wsBase, docName(asMeetingId(DEMO_MEETING), 'priorities'), chair)
    await check.synced
    await waitFor(() => check.doc.getMap('areas').has(id))
    // Whatever the fuzzer managed to add is well-formed.
    for (const item of await s.store.listAgenda(asMeetingId(DEMO_MEETING))) {
      expect(item.title.length).toBeGreaterThan(0)
      expect(item.title.length).toBeLessThanOrEqual(200)
    }
    sock.close()
    bystander.destroy()
    check.destroy()
  }, 60_000)

  it('a connection that floods events is throttled, and only that participant', async () => {
    const flooder = await sio(s.base, chair)
    // The command budget is per person (socket.io and HTTP together, issue 11): the calm one is someone else.
    const calm = await sio(s.base, await s.join(/^Chair/, 'Vice Chair'))
    const acks = await Promise.all(Array.from({ length: 120 }, () => call(flooder, 'invitation:list', {})))
    const limited = acks.filter((a) => !a.ok && a.error.code === 'RT_ERR_RATE_LIMITED').length
    expect(limited).toBeGreaterThan(50)
    expect((await call(calm, 'invitation:list', {})).ok).toBe(true)
    flooder.close()
    calm.close()
  })

  it('random awareness states within limits, then malformed and edge frames: presence keeps working, the server stays up', async () => {
    const brief = docName(asMeetingId(DEMO_MEETING), 'brief')
    const watcher = yClient(s.wsBase, brief, chair)
    await watcher.synced
    const raw = () =>
      new Promise<{ ws: WebSocket; closed: Promise<number> }>((res) => {
        const ws = new WebSocket(`${s.wsBase}/yjs/${brief}`, { headers: { cookie: chair } })
        const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)))
        ws.on('open', () => res({ ws, closed }))
      })
    const entry = (clientId: number, clock: number, json: string) => {
      const enc = new TextEncoder().encode(json)
      return [...varUint(clientId), ...varUint(clock), ...varUint(enc.length), ...enc]
    }
    const frame = (entries: number[][]) =>
      encodeAwareness(new Uint8Array([...varUint(entries.length), ...entries.flat()]))

    // 1. Random states, every one within the limits (an object, at most 16 KiB, nested at most 32 deep).
    const states = fc
      .sample(fc.oneof(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 8 }), hostile), {
        seed: SEED,
        numRuns: 80,
      })
      .map((st) => ({ ...(st as object), n: 0 }))
      .filter((st) => JSON.stringify(st).length <= MAX_PRESENCE_STATE_CHARS)
    expect(states.length).toBeGreaterThan(60)
    const fuzzer = await raw()
    const id = 424_242
    let clock = 1
    for (const [i, st] of states.entries()) {
      st.n = i
      fuzzer.ws.send(frame([entry(id, clock++, JSON.stringify(st))]))
    }
    const last = states.length - 1
    await waitFor(
      () => (watcher.provider.awareness.getStates().get(id) as { n?: number } | undefined)?.n === last,
      5_000,
      'the last fuzzed state',
    )
    expect(fuzzer.ws.readyState).toBe(WebSocket.OPEN)
    // Whatever the state said, the server stamped who sent it.
    const seen = watcher.provider.awareness.getStates().get(id) as { user: Record<string, unknown> }
    expect(seen.user.name).toBe('Mark')
    expect(seen.user.role).toBe('chair')

    // 2. Edge frames that must be ignored, not fatal: an old clock, a removal of an unknown client,
    //    another connection's client id (it keeps its own state), more client ids than a tab may hold.
    const edge = await raw()
    edge.ws.send(frame([entry(id, 1, '{"stolen":true}')]))
    edge.ws.send(frame([entry(999_001, 1, 'null')]))
    edge.ws.send(frame([1, 2, 3, 4, 5, 6].map((k) => entry(700_000 + k, 1, '{}'))))
    fuzzer.ws.send(frame([entry(id, 1, '{"old":true}')]))
    await waitFor(() => watcher.provider.awareness.getStates().has(700_004), 5_000, 'the edge client ids')
    await sleep(100)
    expect((watcher.provider.awareness.getStates().get(id) as { n?: number }).n).toBe(last)
    expect(watcher.provider.awareness.getStates().has(700_005)).toBe(false)
    expect(edge.ws.readyState).toBe(WebSocket.OPEN)

    // 3. Malformed frames: each closes its own connection with BadFrame, and only that one.
    const text = (json: string) => [1, ...entry(1, 1, json)]
    const malformed: [string, number[]][] = [
      ['a state over 16 KiB', text(JSON.stringify({ pad: 'x'.repeat(MAX_PRESENCE_STATE_CHARS) }))],
      [
        'nested 33 deep',
        text(`${'['.repeat(33)}${']'.repeat(33)}`.replace(/^\[/, '{"a":[').replace(/\]$/, ']}')),
      ],
      ['an array state', text('[1,2]')],
      ['a number state', text('7')],
      ['not JSON', text('{"a":')],
      ['a count larger than the entries', [3, ...entry(1, 1, '{}')]],
      ['a length past the end', [1, 1, 1, 100, 123]],
      ['trailing bytes', [...text('{}'), 0]],
    ]
    for (const [what, bytes] of malformed) {
      const c = await raw()
      c.ws.send(encodeAwareness(new Uint8Array(bytes)))
      expect(await c.closed, what).toBe(CloseCode.BadFrame)
    }
    // A frame that is not even a y-websocket message.
    const junk = await raw()
    junk.ws.send(new Uint8Array([1, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]))
    expect(await junk.closed).toBe(CloseCode.BadFrame)

    // 4. The server is up, the fuzzer's connections still work, and documents still sync.
    expect((await fetch(`${s.base}/api/health`)).status).toBe(200)
    expect(fuzzer.ws.readyState).toBe(WebSocket.OPEN)
    expect(edge.ws.readyState).toBe(WebSocket.OPEN)
    const other = yClient(s.wsBase, brief, chair)
    await other.synced
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.insert(0, [new Y.XmlText('after the awareness fuzz')])
    watcher.doc.getXmlFragment(BRIEF_FIELD).push([paragraph])
    await waitFor(
      () => briefText(other.doc).includes('after the awareness fuzz'),
      5_000,
      'a brief edit after the fuzz',
    )
    watcher.doc.getXmlFragment(BRIEF_FIELD).delete(watcher.doc.getXmlFragment(BRIEF_FIELD).length - 1, 1)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    fuzzer.ws.close()
    edge.ws.close()
    watcher.destroy()
    other.destroy()
  })
})
