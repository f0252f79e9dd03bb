/**
 * The meeting service without sockets: how a meeting's commands follow one another while their
 * writes are being committed, with and without the in-memory state of a single process.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AgendaItem, MeetingId } from '@roundtable/protocol'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Actor, MeetingService } from '../src/meeting/service.ts'
import { openSqliteStore } from '../src/store/sqlite.ts'
import type { Store } from '../src/store/types.ts'

const tick = () => new Promise((r) => setImmediate(r))

/**
 * A store whose grouped writes (a change and its audit entry) are acknowledged only when the test lets
 * them: the write itself is done at once, in order, as the writer thread would; what is tested is how
 * the service orders commands, reads and announcements around the acknowledgement. `inline: false`
 * uses the real writer thread instead (nothing held).
 */
const gatedStore = (inline = true) => {
  const dir = mkdtempSync(join(tmpdir(), 'rt-service-'))
  const path = join(dir, 'db.sqlite')
  const store = openSqliteStore({ path, synchronous: 'normal', inlineWrites: inline })
  // Another connection to the file, as an operator's would be: lets a test make writes fail for real.
  const raw = (sql: string) => {
    const db = new Database(path)
    db.exec(sql)
    db.close()
  }
  const original = store.together
  const gates: { open: () => void; fail: (e: Error) => void }[] = []
  let holding = false
  store.together = ((fn) => {
    const written = original(fn)
    if (!holding) return written
    return new Promise((resolve, reject) => {
      gates.push({ open: () => written.then(resolve, reject), fail: reject })
    })
  }) as Store['together']
  return {
    store,
    gates,
    raw,
    hold: (on: boolean) => (holding = on),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}

const setUp = async (cacheState: boolean, inline = true) => {
  const gated = gatedStore(inline)
  const service = new MeetingService({ store: gated.store, publicUrl: 'http://rt.test', cacheState })
  const { meeting, chairLink } = await service.createMeeting(
    { kind: 'organiser' },
    { title: 'Council', date: '2003-06-09', place: 'Paris', description: '', chairName: 'Chair' },
  )
  const { participant } = await service.join(chairLink.split('/').pop()!, 'Ana Souza')
  const chair: Actor = { kind: 'participant', participant }
  const announced: AgendaItem[][] = []
  service.events.on('agenda', (_id, state) => announced.push(state.agenda))
  return { ...gated, service, meetingId: meeting.id as MeetingId, chair, announced }
}

const add = (title: string) => ({ title, kind: 'discussion', durationMinutes: 10 })

describe('meeting commands while their writes are being committed', () => {
  let env: Awaited<ReturnType<typeof setUp>>

  /** Two commands back to back: the second's write is not issued before the first is acknowledged. */
  const nextWaitsForDurable = async () => {
    const { service, chair, meetingId, gates, hold } = env
    hold(true)
    const first = service.command(chair, meetingId, 'agenda:add', add('Opening'))
    const second = service.command(chair, meetingId, 'agenda:add', add('Priorities'))
    for (let i = 0; i < 5; i++) await tick()
    expect(gates).toHaveLength(1)
    gates[0].open()
    await first
    for (let i = 0; i < 5; i++) await tick()
    expect(gates).toHaveLength(2)
    gates[1].open()
    expect(((await second) as AgendaItem).position).toBe(1)
  }
  afterEach(async () => {
    await env.store.close()
    env.remove()
  })

  describe('with the meeting state in memory (one process)', () => {
    beforeEach(async () => {
      env = await setUp(true)
    })

    it('the next command starts before the previous one is acknowledged and sees its change; each is acknowledged and announced only once durable, in order', async () => {
      const { service, chair, meetingId, gates, hold, announced } = env
      hold(true)
      const first = service.command(chair, meetingId, 'agenda:add', add('Opening'))
      const second = service.command(chair, meetingId, 'agenda:add', add('Priorities'))
      let settled = 0
      for (const p of [first, second]) p.then(() => settled++)
      for (let i = 0; i < 5; i++) await tick()
      // Both writes are under way; nothing is acknowledged or announced yet.
      expect(gates).toHaveLength(2)
      expect(settled).toBe(0)
      expect(announced).toEqual([])
      gates[0].open()
      const a = (await first) as AgendaItem
      expect(announced.map((list) => list.map((i) => i.title))).toEqual([['Opening']])
      expect(settled).toBe(1)
      gates[1].open()
      const b = (await second) as AgendaItem
      // The second was placed after the first although the first was not yet stored when it ran.
      expect([a.position, b.position]).toEqual([0, 1])
      expect(announced.map((list) => list.map((i) => i.title))).toEqual([
        ['Opening'],
        ['Opening', 'Priorities'],
      ])
      expect((await env.store.listAgenda(meetingId)).map((i) => i.title)).toEqual(['Opening', 'Priorities'])
    })

    it('a write that fails is refused, announced to nobody, and the state is read again from storage', async () => {
      const { service, chair, meetingId, raw, announced } = env
      await service.command(chair, meetingId, 'agenda:add', add('Kept'))
      raw(`CREATE TRIGGER refuse BEFORE INSERT ON agenda_items BEGIN SELECT RAISE(ABORT, 'disk full'); END`)
      await expect(service.command(chair, meetingId, 'agenda:add', add('Lost'))).rejects.toThrow('disk full')
      raw('DROP TRIGGER refuse')
      expect(announced.map((list) => list.map((i) => i.title))).toEqual([['Kept']])
      // Neither the item nor its audit entry was stored, and the state shows no trace of it.
      expect((await env.store.listAudit(meetingId)).filter((e) => e.action === 'agenda.add')).toHaveLength(1)
      const state = await service.state((chair as Extract<Actor, { kind: 'participant' }>).participant)
      expect(state.agenda.map((i) => i.title)).toEqual(['Kept'])
      // And the meeting goes on.
      await service.command(chair, meetingId, 'agenda:add', add('Next'))
      expect(announced.at(-1)?.map((i) => i.title)).toEqual(['Kept', 'Next'])
    })

    it('others are shown a change only once it is acknowledged', async () => {
      const { service, chair, meetingId, gates, hold } = env
      const me = (chair as Extract<Actor, { kind: 'participant' }>).participant
      // Someone already connected has read the meeting (the test store writes before it acknowledges,
      // so a first read from storage now would see the row a moment early, as durable as it gets).
      expect((await service.state(me)).agenda).toEqual([])
      hold(true)
      const adding = service.command(chair, meetingId, 'agenda:add', add('Pending'))
      for (let i = 0; i < 5; i++) await tick()
      expect(gates).toHaveLength(1)
      expect(await service.agenda(meetingId)).toEqual([])
      expect((await service.state(me)).agenda).toEqual([])
      gates[0].open()
      await adding
      expect((await service.agenda(meetingId)).map((i) => i.title)).toEqual(['Pending'])
      expect((await service.state(me)).agenda.map((i) => i.title)).toEqual(['Pending'])
    })

    it('a role change holds for the next command at once, before it is acknowledged', async () => {
      const { service, chair, meetingId, gates, hold } = env
      const inv = (await service.command(chair, meetingId, 'invitation:create', {
        role: 'chair',
        delegationId: null,
        label: 'Vice-chair',
        expiresInHours: null,
      })) as { url: string }
      const { participant: vice } = await service.join(inv.url.split('/').pop()!, 'Vice')
      hold(true)
      const demoted = service.command(chair, meetingId, 'participant:setRole', {
        participantId: vice.id,
        role: 'observer',
      })
      const attempt = service
        .command({ kind: 'participant', participant: vice }, meetingId, 'agenda:add', add('Sneaky'))
        .then(
          () => 'accepted',
          (err: { code?: string }) => err.code,
        )
      for (let i = 0; i < 5; i++) await tick()
      gates[0].open()
      await demoted
      expect(await attempt).toBe('RT_ERR_FORBIDDEN')
      expect(gates).toHaveLength(1)
    })
  })

  describe('with the real writer thread', () => {
    beforeEach(async () => {
      env = await setUp(true, false)
    })

    it('when one of several pipelined writes fails, the others stand, and once all have settled the state is read from storage', async () => {
      const { service, chair, meetingId, raw, announced } = env
      await service.command(chair, meetingId, 'agenda:add', add('Kept'))
      raw(
        `CREATE TRIGGER refuse BEFORE INSERT ON agenda_items WHEN NEW.title = 'Lost' BEGIN SELECT RAISE(ABORT, 'disk full'); END`,
      )
      const results = await Promise.allSettled([
        service.command(chair, meetingId, 'agenda:add', add('Lost')),
        service.command(chair, meetingId, 'agenda:add', add('Next')),
      ])
      expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled'])
      const stored = (await env.store.listAgenda(meetingId)).map((i) => i.title)
      expect(stored).toEqual(['Kept', 'Next'])
      // Nobody was shown the lost item, and the next command works from what is stored.
      expect(announced.flat().map((i) => i.title)).not.toContain('Lost')
      expect((await service.agenda(meetingId)).map((i) => i.title)).toEqual(stored)
      await service.command(chair, meetingId, 'agenda:add', add('Third'))
      expect((await service.agenda(meetingId)).map((i) => i.title)).toEqual(['Kept', 'Next', 'Third'])
      expect((await env.store.listAgenda(meetingId)).map((i) => i.title)).toEqual(['Kept', 'Next', 'Third'])
    })
  })

  describe('a store that may commit out of issue order (PostgreSQL), state in memory', () => {
    beforeEach(async () => {
      env = await setUp(true)
      ;(env.store as { commitsInOrder: boolean }).commitsInOrder = false
    })

    it('the next command waits until the previous one is durable', nextWaitsForDurable)
  })

  describe('reading storage every time (several processes)', () => {
    beforeEach(async () => {
      env = await setUp(false)
    })

    it('the next command waits until the previous one is durable', async () => {
      await nextWaitsForDurable()
      expect(env.announced.map((list) => list.map((i) => i.title))).toEqual([
        ['Opening'],
        ['Opening', 'Priorities'],
      ])
    })
  })
})
