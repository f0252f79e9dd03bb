import { docName, LEGACY_PRIORITIES_FIELD, migrateLegacyPriorities } from '@roundtable/doc-schema'
import * as Y from 'yjs'
import type { MeetingService } from '../meeting/service.ts'
import type { Store } from '../store/types.ts'
import type { DocHub } from './hub.ts'
import type { DocKinds } from './kinds.ts'

/**
 * At start, for every meeting: a priority list stored in the old shape (one Y.Array) is migrated to
 * the areas shape, once, by the server through the document pipeline (clients then see only the new
 * shape); a list frozen for a vote stays frozen. Several processes may do this at once: the
 * migration is deterministic (keyed by the old ids), so two of them converge on the same document.
 */
export const prepareMeetings = async (
  store: Store,
  service: MeetingService,
  hub: DocHub,
  kinds: DocKinds,
  log: { warn(obj: object, msg: string): void },
): Promise<void> => {
  for (const meeting of await store.listMeetings()) {
    const name = docName(meeting.id, 'priorities')
    try {
      const stored = await store.loadDoc(name)
      const doc = new Y.Doc()
      if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
      for (const u of stored.updates) Y.applyUpdate(doc, u)
      const legacy = doc.getArray(LEGACY_PRIORITIES_FIELD).length > 0
      doc.destroy()
      if (legacy) await hub.transact(name, (d) => void migrateLegacyPriorities(d))
      if ((await service.boardConfig(meeting.id)).frozen) kinds.setWritable(name, false, 'frozen for a vote')
    } catch (err) {
      log.warn({ err, meetingId: meeting.id }, 'could not prepare a meeting’s documents')
    }
  }
}
