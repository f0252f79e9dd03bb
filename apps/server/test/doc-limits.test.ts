import {
  areaById,
  asPriorityId,
  checkDoc,
  docName,
  PRIORITIES_KIND,
  proposeArea,
} from '@roundtable/doc-schema'
import { asMeetingId, LIMITS } from '@roundtable/protocol'
import * as decoding from 'lib0/decoding'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Peer } from '../src/docs/peer.ts'
import { DocRoom } from '../src/docs/room.ts'
import { encodeSyncUpdate, MessageType, SyncType } from '../src/docs/wire.ts'
import { memoryBus } from '../src/scale/fanout.ts'
import { openSqliteStore } from '../src/store/sqlite.ts'
import type { Store } from '../src/store/types.ts'
import { DEMO_MEETING, sleep, startServer, type TestServer, waitFor, yClient } from './harness.ts'

/*
 * A text never stays past its kind's `maxChars`: two edits that each fit can together overflow a
 * title; the server trims the merged text back to its first `maxChars` characters, as its own edit.
 */

const priorities = docName(asMeetingId(DEMO_MEETING), 'priorities')
const areas = (doc: Y.Doc) => doc.getMap('areas')
const titleOf = (doc: Y.Doc, id: string) =>
  (areas(doc).get(id) as Y.Map<unknown> | undefined)?.get('title') as Y.Text | undefined
const propose = (doc: Y.Doc, id: string, title: string) =>
  proposeArea(doc, {
    id: asPriorityId(id),
    title,
    description: '',
    proposer: '',
    proposerDelegationId: null,
    createdBy: '',
  })

describe('texts past their limit are trimmed by the server (real clients)', () => {
  let s: TestServer
  let alice: string
  let bob: string
  beforeAll(async () => {
    s = await startServer()
    alice = await s.join('France delegate', 'Alice')
    bob = await s.join('Canada delegate', 'Bob')
  })
  afterAll(() => s.close())

  const settled = () => s.rt.hub.rooms.get(priorities)?.settle()
  const stored = async () => (await s.store.loadDoc(priorities)).lastSeq
  /** The document as stored, read as a restarted server reads it. */
  const reloaded = async () => {
    const { snapshot, updates } = await s.store.loadDoc(priorities)
    const doc = new Y.Doc()
    for (const u of snapshot ? [snapshot, ...updates] : updates) Y.applyUpdate(doc, u)
    return doc
  }
  /** Alice and Bob connected, with a new area both have. */
  const twoWithArea = async (id: string) => {
    const a = yClient(s.wsBase, priorities, alice)
    const b = yClient(s.wsBase, priorities, bob)
    await Promise.all([a.synced, b.synced])
    propose(a.doc, id, '')
    await waitFor(() => titleOf(b.doc, id) !== undefined, 5_000, 'the new area')
    return { a, b }
  }

  it('two concurrent edits that each fit, together too long: every copy ends at the limit, and stays so', async () => {
    const { a, b } = await twoWithArea('both-type')
    const ta = titleOf(a.doc, 'both-type') as Y.Text
    const tb = titleOf(b.doc, 'both-type') as Y.Text
    // Each fits alone (150 ≤ 200); both are made in one turn, before either client hears of the other.
    expect(150).toBeLessThanOrEqual(LIMITS.title)
    ta.insert(0, 'a'.repeat(150))
    tb.insert(0, 'b'.repeat(150))
    await waitFor(
      () => ta.length === LIMITS.title && ta.toString() === tb.toString(),
      5_000,
      'both clients trimmed to the limit',
    )
    await settled()
    const server = titleOf(s.rt.hub.rooms.get(priorities)?.doc as Y.Doc, 'both-type')?.toString()
    expect(server).toBe(ta.toString())
    // Some of each person's characters, cut at the end of the merged text.
    expect(ta.toString()).toMatch(/a/)
    expect(ta.toString()).toMatch(/b/)
    // Nothing more happens: the trim does not trigger another.
    const seq = await stored()
    await sleep(300)
    expect(await stored()).toBe(seq)
    expect(ta.toString()).toBe(tb.toString())

    // Survives a restart: the stored rows read into a new document, and a new client once the room is unloaded.
    const copy = await reloaded()
    expect(titleOf(copy, 'both-type')?.toString()).toBe(ta.toString())
    expect(checkDoc(PRIORITIES_KIND, copy)).toEqual([])
    const expected = ta.toString()
    a.destroy()
    b.destroy()
    await waitFor(() => !s.rt.hub.rooms.has(priorities), 5_000, 'room unload')
    const later = yClient(s.wsBase, priorities, bob)
    await later.synced
    expect(titleOf(later.doc, 'both-type')?.toString()).toBe(expected)
    later.destroy()
  })

  it('an edit within the limit is left alone: one update stored, no trim', async () => {
    const { a, b } = await twoWithArea('fits')
    await settled()
    const before = await stored()
    ;(titleOf(a.doc, 'fits') as Y.Text).insert(0, 'x'.repeat(LIMITS.title))
    await waitFor(() => titleOf(b.doc, 'fits')?.length === LIMITS.title, 5_000, 'the edit')
    await settled()
    await sleep(100)
    expect(await stored()).toBe(before + 1)
    a.destroy()
    b.destroy()
  })

  it('a frozen document is trimmed too (server writes go through)', async () => {
    const a = yClient(s.wsBase, priorities, alice)
    await a.synced
    s.rt.hub.kinds.setWritable(priorities, false, 'ranking frozen')
    try {
      // The server's own batch overflows here; a client's batch already on its way at the freeze would too.
      await s.rt.hub.transact(priorities, (doc) => {
        propose(doc, 'frozen-long', '')
        titleOf(doc, 'frozen-long')?.insert(0, 'f'.repeat(LIMITS.title + 40))
      })
      await settled()
      await waitFor(() => titleOf(a.doc, 'frozen-long')?.length === LIMITS.title, 5_000, 'trim while frozen')
      expect(titleOf(await reloaded(), 'frozen-long')?.length).toBe(LIMITS.title)
    } finally {
      s.rt.hub.kinds.setWritable(priorities, true)
      a.destroy()
    }
  })
})

