/**
 * Formal votes through the meeting service, without sockets: the lifecycle, one counted ballot per
 * voter under concurrency, the race at close, secrecy, ballots that do not fit, and the recount.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { docName, proposeArea } from '@roundtable/doc-schema'
import { asMeetingId, type Delegation, type PriorityId, type VoteView } from '@roundtable/protocol'
import { type BallotInput, tryCount } from '@roundtable/tally'
import Database from 'better-sqlite3'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ballotProblem } from '../src/meeting/votes/rules.ts'
import { type Actor, MeetingService } from '../src/meeting/service.ts'
import { openSqliteStore } from '../src/store/sqlite.ts'
import type { Store } from '../src/store/types.ts'

const meetingId = asMeetingId('vote-meeting')

const setUp = async (opts: { file?: boolean; now?: () => Date } = {}) => {
  const dir = mkdtempSync(join(tmpdir(), 'rt-votes-'))
  const path = opts.file ? join(dir, 'db.sqlite') : ':memory:'
  const store: Store = openSqliteStore({ path, synchronous: 'normal' })
  const service = new MeetingService({ store, publicUrl: 'http://rt.test', cacheState: true, now: opts.now })
  await store.createMeeting({
    id: meetingId,
    title: 'Symposium',
    date: '2003-06-09',
    place: 'Washington',
    description: '',
    chairName: 'Chair',
    createdAt: '2003-06-09T09:00:00.000Z',
  })
  const events: VoteView[] = []
  service.events.on('vote', (_m, v) => events.push(v))
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
  const create = async (payload: Record<string, unknown>) =>
    (await cmd<{ vote: VoteView }>(chair, 'vote:create', { secret: false, voters: 'delegates', ...payload }))
      .vote
  const openVote = async (payload: Record<string, unknown>) =>
    (await cmd<{ vote: VoteView }>(chair, 'vote:open', { voteId: (await create(payload)).id })).vote
  const close = async (id: string) =>
    (await cmd<{ vote: VoteView }>(chair, 'vote:close', { voteId: id })).vote
  return {
    store,
    service,
    events,
    person,
    chair,
    cmd,
    create,
    openVote,
    close,
    path,
    remove: async () => {
      service.close()
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
type Env = Awaited<ReturnType<typeof setUp>>

/** The recount from the published ballots, as `pnpm --silent tally` would count them. */
const recount = async (env: Env, voteId: string) => {
  const published = JSON.parse(JSON.stringify(await env.service.voteBallots(meetingId, voteId)))
  const counted = tryCount(published)
  if ('error' in counted) throw new Error(counted.error)
  return { published, result: counted.data }
}

