import {
  BRIEF_FIELD,
  BRIEF_KIND,
  checkDoc,
  type DocKindSpec,
  migrateLegacyPriorities,
  moveArea,
  PRIORITIES_KIND,
  proposeArea,
  setAreaText,
  writeBriefOutline,
} from '@roundtable/doc-schema'
import { CloseCode } from '@roundtable/protocol'
import * as decoding from 'lib0/decoding'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Peer } from '../src/docs/peer.ts'
import { DocRoom } from '../src/docs/room.ts'
import { MAX_TYPE_DEPTH } from '../src/docs/shape.ts'
import { encodeSyncUpdate, MessageType, SyncType } from '../src/docs/wire.ts'
import { openSqliteStore } from '../src/store/sqlite.ts'
import type { Store } from '../src/store/types.ts'

const silent = { warn: () => {}, error: () => {} }
const settle = async (room: DocRoom) => {
  await new Promise((r) => setImmediate(r))
  await room.settle()
}

interface FakePeer extends Peer {
  closed: boolean
  sent: Uint8Array[]
  closedWith: { code: number; reason: string } | null
}
let nextId = 1
const fakePeer = (): FakePeer => {
  const p: FakePeer = {
    id: nextId++,
    identity: { participantId: `p${nextId}`, meetingId: 'm', name: 'P', role: 'delegate', delegation: null },
    canWrite: true,
    sent: [],
    closedWith: null,
    send(f) {
      p.sent.push(f)
    },
    bufferedAmount: () => 0,
    closed: false,
    close(code, reason) {
      p.closedWith = { code, reason }
      p.closed = true
    },
  }
  return p
}
const relayed = (p: FakePeer) =>
  p.sent.filter((f) => {
    const d = decoding.createDecoder(f)
    return decoding.readVarUint(d) === MessageType.Sync && decoding.readVarUint(d) === SyncType.Update
  }).length

/** A client's copy of the room's document whose every local transaction becomes one update, as a provider sends them. */
const clientOf = (room: DocRoom) => {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(room.doc))
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array, origin: unknown) => {
    if (origin !== 'remote') updates.push(u)
  })
  return { doc, updates, take: () => updates.splice(0) }
}

