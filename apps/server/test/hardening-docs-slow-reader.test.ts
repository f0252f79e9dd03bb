import { CloseCode } from '@roundtable/protocol'
import * as decoding from 'lib0/decoding'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Peer } from '../src/docs/peer.ts'
import { DocRoom } from '../src/docs/room.ts'
import { encodeSyncStep1, encodeSyncUpdate } from '../src/docs/wire.ts'
import { openSqliteStore } from '../src/store/sqlite.ts'
import type { Store } from '../src/store/types.ts'

/**
 * Issue 11, finding 3: one send larger than the 8 MiB limit was never re-checked, and every reader
 * got its own copy of the document. Here with small caps: a 40 KB document, a 10 KB hard cap.
 */
const silent = { warn: () => {}, error: () => {} }
let nextId = 1
interface Reader extends Peer {
  closed: boolean
  sent: Uint8Array[]
  /** What its socket holds: everything sent, until it reads. */
  queued: number
  code: number | null
}
const reader = (): Reader => {
  const p: Reader = {
    id: nextId++,
    identity: null,
    canWrite: true,
    closed: false,
    sent: [],
    queued: 0,
    code: null,
    send(f) {
      p.sent.push(f)
      p.queued += f.byteLength
    },
    bufferedAmount: () => p.queued,
    close(code) {
      p.code = code
      p.closed = true
    },
  }
  return p
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const EMPTY_SV = Y.encodeStateVector(new Y.Doc())

describe('readers of a document larger than the send queue', () => {
  let store: Store
  let room: DocRoom
  afterEach(async () => {
    await room?.destroy()
    await store?.close()
  })
  const open = async () => {
    store = openSqliteStore({ path: ':memory:' })
    const d = new Y.Doc()
    d.getText('t').insert(0, 'x'.repeat(40_000))
    await store.appendUpdates('d', [Y.encodeStateAsUpdate(d)])
    room = new DocRoom('d', {
      store,
      log: silent,
      limits: { softCapBytes: 2_000, hardCapBytes: 10_000, slowReaderMs: 100 },
    })
    await room.ready
  }

  it('every reader is sent one shared buffer, not a copy each', async () => {
    await open()
    const readers = [reader(), reader(), reader()]
    for (const r of readers) {
      room.addPeer(r)
      room.receive(r, encodeSyncStep1(EMPTY_SV))
    }
    const replies = readers.map((r) => r.sent[r.sent.length - 1])
    expect(replies[0].byteLength).toBeGreaterThan(40_000)
    expect(replies[1].buffer).toBe(replies[0].buffer)
    expect(replies[2].buffer).toBe(replies[0].buffer)
  })

  it('after a small edit a newcomer gets the same shared buffer and the change since, and ends up with the whole document', async () => {
    await open()
    const first = reader()
    room.addPeer(first)
    room.receive(first, encodeSyncStep1(EMPTY_SV))
    const shared = first.sent[first.sent.length - 1]
    const edit = new Y.Doc()
    edit.getText('u').insert(0, 'typed since')
    room.receive(first, encodeSyncUpdate(Y.encodeStateAsUpdate(edit)))
    await sleep(10)
    await room.settle()
    const later = reader()
    room.addPeer(later)
    room.receive(later, encodeSyncStep1(EMPTY_SV))
    const [, whole, since] = later.sent
    expect(whole.buffer).toBe(shared.buffer)
    expect(since.byteLength).toBeLessThan(200)
    const copy = new Y.Doc()
    for (const f of [whole, since]) {
      const d = decoding.createDecoder(f)
      decoding.readVarUint(d)
      decoding.readVarUint(d)
      Y.applyUpdate(copy, decoding.readVarUint8Array(d))
    }
    expect(copy.getText('u').toString()).toBe('typed since')
    expect(copy.getText('t').length).toBe(40_000)
  })

  it('the oversize greeting goes out once; a reader that does not read it down in time is closed', async () => {
    await open()
    const stalled = reader()
    const draining = reader()
    for (const r of [stalled, draining]) {
      room.addPeer(r)
      room.receive(r, encodeSyncStep1(EMPTY_SV))
    }
    expect(stalled.queued).toBeGreaterThan(40_000)
    expect(stalled.closed).toBe(false)
    // A second oversize greeting on top of the first is not allowed.
    const again = reader()
    room.addPeer(again)
    room.receive(again, encodeSyncStep1(EMPTY_SV))
    room.receive(again, encodeSyncStep1(EMPTY_SV))
    expect(again.code).toBe(CloseCode.SlowConsumer)
    // One reads its queue down; the other never reads.
    draining.queued = 0
    await sleep(200)
    expect(stalled.code).toBe(CloseCode.SlowConsumer)
    expect(draining.closed).toBe(false)
    // Past the grace, a document frame that would take it past the hard cap closes it.
    draining.queued = 9_990
    const d = new Y.Doc()
    d.getText('u').insert(0, 'hello')
    room.receive(draining, encodeSyncUpdate(Y.encodeStateAsUpdate(d)))
    await sleep(20)
    await room.settle()
    expect(draining.code).toBe(CloseCode.SlowConsumer)
  })
})
