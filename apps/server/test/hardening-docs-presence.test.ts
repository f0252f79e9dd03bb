import { CloseCode } from '@roundtable/protocol'
import * as decoding from 'lib0/decoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import {
  encodeAwareness,
  encodeAwarenessEntries,
  encodeSyncStep1,
  MessageType,
  SyncType,
} from '../src/docs/wire.ts'
import { DEMO_MEETING, sleep, startServer, type TestServer, waitFor, yClient } from './harness.ts'

/**
 * Issue 11, finding 2: one observer session floods a document with presence (200 connections × 4
 * states × 15 KiB, 12 MB before the fix); newcomers reading at 5 MB/s must still get the document.
 */
const DOC = `${DEMO_MEETING}.brief`
const FLOOD_CONNECTIONS = 200
const STATES_PER_CONNECTION = 4
const STATE_BYTES = 15 * 1024
const NEWCOMER_BYTES_PER_SECOND = 5 << 20

interface RawClient {
  ws: WebSocket
  closed: Promise<number>
  /** Frame types in arrival order ('step2', 'awareness', …), with their sizes. */
  frames: { type: string; bytes: number }[]
  step2: Uint8Array | null
  /** Document updates after the step 2 (the shared whole may be followed by the changes since). */
  updates: Uint8Array[]
}

/** A bare y-websocket connection; `throttle` reads at most that many bytes a second off its socket. */
const rawClient = (srv: TestServer, cookie: string, throttle?: number): RawClient => {
  const ws = new WebSocket(`${srv.wsBase}/yjs/${DOC}`, { headers: { cookie } })
  const client: RawClient = {
    ws,
    closed: new Promise((res) => ws.on('close', (code) => res(code))),
    frames: [],
    step2: null,
    updates: [],
  }
  ws.on('error', () => {})
  ws.on('message', (data: Buffer) => {
    const d = decoding.createDecoder(new Uint8Array(data))
    const type = decoding.readVarUint(d)
    if (type === MessageType.Sync) {
      const sub = decoding.readVarUint(d)
      if (sub === SyncType.Step2) {
        client.step2 = decoding.readVarUint8Array(d)
        client.frames.push({ type: 'step2', bytes: data.byteLength })
      } else {
        if (sub === SyncType.Update) client.updates.push(decoding.readVarUint8Array(d))
        client.frames.push({ type: sub === SyncType.Step1 ? 'step1' : 'update', bytes: data.byteLength })
      }
    } else
      client.frames.push({
        type: type === MessageType.Awareness ? 'awareness' : `t${type}`,
        bytes: data.byteLength,
      })
  })
  if (throttle) {
    ws.on('open', () => {
      const socket = (ws as unknown as { _socket: import('node:net').Socket })._socket
      const windowMs = 50
      const budget = (throttle * windowMs) / 1000
      let used = 0
      socket.on('data', (chunk: Buffer) => {
        used += chunk.byteLength
        if (used < budget) return
        socket.pause()
        setTimeout(
          () => {
            used = 0
            socket.resume()
          },
          (windowMs * used) / budget,
        )
      })
    })
  }
  return client
}

const opened = (ws: WebSocket) =>
  new Promise<void>((res, rej) => {
    ws.once('open', () => res())
    ws.once('close', () => res())
    ws.once('error', rej)
  })

const p99 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))] ?? Number.NaN
}