describe('shape check on every incoming update', () => {
  let store: Store
  let room: DocRoom
  afterEach(async () => {
    await room?.destroy()
    await store?.close()
  })
  const open = async (kind: DocKindSpec, seed?: (doc: Y.Doc) => void) => {
    store = openSqliteStore({ path: ':memory:' })
    if (seed) {
      const d = new Y.Doc()
      seed(d)
      await store.appendUpdates('d', [Y.encodeStateAsUpdate(d)])
    }
    room = new DocRoom('d', { store, log: silent, kind })
    await room.ready
  }
  const outline = (doc: Y.Doc) =>
    writeBriefOutline(doc, [
      { type: 'heading', level: 1, text: 'Tips for leaders' },
      { type: 'paragraph', text: 'Central co-ordination' },
      { type: 'bulletList', items: ['one', 'two'] },
    ])

  /** Sends each update; returns what the writer and a bystander saw. */
  const send = async (updates: Uint8Array[]) => {
    const writer = fakePeer()
    const bystander = fakePeer()
    room.addPeer(writer)
    room.addPeer(bystander)
    const before = Y.encodeStateVector(room.doc)
    const storedBefore = (await store.loadDoc('d')).lastSeq
    for (const u of updates) room.receive(writer, encodeSyncUpdate(u))
    await settle(room)
    return {
      writer,
      relays: relayed(bystander),
      stored: (await store.loadDoc('d')).lastSeq - storedBefore,
      changed: !equal(before, Y.encodeStateVector(room.doc)),
    }
  }
  const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i])

  const expectRefused = async (updates: Uint8Array[], reason: RegExp) => {
    const r = await send(updates)
    expect(r.writer.closedWith?.code).toBe(CloseCode.DocumentShape)
    expect(r.writer.closedWith?.reason).toMatch(reason)
    expect(Buffer.byteLength(r.writer.closedWith?.reason ?? '')).toBeLessThanOrEqual(123)
    expect(r.stored).toBe(0)
    expect(r.relays).toBe(0)
    expect(r.changed).toBe(false)
  }
  const expectAccepted = async (updates: Uint8Array[]) => {
    const r = await send(updates)
    expect(r.writer.closedWith).toBeNull()
    expect(r.stored).toBe(updates.length)
    expect(r.relays).toBeGreaterThan(0)
  }

  describe('brief', () => {
    it('an editor-shaped brief is accepted, typed a keystroke at a time, several updates in one turn', async () => {
      await open(BRIEF_KIND)
      const c = clientOf(room)
      outline(c.doc)
      const frag = c.doc.getXmlFragment(BRIEF_FIELD)
      const p = frag.get(1) as Y.XmlElement
      const t = p.get(0) as Y.XmlText
      // Each keystroke builds on the previous one, which is accepted but not yet applied.
      for (const ch of ' with care') t.insert(t.length, ch)
      t.insert(0, 'Bold ', { bold: {} })
      t.format(0, 4, { link: { href: 'https://oecd.org', target: '_blank', rel: null, class: null } })
      const h = new Y.XmlElement('heading')
      h.setAttribute('level', 3 as unknown as string)
      const code = new Y.XmlElement('codeBlock')
      code.insert(0, [new Y.XmlText('x = 1')])
      const quote = new Y.XmlElement('blockquote')
      const qp = new Y.XmlElement('paragraph')
      qp.insert(0, [new Y.XmlText('quoted'), new Y.XmlElement('hardBreak'), new Y.XmlText('more')])
      quote.insert(0, [qp])
      frag.insert(frag.length, [h, new Y.XmlElement('horizontalRule'), code, quote])
      const ol = new Y.XmlElement('orderedList')
      ol.setAttribute('start', 3 as unknown as string)
      const li = new Y.XmlElement('listItem')
      li.insert(0, [new Y.XmlElement('paragraph')])
      ol.insert(0, [li])
      frag.insert(2, [ol])
      p.delete(0, 1)
      const updates = c.take()
      expect(updates.length).toBeGreaterThan(10)
      await expectAccepted(updates)
      expect(checkDoc(BRIEF_KIND, room.doc)).toEqual([])
      expect(room.doc.getXmlFragment(BRIEF_FIELD).toJSON()).toBe(frag.toJSON())
    })

    it('an empty update (a client with nothing new answering the greeting) is not stored', async () => {
      await open(BRIEF_KIND, outline)
      const c = clientOf(room)
      const r = await send([Y.encodeStateAsUpdate(c.doc, Y.encodeStateVector(room.doc))])
      expect(r.writer.closedWith).toBeNull()
      expect(r.stored).toBe(0)
    })

    it('refuses a bare Y.XmlText at the top of the fragment', async () => {
      await open(BRIEF_KIND, outline)
      const c = clientOf(room)
      c.doc.getXmlFragment(BRIEF_FIELD).insert(0, [new Y.XmlText('loose')])
      await expectRefused(c.take(), /text not allowed/)
    })

    it('refuses an element the editor does not know, at the top or inside a paragraph', async () => {
      await open(BRIEF_KIND, outline)
      const c = clientOf(room)
      // Inserted after existing content: the item names no parent, only its left neighbour in the document.
      c.doc.getXmlFragment(BRIEF_FIELD).insert(1, [new Y.XmlElement('script')])
      await expectRefused(c.take(), /<script> not allowed/)
      const c2 = clientOf(room)
      ;(c2.doc.getXmlFragment(BRIEF_FIELD).get(1) as Y.XmlElement).insert(1, [new Y.XmlElement('iframe')])
      await expectRefused(c2.take(), /<iframe> not allowed/)
    })

    it('refuses a block where only inline content belongs, and a list item outside a list', async () => {
      await open(BRIEF_KIND, outline)
      const c = clientOf(room)
      ;(c.doc.getXmlFragment(BRIEF_FIELD).get(1) as Y.XmlElement).insert(0, [new Y.XmlElement('heading')])
      await expectRefused(c.take(), /<heading> not allowed/)
      const c2 = clientOf(room)
      c2.doc.getXmlFragment(BRIEF_FIELD).insert(0, [new Y.XmlElement('listItem')])
      await expectRefused(c2.take(), /<listItem> not allowed/)
    })

    it('refuses unknown attributes and values out of range', async () => {
      await open(BRIEF_KIND, outline)
      const c = clientOf(room)
      ;(c.doc.getXmlFragment(BRIEF_FIELD).get(1) as Y.XmlElement).setAttribute('onclick', 'alert(1)')
      await expectRefused(c.take(), /attribute "onclick" not allowed/)
      const c2 = clientOf(room)
      ;(c2.doc.getXmlFragment(BRIEF_FIELD).get(0) as Y.XmlElement).setAttribute(
        'level',
        9 as unknown as string,
      )
      await expectRefused(c2.take(), /value out of range/)
    })

    it('refuses unknown marks, mark attributes of the wrong type, and embeds in text', async () => {
      await open(BRIEF_KIND, outline)
      const text = (c: ReturnType<typeof clientOf>) =>
        (c.doc.getXmlFragment(BRIEF_FIELD).get(1) as Y.XmlElement).get(0) as Y.XmlText
      const c = clientOf(room)
      text(c).format(0, 3, { blink: {} })
      await expectRefused(c.take(), /unknown mark "blink"/)
      const c2 = clientOf(room)
      text(c2).format(0, 3, { link: { href: 42 } })
      await expectRefused(c2.take(), /attribute "href" not allowed/)
      const c3 = clientOf(room)
      text(c3).insertEmbed(0, { image: 'x' })
      await expectRefused(c3.take(), /embed not allowed/)
    })

    it('refuses text written with doc.getText on the brief root (a root of the wrong type)', async () => {
      await open(BRIEF_KIND)
      const c = clientOf(room)
      c.doc.getText(BRIEF_FIELD).insert(0, 'plain')
      await expectRefused(c.take(), /text not allowed/)
    })

    it('refuses a root no document uses', async () => {
      await open(BRIEF_KIND, outline)
      const c = clientOf(room)
      c.doc.getMap('shadow').set('x', 1)
      await expectRefused(c.take(), /root "shadow" is not part of a brief document/)
    })

    it('judges a mixed update whole: one bad item refuses the good ones with it', async () => {
      await open(BRIEF_KIND, outline)
      const c = clientOf(room)
      c.doc.transact(() => {
        ;((c.doc.getXmlFragment(BRIEF_FIELD).get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'fine ')
        c.doc.getXmlFragment(BRIEF_FIELD).insert(0, [new Y.XmlElement('object')])
      })
      await expectRefused(c.take(), /<object> not allowed/)
    })

    it('refuses nesting deeper than any reader can take, in one update or built up over several', async () => {
      await open(BRIEF_KIND)
      const nest = (levels: number) => {
        let inner: Y.XmlElement = new Y.XmlElement('paragraph')
        for (let i = 0; i < levels; i++) {
          const q = new Y.XmlElement('blockquote')
          q.insert(0, [inner])
          inner = q
        }
        return inner
      }
      const c = clientOf(room)
      c.doc.getXmlFragment(BRIEF_FIELD).push([nest(40)])
      await expectAccepted(c.take())
      const c2 = clientOf(room)
      c2.doc.getXmlFragment(BRIEF_FIELD).push([nest(MAX_TYPE_DEPTH)])
      await expectRefused(c2.take(), /nested more than 64 levels deep/)
      // On top of the 40 stored levels: 30 more is too deep, though the update alone is not.
      const c3 = clientOf(room)
      let deepest = c3.doc.getXmlFragment(BRIEF_FIELD).get(0) as Y.XmlElement
      while (deepest.nodeName === 'blockquote') deepest = deepest.get(0) as Y.XmlElement
      ;(deepest.parent as Y.XmlElement).insert(1, [nest(30)])
      await expectRefused(c3.take(), /nested more than/)
    })

    it('an update building on content the server does not have closes with Resync, nothing stored', async () => {
      await open(BRIEF_KIND)
      const c = clientOf(room)
      outline(c.doc)
      c.take() // never sent: another tab's edit still on its way
      ;((c.doc.getXmlFragment(BRIEF_FIELD).get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'x')
      const r = await send(c.take())
      expect(r.writer.closedWith?.code).toBe(CloseCode.Resync)
      expect(r.stored).toBe(0)
    })

    it('content under a deleted element is accepted (Yjs deletes it on arrival)', async () => {
      await open(BRIEF_KIND, outline)
      const c = clientOf(room)
      const p = c.doc.getXmlFragment(BRIEF_FIELD).get(1) as Y.XmlElement
      const other = clientOf(room)
      other.doc.getXmlFragment(BRIEF_FIELD).delete(1, 1)
      await expectAccepted(other.take())
      ;(p.get(0) as Y.XmlText).insert(0, 'late')
      await expectAccepted(c.take())
      expect(checkDoc(BRIEF_KIND, room.doc)).toEqual([])
    })
  })

  describe('priorities', () => {
    const legacy = (doc: Y.Doc) => {
      const m = new Y.Map<string>()
      for (const [k, v] of Object.entries({ id: 'a1', title: 'Old', description: '', proposer: 'X' }))
        m.set(k, v)
      doc.getArray('priorities').push([m])
    }

    it('areas proposed, edited, moved and migrated with the doc-schema helpers are accepted', async () => {
      await open(PRIORITIES_KIND, legacy)
      const c = clientOf(room)
      expect(migrateLegacyPriorities(c.doc)).toBe(true)
      const id = proposeArea(c.doc, {
        title: 'Customer-focused government',
        description: 'Services around the citizen',
        proposer: 'Denmark',
        proposerDelegationId: 'd-dk',
        createdBy: 'p1',
      })
      setAreaText(c.doc, id, 'title', 'Customer-focused government (revised)', 'Dana')
      moveArea(c.doc, id, 0)
      await expectAccepted(c.take())
      expect(checkDoc(PRIORITIES_KIND, room.doc)).toEqual([])
      expect(room.doc.getArray('priorities').length).toBe(0)
    })

    it('refuses a plain string, or a map with a numeric title, in the legacy list', async () => {
      await open(PRIORITIES_KIND, legacy)
      const c = clientOf(room)
      c.doc.getArray('priorities').push(['just a string'])
      await expectRefused(c.take(), /closed/)
      const c2 = clientOf(room)
      const m = new Y.Map<unknown>()
      m.set('title', 5)
      c2.doc.getArray('priorities').push([m])
      await expectRefused(c2.take(), /closed/)
      // Nor may an old item be edited: the list is only migrated out.
      const c3 = clientOf(room)
      ;(c3.doc.getArray('priorities').get(0) as Y.Map<unknown>).set('title', 'renamed')
      await expectRefused(c3.take(), /closed/)
    })

    it('refuses an area with a numeric title, an unknown key, a bad id or status', async () => {
      await open(PRIORITIES_KIND)
      const base = clientOf(room)
      const id = proposeArea(base.doc, {
        title: 'T',
        description: '',
        proposer: '',
        proposerDelegationId: null,
        createdBy: '',
      })
      await expectAccepted(base.take())
      const area = (c: ReturnType<typeof clientOf>) => c.doc.getMap('areas').get(id) as Y.Map<unknown>
      const cases: [(c: ReturnType<typeof clientOf>) => void, RegExp][] = [
        [(c) => area(c).set('title', 5), /plain value where a text belongs/],
        [(c) => area(c).set('votes', 3), /unknown key "votes"/],
        [(c) => area(c).set('status', 'elected'), /value out of range/],
        [(c) => area(c).set('position', 'not a key!'), /value out of range/],
        [(c) => (area(c).get('absorbed') as Y.Array<unknown>).push([42]), /value out of range/],
        [(c) => (area(c).get('title') as Y.Text).insertEmbed(0, {}), /embed not allowed/],
        [
          (c) => c.doc.getMap('areas').set('no spaces allowed', new Y.Map()),
          /key "no spaces allowed" not allowed/,
        ],
        [(c) => c.doc.getMap('areas').set('x', 'a string'), /plain value where a map belongs/],
        [(c) => c.doc.getArray('areas').push([1]), /a map holds keyed entries only/],
      ]
      for (const [attack, reason] of cases) {
        const c = clientOf(room)
        attack(c)
        await expectRefused(c.take(), reason)
      }
    })
  })
})
