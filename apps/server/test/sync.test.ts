import {
  BRIEF_FIELD,
  briefText,
  checkDoc,
  docName,
  PRIORITIES_KIND,
  proposeArea,
} from '@roundtable/doc-schema'
import { asMeetingId } from '@roundtable/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  DEMO_MEETING,
  sleep,
  startServer,
  type TestServer,
  waitFor,
  type YClient,
  yClient,
} from './harness.ts'

const brief = docName(asMeetingId(DEMO_MEETING), 'brief')
const priorities = docName(asMeetingId(DEMO_MEETING), 'priorities')

describe('Yjs sync over real sockets', () => {
  let s: TestServer
  let alice: string
  let bob: string
  let carol: string
  beforeAll(async () => {
    s = await startServer()
    alice = await s.join('France delegate', 'Alice')
    bob = await s.join('Canada delegate', 'Bob')
    carol = await s.join('Korea delegate', 'Carol')
  })
  afterAll(() => s.close())

  it('loads the seeded brief for a new client', async () => {
    const c = yClient(s.wsBase, brief, alice)
    await c.synced
    expect(briefText(c.doc)).toContain('Tips for Leaders')
    c.destroy()
  })

  it('two clients converge after concurrent edits; a later client gets the full document', async () => {
    const a = yClient(s.wsBase, priorities, alice)
    const b = yClient(s.wsBase, priorities, bob)
    await Promise.all([a.synced, b.synced])
    const id = proposeArea(a.doc, {
      title: 'Cross-agency collaboration',
      description: '',
      proposer: 'France',
      proposerDelegationId: null,
      createdBy: 'alice',
    })
    const description = (x: YClient) =>
      (x.doc.getMap('areas').get(id) as Y.Map<unknown> | undefined)?.get('description') as Y.Text | undefined
    await waitFor(() => description(b) !== undefined)
    const ta = description(a) as Y.Text
    const tb = description(b) as Y.Text
    // Concurrent: both edit before either sees the other.
    for (let i = 0; i < 50; i++) {
      ta.insert(0, `a${i} `)
      tb.insert(tb.length, `b${i} `)
    }
    await waitFor(
      () =>
        ta.toString() === tb.toString() &&
        ta.length > 0 &&
        /a49/.test(tb.toString()) &&
        /b49/.test(ta.toString()),
    )
    expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc))

    const c = yClient(s.wsBase, priorities, carol)
    await c.synced
    await waitFor(() => description(c)?.toString() === ta.toString())
    expect(checkDoc(PRIORITIES_KIND, c.doc)).toEqual([])
    for (const x of [a, b, c]) x.destroy()
  })

  it('large edits (a long paste: over 16 KiB and over 64 KiB per frame) reach the others intact', async () => {
    const a = yClient(s.wsBase, brief, alice)
    const b = yClient(s.wsBase, brief, bob)
    await Promise.all([a.synced, b.synced])
    // Yjs heals a broken stream by reconnecting and resyncing: a framing error shows as a closed connection.
    let closes = 0
    for (const x of [a, b]) x.provider.on('connection-close', () => closes++)
    const text = (n: number, seed: string) =>
      Array.from({ length: n }, (_, i) => seed[i % seed.length]).join('')
    const pastes = [text(20_000, 'résumé – '), text(150_000, 'Tips for Leaders. '), 'small']
    // The paste goes into a paragraph of its own, as the editor writes it.
    const paragraph = new Y.XmlElement('paragraph')
    const pasted = new Y.XmlText()
    paragraph.insert(0, [pasted])
    a.doc.getXmlFragment(BRIEF_FIELD).push([paragraph])
    for (const p of pastes) pasted.insert(pasted.length, p)
    const want = pastes.join('')
    const pastedIn = (x: YClient) => {
      const frag = x.doc.getXmlFragment(BRIEF_FIELD)
      const last = frag.get(frag.length - 1)
      return last instanceof Y.XmlElement ? (last.get(0) as Y.XmlText | undefined) : undefined
    }
    await waitFor(() => pastedIn(b)?.toString() === want)
    // A later client gets it all in its first sync (one frame well over 64 KiB).
    const c = yClient(s.wsBase, brief, carol)
    await c.synced
    expect(pastedIn(c)?.toString()).toBe(want)
    c.provider.on('connection-close', () => closes++)
    // The streams are still aligned after the large frames: a small edit each way arrives.
    pastedIn(c)?.insert(0, 'c')
    pasted.insert(0, 'a')
    await waitFor(() => [a, b, c].every((x) => pastedIn(x)?.length === want.length + 2))
    expect(closes).toBe(0)
    // Leave the brief as it was for the other tests.
    const frag = a.doc.getXmlFragment(BRIEF_FIELD)
    frag.delete(frag.length - 1, 1)
    await waitFor(() => b.doc.getXmlFragment(BRIEF_FIELD).length === frag.length)
    for (const x of [a, b, c]) x.destroy()
  })

  it('presence reaches the other client, with the name stamped by the server', async () => {
    const a = yClient(s.wsBase, brief, alice)
    const b = yClient(s.wsBase, brief, bob)
    await Promise.all([a.synced, b.synced])
    a.provider.awareness.setLocalStateField('user', { name: 'Mallory the Impostor', color: '#123456' })
    await waitFor(() => b.provider.awareness.getStates().has(a.doc.clientID), 5_000, 'presence')
    const seen = b.provider.awareness.getStates().get(a.doc.clientID) as { user: Record<string, unknown> }
    expect(seen.user.name).toBe('Alice')
    expect(seen.user.role).toBe('delegate')
    expect(seen.user.delegation).toBe('France')
    expect(seen.user.color).toBe('#123456')
    a.destroy()
    // Leaving removes the presence from the others.
    await waitFor(() => !b.provider.awareness.getStates().has(a.doc.clientID), 5_000, 'presence removal')
    b.destroy()
  })

  it('edits are stored: a fresh client after everyone left sees them', async () => {
    const a = yClient(s.wsBase, brief, alice)
    await a.synced
    const frag = a.doc.getXmlFragment(BRIEF_FIELD)
    a.doc.transact(() => {
      const p = new Y.XmlElement('paragraph')
      const t = new Y.XmlText()
      t.insert(0, 'Stored paragraph 42')
      p.insert(0, [t])
      frag.push([p])
    })
    await sleep(100)
    a.destroy()
    await waitFor(() => s.rt.hub.rooms.size === 0, 5_000, 'room unload')
    const b = yClient(s.wsBase, brief, bob)
    await b.synced
    expect(briefText(b.doc)).toContain('Stored paragraph 42')
    b.destroy()
  })
})
