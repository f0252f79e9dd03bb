/**
 * The storage contract: every `Store` implementation runs this suite and must pass all of it.
 * Each test gets a fresh, empty store from `open` and gives it back to `cleanup`.
 */
import {
  type AgendaItem,
  asAgendaItemId,
  asDelegationId,
  asInvitationId,
  asMeetingId,
  asParticipantId,
  type Meeting,
  type Participant,
} from '@roundtable/protocol'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isUniqueViolation, type Store, type StoredInvitation, UniqueConstraint } from '../src/store/types.ts'

/**
 * Test-only escape hatch: runs SQL on the store's database over a separate connection, bypassing
 * the `Store` interface, so the suite can check what the database itself enforces. Returns the rows.
 */
export type RawSql = (sql: string) => Promise<Record<string, unknown>[]>

const M1 = asMeetingId('m1')
const M2 = asMeetingId('m2')

const meeting = (id: string, over: Partial<Meeting> = {}): Meeting => ({
  id: asMeetingId(id),
  title: `Meeting ${id}`,
  date: '2025-03-14',
  place: 'Paris',
  description: 'Ministerial council — 第二回 ✓',
  chairName: 'Ana Souza',
  createdAt: '2025-01-01T10:00:00.000Z',
  ...over,
})
const item = (id: string, position: number, over: Partial<AgendaItem> = {}): AgendaItem => ({
  id: asAgendaItemId(id),
  meetingId: M1,
  position,
  title: `Item ${id}`,
  kind: 'discussion',
  durationMinutes: 15,
  ...over,
})
const invitation = (id: string, over: Partial<StoredInvitation> = {}): StoredInvitation => ({
  id: asInvitationId(id),
  meetingId: M1,
  tokenHash: `hash-${id}`,
  role: 'delegate',
  delegationId: asDelegationId('d1'),
  label: `Invitation ${id}`,
  createdAt: '2025-01-01T10:00:00.000Z',
  expiresAt: null,
  revokedAt: null,
  ...over,
})
const participant = (id: string, over: Partial<Participant> = {}): Participant => ({
  id: asParticipantId(id),
  meetingId: M1,
  displayName: `Person ${id}`,
  role: 'delegate',
  delegationId: null,
  removed: false,
  joinedAt: '2025-01-01T10:00:00.000Z',
  ...over,
})
const bytes = (...values: number[]) => new Uint8Array(values)
/** Update `i` of a test log: distinct, recognisable bytes. */
const upd = (i: number) => new TextEncoder().encode(`update-${i}`)
const decode = (u: Uint8Array) => new TextDecoder().decode(u)
/** A seeded generator, so a failing binary case can be replayed. */
const randomBytes = (length: number, seed: number): Uint8Array => {
  const out = new Uint8Array(length)
  let s = seed >>> 0
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    out[i] = s >>> 24
  }
  return out
}

