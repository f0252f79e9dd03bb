import { CloseCode } from '@roundtable/protocol'
import * as decoding from 'lib0/decoding'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { openSqliteStore } from '../src/store/sqlite.ts'
import type { Store } from '../src/store/types.ts'
import type { Peer } from '../src/docs/peer.ts'
import { DocRoom, type RoomLogger } from '../src/docs/room.ts'
import {
  decodeAwarenessUpdate,
  encodeAwareness,
  encodeAwarenessEntries,
  encodeSyncStep1,
  encodeSyncUpdate,
  MessageType,
  SyncType,
} from '../src/docs/wire.ts'
import { varUint } from './clients.ts'

const silent = { warn: () => {}, error: () => {} }
const turn = () => new Promise((r) => setImmediate(r))
const settle = async (room: DocRoom) => {
  await turn()
  await room.settle()
}

interface FakePeer extends Peer {
  closed: boolean
  sent: Uint8Array[]
  closedWith: number | null
  queued: number
}
let nextId = 1
const fakePeer = (canWrite = true, name = `p${nextId}`): FakePeer => {
  const p: FakePeer = {
    id: nextId++,
    identity: {
      participantId: name,
      meetingId: 'm',
      name,
      role: canWrite ? 'delegate' : 'observer',
      delegation: null,
    },
    canWrite,
    sent: [],
    closedWith: null,
    queued: 0,
    send(f) {
      p.sent.push(f)
    },
    bufferedAmount: () => p.queued,
    closed: false,
    close(code) {
      p.closedWith = code
      p.closed = true
    },
  }
  return p
}

const kindOf = (f: Uint8Array) => {
  const d = decoding.createDecoder(f)
  const t = decoding.readVarUint(d)
  if (t === MessageType.Sync) return ['sync', decoding.readVarUint(d)] as const
  return ['other', t] as const
}
const docUpdates = (p: FakePeer) =>
  p.sent.filter((f) => kindOf(f)[0] === 'sync' && kindOf(f)[1] === SyncType.Update)
const presenceFrames = (p: FakePeer) =>
  p.sent.filter((f) => kindOf(f)[1] === MessageType.Awareness && kindOf(f)[0] === 'other')

const edit = (text: string, clientId: number) => {
  const d = new Y.Doc()
  d.clientID = clientId
  d.getText('t').insert(0, text)
  return Y.encodeStateAsUpdate(d)
}

