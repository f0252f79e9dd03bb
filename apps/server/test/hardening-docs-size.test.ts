import { asPriorityId, proposeArea } from '@roundtable/doc-schema'
import { CloseCode } from '@roundtable/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import { encodeSyncUpdate } from '../src/docs/wire.ts'
import { DEMO_MEETING, sleep, startServer, type TestServer, yClient } from './harness.ts'

/** Issue 11, finding 3: a cap per document (content bytes), and updates that add nothing are not stored. */
const BRIEF = `${DEMO_MEETING}.brief`
const PRIORITIES = `${DEMO_MEETING}.priorities`
const CAP = 256 * 1024

const raw = (srv: TestServer, cookie: string, doc: string) => {
  const ws = new WebSocket(`${srv.wsBase}/yjs/${doc}`, { headers: { cookie } })
  ws.on('error', () => {})
  const closed = new Promise<{ code: number; reason: string }>((res) =>
    ws.on('close', (code, reason) => res({ code, reason: reason.toString() })),
  )
  const open = new Promise<void>((res) => ws.once('open', () => res()))
  return { ws, closed, open }
}

const stored = async (srv: TestServer, doc: string) => {
  const s = await srv.store.docStats(doc)
  return { ...s, bytes: s.snapshotBytes + s.updateBytes }
}

describe('document size cap (issue 11, finding 3)', () => {
  let srv: TestServer
  beforeAll(async () => {
    srv = await startServer({ env: { DOC_MAX_BYTES: String(CAP) } })
  })
  afterAll(async () => {
    await srv.close()
  })

  it('refuses an update past the cap with 4423, stores nothing past it, and the server keeps serving', async () => {
    const chair = await srv.join(/^Chair/, 'Mark Forman')
    // The writer's document starts from the server's, as a real client's does.
    const seed = yClient(srv.wsBase, BRIEF, chair)
    await seed.synced
    const local = new Y.Doc()
    Y.applyUpdate(local, Y.encodeStateAsUpdate(seed.doc))
    seed.destroy()
    const updates: Uint8Array[] = []
    local.on('update', (u: Uint8Array) => updates.push(u))

    const w = raw(srv, chair, BRIEF)
    await w.open
    let sent = 0
    let refused: { code: number; reason: string } | null = null
    void w.closed.then((c) => {
      refused = c
    })
    // 40 paragraphs of 20 KB: 800 KB, three times the cap.
    for (let i = 0; i < 40 && refused === null; i++) {
      const p = new Y.XmlElement('paragraph')
      p.insert(0, [new Y.XmlText(`${i} ${'x'.repeat(20_000)}`)])
      local.getXmlFragment('brief').push([p])
      w.ws.send(encodeSyncUpdate(updates.shift() as Uint8Array))
      sent++
      await sleep(20)
    }
    await Promise.race([w.closed, sleep(3_000)])
    const after = await stored(srv, BRIEF)
    console.log(
      `size cap ${CAP} B: ${sent} updates of ~20 KB sent, stored ${after.bytes} B, closed with ${refused && (refused as { code: number }).code}`,
    )
    expect(refused).toMatchObject({ code: CloseCode.DocumentFull })
    expect(after.bytes).toBeLessThanOrEqual(CAP)

    // Nothing more is stored for it, the server is up, and readers still get the brief.
    // A fresh client (what the server has, nothing refused) adding one more paragraph: refused too.
    const current = yClient(srv.wsBase, BRIEF, chair)
    await current.synced
    const fresh = new Y.Doc()
    Y.applyUpdate(fresh, Y.encodeStateAsUpdate(current.doc))
    current.destroy()
    const more: Uint8Array[] = []
    fresh.on('update', (u: Uint8Array) => more.push(u))
    const p = new Y.XmlElement('paragraph')
    p.insert(0, [new Y.XmlText('y'.repeat(40_000))])
    fresh.getXmlFragment('brief').push([p])
    const again = raw(srv, chair, BRIEF)
    await again.open
    again.ws.send(encodeSyncUpdate(more[0]))
    expect((await again.closed).code).toBe(CloseCode.DocumentFull)
    expect((await stored(srv, BRIEF)).bytes).toBe(after.bytes)

    const delegate = await srv.join(/^France/, 'Reader')
    const reader = yClient(srv.wsBase, BRIEF, delegate)
    const other = yClient(srv.wsBase, PRIORITIES, delegate)
    await Promise.all([reader.synced, other.synced])
    expect(reader.doc.getXmlFragment('brief').length).toBeGreaterThan(0)
    const health = await fetch(`${srv.base}/api/health`)
    expect(health.status).toBeLessThan(500)
    reader.destroy()
    other.destroy()
  }, 30_000)

  it('does not store an update that adds nothing new (a replay of one already stored)', async () => {
    const delegate = await srv.join(/^Korea/, 'Replayer')
    const seed = yClient(srv.wsBase, PRIORITIES, delegate)
    await seed.synced
    const local = new Y.Doc()
    Y.applyUpdate(local, Y.encodeStateAsUpdate(seed.doc))
    seed.destroy()
    const updates: Uint8Array[] = []
    local.on('update', (u: Uint8Array) => updates.push(u))
    proposeArea(local, {
      id: asPriorityId('replayed'),
      title: 'Customer-focused government',
      description: '',
      proposer: '',
      proposerDelegationId: null,
      createdBy: '',
    })
    local.getMap('areas').delete('replayed')
    const [insert, del] = updates

    const w = raw(srv, delegate, PRIORITIES)
    await w.open
    w.ws.send(encodeSyncUpdate(insert))
    w.ws.send(encodeSyncUpdate(del))
    const room = () => srv.rt.hub.rooms.get(PRIORITIES)
    await sleep(300)
    await room()?.settle()
    expect(w.ws.readyState).toBe(WebSocket.OPEN)
    const before = await stored(srv, PRIORITIES)
    for (let i = 0; i < 20; i++) {
      w.ws.send(encodeSyncUpdate(insert))
      w.ws.send(encodeSyncUpdate(del))
    }
    await sleep(300)
    await room()?.settle()
    const after = await stored(srv, PRIORITIES)
    console.log(`replays: 40 sent, log ${before.updates} → ${after.updates} updates`)
    expect(after.updates).toBe(before.updates)
    expect(w.ws.readyState).toBe(WebSocket.OPEN)
    w.ws.terminate()
  }, 30_000)
})
