import { createHash } from 'node:crypto'
import { docName, liveAreas, listAreas, migrateLegacyPriorities } from '@roundtable/doc-schema'
import type { MeetingId, PriorityId } from '@roundtable/protocol'
import * as Y from 'yjs'
import type { DocStore } from '../../store/types.ts'
import type { AreaIndex, DocWriter } from '../context.ts'

/** The board's view of a `priorities` document: which areas are live, in order, and their content hash. */
export const areaIndexOf = (doc: Y.Doc): AreaIndex => {
  const all = listAreas(doc)
  const live = liveAreas(doc)
  const hash = createHash('sha256')
    .update(JSON.stringify(live.map((a) => [a.id, a.title, a.description])))
    .digest('hex')
  return {
    live: live.map((a) => a.id as string as PriorityId),
    status: new Map(all.map((a) => [a.id as string, a.status])),
    hash,
    titles: new Map(all.map((a) => [a.id as string, a.title])),
  }
}

/**
 * How long a read of the areas serves later readers (ms). Counting the board and checking a ranking
 * read the list dozens of times a second in a busy meeting; a document edit shows within this long.
 * A ranking naming an area the cached list does not know is checked again against a fresh read, and
 * the server's own changes to the list (merge, withdraw, restore) drop the cache at once.
 */
export const AREAS_FRESH_MS = 250

/** `areas` with a short-lived cache per meeting; `fresh` skips it (a freeze hashes what is there now). */
export const cachedAreas = (read: (meetingId: MeetingId) => Promise<AreaIndex>, now = () => Date.now()) => {
  const cache = new Map<MeetingId, { at: number; index: Promise<AreaIndex> }>()
  const areas = (meetingId: MeetingId, opts: { fresh?: boolean } = {}): Promise<AreaIndex> => {
    const hit = cache.get(meetingId)
    if (!opts.fresh && hit && now() - hit.at < AREAS_FRESH_MS) return hit.index
    const index = read(meetingId)
    cache.set(meetingId, { at: now(), index })
    index.catch(() => {
      if (cache.get(meetingId)?.index === index) cache.delete(meetingId)
    })
    return index
  }
  return Object.assign(areas, { forget: (meetingId: MeetingId) => void cache.delete(meetingId) })
}

/**
 * Writes a document straight into storage: for a service with no document hub (tests, tools). A
 * server with clients connected writes through the hub instead, which relays the change.
 */
export const storeDocWriter = (store: DocStore): DocWriter => ({
  transact: async (name, fn) => {
    const doc = new Y.Doc()
    const stored = await store.loadDoc(name)
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
    for (const u of stored.updates) Y.applyUpdate(doc, u)
    const before = Y.encodeStateVector(doc)
    fn(doc)
    const update = Y.encodeStateAsUpdate(doc, before)
    doc.destroy()
    if (update.byteLength > 2) await store.appendUpdates(name, [update])
  },
})

/**
 * Reads a meeting's priority areas from storage (what is durable: the document as every client will
 * have it). A document not yet migrated to the areas shape is read as if it were.
 */
export const areasFromStore =
  (store: DocStore) =>
  async (meetingId: MeetingId): Promise<AreaIndex> => {
    const stored = await store.loadDoc(docName(meetingId, 'priorities'))
    const doc = new Y.Doc()
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
    for (const u of stored.updates) Y.applyUpdate(doc, u)
    migrateLegacyPriorities(doc)
    const index = areaIndexOf(doc)
    doc.destroy()
    return index
  }
