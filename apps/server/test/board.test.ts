/**
 * The priority board without sockets: the live aggregate, the rules a ranking must meet, and the
 * board's commands through the meeting service.
 */
import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import { proposeArea, withdrawArea, mergeAreas, docName } from '@roundtable/doc-schema'
import {
  asMeetingId,
  BOARD_METHODS,
  type BoardRanking,
  type BoardView,
  type PriorityId,
} from '@roundtable/protocol'
import { tryCount } from '@roundtable/tally'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { areaIndexOf, areasFromStore } from '../src/meeting/board/areas.ts'
import { boardElection, countBoard } from '../src/meeting/board/aggregate.ts'
import { checkRanking, DEFAULT_BOARD } from '../src/meeting/board/commands.ts'
import { type Actor, MeetingService } from '../src/meeting/service.ts'
import { openSqliteStore } from '../src/store/sqlite.ts'
import type { Store } from '../src/store/types.ts'

const ROOT = resolve(import.meta.dirname, '../../..')

/** Random rankings over `n` candidates: a shuffled subset cut into tiers. */
const rankingsArb = fc.integer({ min: 2, max: 8 }).chain((n) => {
  const candidates = Array.from({ length: n }, (_, i) => `p${i}` as PriorityId)
  const one = fc
    .tuple(
      fc.shuffledSubarray(candidates, { minLength: 1 }),
      fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    )
    .map(([order, cuts]) => {
      const tiers: PriorityId[][] = []
      order.forEach((c, i) => {
        if (i === 0 || cuts[i]) tiers.push([c])
        else tiers[tiers.length - 1].push(c)
      })
      return tiers
    })
  return fc.tuple(fc.constant(candidates), fc.array(one, { minLength: 0, maxLength: 25 }))
})

describe('the live aggregate is the recount of the exported rankings', () => {
  for (const method of BOARD_METHODS)
    it(`[BOARD-1] ${method}: the group order equals the tally of the exported election`, () => {
      fc.assert(
        fc.property(rankingsArb, ([candidates, rankings]) => {
          const config = { ...DEFAULT_BOARD, method }
          const view = countBoard(config, candidates, rankings, [], '2003-06-09T10:00:00.000Z')
          // What GET …/board/rankings returns, through JSON, counted as the command counts it.
          const exported = JSON.parse(JSON.stringify(boardElection(method, candidates, rankings)))
          expect(view.voters).toBe(exported.ballots.length)
          if (view.voters === 0) return
          const recount = tryCount(exported)
          if ('error' in recount) throw new Error(recount.error)
          expect(view.ranking).toEqual(recount.data.ranking)
        }),
        { seed: 20030609, numRuns: 40 },
      )
    })

  it('[BOARD-1] and the recount command itself agrees, for every method', () => {
    const candidates = ['a', 'b', 'c', 'd'] as PriorityId[]
    const rankings = [
      [['a'], ['b', 'c']],
      [['c'], ['a'], ['d']],
      [['b'], ['a']],
      [['d', 'a'], ['c']],
    ] as BoardRanking[]
    for (const method of BOARD_METHODS) {
      const view = countBoard({ ...DEFAULT_BOARD, method }, candidates, rankings, [], 'now')
      const out = execFileSync(process.execPath, ['packages/tally/bin/tally.mjs'], {
        cwd: ROOT,
        input: JSON.stringify(boardElection(method, candidates, rankings)),
      })
      expect(view.ranking, method).toEqual(JSON.parse(out.toString()).ranking)
    }
  })

  it('[BOARD-2] agreement: W, its reading, the Condorcet winner, the closest pairs', () => {
    const candidates = ['a', 'b', 'c'] as PriorityId[]
    const same = [
      [['a'], ['b'], ['c']],
      [['a'], ['b'], ['c']],
      [['a'], ['b'], ['c']],
    ] as BoardRanking[]
    const view = countBoard(DEFAULT_BOARD, candidates, same, [], 'now')
    expect(view).toMatchObject({
      voters: 3,
      kendallW: 1,
      agreement: 'very strong',
      condorcetWinner: 'a',
      cycles: [],
    })
    expect(view.ranking).toEqual([['a'], ['b'], ['c']])
    const cycle = [
      [['a'], ['b'], ['c']],
      [['b'], ['c'], ['a']],
      [['c'], ['a'], ['b']],
    ] as BoardRanking[]
    const split = countBoard(DEFAULT_BOARD, candidates, cycle, [], 'now')
    expect(split.condorcetWinner).toBeNull()
    expect(split.cycles).toEqual([['a', 'b', 'c']])
    expect(split.kendallW).toBe(0)
    expect(split.contested[0]).toMatchObject({ forA: 2, forB: 1 })
    // Fewer than two rankings: no agreement to measure.
    expect(countBoard(DEFAULT_BOARD, candidates, same.slice(0, 1), [], 'now').kendallW).toBeNull()
  })

  it('[BOARD-3] an area no longer live drops out of the rankings that named it', () => {
    const e = boardElection(
      'schulze',
      ['a', 'c'] as PriorityId[],
      [[['a'], ['b']], [['b']]] as BoardRanking[],
    )
    expect(e.ballots).toEqual([{ ranking: ['a'] }])
  })
})

