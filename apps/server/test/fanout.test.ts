import * as decoding from 'lib0/decoding'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { memoryBus } from '../src/scale/fanout.ts'
import { openSqliteStore } from '../src/store/sqlite.ts'
import type { Store } from '../src/store/types.ts'
import type { Peer } from '../src/docs/peer.ts'
import { DocRoom } from '../src/docs/room.ts'
import {
  decodeAwarenessUpdate,
  encodeAwareness,
  encodeAwarenessEntries,
  encodeSyncUpdate,
  MessageType,
  SyncType,
} from '../src/docs/wire.ts'

const silent = { warn: () => {}, error: () => {} }
const settle = async (...rooms: DocRoom[]) => {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setImmediate(r))
    await Promise.all(rooms.map((r) => r.settle()))
  }
}

/** A peer that keeps a Y.Doc of everything it was sent, like a real client. */
const clientPeer = (id: number) => {
  const doc = new Y.Doc()
  const presence = new Map<number, unknown>()
  const peer: Peer = {
    id,
    identity: {
      participantId: `p${id}`,
      meetingId: 'm',
      name: `Person ${id}`,
      role: 'delegate',
      delegation: null,
    },
    canWrite: true,
    send(f) {
      const d = decoding.createDecoder(f)
      const t = decoding.readVarUint(d)
      if (t === MessageType.Sync) {
        const sub = decoding.readVarUint(d)
        if (sub !== SyncType.Step1) Y.applyUpdate(doc, decoding.readVarUint8Array(d), 'server')
      } else if (t === MessageType.Awareness) {
        for (const e of decodeAwarenessUpdate(decoding.readVarUint8Array(d))) {
          if (e.state === null) presence.delete(e.clientId)
          else presence.set(e.clientId, e.state)
        }
      }
    },
    bufferedAmount: () => 0,
    closed: false,
    close() {},
  }
  return { peer, doc, presence }
}

describe('two server processes with one document open (in-memory bus)', () => {
  let store: Store
  const rooms: DocRoom[] = []
  afterEach(async () => {
    for (const r of rooms.splice(0)) await r.destroy()
    await store.close()
  })

  const twoProcesses = async (snapshotEveryUpdates = 500) => {
    store = openSqliteStore({ path: ':memory:' })
    const bus = memoryBus()
    const limits = {
      snapshotEveryUpdates,
      softCapBytes: 1 << 20,
      hardCapBytes: 8 << 20,
      presenceRelayMs: 60_000,
      presenceTimeoutMs: 30_000,
      presencePerPeer: 4,
      presencePerRoom: 5_000,
      inflightCapBytes: 64 << 20,
    }
    const a = new DocRoom('d', { store, log: silent, limits, fanout: bus.fanout() })
    const b = new DocRoom('d', { store, log: silent, limits, fanout: bus.fanout() })
    rooms.push(a, b)
    await Promise.all([a.ready, b.ready])
    return [a, b] as const
  }

  it('edits on either process reach clients of both, stored once', async () => {
    const [a, b] = await twoProcesses()
    const x = clientPeer(1)
    const y = clientPeer(2)
    a.addPeer(x.peer)
    b.addPeer(y.peer)
    x.doc.on(
      'update',
      (u: Uint8Array, origin: unknown) => origin !== 'server' && a.receive(x.peer, encodeSyncUpdate(u)),
    )
    y.doc.on(
      'update',
      (u: Uint8Array, origin: unknown) => origin !== 'server' && b.receive(y.peer, encodeSyncUpdate(u)),
    )
    for (let i = 0; i < 20; i++) {
      x.doc.getArray('log').push([`x${i}`])
      y.doc.getArray('log').push([`y${i}`])
      await settle(a, b)
    }
    await settle(a, b)
    expect(x.doc.getArray('log').length).toBe(40)
    expect(y.doc.getArray('log').toJSON()).toEqual(x.doc.getArray('log').toJSON())
    expect(a.doc.getArray('log').toJSON()).toEqual(b.doc.getArray('log').toJSON())
    // Each process stored only what its own clients sent.
    expect((await store.loadDoc('d')).updates.length).toBe(40)
  })

  it('presence crosses processes, and a local client cannot take over a remote client id', async () => {
    const [a, b] = await twoProcesses()
    const x = clientPeer(1)
    const y = clientPeer(2)
    a.addPeer(x.peer)
    b.addPeer(y.peer)
    a.receive(
      x.peer,
      encodeAwareness(encodeAwarenessEntries([{ clientId: 77, clock: 1, state: { cursor: 5 } }])),
    )
    await settle(a, b)
    expect(y.presence.get(77)).toMatchObject({ cursor: 5, user: { name: 'Person 1' } })
    b.receive(
      y.peer,
      encodeAwareness(encodeAwarenessEntries([{ clientId: 77, clock: 9, state: { cursor: 666 } }])),
    )
    await settle(a, b)
    expect(x.presence.get(77)).toMatchObject({ cursor: 5 })
    a.removePeer(x.peer)
    await settle(a, b)
    expect(y.presence.has(77)).toBe(false)
  })

  it('compaction while the other process writes loses nothing', async () => {
    const [a, b] = await twoProcesses(5)
    const x = clientPeer(1)
    const y = clientPeer(2)
    a.addPeer(x.peer)
    b.addPeer(y.peer)
    const ux = new Y.Doc()
    const uy = new Y.Doc()
    for (let i = 0; i < 30; i++) {
      // Both write in the same turn: each process's compaction runs before it has seen the other's update.
      ux.getArray('log').push([`x${i}`])
      uy.getArray('log').push([`y${i}`])
      a.receive(x.peer, encodeSyncUpdate(Y.encodeStateAsUpdate(ux)))
      b.receive(y.peer, encodeSyncUpdate(Y.encodeStateAsUpdate(uy)))
      await settle(a, b)
    }
    const stored = await store.loadDoc('d')
    expect(stored.snapshot).not.toBeNull()
    const fresh = new Y.Doc()
    if (stored.snapshot) Y.applyUpdate(fresh, stored.snapshot)
    for (const u of stored.updates) Y.applyUpdate(fresh, u)
    expect(fresh.getArray('log').length).toBe(60)
  })
})