describe('a vote from draft to result', () => {
  let env: Env
  beforeEach(async () => {
    env = await setUp()
  })
  afterEach(() => env.remove())

  it('[V-1] create, open (rules hashed), cast, change one’s mind, close: the result, its working, the recount and the receipts', async () => {
    const [ana, ben, eva] = await Promise.all([
      env.person('delegate', 'Ana'),
      env.person('delegate', 'Ben'),
      env.person('delegate', 'Eva'),
    ])
    const draft = await env.create({
      question: 'Which first?',
      options: ['Central', 'Customer', 'Cross'],
      method: 'schulze',
    })
    expect(draft).toMatchObject({ status: 'draft', optionsHash: null, turnout: { cast: 0, eligible: 3 } })
    expect(draft.options.map((o) => o.label)).toEqual(['Central', 'Customer', 'Cross'])
    await expect(
      env.cmd(ana, 'vote:cast', { voteId: draft.id, ballot: { ranking: ['o1'] } }),
    ).rejects.toMatchObject({
      code: 'RT_ERR_VOTE_CLOSED',
    })
    const open = (await env.cmd<{ vote: VoteView }>(env.chair, 'vote:open', { voteId: draft.id })).vote
    expect(open.status).toBe('open')
    expect(open.optionsHash).toMatch(/^[0-9a-f]{64}$/)
    const receipts: string[] = []
    const cast = async (who: Actor, ranking: unknown) => {
      const r = await env.cmd<{ receipt: string }>(who, 'vote:cast', { voteId: open.id, ballot: { ranking } })
      expect(r.receipt).toMatch(/^[A-Z2-9]{10}$/)
      return r.receipt
    }
    await cast(ana, ['o1', 'o2', 'o3'])
    receipts.push(await cast(ana, ['o2', 'o1', 'o3'])) // the last one counts
    receipts.push(await cast(ben, ['o2', 'o3', 'o1']))
    receipts.push(await cast(eva, ['o1', 'o2', 'o3']))
    // Turnout goes out coalesced, within a moment of the ballots.
    await expect.poll(() => env.events.at(-1)?.turnout.cast).toBe(3)
    expect(env.events.at(-1)?.turnout).toMatchObject({ cast: 3, eligible: 3 })
    expect(env.events.at(-1)?.turnout.who?.length).toBe(3)
    const closed = await env.close(open.id)
    expect(closed.status).toBe('closed')
    expect(closed.result).toMatchObject({
      method: 'schulze',
      winners: ['o2'],
      quorumMet: true,
      tie: false,
      ballots: 3,
    })
    expect(closed.result?.pairwise).toBeDefined()
    // The closing commit holds the official count; every other method's count follows at once (V-COMPARE).
    await expect
      .poll(async () => (await env.cmd<{ votes: VoteView[] }>(ana, 'vote:list', {})).votes[0].result?.verdict)
      .toMatch(/^Customer wins under/)
    const compared = (await env.cmd<{ votes: VoteView[] }>(ana, 'vote:list', {})).votes[0]
    expect(compared.result?.comparison.length).toBeGreaterThan(5)
    expect(compared.result?.winners).toEqual(['o2'])
    expect(env.events.at(-1)?.result?.comparison.length).toBeGreaterThan(5)
    // Anyone can recount: the published ballots give the same result; every receipt is there.
    const { published, result } = await recount(env, open.id)
    expect(result.ranking).toEqual(closed.result?.ranking)
    expect(result.winners).toEqual(closed.result?.winners)
    expect(published.optionsHash).toBe(open.optionsHash)
    expect(published.ballots.map((b: { receipt: string }) => b.receipt).sort()).toEqual([...receipts].sort())
    // After close, nothing more is counted.
    await expect(
      env.cmd(ben, 'vote:cast', { voteId: open.id, ballot: { ranking: ['o1'] } }),
    ).rejects.toMatchObject({
      code: 'RT_ERR_VOTE_CLOSED',
    })
    const audit = (await env.store.listAudit(meetingId)).map((e) => e.action)
    expect(audit).toEqual(expect.arrayContaining(['vote.create', 'vote.open', 'vote.close']))
  })

  it('[V-2] who may: only the chair runs a vote; only delegates cast; a ballot that does not fit is refused and changes nothing', async () => {
    const ana = await env.person('delegate', 'Ana')
    const olga = await env.person('observer', 'Olga')
    await expect(
      env.cmd(ana, 'vote:create', {
        question: 'x',
        options: ['a', 'b'],
        method: 'approval',
        secret: false,
        voters: 'delegates',
      }),
    ).rejects.toMatchObject({ code: 'RT_ERR_FORBIDDEN' })
    const vote = await env.openVote({ question: 'Approve', options: ['a', 'b', 'c'], method: 'approval' })
    for (const who of [olga, env.chair])
      await expect(
        env.cmd(who, 'vote:cast', { voteId: vote.id, ballot: { approvals: ['o1'] } }),
      ).rejects.toMatchObject({
        code: 'RT_ERR_FORBIDDEN',
      })
    for (const ballot of [{ approvals: ['o9'] }, { approvals: ['o1', 'o1'] }, { ranking: ['o1'] }])
      await expect(env.cmd(ana, 'vote:cast', { voteId: vote.id, ballot })).rejects.toMatchObject({
        code: 'RT_ERR_BAD_BALLOT',
      })
    await expect(
      env.cmd(ana, 'vote:cast', { voteId: vote.id, ballot: { approvals: 'o1' } }),
    ).rejects.toMatchObject({
      code: 'RT_ERR_BAD_REQUEST',
    })
    expect((await env.store.listBallots(vote.id)).length).toBe(0)
    expect((await env.cmd<{ votes: VoteView[] }>(ana, 'vote:list', {})).votes[0].turnout.cast).toBe(0)
  })

  it('[V-3] one voice per delegation, weighted: any of its delegates may cast it; the last counts', async () => {
    const [fr, ca] = await Promise.all(
      ['France', 'Canada'].map((name) => env.cmd<Delegation>(env.chair, 'delegation:add', { name })),
    )
    const [ana, anne, ben] = await Promise.all([
      env.person('delegate', 'Ana', fr.id),
      env.person('delegate', 'Anne', fr.id),
      env.person('delegate', 'Ben', ca.id),
    ])
    const vote = await env.openVote({
      question: 'Adopt?',
      options: ['Adopt the brief'],
      method: 'motion',
      voters: 'delegations',
      weights: { [fr.id]: 3 },
    })
    await env.cmd(ana, 'vote:cast', { voteId: vote.id, ballot: { vote: 'yes' } })
    await env.cmd(anne, 'vote:cast', { voteId: vote.id, ballot: { vote: 'no' } })
    await env.cmd(ben, 'vote:cast', { voteId: vote.id, ballot: { vote: 'yes' } })
    const closed = await env.close(vote.id)
    expect(closed.turnout).toMatchObject({ cast: 2, eligible: 2 })
    // France's one voice (weight 3) is Anne's no; Canada's yes weighs 1.
    expect(closed.result?.winners).toEqual(['no'])
    expect((await recount(env, vote.id)).result.winners).toEqual(['no'])
  })

  it('[V-4] a tie is shown as a tie and the chair breaks it, recorded', async () => {
    const [ana, ben] = await Promise.all([env.person('delegate', 'Ana'), env.person('delegate', 'Ben')])
    const vote = await env.openVote({ question: 'Pick', options: ['a', 'b'], method: 'plurality' })
    await env.cmd(ana, 'vote:cast', { voteId: vote.id, ballot: { choice: 'o1' } })
    await env.cmd(ben, 'vote:cast', { voteId: vote.id, ballot: { choice: 'o2' } })
    const closed = await env.close(vote.id)
    expect(closed.result).toMatchObject({ tie: true, winners: ['o1', 'o2'] })
    await expect(
      env.cmd(env.chair, 'vote:breakTie', { voteId: vote.id, rule: { method: 'chair', order: ['o2'] } }),
    ).rejects.toMatchObject({ code: 'RT_ERR_BAD_REQUEST' })
    const broken = (
      await env.cmd<{ vote: VoteView }>(env.chair, 'vote:breakTie', {
        voteId: vote.id,
        rule: { method: 'chair', order: ['o2', 'o1'] },
      })
    ).vote
    expect(broken.result).toMatchObject({ tie: false, winners: ['o2'] })
    expect((await env.store.listAudit(meetingId)).some((e) => e.action === 'vote.breakTie')).toBe(true)
  })

  it('[V-5] a vote on the board takes the frozen priority list, and only a frozen one', async () => {
    const doc = new Y.Doc()
    const ids: PriorityId[] = ['Central co-ordination', 'Customer focus'].map((title) =>
      proposeArea(doc, { title, description: '', proposer: '', proposerDelegationId: null, createdBy: '' }),
    ) as PriorityId[]
    await env.store.appendUpdates(docName(meetingId, 'priorities'), [Y.encodeStateAsUpdate(doc)])
    await expect(env.create({ question: 'Rank', options: 'board', method: 'schulze' })).rejects.toMatchObject(
      {
        code: 'RT_ERR_CONFLICT',
      },
    )
    await env.cmd(env.chair, 'board:freeze', { frozen: true })
    const vote = await env.create({ question: 'Rank', options: 'board', method: 'schulze' })
    expect(vote.options).toEqual([
      { id: ids[0], label: 'Central co-ordination' },
      { id: ids[1], label: 'Customer focus' },
    ])
  })

  it('[V-6] a timed vote closes by itself when its time is up', async () => {
    let now = Date.parse('2003-06-09T10:00:00.000Z')
    await env.remove()
    env = await setUp({ now: () => new Date(now) })
    const ana = await env.person('delegate', 'Ana')
    const vote = await env.openVote({
      question: 'Quick',
      options: ['a', 'b'],
      method: 'approval',
      closesInSeconds: 10,
    })
    expect(vote.closesAt).toBe('2003-06-09T10:00:10.000Z')
    await env.cmd(ana, 'vote:cast', { voteId: vote.id, ballot: { approvals: ['o2'] } })
    now += 11_000
    // The process's timer uses the real clock; the sweep finds it past its time by the service's clock.
    await expect
      .poll(async () => (await env.cmd<{ votes: VoteView[] }>(ana, 'vote:list', {})).votes[0].status, {
        timeout: 5_000,
      })
      .toBe('closed')
    const audit = (await env.store.listAudit(meetingId)).find((e) => e.action === 'vote.close')
    expect(audit?.detail).toMatchObject({ by: 'timer', winners: ['o2'] })
  })
})

