/**
 * One command at a time per meeting across processes: two server processes on one PostgreSQL (and
 * Redis) take conflicting commands for the same meeting at once. Whatever the interleaving, the final
 * state and the audit log must be those of some serial order, and a refused command changes nothing.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AgendaItem, AuditEntry, Delegation } from '@roundtable/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { httpCommand } from '../../apps/server/test/clients.ts'
import { joinByLink, sleep } from '../../apps/server/test/harness.ts'
import { type ChildServer, freePort, startChildServer, stopGracefully } from './child-server.ts'

const PG = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const MEETING = 'oecd-egov-2003'
const ROUNDS = 20

const psql = (sql: string) =>
  execFileSync('psql', [PG, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { stdio: 'pipe' })

describe('two server processes: one meeting’s commands never interleave', () => {
  const db = `rt_race_${randomBytes(4).toString('hex')}`
  const dataDir = mkdtempSync(join(tmpdir(), 'rt-race-'))
  const servers: ChildServer[] = []
  let bases: string[] = []
  let chair = ''

  beforeAll(async () => {
    psql(`CREATE DATABASE ${db}`)
    const env = {
      DATABASE_URL: PG.replace(/\/[^/]+$/, `/${db}`),
      REDIS_URL: REDIS,
      REDIS_PREFIX: db,
      DATA_DIR: dataDir,
    }
    for (let i = 0; i < 2; i++) servers.push(await startChildServer(env, await freePort()))
    bases = servers.map((s) => `http://127.0.0.1:${s.port}`)
    chair = await joinByLink(bases[0], servers[0].links.find((l) => l.label.startsWith('Chair'))!.url, 'Mark')
  }, 60_000)

  afterAll(async () => {
    for (const s of servers) await stopGracefully(s)
    rmSync(dataDir, { recursive: true, force: true })
    psql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)
  })

  /** The same command sent to both processes at once, `n` times each; the acks, in no particular order. */
  const both = (n: number, name: string, body: (i: number) => unknown) =>
    Promise.all(
      Array.from({ length: n * 2 }, (_, i) => httpCommand(bases[i % 2], chair, MEETING, name, body(i))),
    )
  const agenda = async () => {
    const r = await fetch(`${bases[1]}/api/meetings/${MEETING}/state`, { headers: { cookie: chair } })
    return (await r.json()) as { agenda: AgendaItem[]; delegations: Delegation[] }
  }
  const audit = async (): Promise<AuditEntry[]> => {
    const r = await httpCommand(bases[0], chair, MEETING, 'audit:list', {})
    return r.body as unknown as AuditEntry[]
  }

  it(`${ROUNDS} rounds of conflicting commands at both processes equal some serial order`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      // Each round sends about 14 of the chair's commands: paced under the per-person command budget.
      if (round > 0) await sleep(800)
      const auditBefore = (await audit()).length
      const before = await agenda()

      // 1. The same delegation name from both sides: exactly one is added, the rest refused.
      const name = `Atlantis ${round}`
      const adds = await both(4, 'delegation:add', () => ({ name }))
      expect(adds.filter((r) => r.status === 200)).toHaveLength(1)
      expect(adds.filter((r) => r.status === 409)).toHaveLength(7)

      // 2. Agenda items added from both sides: each takes the next position, as one after another would.
      const added = await both(2, 'agenda:add', (i) => ({
        title: `R${round}-${i}`,
        kind: 'discussion',
        durationMinutes: 1,
      }))
      expect(
        added.map((r) => r.status),
        JSON.stringify(added.map((r) => r.body)),
      ).toEqual(added.map(() => 200))

      // 3. A reorder of the whole list racing a removal: either the removal comes first (the reorder,
      // now listing a removed item, is refused) or the reorder does (the removal then stands).
      const now = await agenda()
      const ids = now.agenda.map((i) => i.id)
      const victim = ids[ids.length - 1]
      const [reorder, removal] = await Promise.all([
        httpCommand(bases[0], chair, MEETING, 'agenda:reorder', { itemIds: [...ids].reverse() }),
        httpCommand(bases[1], chair, MEETING, 'agenda:remove', { itemId: victim }),
      ])
      expect(removal.status).toBe(200)
      expect([200, 409]).toContain(reorder.status)

      const after = await agenda()
      const log = (await audit()).slice(auditBefore)
      // The refused commands left no trace: one audit entry per accepted command, nothing else.
      const accepted = [...adds, ...added, reorder, removal].filter((r) => r.status === 200).length
      expect(log).toHaveLength(accepted)
      expect(after.delegations.filter((d) => d.name === name)).toHaveLength(1)

      // Replay the audit log in its order against a model of the agenda: it must give the final state.
      let model = before.agenda.map((i) => ({ id: i.id as string, position: i.position }))
      for (const e of log) {
        const d = e.detail as { itemId?: string; itemIds?: string[] }
        if (e.action === 'agenda.add') {
          const position = model.length ? Math.max(...model.map((i) => i.position)) + 1 : 0
          const item = added.find((r) => (r.body as unknown as AgendaItem).id === d.itemId)!
            .body as unknown as AgendaItem
          expect(item.position).toBe(position)
          model.push({ id: d.itemId!, position })
        } else if (e.action === 'agenda.remove') model = model.filter((i) => i.id !== d.itemId)
        else if (e.action === 'agenda.reorder') model = d.itemIds!.map((id, position) => ({ id, position }))
      }
      const sorted = (xs: { id: string; position: number }[]) =>
        [...xs].sort((a, b) => a.position - b.position)
      expect(sorted(after.agenda.map((i) => ({ id: i.id, position: i.position })))).toEqual(sorted(model))
      // Every item once; the removed one gone for good.
      expect(new Set(after.agenda.map((i) => i.id)).size).toBe(after.agenda.length)
      expect(after.agenda.map((i) => i.id)).not.toContain(victim)
    }
  }, 120_000)

  it('50 delegates each send 20 ballots at once, split over both processes: exactly 50 are counted, one of each', async () => {
    await sleep(3_000) // the chair's command budget refills after the first test
    const delegation = (await agenda()).delegations[0]
    const cookies = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const r = await httpCommand(bases[0], chair, MEETING, 'invitation:create', {
          role: 'delegate',
          delegationId: delegation.id,
          label: `Voter ${i}`,
        })
        return joinByLink(bases[i % 2], (r.body as unknown as { url: string }).url, `Voter ${i}`)
      }),
    )
    const created = await httpCommand(bases[0], chair, MEETING, 'vote:create', {
      question: 'Across processes',
      options: ['a', 'b', 'c'],
      method: 'plurality',
      secret: false,
      voters: 'delegates',
    })
    const voteId = (created.body as unknown as { vote: { id: string } }).vote.id
    expect((await httpCommand(bases[1], chair, MEETING, 'vote:open', { voteId })).status).toBe(200)
    const receipts = cookies.map(() => new Set<string>())
    await Promise.all(
      cookies.flatMap((cookie, i) =>
        Array.from({ length: 20 }, async (_, k) => {
          const r = await httpCommand(bases[(i + k) % 2], cookie, MEETING, 'vote:cast', {
            voteId,
            ballot: { choice: ['o1', 'o2', 'o3'][(i + k) % 3] },
          })
          expect(r.status).toBe(200)
          receipts[i].add((r.body as unknown as { receipt: string }).receipt)
        }),
      ),
    )
    const closed = await httpCommand(bases[0], chair, MEETING, 'vote:close', { voteId })
    const vote = (
      closed.body as unknown as { vote: { turnout: { cast: number }; result: { ballots: number } } }
    ).vote
    expect(vote.turnout.cast).toBe(50)
    expect(vote.result.ballots).toBe(50)
    const published = (await (
      await fetch(`${bases[1]}/api/meetings/${MEETING}/votes/${voteId}/ballots`, {
        headers: { cookie: chair },
      })
    ).json()) as { ballots: { receipt: string }[] }
    // One ballot per delegate, and each one that delegate's own (its receipt was acknowledged to them).
    expect(published.ballots).toHaveLength(50)
    const counted = new Set(published.ballots.map((b) => b.receipt))
    for (const mine of receipts) expect([...mine].filter((r) => counted.has(r))).toHaveLength(1)
  }, 120_000)
})