/* ---------- rooms in memory: one process, two processes ---------- */

const silent = { warn: () => {}, error: () => {} }
const settle = async (...rooms: DocRoom[]) => {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setImmediate(r))
    await Promise.all(rooms.map((r) => r.settle()))
  }
}

/** A connection whose document keeps what the server sends, and whose own edits go to `room`. */
const client = (id: number, room: DocRoom) => {
  const doc = new Y.Doc()
  const peer: Peer = {
    id,
    identity: null,
    canWrite: true,
    send(f) {
      const d = decoding.createDecoder(f)
      if (decoding.readVarUint(d) !== MessageType.Sync) return
      if (decoding.readVarUint(d) !== SyncType.Step1)
        Y.applyUpdate(doc, decoding.readVarUint8Array(d), 'server')
    },
    bufferedAmount: () => 0,
    closed: false,
    close() {},
  }
  room.addPeer(peer)
  doc.on('update', (u: Uint8Array, origin: unknown) => {
    if (origin !== 'server') room.receive(peer, encodeSyncUpdate(u))
  })
  return doc
}

describe('texts past their limit are trimmed by the server (rooms)', () => {
  let store: Store
  const rooms: DocRoom[] = []
  afterEach(async () => {
    for (const r of rooms.splice(0)) await r.destroy()
    await store.close()
  })
  /** `n` processes with the document open; each append made durable `appendMs` late. */
  const open = async (n: number, appendMs = 0) => {
    store = openSqliteStore({ path: ':memory:' })
    const slow: Store = Object.create(store)
    const append = store.appendUpdates.bind(store)
    slow.appendUpdates = async (name, updates) => {
      await sleep(appendMs)
      return append(name, updates)
    }
    const bus = memoryBus()
    for (let i = 0; i < n; i++)
      rooms.push(
        new DocRoom('d', {
          store: appendMs > 0 ? slow : store,
          log: silent,
          kind: PRIORITIES_KIND,
          fanout: n > 1 ? bus.fanout() : undefined,
        }),
      )
    await Promise.all(rooms.map((r) => r.ready))
    return rooms
  }

  it('a text created too long in one update (not just grown) is trimmed; the trim is stored once, and nothing after it', async () => {
    const [room] = await open(1)
    const doc = client(1, room)
    // No client helper would send this (they clip), but a client may.
    doc.transact(() => {
      propose(doc, 'long', '')
      titleOf(doc, 'long')?.insert(0, 'z'.repeat(LIMITS.title * 3))
    })
    await settle(room)
    expect(titleOf(room.doc, 'long')?.length).toBe(LIMITS.title)
    expect(titleOf(doc, 'long')?.toString()).toBe('z'.repeat(LIMITS.title))
    // The client's update, then the trim.
    expect((await store.loadDoc('d')).updates.length).toBe(2)
  })

  it('keeps the first characters and never cuts a surrogate pair in two', async () => {
    const [room] = await open(1)
    const doc = client(1, room)
    propose(doc, 'emoji', 'e'.repeat(LIMITS.title - 1))
    await settle(room)
    titleOf(doc, 'emoji')?.insert(LIMITS.title - 1, '😀 and more')
    await settle(room)
    expect(titleOf(room.doc, 'emoji')?.toString()).toBe('e'.repeat(LIMITS.title - 1))
    expect(areaById(doc, asPriorityId('emoji'))?.title).toBe('e'.repeat(LIMITS.title - 1))
  })

  it('a text that grows again while its trim is on the way is trimmed again once that trim is durable', async () => {
    const [room] = await open(1, 20)
    const doc = client(1, room)
    propose(doc, 'again', '')
    await settle(room)
    const before = (await store.loadDoc('d')).lastSeq
    const t = titleOf(doc, 'again') as Y.Text
    t.insert(0, 'a'.repeat(LIMITS.title + 10))
    // A turn later: stored behind the first, applied while the first one's trim is not durable yet.
    await new Promise((r) => setImmediate(r))
    t.insert(t.length, 'b'.repeat(5))
    await settle(room)
    await settle(room)
    expect(titleOf(room.doc, 'again')?.toString()).toBe('a'.repeat(LIMITS.title))
    expect(t.toString()).toBe('a'.repeat(LIMITS.title))
    // Two edits, two trims (the second for what the second edit added).
    expect((await store.loadDoc('d')).lastSeq - before).toBe(4)
  })

  it('with two processes, only the one whose client overflowed the text trims it', async () => {
    const [a, b] = await open(2)
    const x = client(1, a)
    const y = client(2, b)
    propose(x, 'across', '')
    await settle(a, b)
    expect(titleOf(y, 'across')).toBeDefined()
    const before = (await store.loadDoc('d')).lastSeq
    titleOf(x, 'across')?.insert(0, 'x'.repeat(LIMITS.title + 10))
    await settle(a, b)
    await settle(a, b)
    for (const d of [a.doc, b.doc, x, y])
      expect(titleOf(d, 'across')?.toString()).toBe('x'.repeat(LIMITS.title))
    // The client's update and one trim, by process a; b applied both without storing or trimming.
    expect((await store.loadDoc('d')).lastSeq - before).toBe(2)
  })
})