describe('DocRoom', () => {
  let store: Store
  let room: DocRoom
  afterEach(async () => {
    await room?.destroy()
    await store?.close()
  })

  const open = async (limits = {}) => {
    store = openSqliteStore({ path: ':memory:' })
    room = new DocRoom('d', {
      store,
      log: silent,
      limits: {
        snapshotEveryUpdates: 500,
        softCapBytes: 1000,
        hardCapBytes: 5000,
        presenceRelayMs: 60_000,
        presenceTimeoutMs: 30_000,
        presencePerPeer: 4,
        presencePerRoom: 5_000,
        inflightCapBytes: 64 << 20,
        ...limits,
      },
    })
    await room.ready
  }

  it('greets a new peer with its state vector', async () => {
    await open()
    const p = fakePeer()
    room.addPeer(p)
    expect(kindOf(p.sent[0])).toEqual(['sync', SyncType.Step1])
  })

  it('updates from one turn are stored in one batch, then relayed as one merged frame to everyone', async () => {
    await open()
    const [a, b, c] = [fakePeer(), fakePeer(), fakePeer()]
    for (const p of [a, b, c]) room.addPeer(p)
    let appends = 0
    const original = store.appendUpdates
    store.appendUpdates = (n, u) => {
      appends++
      // Nothing is relayed before the append that makes it durable.
      expect(docUpdates(c)).toHaveLength(0)
      return original(n, u)
    }
    room.receive(a, encodeSyncUpdate(edit('hello', 1)))
    room.receive(b, encodeSyncUpdate(edit('world', 2)))
    expect(docUpdates(c)).toHaveLength(0)
    await settle(room)
    expect(appends).toBe(1)
    expect(docUpdates(c)).toHaveLength(1)
    // The very same buffer goes to every recipient.
    expect(docUpdates(a)[0]).toBe(docUpdates(c)[0])
    expect((await store.loadDoc('d')).updates).toHaveLength(2)
    expect(room.doc.getText('t').toString()).toMatch(/hello|world/)
  })

  it('the next batch is written while the previous one is still being made durable; each is relayed only once durable, in order', async () => {
    await open()
    const [a, c] = [fakePeer(), fakePeer()]
    for (const p of [a, c]) room.addPeer(p)
    const original = store.appendUpdates
    const gates: (() => void)[] = []
    store.appendUpdates = (n, u) => {
      const written = original(n, u)
      return new Promise((resolve) => gates.push(() => resolve(written)))
    }
    room.receive(a, encodeSyncUpdate(edit('first', 11)))
    await new Promise((r) => setImmediate(r))
    room.receive(a, encodeSyncUpdate(edit('second', 12)))
    await new Promise((r) => setImmediate(r))
    // Both writes are under way although the first has not been acknowledged yet.
    expect(gates).toHaveLength(2)
    expect(docUpdates(c)).toHaveLength(0)
    gates[1]()
    await new Promise((r) => setTimeout(r, 10))
    // The second is durable but waits for the first: relays keep the order of arrival.
    expect(docUpdates(c)).toHaveLength(0)
    gates[0]()
    await settle(room)
    expect(docUpdates(c)).toHaveLength(2)
    expect(room.doc.getText('t').toString()).toContain('first')
    expect((await store.loadDoc('d')).lastSeq).toBe(2)
  })

  it('observer updates are dropped: not stored, not applied, not relayed', async () => {
    await open()
    const obs = fakePeer(false)
    const other = fakePeer()
    room.addPeer(obs)
    room.addPeer(other)
    room.receive(obs, encodeSyncUpdate(edit('sneaky', 9)))
    await settle(room)
    expect(docUpdates(other)).toHaveLength(0)
    expect((await store.loadDoc('d')).updates).toHaveLength(0)
    expect(room.doc.getText('t').toString()).toBe('')
  })

  it('a store failure closes every connection and relays nothing', async () => {
    await open()
    const a = fakePeer()
    const b = fakePeer()
    room.addPeer(a)
    room.addPeer(b)
    store.appendUpdates = () => Promise.reject(new Error('disk full'))
    room.receive(a, encodeSyncUpdate(edit('lost', 3)))
    await settle(room)
    expect(docUpdates(b)).toHaveLength(0)
    expect(a.closedWith).toBe(1011)
    expect(b.closedWith).toBe(1011)
  })

  it('a peer past the hard cap is closed; past the soft cap it gets no presence', async () => {
    await open()
    const writer = fakePeer()
    const slow = fakePeer()
    const lagging = fakePeer()
    for (const p of [writer, slow, lagging]) room.addPeer(p)
    slow.queued = 6000
    lagging.queued = 2000
    room.receive(
      writer,
      encodeAwareness(encodeAwarenessEntries([{ clientId: 5, clock: 1, state: { cursor: 1 } }])),
    )
    room.receive(writer, encodeSyncUpdate(edit('x', 4)))
    await settle(room)
    expect(slow.closedWith).toBe(CloseCode.SlowConsumer)
    expect(presenceFrames(lagging)).toHaveLength(0)
    expect(docUpdates(lagging)).toHaveLength(1)
  })

  it('a renewal that changes nothing is not relayed at once, but in the next periodic batch', async () => {
    await open({ presenceRelayMs: 50 })
    const a = fakePeer()
    const b = fakePeer()
    room.addPeer(a)
    room.addPeer(b)
    room.receive(
      a,
      encodeAwareness(encodeAwarenessEntries([{ clientId: 7, clock: 1, state: { cursor: 3 } }])),
    )
    await settle(room)
    expect(presenceFrames(b)).toHaveLength(1)
    room.receive(
      a,
      encodeAwareness(encodeAwarenessEntries([{ clientId: 7, clock: 2, state: { cursor: 3 } }])),
    )
    await settle(room)
    expect(presenceFrames(b)).toHaveLength(1)
    await new Promise((r) => setTimeout(r, 80))
    expect(presenceFrames(b)).toHaveLength(2)
  })

  it('the renewal batch reaches a crowd a slice per turn, so document updates go out in between', async () => {
    await open({ presenceRelayMs: 40 })
    const writer = fakePeer()
    const crowd = Array.from({ length: 700 }, () => fakePeer(false))
    room.addPeer(writer)
    for (const p of crowd) room.addPeer(p)
    const got = () => crowd.filter((p) => presenceFrames(p).length === 2).length
    const leaver = crowd[crowd.length - 1]
    // Seen from inside the first slice: how far the batch has got, and one follower leaves then.
    let whenFirstGotIt = -1
    const first = crowd[0]
    const send = first.send
    first.send = (f) => {
      send(f)
      if (whenFirstGotIt < 0 && presenceFrames(first).length === 2) {
        whenFirstGotIt = got()
        room.removePeer(leaver)
      }
    }
    const renew = (clock: number) =>
      room.receive(writer, encodeAwareness(encodeAwarenessEntries([{ clientId: 5, clock, state: { c: 1 } }])))
    renew(1)
    await settle(room)
    renew(2)
    await expect.poll(got, { interval: 5, timeout: 2_000 }).toBe(crowd.length - 1)
    expect(whenFirstGotIt).toBeGreaterThan(0)
    expect(whenFirstGotIt).toBeLessThanOrEqual(256)
    // The one who left before their slice was not written to.
    expect(presenceFrames(leaver)).toHaveLength(1)
  })

  it('a newcomer is greeted with every presence state once sent the document, byte-exact, whatever the size of ids and clocks', async () => {
    await open()
    const a = fakePeer(true, 'Amélie')
    const b = fakePeer(true, 'Bo')
    room.addPeer(a)
    room.addPeer(b)
    const big = 2 ** 32 - 5
    room.receive(
      a,
      encodeAwareness(encodeAwarenessEntries([{ clientId: big, clock: 20_000, state: { c: 'ü→✓' } }])),
    )
    room.receive(b, encodeAwareness(encodeAwarenessEntries([{ clientId: 1, clock: 0, state: { c: 1 } }])))
    await settle(room)
    // b leaves: its state becomes null (removed), announced to the others.
    room.removePeer(b)
    await settle(room)
    const newcomer = fakePeer(false)
    room.addPeer(newcomer)
    // Presence waits until the newcomer has been sent the document: nothing stands before it.
    expect(presenceFrames(newcomer)).toHaveLength(0)
    room.receive(newcomer, encodeSyncStep1(Y.encodeStateVector(new Y.Doc())))
    expect(newcomer.sent.map((f) => kindOf(f).join(':'))).toEqual(['sync:0', 'sync:1', 'other:1'])
    const greeting = presenceFrames(newcomer)[0]
    const d = decoding.createDecoder(greeting)
    expect(decoding.readVarUint(d)).toBe(MessageType.Awareness)
    const update = decoding.readVarUint8Array(d)
    expect(decoding.hasContent(d)).toBe(false)
    const entries = decodeAwarenessUpdate(update)
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({
      clientId: big,
      clock: 20_000,
      state: { c: 'ü→✓', user: { name: 'Amélie' } },
    })
    // The same bytes as lib0's own encoding of that entry.
    expect(update).toEqual(encodeAwarenessEntries(entries))
    const left = presenceFrames(a).map((f) => {
      const r = decoding.createDecoder(f)
      decoding.readVarUint(r)
      return decodeAwarenessUpdate(decoding.readVarUint8Array(r))
    })
    expect(left.flat()).toContainEqual({ clientId: 1, clock: 1, state: null })
  })

  it('nobody can overwrite presence under another connection’s client id', async () => {
    await open()
    const a = fakePeer(true, 'Alice')
    const m = fakePeer(true, 'Mallory')
    room.addPeer(a)
    room.addPeer(m)
    room.receive(
      a,
      encodeAwareness(encodeAwarenessEntries([{ clientId: 11, clock: 1, state: { cursor: 1 } }])),
    )
    await settle(room)
    const before = a.sent.length
    room.receive(
      m,
      encodeAwareness(
        encodeAwarenessEntries([{ clientId: 11, clock: 5, state: { user: { name: 'Alice' } } }]),
      ),
    )
    await settle(room)
    expect(a.sent.length).toBe(before)
  })

  it('compacts the log into a snapshot and loads snapshot plus tail', async () => {
    await open({ snapshotEveryUpdates: 10 })
    const a = fakePeer()
    room.addPeer(a)
    const src = new Y.Doc()
    src.on('update', (u: Uint8Array) => room.receive(a, encodeSyncUpdate(u)))
    for (let i = 0; i < 25; i++) {
      src.getText('t').insert(src.getText('t').length, `${i},`)
      await settle(room)
    }
    const stored = await store.loadDoc('d')
    expect(stored.snapshot).not.toBeNull()
    expect(stored.updates.length).toBeLessThan(10)
    const copy = new DocRoom('d', { store, log: silent })
    await copy.ready
    expect(copy.doc.getText('t').toString()).toBe(src.getText('t').toString())
    await copy.destroy()
  })

  it('shutting down writes out what arrived in the current turn before closing', async () => {
    await open()
    const a = fakePeer()
    room.addPeer(a)
    room.receive(a, encodeSyncUpdate(edit('last words', 31)))
    // No turn passes: destroy() must flush the pending batch itself.
    await room.destroy()
    expect((await store.loadDoc('d')).updates).toHaveLength(1)
    room = new DocRoom('d', { store, log: silent })
    await room.ready
    expect(room.doc.getText('t').toString()).toBe('last words')
  })

  it('a closed peer can send nothing more that counts, even before its socket is gone', async () => {
    await open()
    const a = fakePeer()
    const b = fakePeer()
    room.addPeer(a)
    room.addPeer(b)
    a.close(4410, 'removed')
    room.receive(a, encodeSyncUpdate(edit('after removal', 41)))
    await settle(room)
    expect(docUpdates(b)).toHaveLength(0)
    expect((await store.loadDoc('d')).updates).toHaveLength(0)
  })

  it('presence is capped per connection, and a state that is too large or too deep closes only that connection', async () => {
    await open()
    const a = fakePeer()
    const b = fakePeer()
    room.addPeer(a)
    room.addPeer(b)
    const many = Array.from({ length: 10 }, (_, i) => ({ clientId: 100 + i, clock: 1, state: { i } }))
    room.receive(a, encodeAwareness(encodeAwarenessEntries(many)))
    await settle(room)
    const relayed = presenceFrames(b).flatMap((f) => {
      const d = decoding.createDecoder(f)
      decoding.readVarUint(d)
      return decodeAwarenessUpdate(decoding.readVarUint8Array(d))
    })
    expect(relayed).toHaveLength(4)

    const deep = fakePeer()
    room.addPeer(deep)
    const nested = `${'['.repeat(5000)}${']'.repeat(5000)}`
    const huge = new TextEncoder().encode(nested)
    room.receive(deep, encodeAwareness(new Uint8Array([1, 55, 1, ...varUint(huge.length), ...huge])))
    expect(deep.closedWith).toBe(CloseCode.BadFrame)
    const big = fakePeer()
    room.addPeer(big)
    room.receive(
      big,
      encodeAwareness(
        encodeAwarenessEntries([{ clientId: 56, clock: 1, state: { pad: 'x'.repeat(20_000) } }]),
      ),
    )
    expect(big.closedWith).toBe(CloseCode.BadFrame)
  })

  it('a failed compaction is logged, loses nothing, and the room keeps working', async () => {
    await open({ snapshotEveryUpdates: 2 })
    const errors: string[] = []
    ;(room as unknown as { log: RoomLogger }).log = {
      warn: () => {},
      error: (_o: object, m: string) => {
        errors.push(m)
      },
    }
    store.compact = () => Promise.reject(new Error('disk hiccup'))
    const a = fakePeer()
    room.addPeer(a)
    for (let i = 0; i < 4; i++) {
      room.receive(a, encodeSyncUpdate(edit(`e${i}`, 60 + i)))
      await settle(room)
    }
    expect(errors).toContain('compaction failed')
    expect(a.closedWith).toBeNull()
    expect((await store.loadDoc('d')).updates).toHaveLength(4)
  })

  it('settling waits for a compaction queued behind a slow append', async () => {
    await open({ snapshotEveryUpdates: 1 })
    const append = store.appendUpdates
    const compact = store.compact
    let compacted = false
    store.appendUpdates = (n, u) => new Promise((r) => setTimeout(() => r(append(n, u)), 50))
    store.compact = (n, s, upto) =>
      new Promise((r) =>
        setTimeout(async () => {
          await compact(n, s, upto)
          compacted = true
          r()
        }, 100),
      )
    const a = fakePeer()
    room.addPeer(a)
    room.receive(a, encodeSyncUpdate(edit('slow', 70)))
    await turn()
    await room.settle()
    expect(compacted).toBe(true)
  })

  it('a cold document with only a snapshot answers readers from the stored bytes, and integrates at the first write', async () => {
    await open({ snapshotEveryUpdates: 3 })
    const a = fakePeer()
    room.addPeer(a)
    for (let i = 0; i < 3; i++) {
      room.receive(a, encodeSyncUpdate(edit(`w${i}`, 80 + i)))
      await settle(room)
    }
    await room.destroy()
    const stored = await store.loadDoc('d')
    expect(stored.updates).toHaveLength(0)
    room = new DocRoom('d', { store, log: silent })
    await room.ready
    const reader = fakePeer(false)
    room.addPeer(reader)
    room.receive(reader, encodeSyncStep1(Y.encodeStateVector(new Y.Doc())))
    const step2 = reader.sent.find((f) => kindOf(f)[1] === SyncType.Step2)!
    const d = decoding.createDecoder(step2)
    decoding.readVarUint(d)
    decoding.readVarUint(d)
    // The reply is the stored snapshot itself: nothing was applied or encoded for this reader.
    expect(decoding.readVarUint8Array(d)).toEqual(stored.snapshot)
    expect((room as unknown as { unintegrated: unknown }).unintegrated).not.toBeNull()
    const writer = fakePeer()
    room.addPeer(writer)
    room.receive(writer, encodeSyncUpdate(edit('late', 90)))
    await settle(room)
    expect((room as unknown as { unintegrated: unknown }).unintegrated).toBeNull()
    const text = room.doc.getText('t').toString()
    for (const w of ['w0', 'w1', 'w2', 'late']) expect(text).toContain(w)
  })

  it('a compaction stores the state vector, and a cold document greets with it without decoding the snapshot', async () => {
    await open({ snapshotEveryUpdates: 2 })
    const a = fakePeer()
    room.addPeer(a)
    for (let i = 0; i < 2; i++) {
      room.receive(a, encodeSyncUpdate(edit(`s${i}`, 100 + i)))
      await settle(room)
    }
    const live = Y.encodeStateVector(room.doc)
    await room.destroy()
    const stored = await store.loadDoc('d')
    expect(stored.updates).toHaveLength(0)
    expect(stored.snapshotStateVector).toEqual(live)
    // Prove the greeting comes from the stored vector: store one that differs from the snapshot's own.
    const marker = Y.encodeStateVector(new Y.Doc())
    await store.compact('d', stored.snapshot!, stored.lastSeq, marker)
    room = new DocRoom('d', { store, log: silent })
    await room.ready
    const greetedWith = (p: FakePeer) => {
      const d = decoding.createDecoder(p.sent.find((f) => kindOf(f)[1] === SyncType.Step1)!)
      decoding.readVarUint(d)
      decoding.readVarUint(d)
      return decoding.readVarUint8Array(d)
    }
    const reader = fakePeer(false)
    room.addPeer(reader)
    expect(greetedWith(reader)).toEqual(marker)
    // Without a stored vector, it is computed from the snapshot (once per room) and is the real one.
    await room.destroy()
    await store.compact('d', stored.snapshot!, stored.lastSeq)
    room = new DocRoom('d', { store, log: silent })
    await room.ready
    const [r1, r2] = [fakePeer(false), fakePeer(false)]
    room.addPeer(r1)
    room.addPeer(r2)
    expect(greetedWith(r1)).toEqual(live)
    expect(greetedWith(r2)).toEqual(live)
  })

  it('newcomers share one encoding of the full state, and after a small change get it and the change since', async () => {
    await open()
    const a = fakePeer()
    room.addPeer(a)
    room.receive(a, encodeSyncUpdate(edit('shared', 95)))
    await settle(room)
    const replyTo = (p: FakePeer) => {
      room.receive(p, encodeSyncStep1(Y.encodeStateVector(new Y.Doc())))
      const f = p.sent.filter((x) => kindOf(x)[1] === SyncType.Step2).at(-1)!
      const d = decoding.createDecoder(f)
      decoding.readVarUint(d)
      decoding.readVarUint(d)
      return decoding.readVarUint8Array(d)
    }
    const cached = () => (room as unknown as { fullState: Uint8Array | null }).fullState
    const [x, y] = [fakePeer(), fakePeer()]
    const first = replyTo(x)
    const encoding = cached()
    expect(encoding).not.toBeNull()
    expect(replyTo(y)).toEqual(first)
    expect(cached()).toBe(encoding)
    room.receive(a, encodeSyncUpdate(edit('more', 96)))
    await settle(room)
    expect(cached()).toBeNull()
    // The shared whole again, then the change since it was made: together, the whole document.
    const before = x.sent.length
    const fresh = new Y.Doc()
    Y.applyUpdate(fresh, replyTo(x))
    const since = x.sent.slice(before).filter((f) => kindOf(f)[1] === SyncType.Update)
    expect(since).toHaveLength(1)
    const d = decoding.createDecoder(since[0])
    decoding.readVarUint(d)
    decoding.readVarUint(d)
    Y.applyUpdate(fresh, decoding.readVarUint8Array(d))
    expect(fresh.getText('t').toString()).toContain('more')
  })

  it('answers a state vector with exactly what the client lacks', async () => {
    await open()
    const a = fakePeer()
    room.addPeer(a)
    room.receive(a, encodeSyncUpdate(edit('abc', 21)))
    await settle(room)
    const b = fakePeer()
    room.addPeer(b)
    room.receive(b, encodeSyncStep1(Y.encodeStateVector(new Y.Doc())))
    const step2 = b.sent.find((f) => kindOf(f)[0] === 'sync' && kindOf(f)[1] === SyncType.Step2)!
    const d = decoding.createDecoder(step2)
    decoding.readVarUint(d)
    decoding.readVarUint(d)
    const fresh = new Y.Doc()
    Y.applyUpdate(fresh, decoding.readVarUint8Array(d))
    expect(fresh.getText('t').toString()).toBe('abc')
  })
})