describe('a ranking must name live areas, each once', () => {
  const status = new Map([
    ['a', 'proposed'],
    ['b', 'proposed'],
    ['m', 'merged'],
    ['w', 'withdrawn'],
  ] as const)
  it.each([
    ['an area twice', [['a'], ['a']], /twice/],
    ['an area twice in one tier', [['a', 'a']], /twice/],
    ['an unknown area', [['a'], ['zz']], /no priority area zz/],
    ['a merged area', [['m']], /merged/],
    ['a withdrawn area', [['w']], /withdrawn/],
  ])('[BOARD-4] refuses %s', (_what, ranking, message) => {
    expect(checkRanking(ranking as BoardRanking, status)).toMatch(message)
  })
  it('[BOARD-4] accepts tiers and areas left out', () => {
    expect(checkRanking([['b', 'a']] as BoardRanking, status)).toBeNull()
    expect(checkRanking([], status)).toBeNull()
  })
})

describe('board commands through the meeting service', () => {
  let store: Store
  let service: MeetingService
  let chair: Actor
  let ana: Actor
  let observer: Actor
  let views: BoardView[]
  let ids: PriorityId[]
  const meetingId = asMeetingId('board-meeting')

  /** Writes the meeting's priorities document straight into storage, as the document pipeline would. */
  const writeAreas = async (fn: (doc: Y.Doc) => void) => {
    const stored = await store.loadDoc(docName(meetingId, 'priorities'))
    const doc = new Y.Doc()
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
    for (const u of stored.updates) Y.applyUpdate(doc, u)
    const before = Y.encodeStateVector(doc)
    fn(doc)
    await store.appendUpdates(docName(meetingId, 'priorities'), [Y.encodeStateAsUpdate(doc, before)])
  }

  const person = async (role: 'chair' | 'delegate' | 'observer', name: string): Promise<Actor> => {
    const inv = await service.createInvitation(meetingId, 'test', {
      role,
      delegationId: null,
      label: name,
      expiresInHours: null,
    })
    const { participant } = await service.join(inv.url.split('/').pop()!, name)
    return { kind: 'participant', participant }
  }

  beforeEach(async () => {
    store = openSqliteStore({ path: ':memory:' })
    service = new MeetingService({ store, publicUrl: 'http://rt.test', cacheState: true })
    await store.createMeeting({
      id: meetingId,
      title: 'Symposium',
      date: '2003-06-09',
      place: 'Washington',
      description: '',
      chairName: 'Chair',
      createdAt: '2003-06-09T09:00:00.000Z',
    })
    chair = await person('chair', 'Mark')
    ana = await person('delegate', 'Ana')
    observer = await person('observer', 'Olga')
    ids = []
    await writeAreas((doc) => {
      for (const title of ['Central co-ordination', 'Customer focus', 'Cross-agency work', 'Duplicate'])
        ids.push(
          proposeArea(doc, {
            title,
            description: '',
            proposer: 'France',
            proposerDelegationId: null,
            createdBy: '',
          }),
        )
    })
    views = []
    service.events.on('board', (_m, v) => views.push(v))
  })
  afterEach(async () => {
    service.close()
    await store.close()
  })

  it('[BOARD-5] a ranking is saved, counted once per burst, and survives a new service on the same store', async () => {
    const [a, b, c] = ids
    await Promise.all([
      service.command(ana, meetingId, 'board:rank', { ranking: [[a], [b]] }),
      service.command(ana, meetingId, 'board:rank', { ranking: [[b], [a]] }),
      service.command(chair, meetingId, 'board:rank', { ranking: [[b], [c]] }),
    ])
    await new Promise((r) => setTimeout(r, 400))
    expect(views).toHaveLength(1)
    expect(views[0]).toMatchObject({ method: 'schulze', voters: 2 })
    expect(views[0].ranking[0]).toEqual([b])
    const again = new MeetingService({ store, publicUrl: 'http://rt.test', cacheState: true })
    const state = await again.command(ana, meetingId, 'board:state', {})
    expect(state.mine).toEqual([[b], [a]])
    expect(state.board.voters).toBe(2)
    // A saved ranking is the person's own working state, not a meeting action: no audit entry.
    expect((await store.listAudit(meetingId)).filter((e) => e.action.startsWith('board.'))).toEqual([])
    again.close()
  })

  it('[BOARD-4] an observer cannot rank; merged and withdrawn areas are refused and nothing changes', async () => {
    const [a, b, c, dup] = ids
    await expect(
      service.command(observer, meetingId, 'board:rank', { ranking: [[a]] }),
    ).rejects.toMatchObject({
      code: 'RT_ERR_FORBIDDEN',
    })
    await writeAreas((doc) => {
      mergeAreas(doc, { from: dup, into: a })
      withdrawArea(doc, c)
    })
    for (const bad of [[[dup]], [[c]], [[a], [a]], [['nope']]])
      await expect(service.command(ana, meetingId, 'board:rank', { ranking: bad })).rejects.toMatchObject({
        code: 'RT_ERR_CONFLICT',
      })
    expect((await service.command(ana, meetingId, 'board:state', {})).mine).toBeNull()
    await service.command(ana, meetingId, 'board:rank', { ranking: [[b], [a]] })
    expect((await service.command(ana, meetingId, 'board:state', {})).mine).toEqual([[b], [a]])
  })

  it('[BOARD-7] the chair merges, withdraws and restores areas: written by the server, audited; refused on a frozen list', async () => {
    const [a, b, c, dup] = ids
    await expect(service.command(ana, meetingId, 'board:withdraw', { areaId: c })).rejects.toMatchObject({
      code: 'RT_ERR_FORBIDDEN',
    })
    await service.command(chair, meetingId, 'board:merge', { from: dup, into: a })
    await service.command(chair, meetingId, 'board:withdraw', { areaId: c })
    const live = async () => (await areasFromStore(store)(meetingId)).live
    expect(await live()).toEqual([a, b])
    await expect(service.command(chair, meetingId, 'board:withdraw', { areaId: c })).rejects.toMatchObject({
      code: 'RT_ERR_CONFLICT',
    })
    await service.command(chair, meetingId, 'board:restore', { areaId: c })
    expect(await live()).toEqual([a, b, c])
    const actions = (await store.listAudit(meetingId)).map((e) => e.action)
    expect(actions).toEqual(expect.arrayContaining(['board.merge', 'board.withdraw', 'board.restore']))
    await service.command(chair, meetingId, 'board:freeze', { frozen: true })
    await expect(service.command(chair, meetingId, 'board:withdraw', { areaId: c })).rejects.toMatchObject({
      code: 'RT_ERR_CONFLICT',
    })
    expect(await live()).toEqual([a, b, c])
  })

  it('[BOARD-6] the chair picks the method and reveals; freezing records the hash of what is listed', async () => {
    await expect(
      service.command(ana, meetingId, 'board:configure', { method: 'borda' }),
    ).rejects.toMatchObject({
      code: 'RT_ERR_FORBIDDEN',
    })
    expect(
      await service.command(chair, meetingId, 'board:configure', { method: 'borda', reveal: true }),
    ).toMatchObject({
      method: 'borda',
      reveal: true,
      frozen: false,
    })
    const frozen = await service.command(chair, meetingId, 'board:freeze', { frozen: true })
    const stored = await store.loadDoc(docName(meetingId, 'priorities'))
    const doc = new Y.Doc()
    for (const u of stored.updates) Y.applyUpdate(doc, u)
    expect(frozen.optionsHash).toBe(areaIndexOf(doc).hash)
    expect(frozen.optionsHash).toMatch(/^[0-9a-f]{64}$/)
    const actions = (await store.listAudit(meetingId)).map((e) => e.action)
    expect(actions).toEqual(expect.arrayContaining(['board.configure', 'board.freeze']))
    await new Promise((r) => setTimeout(r, 300))
    expect(views.at(-1)).toMatchObject({ method: 'borda', frozen: true, optionsHash: frozen.optionsHash })
  })
})