describe('secret ballots', () => {
  let env: Env
  beforeEach(async () => {
    env = await setUp({ file: true })
  })
  afterEach(() => env.remove())

  it('[V-7] nobody, the chair included, is sent a choice or a partial count before close; storage cannot join ballot and roll', async () => {
    const people = await Promise.all(['Ana', 'Ben', 'Eva'].map((n) => env.person('delegate', n)))
    const vote = await env.openVote({
      question: 'Secret',
      options: ['a', 'b'],
      method: 'plurality',
      secret: true,
    })
    const during: VoteView[] = []
    env.service.events.on('vote', (_m, v) => during.push(v))
    for (const [i, p] of people.entries())
      await env.cmd(p, 'vote:cast', { voteId: vote.id, ballot: { choice: i === 0 ? 'o1' : 'o2' } })
    await expect(env.cmd(env.chair, 'vote:liveCount', { voteId: vote.id })).rejects.toMatchObject({
      code: 'RT_ERR_FORBIDDEN',
    })
    // Turnout only, coalesced: rising to 3, never a choice.
    await expect.poll(() => during.at(-1)?.turnout.cast).toBe(3)
    const counts = during.map((v) => v.turnout.cast)
    expect(counts).toEqual([...counts].sort((a, b) => a - b))
    for (const v of during) {
      expect(v.result).toBeUndefined()
      expect(v.turnout.who).toBeUndefined()
      expect(JSON.stringify(v)).not.toMatch(/choice|ballot|scores|slotKey|winners/)
    }
    expect((await env.store.listAudit(meetingId)).filter((e) => e.action === 'vote.cast')).toEqual([])
    const closed = await env.close(vote.id)
    expect(closed.result?.winners).toEqual(['o2'])
    // What an operator with the database file finds after close.
    const db = new Database(env.path, { readonly: true })
    const ballotColumns = (db.pragma('table_info(ballots)') as { name: string }[]).map((c) => c.name)
    expect(ballotColumns).toEqual(['vote_id', 'slot', 'ballot', 'receipt', 'voter'])
    const rows = db.prepare('SELECT * FROM ballots WHERE vote_id = ?').all(vote.id) as Record<
      string,
      unknown
    >[]
    const ids = people.map((p) => p.participant.id as string)
    for (const r of rows) {
      expect(r.voter).toBeNull()
      for (const id of ids) expect(JSON.stringify(r)).not.toContain(id)
    }
    expect(
      (db.prepare('SELECT slot_key FROM votes WHERE id = ?').get(vote.id) as { slot_key: unknown }).slot_key,
    ).toBeNull()
    expect((db.pragma('table_info(vote_roll)') as { name: string }[]).map((c) => c.name)).toEqual([
      'vote_id',
      'voter_key',
    ])
    db.close()
  })
})

