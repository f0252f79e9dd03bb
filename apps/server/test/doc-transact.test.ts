import { join } from 'node:path'
import { areaById, asPriorityId, docName, listAreas, proposeArea } from '@roundtable/doc-schema'
import { asMeetingId } from '@roundtable/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { openSqliteStore } from '../src/store/sqlite.ts'
import { DEMO_MEETING, sleep, startServer, type TestServer, waitFor, yClient } from './harness.ts'

const priorities = docName(asMeetingId(DEMO_MEETING), 'priorities')

const area = (id: string, title: string) => (doc: Y.Doc) => {
  proposeArea(doc, {
    id: asPriorityId(id),
    title,
    description: '',
    proposer: '',
    proposerDelegationId: null,
    createdBy: '',
  })
}

/** The document as a fresh store, opened on the same database file, reads it. */
const reopened = async (s: TestServer) => {
  const store = openSqliteStore({ path: join(s.dataDir, 'roundtable.sqlite') })
  try {
    const stored = await store.loadDoc(priorities)
    const doc = new Y.Doc()
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
    for (const u of stored.updates) Y.applyUpdate(doc, u)
    return doc
  } finally {
    await store.close()
  }
}

describe('server-side writes through the pipeline (hub.transact)', () => {
  let s: TestServer
  let alice: string
  let bob: string
  beforeAll(async () => {
    s = await startServer()
    alice = await s.join('France delegate', 'Alice')
    bob = await s.join('Canada delegate', 'Bob')
  })
  afterAll(() => s.close())

  it('a server-side change reaches every connected client and is durable once it resolves', async () => {
    const a = yClient(s.wsBase, priorities, alice)
    const b = yClient(s.wsBase, priorities, bob)
    await Promise.all([a.synced, b.synced])
    await s.rt.hub.transact(priorities, area('srv-1', 'Set by the server'))
    // Durable at resolution: a store opened afresh on the file has it.
    expect(areaById(await reopened(s), asPriorityId('srv-1'))?.title).toBe('Set by the server')
    await waitFor(() => [a, b].every((c) => areaById(c.doc, asPriorityId('srv-1')) !== null), 5_000, 'relay')
    // The clients' own edits still merge with it.
    a.doc.transact(() => area('cl-1', 'From a client')(a.doc))
    await waitFor(() => areaById(b.doc, asPriorityId('cl-1')) !== null)
    a.destroy()
    b.destroy()
    await waitFor(() => !s.rt.hub.rooms.has(priorities), 5_000, 'room unload')
    const later = yClient(s.wsBase, priorities, bob)
    await later.synced
    expect(listAreas(later.doc).map((x) => x.id)).toEqual(expect.arrayContaining(['srv-1', 'cl-1']))
    later.destroy()
  })

  it('loads a document nobody has open, and unloads it afterwards', async () => {
    await waitFor(() => !s.rt.hub.rooms.has(priorities), 5_000, 'room unload')
    await s.rt.hub.transact(priorities, area('srv-2', 'Nobody was connected'))
    await waitFor(() => !s.rt.hub.rooms.has(priorities), 5_000, 'room unload after transact')
    expect(areaById(await reopened(s), asPriorityId('srv-2'))).not.toBeNull()
  })

  it('is shape-checked like a client edit: an out-of-shape change rejects and stores nothing', async () => {
    const before = (await s.store.loadDoc(priorities)).lastSeq
    await expect(s.rt.hub.transact(priorities, (doc) => doc.getArray('stray').push(['x']))).rejects.toThrow(
      /root "stray"/,
    )
    expect((await s.store.loadDoc(priorities)).lastSeq).toBe(before)
    // A change that changes nothing resolves at once and stores nothing either.
    await s.rt.hub.transact(priorities, () => {})
    expect((await s.store.loadDoc(priorities)).lastSeq).toBe(before)
    await expect(s.rt.hub.transact('other-meeting.nothing', () => {})).rejects.toThrow(/not a document/)
  })

  it('a frozen document drops participants’ updates; the server can still write; unfreezing restores writing', async () => {
    const a = yClient(s.wsBase, priorities, alice)
    const b = yClient(s.wsBase, priorities, bob)
    await Promise.all([a.synced, b.synced])
    s.rt.hub.kinds.setWritable(priorities, false, 'ranking frozen')
    expect(s.rt.hub.kinds.frozenReason(priorities)).toBe('ranking frozen')
    area('frozen-1', 'Too late')(a.doc)
    await sleep(300)
    expect(areaById(b.doc, asPriorityId('frozen-1'))).toBeNull()
    expect(areaById(await reopened(s), asPriorityId('frozen-1'))).toBeNull()
    await s.rt.hub.transact(priorities, area('srv-3', 'The frozen ranking'))
    await waitFor(() => areaById(b.doc, asPriorityId('srv-3')) !== null, 5_000, 'server write while frozen')
    s.rt.hub.kinds.setWritable(priorities, true)
    area('thawed-1', 'Writable again')(b.doc)
    await waitFor(() => areaById(a.doc, asPriorityId('thawed-1')) !== null, 5_000, 'edit after unfreezing')
    a.destroy()
    b.destroy()
  })
})