describe('presence flood (issue 11, finding 2)', () => {
  let srv: TestServer
  beforeAll(async () => {
    srv = await startServer()
  })
  afterAll(async () => {
    await srv.close()
  })

  it('newcomers at 5 MB/s get the document first while one session floods presence; that session is capped at 8 connections', async () => {
    const chair = await srv.join(/^Chair/, 'Mark Forman')
    const delegate = await srv.join(/^Canada/, 'Healthy reader')
    const observer = await srv.join(/^Observer/, 'Flooder')

    // A brief of some size, so the document is a real part of the greeting.
    const writer = yClient(srv.wsBase, DOC, chair)
    await writer.synced
    const frag = writer.doc.getXmlFragment('brief')
    writer.doc.transact(() => {
      for (let i = 0; i < 40; i++) {
        const p = new Y.XmlElement('paragraph')
        p.insert(0, [new Y.XmlText(`Tip ${i}: ${'lead from the centre '.repeat(50)}`)])
        frag.push([p])
      }
    })
    const reader = yClient(srv.wsBase, DOC, delegate)
    await reader.synced
    const expected = writer.doc.getXmlFragment('brief').toString()
    const paragraphs = writer.doc.getXmlFragment('brief').length
    await waitFor(
      () => reader.doc.getXmlFragment('brief').toString() === expected,
      10_000,
      'the brief at the reader',
    )

    // The healthy pair keeps editing during the attack; latency is edit → relayed to the reader.
    const latencies: number[] = []
    let stop = false
    const sentAt = new Map<string, number>()
    const marks = reader.doc.getXmlFragment('brief')
    marks.observeDeep(() => {
      const text = (marks.get(0) as Y.XmlElement).toString()
      for (const [mark, at] of sentAt)
        if (text.includes(mark)) {
          latencies.push(Date.now() - at)
          sentAt.delete(mark)
        }
    })
    const editing = (async () => {
      for (let i = 0; !stop; i++) {
        const mark = `[m${i}]`
        sentAt.set(mark, Date.now())
        ;((frag.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, mark)
        await sleep(50)
      }
    })()

    // The flood: 200 connections of one observer session, each announcing 4 states of 15 KiB.
    const flooders: RawClient[] = []
    let clientId = 1_000_000
    for (let i = 0; i < FLOOD_CONNECTIONS; i++) flooders.push(rawClient(srv, observer))
    await Promise.all(flooders.map((f) => opened(f.ws)))
    for (const f of flooders) {
      if (f.ws.readyState !== WebSocket.OPEN) continue
      const entries = Array.from({ length: STATES_PER_CONNECTION }, () => ({
        clientId: clientId++,
        clock: 1,
        state: { cursor: 'x'.repeat(STATE_BYTES) },
      }))
      f.ws.send(encodeAwareness(encodeAwarenessEntries(entries)))
    }
    await sleep(500)

    // Three newcomers, each reading 5 MB/s, ask for the whole document as a fresh client does.
    const newcomers = [0, 1, 2].map(() => rawClient(srv, delegate, NEWCOMER_BYTES_PER_SECOND))
    await Promise.all(newcomers.map((n) => opened(n.ws)))
    for (const n of newcomers) n.ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())))
    await waitFor(
      () => newcomers.every((n) => n.step2 !== null || n.ws.readyState !== WebSocket.OPEN),
      20_000,
      'newcomers to get the document',
    )
    await sleep(1_000)
    stop = true
    await editing

    const refused = await Promise.all(
      flooders.map((f) => Promise.race([f.closed, sleep(2_000).then(() => null)])),
    )
    const accepted = refused.filter((c) => c === null).length
    const presenceGreeting = newcomers.map((n) =>
      n.frames.filter((f) => f.type === 'awareness').reduce((s, f) => s + f.bytes, 0),
    )
    const newcomerCodes = await Promise.all(
      newcomers.map((n) => Promise.race([n.closed, sleep(100).then(() => 'open')])),
    )
    console.log(
      `presence flood: newcomers ${newcomerCodes.join(', ')}, got the document: ${newcomers.map((n) => n.step2 !== null).join(', ')}; ` +
        ` ${FLOOD_CONNECTIONS} connections × ${STATES_PER_CONNECTION} × ${STATE_BYTES} B sent; ` +
        `${accepted} kept open, ${refused.filter((c) => c === CloseCode.TooManyConnections).length} refused 4429; ` +
        `newcomers' presence bytes ${presenceGreeting.join(', ')}; healthy p99 ${p99(latencies)} ms over ${latencies.length} edits`,
    )

    for (const n of newcomers) {
      // The document came, before any presence, and the newcomer was not closed.
      expect(n.ws.readyState).toBe(WebSocket.OPEN)
      expect(n.step2).not.toBeNull()
      const firstAwareness = n.frames.findIndex((f) => f.type === 'awareness')
      const step2At = n.frames.findIndex((f) => f.type === 'step2')
      expect(firstAwareness === -1 || step2At < firstAwareness).toBe(true)
      const copy = new Y.Doc()
      Y.applyUpdate(copy, n.step2 as Uint8Array)
      for (const u of n.updates) Y.applyUpdate(copy, u)
      expect(copy.getXmlFragment('brief').length).toBe(paragraphs)
      expect(copy.getXmlFragment('brief').toString()).toContain(expected.slice(-200))
      // What one session may hold in presence is bounded per participant (64 KiB), whatever it sent.
      expect(presenceGreeting[newcomers.indexOf(n)]).toBeLessThan(128 * 1024)
    }
    // One person, a few tabs and devices: the rest of the 200 are refused with a named code.
    expect(accepted).toBeLessThanOrEqual(8)
    expect(refused.filter((c) => c === CloseCode.TooManyConnections).length).toBe(
      FLOOD_CONNECTIONS - accepted,
    )
    expect(latencies.length).toBeGreaterThan(10)

    for (const c of [...flooders, ...newcomers]) c.ws.terminate()
    writer.destroy()
    reader.destroy()
  }, 60_000)
})