describe('integrity under concurrency (the real writer thread)', () => {
  let env: Env
  beforeEach(async () => {
    env = await setUp({ file: true })
  })
  afterEach(() => env.remove())

  it('[V-8] 50 delegates each send 20 ballots at once: exactly 50 are counted, the last of each', async () => {
    const people = await Promise.all(Array.from({ length: 50 }, (_, i) => env.person('delegate', `D${i}`)))
    const vote = await env.openVote({ question: 'Many', options: ['a', 'b', 'c'], method: 'plurality' })
    const acks = await Promise.all(
      people.flatMap((p, i) =>
        Array.from({ length: 20 }, (_, k) =>
          env.cmd<{ receipt: string }>(p, 'vote:cast', {
            voteId: vote.id,
            // The last ballot a delegate sends chooses o1 for even delegates, o3 for odd ones.
            ballot: { choice: k === 19 ? (i % 2 ? 'o3' : 'o1') : 'o2' },
          }),
        ),
      ),
    )
    expect(acks).toHaveLength(1000)
    const closed = await env.close(vote.id)
    expect(closed.turnout.cast).toBe(50)
    expect(closed.result?.ballots).toBe(50)
    expect(closed.result?.scores).toEqual({ o1: 25, o2: 0, o3: 25 })
    expect((await env.store.listBallots(vote.id)).length).toBe(50)
  })

  it('[V-9] 200 ballots sent while the chair closes: every acknowledged ballot is counted, none after', async () => {
    const people = await Promise.all(Array.from({ length: 200 }, (_, i) => env.person('delegate', `D${i}`)))
    const vote = await env.openVote({ question: 'Race', options: ['a', 'b'], method: 'approval' })
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
    // Ballots arrive over 20 ms; the chair closes 10 ms in.
    const casts = people.map(async (p, i) =>
      sleep(i % 20)
        .then(() => env.cmd(p, 'vote:cast', { voteId: vote.id, ballot: { approvals: ['o1'] } }))
        .then(
          () => 'ok',
          (e: { code: string }) => e.code,
        ),
    )
    const closing = sleep(10).then(() => env.close(vote.id))
    const outcomes = await Promise.all(casts)
    const closed = await closing
    const acked = outcomes.filter((o) => o === 'ok').length
    expect(outcomes.every((o) => o === 'ok' || o === 'RT_ERR_VOTE_CLOSED')).toBe(true)
    expect(acked).toBeGreaterThan(0)
    expect(acked).toBeLessThan(200)
    expect(closed.result?.ballots).toBe(acked)
    expect(closed.result?.scores).toMatchObject({ o1: acked })
    expect((await recount(env, vote.id)).result.scores).toMatchObject({ o1: acked })
  })
})

