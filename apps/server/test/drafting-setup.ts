/** A meeting service over an in-memory SQLite store, for the drafting, records and outputs tests. */
import { asMeetingId, type Delegation, type DraftingEvent } from '@roundtable/protocol'
import * as Y from 'yjs'
import { storeDocWriter } from '../src/meeting/board/areas.ts'
import { draftDocName } from '../src/meeting/drafting/store.ts'
import { anchorIn, textNodes } from '../src/meeting/drafting/text.ts'
import { type Actor, MeetingService } from '../src/meeting/service.ts'
import { openSqliteStore } from '../src/store/sqlite.ts'
import type { Store } from '../src/store/types.ts'

export const meetingId = asMeetingId('draft-meeting')

export const setUpDrafting = async () => {
  const store: Store = openSqliteStore({ path: ':memory:', synchronous: 'normal' })
  const service = new MeetingService({ store, publicUrl: 'http://rt.test', cacheState: true })
  await store.createMeeting({
    id: meetingId,
    title: 'Symposium on e-government',
    date: '2003-06-09',
    place: 'Washington',
    description: '',
    chairName: 'Chair',
    createdAt: '2003-06-09T09:00:00.000Z',
  })
  const events: DraftingEvent[] = []
  service.events.on('drafting', (_m, e) => events.push(e))
  const person = async (
    role: 'chair' | 'delegate' | 'observer',
    name: string,
    delegationId: string | null = null,
  ) => {
    const inv = await service.createInvitation(meetingId, 'test', {
      role,
      delegationId,
      label: name,
      expiresInHours: null,
    })
    const { participant } = await service.join(inv.url.split('/').pop()!, name)
    return { kind: 'participant', participant } as Actor & { kind: 'participant' }
  }
  const chair = await person('chair', 'Mark')
  const cmd = <T>(who: Actor, name: string, payload: unknown) =>
    service.command(who, meetingId, name, payload) as Promise<T>
  const delegation = (name: string) => cmd<Delegation>(chair, 'delegation:add', { name })
  const docs = storeDocWriter(store)
  /** The draft's document as stored now. */
  const readDoc = async (draftId: string): Promise<Y.Doc> => {
    const doc = new Y.Doc()
    const stored = await store.loadDoc(draftDocName(meetingId, draftId))
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
    for (const u of stored.updates) Y.applyUpdate(doc, u)
    return doc
  }
  /** Writes paragraphs into a draft as a client would (one update into storage). */
  const writeParagraphs = (draftId: string, paragraphs: string[]) =>
    docs.transact(draftDocName(meetingId, draftId), (doc) => {
      const frag = doc.getXmlFragment('brief')
      frag.insert(
        frag.length,
        paragraphs.map((p) => {
          const el = new Y.XmlElement('paragraph')
          const t = new Y.XmlText()
          t.insert(0, p)
          el.insert(0, [t])
          return el
        }),
      )
    })
  /** Edits a draft as a client would. */
  const edit = (draftId: string, fn: (doc: Y.Doc) => void) =>
    docs.transact(draftDocName(meetingId, draftId), fn)
  /** The anchor of the first occurrence of `quote` (within one paragraph) in the stored draft. */
  const anchorOf = async (draftId: string, quote: string) => {
    const doc = await readDoc(draftId)
    for (const t of textNodes(doc)) {
      const at = t.toString().indexOf(quote)
      if (at >= 0) return anchorIn(t, at, at + quote.length)
    }
    throw new Error(`"${quote}" is not in the draft`)
  }
  const text = async (draftId: string) =>
    textNodes(await readDoc(draftId))
      .map((t) =>
        t
          .toDelta()
          .map((d: { insert: string }) => d.insert)
          .join(''),
      )
      .join('\n')
  return {
    store,
    service,
    events,
    person,
    chair,
    cmd,
    delegation,
    readDoc,
    writeParagraphs,
    edit,
    anchorOf,
    text,
    close: async () => {
      service.close()
      await store.close()
    },
  }
}
export type DraftingEnv = Awaited<ReturnType<typeof setUpDrafting>>