export const runStoreContract = (
  name: string,
  open: () => Promise<Store>,
  cleanup: () => Promise<void>,
  raw: RawSql,
  /** The schema version the code migrates to (the migrations of the store's dialect). */
  schemaVersion: number,
): void => {
  describe(`Store contract: ${name}`, () => {
    let store: Store
    beforeEach(async () => {
      store = await open()
    })
    afterEach(async () => {
      await store.close()
      await cleanup()
    })

    describe('documents', () => {
      it('an unknown document loads empty, with no stats', async () => {
        expect(await store.loadDoc('nothing')).toEqual({
          snapshot: null,
          snapshotStateVector: null,
          updates: [],
          lastSeq: 0,
        })
        expect(await store.docStats('nothing')).toEqual({ updates: 0, snapshotBytes: 0, updateBytes: 0 })
      })

      it('appends return the last sequence number and load in order', async () => {
        expect(await store.appendUpdates('d', [upd(1)])).toBe(1)
        expect(await store.appendUpdates('d', [upd(2), upd(3), upd(4)])).toBe(4)
        expect(await store.appendUpdates('d', [upd(5)])).toBe(5)
        const doc = await store.loadDoc('d')
        expect(doc.snapshot).toBeNull()
        expect(doc.updates.map(decode)).toEqual([1, 2, 3, 4, 5].map((i) => `update-${i}`))
        expect(doc.lastSeq).toBe(5)
      })

      it('an empty append writes nothing and returns the current sequence number', async () => {
        expect(await store.appendUpdates('d', [])).toBe(0)
        await store.appendUpdates('d', [upd(1), upd(2)])
        expect(await store.appendUpdates('d', [])).toBe(2)
        expect((await store.loadDoc('d')).updates).toHaveLength(2)
      })

      it('many appends, sequential and in one large batch, all come back once and in order', async () => {
        for (let i = 0; i < 200; i++) expect(await store.appendUpdates('d', [upd(i)])).toBe(i + 1)
        const batch = Array.from({ length: 1000 }, (_, i) => upd(200 + i))
        expect(await store.appendUpdates('d', batch)).toBe(1200)
        const doc = await store.loadDoc('d')
        expect(doc.lastSeq).toBe(1200)
        expect(doc.updates.map(decode)).toEqual(Array.from({ length: 1200 }, (_, i) => `update-${i}`))
      })

      it('appends issued together get disjoint, contiguous ranges, each batch kept whole', async () => {
        const batches = Array.from({ length: 40 }, (_, b) =>
          Array.from({ length: (b % 5) + 1 }, (_, k) => upd(b * 10 + k)),
        )
        const lasts = await Promise.all(batches.map((batch) => store.appendUpdates('d', batch)))
        const total = batches.reduce((n, b) => n + b.length, 0)
        const bySeq = new Map<number, string>()
        lasts.forEach((last, b) => {
          for (const [k, u] of batches[b].entries()) bySeq.set(last - batches[b].length + 1 + k, decode(u))
        })
        expect([...bySeq.keys()].sort((a, b) => a - b)).toEqual(
          Array.from({ length: total }, (_, i) => i + 1),
        )
        const doc = await store.loadDoc('d')
        expect(doc.lastSeq).toBe(total)
        expect(doc.updates.map(decode)).toEqual(Array.from({ length: total }, (_, i) => bySeq.get(i + 1)))
      })

      it('binary data round-trips exactly', async () => {
        const every = Uint8Array.from({ length: 256 }, (_, i) => i)
        const backing = bytes(9, 9, 0, 1, 2, 255, 9)
        const view = backing.subarray(2, 6) // a view into a larger buffer: only its own bytes are stored
        const zeros = new Uint8Array(64)
        const large = randomBytes(1024 * 1024, 42)
        const written = [every, view, zeros, bytes(0), large, bytes()]
        await store.appendUpdates('bin', written)
        const doc = await store.loadDoc('bin')
        expect(doc.updates).toHaveLength(written.length)
        doc.updates.forEach((u, i) => {
          expect(u).toBeInstanceOf(Uint8Array)
          expect(Buffer.from(u).equals(Buffer.from(written[i]))).toBe(true)
        })
        const snapshot = randomBytes(300_000, 7)
        await store.compact('bin', snapshot, doc.lastSeq)
        const after = await store.loadDoc('bin')
        expect(after.snapshot && Buffer.from(after.snapshot).equals(Buffer.from(snapshot))).toBe(true)
      })

      it('compaction replaces the log up to uptoSeq; later updates remain as the tail', async () => {
        await store.appendUpdates('d', [upd(1), upd(2), upd(3), upd(4), upd(5)])
        await store.compact('d', bytes(1, 2, 3), 3)
        const doc = await store.loadDoc('d')
        expect(doc.snapshot).toEqual(bytes(1, 2, 3))
        expect(doc.updates.map(decode)).toEqual(['update-4', 'update-5'])
        expect(doc.lastSeq).toBe(5)
        expect(await store.docStats('d')).toEqual({
          updates: 2,
          snapshotBytes: 3,
          updateBytes: upd(4).byteLength + upd(5).byteLength,
        })
      })

      it('sequence numbers keep rising after compaction, even when it empties the log', async () => {
        await store.appendUpdates('d', [upd(1), upd(2), upd(3)])
        await store.compact('d', bytes(7), 3)
        expect(await store.loadDoc('d')).toEqual({
          snapshot: bytes(7),
          snapshotStateVector: null,
          updates: [],
          lastSeq: 3,
        })
        expect(await store.docStats('d')).toEqual({ updates: 0, snapshotBytes: 1, updateBytes: 0 })
        expect(await store.appendUpdates('d', [])).toBe(3)
        expect(await store.appendUpdates('d', [upd(4)])).toBe(4)
        await store.compact('d', bytes(8, 8), 4)
        expect(await store.appendUpdates('d', [upd(5), upd(6)])).toBe(6)
        const doc = await store.loadDoc('d')
        expect(doc).toEqual({
          snapshot: bytes(8, 8),
          snapshotStateVector: null,
          updates: [upd(5), upd(6)],
          lastSeq: 6,
        })
      })

      it('a snapshot keeps the state vector stored with it; one stored without has none', async () => {
        await store.appendUpdates('d', [upd(1), upd(2)])
        await store.compact('d', bytes(1), 1, bytes(9, 9))
        const doc = await store.loadDoc('d')
        expect(doc.snapshotStateVector).toEqual(bytes(9, 9))
        expect(doc.updates.map(decode)).toEqual(['update-2'])
        await store.compact('d', bytes(2, 2), 2)
        expect((await store.loadDoc('d')).snapshotStateVector).toBeNull()
        expect((await store.loadDoc('none')).snapshotStateVector).toBeNull()
      })

      it('a later compaction replaces the earlier snapshot', async () => {
        await store.appendUpdates('d', [upd(1), upd(2)])
        await store.compact('d', bytes(1), 1)
        await store.appendUpdates('d', [upd(3)])
        await store.compact('d', bytes(2, 2), 3)
        expect(await store.loadDoc('d')).toEqual({
          snapshot: bytes(2, 2),
          snapshotStateVector: null,
          updates: [],
          lastSeq: 3,
        })
      })

      it('documents are independent: names do not share logs, sequences or snapshots', async () => {
        await store.appendUpdates('a', [upd(1), upd(2)])
        await store.appendUpdates('b', [upd(10)])
        await store.compact('a', bytes(1), 2)
        expect(await store.appendUpdates('b', [upd(11)])).toBe(2)
        expect(await store.loadDoc('b')).toEqual({
          snapshot: null,
          snapshotStateVector: null,
          updates: [upd(10), upd(11)],
          lastSeq: 2,
        })
        expect(await store.loadDoc('a')).toEqual({
          snapshot: bytes(1),
          snapshotStateVector: null,
          updates: [],
          lastSeq: 2,
        })
        expect((await store.loadDoc('m1:brief')).lastSeq).toBe(0)
      })

      it('an append is visible to another connection as soon as it resolves', async () => {
        await store.appendUpdates('durable', [upd(1), upd(2)])
        const rows = await raw("SELECT COUNT(*) AS n FROM doc_updates WHERE doc = 'durable'")
        expect(Number(rows[0].n)).toBe(2)
      })
    })

    describe('meetings', () => {
      it('creates, gets and lists meetings, newest date first', async () => {
        expect(await store.getMeeting(M1)).toBeNull()
        expect(await store.listMeetings()).toEqual([])
        const a = meeting('a', { date: '2025-01-10' })
        const b = meeting('b', { date: '2025-06-01' })
        const c = meeting('c', { date: '2025-06-01', createdAt: '2025-02-01T00:00:00.000Z' })
        for (const m of [a, b, c]) await store.createMeeting(m)
        expect(await store.getMeeting(a.id)).toEqual(a)
        expect((await store.listMeetings()).map((m) => m.id)).toEqual(['c', 'b', 'a'])
      })

      it('rejects a second meeting with the same id', async () => {
        await store.createMeeting(meeting('m1'))
        await expect(store.createMeeting(meeting('m1', { title: 'Other' }))).rejects.toThrow()
        expect((await store.getMeeting(M1))?.title).toBe('Meeting m1')
      })

      it('keeps the current agenda item, and clears it', async () => {
        await store.createMeeting(meeting('m1'))
        expect(await store.getCurrentItem(M1)).toBeNull()
        await store.setCurrentItem(M1, asAgendaItemId('i2'))
        expect(await store.getCurrentItem(M1)).toBe('i2')
        await store.setCurrentItem(M1, null)
        expect(await store.getCurrentItem(M1)).toBeNull()
        expect(await store.getCurrentItem(asMeetingId('unknown'))).toBeNull()
      })
    })

    describe('delegations', () => {
      it('puts, replaces by id and lists per meeting in byte order of name', async () => {
        const d = (id: string, name: string, meetingId = M1) => ({ id: asDelegationId(id), meetingId, name })
        await store.putDelegation(d('d1', 'alpha'))
        await store.putDelegation(d('d2', 'Zeta'))
        await store.putDelegation(d('d3', 'Österreich'))
        await store.putDelegation(d('d4', 'Beta', M2))
        expect((await store.listDelegations(M1)).map((x) => x.name)).toEqual(['Zeta', 'alpha', 'Österreich'])
        await store.putDelegation(d('d1', 'Canada'))
        expect(await store.listDelegations(M1)).toEqual([
          d('d1', 'Canada'),
          d('d2', 'Zeta'),
          d('d3', 'Österreich'),
        ])
        expect(await store.listDelegations(M2)).toEqual([d('d4', 'Beta', M2)])
        expect(await store.listDelegations(asMeetingId('none'))).toEqual([])
      })
    })

    describe('agenda', () => {
      it('puts, replaces, deletes and lists items in position order', async () => {
        await store.putAgendaItem(item('i3', 3))
        await store.putAgendaItem(item('i1', 1, { kind: 'vote', durationMinutes: 45 }))
        await store.putAgendaItem(item('i2', 2))
        await store.putAgendaItem(item('x1', 1, { meetingId: M2 }))
        expect((await store.listAgenda(M1)).map((i) => i.id)).toEqual(['i1', 'i2', 'i3'])
        expect((await store.listAgenda(M1))[0]).toEqual(item('i1', 1, { kind: 'vote', durationMinutes: 45 }))

        const moved = item('i3', 0, { title: 'Opening — renamed', kind: 'priority_ranking' })
        await store.putAgendaItem(moved)
        expect(await store.listAgenda(M1)).toEqual([
          moved,
          item('i1', 1, { kind: 'vote', durationMinutes: 45 }),
          item('i2', 2),
        ])

        expect(await store.deleteAgendaItem(M2, asAgendaItemId('i2'))).toBe(false)
        expect(await store.deleteAgendaItem(M1, asAgendaItemId('i2'))).toBe(true)
        expect(await store.deleteAgendaItem(M1, asAgendaItemId('i2'))).toBe(false)
        expect((await store.listAgenda(M1)).map((i) => i.id)).toEqual(['i3', 'i1'])
        expect((await store.listAgenda(M2)).map((i) => i.id)).toEqual(['x1'])
      })

      it('orders items at the same position by id, in byte order', async () => {
        for (const id of ['b', 'a', 'B', '_']) await store.putAgendaItem(item(id, 1))
        expect((await store.listAgenda(M1)).map((i) => i.id)).toEqual(['B', '_', 'a', 'b'])
      })
    })

    describe('invitations', () => {
      it('are found by token hash, with every field intact', async () => {
        const a = invitation('a')
        const b = invitation('b', {
          role: 'observer',
          delegationId: null,
          expiresAt: '2025-12-31T23:59:59.000Z',
          label: 'Press — 記者',
        })
        await store.createInvitation(a)
        await store.createInvitation(b)
        expect(await store.findInvitationByTokenHash('hash-a')).toEqual(a)
        expect(await store.findInvitationByTokenHash('hash-b')).toEqual(b)
        expect(await store.findInvitationByTokenHash('hash-none')).toBeNull()
      })

      it('rejects a second invitation with the same token hash', async () => {
        await store.createInvitation(invitation('a'))
        await expect(store.createInvitation(invitation('b', { tokenHash: 'hash-a' }))).rejects.toThrow()
        expect((await store.findInvitationByTokenHash('hash-a'))?.id).toBe('a')
      })

      it('are listed per meeting in creation order, without their token hash', async () => {
        await store.createInvitation(invitation('b', { createdAt: '2025-01-02T00:00:00.000Z' }))
        await store.createInvitation(invitation('a', { createdAt: '2025-01-03T00:00:00.000Z' }))
        await store.createInvitation(invitation('c', { createdAt: '2025-01-02T00:00:00.000Z' }))
        await store.createInvitation(invitation('z', { meetingId: M2 }))
        const list = await store.listInvitations(M1)
        expect(list.map((i) => i.id)).toEqual(['b', 'c', 'a'])
        for (const inv of list) expect(Object.keys(inv)).not.toContain('tokenHash')
        const { tokenHash: _, ...withoutHash } = invitation('a', { createdAt: '2025-01-03T00:00:00.000Z' })
        expect(list[2]).toEqual(withoutHash)
      })

      it('are revoked once, and only within their meeting', async () => {
        await store.createInvitation(invitation('a'))
        const at = '2025-02-02T12:00:00.000Z'
        expect(await store.revokeInvitation(M2, asInvitationId('a'), at)).toBe(false)
        expect(await store.revokeInvitation(M1, asInvitationId('a'), at)).toBe(true)
        expect(await store.revokeInvitation(M1, asInvitationId('a'), '2025-03-03T00:00:00.000Z')).toBe(false)
        expect(await store.revokeInvitation(M1, asInvitationId('none'), at)).toBe(false)
        expect((await store.findInvitationByTokenHash('hash-a'))?.revokedAt).toBe(at)
        expect((await store.listInvitations(M1))[0].revokedAt).toBe(at)
      })
    })

    describe('participants', () => {
      it('puts, replaces and lists per meeting in joining order', async () => {
        const chair = participant('p2', { role: 'chair', joinedAt: '2025-01-01T09:00:00.000Z' })
        const delegate = participant('p1', {
          delegationId: asDelegationId('d1'),
          displayName: 'Zoë Ångström',
        })
        const other = participant('p3', { meetingId: M2 })
        for (const p of [delegate, chair, other]) await store.putParticipant(p)
        expect(await store.getParticipant(asParticipantId('p1'))).toEqual(delegate)
        expect(await store.getParticipant(asParticipantId('none'))).toBeNull()
        expect(await store.listParticipants(M1)).toEqual([chair, delegate])

        const removed = { ...delegate, removed: true, displayName: 'Zoë' }
        await store.putParticipant(removed)
        expect(await store.getParticipant(asParticipantId('p1'))).toEqual(removed)
        expect(await store.listParticipants(M1)).toEqual([chair, removed])
        expect(await store.listParticipants(M2)).toEqual([other])
      })
    })

    describe('sessions', () => {
      it('map a token hash to its subject until deleted', async () => {
        const p = { kind: 'participant', participantId: asParticipantId('p1') } as const
        await store.createSession('s1', p, '2025-01-01T00:00:00.000Z')
        await store.createSession('s2', { kind: 'organiser' }, '2025-01-01T00:00:00.000Z')
        expect(await store.findSession('s1')).toEqual(p)
        expect(await store.findSession('s2')).toEqual({ kind: 'organiser' })
        expect(await store.findSession('s3')).toBeNull()
        await store.deleteSession('s1')
        await store.deleteSession('s3')
        expect(await store.findSession('s1')).toBeNull()
        expect(await store.findSession('s2')).toEqual({ kind: 'organiser' })
      })

      it('rejects a second session with the same token hash', async () => {
        await store.createSession('s1', { kind: 'organiser' }, '2025-01-01T00:00:00.000Z')
        await expect(
          store.createSession(
            's1',
            { kind: 'participant', participantId: asParticipantId('p') },
            '2025-01-01T00:00:00.000Z',
          ),
        ).rejects.toThrow()
        expect(await store.findSession('s1')).toEqual({ kind: 'organiser' })
      })
    })

    describe('audit log', () => {
      const entry = (
        meetingId = M1,
        action = 'vote.open',
        detail: Record<string, unknown> = { item: 'i1' },
      ) => ({
        meetingId,
        at: '2025-01-01T10:00:00.000Z',
        actor: 'chair:p1',
        action,
        detail,
      })

      it('appends with rising sequence numbers and lists per meeting, after a given seq', async () => {
        const detail = {
          item: 'i1',
          counts: { yes: 3, no: 1 },
          names: ['Ana', 'Zoë'],
          note: 'ok — ✓',
          none: null,
        }
        const s1 = await store.appendAudit(entry(M1, 'vote.open', detail))
        const s2 = await store.appendAudit(entry(M2, 'agenda.add'))
        const s3 = await store.appendAudit(entry(M1, 'vote.close'))
        expect(s1).toBeGreaterThan(0)
        expect(s2).toBeGreaterThan(s1)
        expect(s3).toBeGreaterThan(s2)
        const all = await store.listAudit(M1)
        expect(all).toEqual([
          { seq: s1, ...entry(M1, 'vote.open', detail) },
          { seq: s3, ...entry(M1, 'vote.close') },
        ])
        expect((await store.listAudit(M1, s1)).map((e) => e.seq)).toEqual([s3])
        expect(await store.listAudit(M1, s3)).toEqual([])
        expect((await store.listAudit(M2)).map((e) => e.action)).toEqual(['agenda.add'])
      })

      it('the database itself refuses to change or remove an entry', async () => {
        await store.appendAudit(entry())
        const before = await store.listAudit(M1)
        await expect(raw("UPDATE audit_log SET actor = 'forged'")).rejects.toThrow(/append-only/)
        await expect(raw('DELETE FROM audit_log')).rejects.toThrow(/append-only/)
        expect(await store.listAudit(M1)).toEqual(before)
        expect(await store.appendAudit(entry())).toBeGreaterThan(before[0].seq)
      })
    })

    describe('writes together', () => {
      const auditEntry = (action: string) => ({
        meetingId: M1,
        at: '2025-01-01T10:00:00.000Z',
        actor: 'Ana Souza (chair, p1)',
        action,
        detail: {},
      })

      it('land together and resolve with each result, in order', async () => {
        await store.createInvitation(invitation('a'))
        const [revoked, seq] = await store.together(() => [
          store.revokeInvitation(M1, asInvitationId('a'), '2025-02-02T12:00:00.000Z'),
          store.appendAudit(auditEntry('invitation.revoke')),
        ])
        expect(revoked).toBe(true)
        expect(seq).toBeGreaterThan(0)
        expect((await store.listAudit(M1)).map((e) => e.action)).toEqual(['invitation.revoke'])
      })

      it('are all or nothing: when one fails, none of them is kept', async () => {
        await store.createInvitation(invitation('a'))
        await expect(
          store.together(() => [
            store.putAgendaItem(item('i1', 0)),
            store.createInvitation(invitation('b', { tokenHash: 'hash-a' })),
            store.appendAudit(auditEntry('invitation.create')),
          ]),
        ).rejects.toThrow()
        expect(await store.listAgenda(M1)).toEqual([])
        expect(await store.listAudit(M1)).toEqual([])
        expect(await store.findInvitationByTokenHash('hash-a')).toMatchObject({ id: 'a' })
      })

      it('when the function throws, nothing is written and the writes it started fail', async () => {
        let started: Promise<unknown> | undefined
        expect(() =>
          store.together(() => {
            started = store.putAgendaItem(item('i1', 0))
            throw new Error('changed my mind')
          }),
        ).toThrow('changed my mind')
        await expect(started).rejects.toThrow('changed my mind')
        expect(await store.listAgenda(M1)).toEqual([])
      })

      it('a failing write leaves the writes issued beside it intact', async () => {
        await store.createInvitation(invitation('a'))
        const results = await Promise.allSettled([
          store.putAgendaItem(item('i1', 0)),
          store.createInvitation(invitation('b', { tokenHash: 'hash-a' })),
          store.together(() => [
            store.putAgendaItem(item('i2', 1)),
            store.appendAudit(auditEntry('agenda.add')),
          ]),
          store.appendUpdates('doc', [new Uint8Array([1, 2, 3])]),
        ])
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled'])
        expect((await store.listAgenda(M1)).map((i) => i.id)).toEqual(['i1', 'i2'])
        expect((await store.listAudit(M1)).map((e) => e.action)).toEqual(['agenda.add'])
        expect((await store.loadDoc('doc')).updates).toHaveLength(1)
      })
    })

    describe('schema', () => {
      it('a new database records every migration, once, up to the current version', async () => {
        const rows = await raw('SELECT version, name, applied_at FROM schema_migrations ORDER BY version')
        expect(rows.map((r) => Number(r.version))).toEqual(
          Array.from({ length: schemaVersion }, (_, i) => i + 1),
        )
        for (const r of rows) {
          expect(typeof r.name).toBe('string')
          expect(Number.isNaN(Date.parse(r.applied_at as string))).toBe(false)
        }
      })
    })

    describe('delegation names (migration 2)', () => {
      const d = (id: string, nameOf: string, meetingId = M1) => ({
        id: asDelegationId(id),
        meetingId,
        name: nameOf,
      })
      const refusal = async (p: Promise<unknown>): Promise<unknown> => {
        try {
          await p
        } catch (err) {
          return err
        }
        throw new Error('the write was accepted')
      }

      it('a second delegation of a meeting with the same name in other letter case is refused as a unique violation', async () => {
        await store.putDelegation(d('d1', 'Canada'))
        for (const dup of ['Canada', 'CANADA', 'canada']) {
          const err = await refusal(store.putDelegation(d(`x-${dup}`, dup)))
          expect(isUniqueViolation(err)).toBe(true)
          expect(isUniqueViolation(err, UniqueConstraint.delegationName)).toBe(true)
        }
        expect(await store.listDelegations(M1)).toEqual([d('d1', 'Canada')])
      })

      it('the same name is free in another meeting, and a delegation may change the case of its own name', async () => {
        await store.putDelegation(d('d1', 'Canada'))
        await store.putDelegation(d('d2', 'canada', M2))
        await store.putDelegation(d('d1', 'CANADA'))
        await store.putDelegation(d('d3', 'Canadas'))
        expect(await store.listDelegations(M1)).toEqual([d('d1', 'CANADA'), d('d3', 'Canadas')])
        expect(await store.listDelegations(M2)).toEqual([d('d2', 'canada', M2)])
        // Renaming onto another's name is refused, and changes neither.
        const err = await refusal(store.putDelegation(d('d3', 'canada')))
        expect(isUniqueViolation(err, UniqueConstraint.delegationName)).toBe(true)
        expect((await store.listDelegations(M1)).map((x) => x.name)).toEqual(['CANADA', 'Canadas'])
      })

      it('only ASCII letters fold, alike on every store: names differing in the case of other letters are distinct', async () => {
        await store.putDelegation(d('d1', 'Ölfeld'))
        await store.putDelegation(d('d2', 'ölfeld'))
        expect((await store.listDelegations(M1)).map((x) => x.id)).toEqual(['d1', 'd2'])
        const err = await refusal(store.putDelegation(d('d3', 'ÖLFELD')))
        expect(isUniqueViolation(err, UniqueConstraint.delegationName)).toBe(true)
      })

      it('a refused name inside together keeps its audit entry out too', async () => {
        await store.putDelegation(d('d1', 'Canada'))
        const err = await refusal(
          store.together(() => [
            store.putDelegation(d('d2', 'CANADA')),
            store.appendAudit({
              meetingId: M1,
              at: '2025-01-01T10:00:00.000Z',
              actor: 'chair',
              action: 'delegation.add',
              detail: {},
            }),
          ]),
        )
        expect(isUniqueViolation(err, UniqueConstraint.delegationName)).toBe(true)
        expect(await store.listAudit(M1)).toEqual([])
        expect(await store.listDelegations(M1)).toEqual([d('d1', 'Canada')])
      })

      it('other refusals are told apart: a duplicate id is a unique violation of another constraint; the audit trigger is none', async () => {
        await store.createMeeting(meeting('m1'))
        const dupId = await refusal(store.createMeeting(meeting('m1')))
        expect(isUniqueViolation(dupId)).toBe(true)
        expect(isUniqueViolation(dupId, UniqueConstraint.delegationName)).toBe(false)
        await store.appendAudit({ meetingId: M1, at: 'now', actor: 'a', action: 'x', detail: {} })
        const trigger = await refusal(raw("UPDATE audit_log SET actor = 'forged'"))
        expect(isUniqueViolation(trigger)).toBe(false)
        expect(isUniqueViolation(new Error('UNIQUE constraint failed'))).toBe(false)
        expect(isUniqueViolation(null)).toBe(false)
      })
    })

    describe('exclusive', () => {
      const K = 'm1'
      const auditEntry = (action: string) => ({
        meetingId: M1,
        at: '2025-01-01T10:00:00.000Z',
        actor: 'Ana Souza (chair, p1)',
        action,
        detail: {},
      })
      const count = async (sql: string) => Number((await raw(sql))[0].n)

      it('commits the writes of fn once it resolves, and resolves with its result', async () => {
        const result = await store.exclusive(K, async (tx) => {
          expect(await tx.listAgenda(M1)).toEqual([])
          const [, seq] = await tx.together(() => [
            tx.putAgendaItem(item('i1', 0)),
            tx.appendAudit(auditEntry('agenda.add')),
          ])
          await tx.setMeta('k', 'v')
          // The view reads its own writes.
          expect((await tx.listAgenda(M1)).map((i) => i.id)).toEqual(['i1'])
          return seq
        })
        expect(result).toBeGreaterThan(0)
        // Durable: another connection sees all of it as soon as exclusive resolves.
        expect(await count("SELECT COUNT(*) AS n FROM agenda_items WHERE id = 'i1'")).toBe(1)
        expect(await count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'agenda.add'")).toBe(1)
        expect(await count("SELECT COUNT(*) AS n FROM meta WHERE key = 'k'")).toBe(1)
      })

      it('resolves only once the writes fn issued without awaiting them are committed', async () => {
        await store.exclusive(K, async (tx) => {
          void tx.together(() => [tx.putAgendaItem(item('i1', 0)), tx.appendAudit(auditEntry('agenda.add'))])
          void tx.setMeta('k', 'v')
        })
        expect(await count('SELECT COUNT(*) AS n FROM agenda_items')).toBe(1)
        expect(await count('SELECT COUNT(*) AS n FROM audit_log')).toBe(1)
        expect(await count('SELECT COUNT(*) AS n FROM meta')).toBe(1)
      })

      it('on a throw, rejects with its error: rolled back where exclusive is transactional; on SQLite the issued writes stay', async () => {
        await store.putAgendaItem(item('i0', 0))
        await expect(
          store.exclusive(K, async (tx) => {
            await tx.together(() => [
              tx.putAgendaItem(item('i1', 1)),
              tx.appendAudit(auditEntry('agenda.add')),
            ])
            await tx.deleteAgendaItem(M1, asAgendaItemId('i0'))
            throw new Error('changed my mind')
          }),
        ).rejects.toThrow('changed my mind')
        const agenda = (await store.listAgenda(M1)).map((i) => i.id)
        const audit = await store.listAudit(M1)
        if (store.exclusiveAcrossProcesses) {
          expect(agenda).toEqual(['i0'])
          expect(audit).toEqual([])
        } else {
          expect(agenda).toEqual(['i1'])
          expect(audit.map((e) => e.action)).toEqual(['agenda.add'])
        }
        // A throw before any write leaves nothing, on every store.
        await expect(
          store.exclusive(K, async (tx) => {
            await tx.listAgenda(M1)
            throw new Error('refused')
          }),
        ).rejects.toThrow('refused')
        expect((await store.listAgenda(M1)).map((i) => i.id)).toEqual(agenda)
      })

      it('a write refused inside fn fails alone: fn may carry on, and the rest commits', async () => {
        await store.putDelegation({ id: asDelegationId('d1'), meetingId: M1, name: 'Canada' })
        const outcome = await store.exclusive(K, async (tx) => {
          const err = await tx
            .together(() => [
              tx.putDelegation({ id: asDelegationId('d2'), meetingId: M1, name: 'canada' }),
              tx.appendAudit(auditEntry('delegation.add')),
            ])
            .then(
              () => null,
              (e: unknown) => e,
            )
          const alone = await tx.createMeeting(meeting('m1')).then(
            () => null,
            (e: unknown) => e,
          )
          await tx.createMeeting(meeting('m2'))
          await tx.appendAudit(auditEntry('meeting.create'))
          return { together: isUniqueViolation(err, UniqueConstraint.delegationName), alone }
        })
        expect(outcome.together).toBe(true)
        expect(outcome.alone).toBeNull()
        expect((await store.listMeetings()).map((m) => m.id).sort()).toEqual(['m1', 'm2'])
        expect((await store.listAudit(M1)).map((e) => e.action)).toEqual(['meeting.create'])
        expect((await store.listDelegations(M1)).map((x) => x.id)).toEqual(['d1'])
      })

      it('exclusive on the view, for the same key or another, runs inside it', async () => {
        const seen = await store.exclusive(K, (tx) =>
          tx.exclusive(K, async (again) => {
            await again.setMeta('a', '1')
            return again.exclusive('m2', async (both) => {
              await both.setMeta('b', '2')
              return [await both.getMeta('a'), await both.getMeta('b')]
            })
          }),
        )
        expect(seen).toEqual(['1', '2'])
        expect(await store.getMeta('b')).toBe('2')
      })

      it('document methods work on the view', async () => {
        await store.exclusive(K, async (tx) => {
          expect(await tx.appendUpdates('doc', [upd(1), upd(2)])).toBe(2)
          expect((await tx.loadDoc('doc')).updates.map(decode)).toEqual(['update-1', 'update-2'])
        })
        expect((await store.loadDoc('doc')).lastSeq).toBe(2)
      })
    })

    describe('meta', () => {
      it('gets, sets and overwrites values', async () => {
        expect(await store.getMeta('k')).toBeNull()
        await store.setMeta('k', 'one')
        await store.setMeta('other', '')
        expect(await store.getMeta('k')).toBe('one')
        await store.setMeta('k', 'two')
        expect(await store.getMeta('k')).toBe('two')
        expect(await store.getMeta('other')).toBe('')
      })
    })
  })
}