describe('[V-10] a ballot is accepted exactly when a simple model accepts it, and counted as the model counts', () => {
  const options = ['o1', 'o2', 'o3']
  const rules = (method: 'approval' | 'plurality' | 'borda') => ({
    question: 'q',
    options: options.map((id) => ({ id, label: id })),
    method,
    methodOptions: {},
    secret: false,
    voters: 'delegates' as const,
    weights: null,
    seats: null,
    quorum: null,
    threshold: null,
    closesInSeconds: null,
  })
  const anyId = fc.constantFrom('o1', 'o2', 'o3', 'o4', 'x')
  const ballotArb = fc.oneof(
    fc.record({ approvals: fc.array(anyId, { maxLength: 4 }) }),
    fc.record({ choice: anyId }),
    fc.record({ ranking: fc.array(anyId, { maxLength: 4 }) }),
  )
  const known = (id: string) => options.includes(id)
  const unique = (xs: string[]) => new Set(xs).size === xs.length
  const model = {
    approval: (b: BallotInput) => b.approvals?.every(known) && unique(b.approvals),
    plurality: (b: BallotInput) =>
      (b.choice !== undefined && known(b.choice)) ||
      (b.ranking !== undefined && (b.ranking as string[]).every(known) && unique(b.ranking as string[])),
    borda: (b: BallotInput) =>
      (b.ranking !== undefined && (b.ranking as string[]).every(known) && unique(b.ranking as string[])) ||
      (b.choice !== undefined && known(b.choice)),
  }
  for (const method of ['approval', 'plurality', 'borda'] as const)
    it(`${method}`, () => {
      fc.assert(
        fc.property(fc.array(ballotArb, { maxLength: 12 }), (ballots) => {
          const accepted = ballots.filter((b) => ballotProblem(rules(method), b as BallotInput) === null)
          expect(accepted).toEqual(ballots.filter((b) => model[method](b as BallotInput)))
          if (method !== 'approval' || accepted.length === 0) return
          const counted = tryCount({ method, candidates: options, ballots: accepted })
          if ('error' in counted) throw new Error(counted.error)
          for (const o of options)
            expect(counted.data.scores?.[o]).toBe(
              accepted.filter((b) => (b as BallotInput).approvals!.includes(o)).length,
            )
        }),
        { seed: 2003, numRuns: 150 },
      )
    })
})
