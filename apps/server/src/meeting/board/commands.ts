import type { BoardConfig, BoardRanking, PriorityId } from '@roundtable/protocol'
import {
  docName,
  mergeAreas,
  migrateLegacyPriorities,
  restoreArea,
  withdrawArea,
} from '@roundtable/doc-schema'
import type * as Y from 'yjs'
import { AppError } from '../../errors.ts'
export { DEFAULT_BOARD } from './state.ts'
import type { MeetingCommands, MeetingContext } from '../context.ts'

/**
 * A ranking that names only live areas, each once; an error naming what is wrong otherwise (tiers are
 * kept as sent: the tally package reads them as they are).
 */
export const checkRanking = (
  ranking: BoardRanking,
  status: ReadonlyMap<string, 'proposed' | 'merged' | 'withdrawn'>,
  live: ReadonlySet<string> = new Set([...status].filter(([, s]) => s === 'proposed').map(([id]) => id)),
): string | null => {
  const seen = new Set<string>()
  for (const tier of ranking)
    for (const id of tier) {
      if (seen.has(id)) return `The area ${id} is ranked twice.`
      seen.add(id)
      // Live is what the document says is live (two areas merged into each other at once leave one).
      if (live.has(id)) continue
      const s = status.get(id)
      if (s === undefined) return `There is no priority area ${id}.`
      if (s === 'merged') return `The area ${id} was merged into another: rank that one instead.`
      if (s === 'withdrawn') return `The area ${id} was withdrawn.`
    }
  return null
}

const commitConfig = async (ctx: MeetingContext, action: string, config: BoardConfig) => {
  const board = await ctx.part('board')
  await ctx.commit({
    action,
    detail: { ...config },
    writes: (store) => [store.putBoard(ctx.meetingId, config)],
    next: { board: { ...board, config } },
  })
  ctx.after(() => ctx.services.board.changed(ctx.meetingId))
  return config
}

/**
 * A chair's change to the list, made by the server through the document pipeline (so every client
 * sees it at once, durable) and audited. Refused on a frozen list, and when it would change nothing.
 */
const changeList = async (
  ctx: MeetingContext,
  action: string,
  detail: Record<string, unknown>,
  change: (doc: Y.Doc) => boolean,
) => {
  if ((await ctx.part('board')).config.frozen)
    throw new AppError('RT_ERR_CONFLICT', 'The list is frozen for a vote: unfreeze it to change it.')
  let changed = false
  await ctx.services.docs.transact(docName(ctx.meetingId, 'priorities'), (doc) => {
    migrateLegacyPriorities(doc)
    changed = change(doc)
  })
  if (!changed)
    throw new AppError('RT_ERR_CONFLICT', 'That area cannot be changed so (unknown, or not live).')
  await ctx.commit({ action, detail, writes: () => [] })
  ctx.after(() => ctx.services.board.changed(ctx.meetingId))
}

/** The priority board: each person's live ranking, and the chair's settings for the room's count. */
export const BOARD = {
  'board:rank': {
    changes: ['board'],
    async run(ctx, a) {
      const self = ctx.self
      if (!self) throw new AppError('RT_ERR_FORBIDDEN', 'Only participants rank.')
      let areas = await ctx.services.areas(ctx.meetingId)
      let problem = checkRanking(a.ranking as BoardRanking, areas.status, new Set(areas.live))
      if (problem) {
        // The cached list may predate an area just proposed: decide on what the document holds now.
        areas = await ctx.services.areas(ctx.meetingId, { fresh: true })
        problem = checkRanking(a.ranking as BoardRanking, areas.status, new Set(areas.live))
      }
      if (problem) throw new AppError('RT_ERR_CONFLICT', problem)
      const ranking = a.ranking as PriorityId[][]
      const board = await ctx.part('board')
      const rankings = new Map(board.rankings)
      rankings.set(self.id, ranking)
      await ctx.commit({
        action: 'board.rank',
        detail: { participantId: self.id },
        writes: (store) => [store.putBoardRanking(ctx.meetingId, self.id, ranking, ctx.now().toISOString())],
        next: { board: { ...board, rankings } },
        // A person's own working ranking, saved as they drag: not a meeting action.
        audit: false,
      })
      ctx.after(() => ctx.services.board.changed(ctx.meetingId))
      return { ranking }
    },
  },
  'board:configure': {
    changes: ['board'],
    async run(ctx, a) {
      const { config } = await ctx.part('board')
      return commitConfig(ctx, 'board.configure', {
        ...config,
        method: a.method ?? config.method,
        reveal: a.reveal ?? config.reveal,
      })
    },
  },
  'board:freeze': {
    changes: ['board'],
    async run(ctx, a) {
      const { config } = await ctx.part('board')
      if (config.frozen === a.frozen) return config
      const optionsHash = a.frozen ? (await ctx.services.areas(ctx.meetingId, { fresh: true })).hash : null
      const next = await commitConfig(ctx, a.frozen ? 'board.freeze' : 'board.unfreeze', {
        ...config,
        frozen: a.frozen,
        optionsHash,
      })
      ctx.after(() => ctx.services.board.frozenChanged(ctx.meetingId, a.frozen))
      return next
    },
  },
  'board:merge': {
    changes: [],
    async run(ctx, a) {
      const from = a.from as PriorityId
      const into = a.into as PriorityId
      await changeList(ctx, 'board.merge', { from, into }, (doc) => mergeAreas(doc, { from, into }))
      return { from, into }
    },
  },
  'board:withdraw': {
    changes: [],
    async run(ctx, a) {
      const areaId = a.areaId as PriorityId
      await changeList(ctx, 'board.withdraw', { areaId }, (doc) => withdrawArea(doc, areaId))
      return { areaId }
    },
  },
  'board:restore': {
    changes: [],
    async run(ctx, a) {
      const areaId = a.areaId as PriorityId
      await changeList(ctx, 'board.restore', { areaId }, (doc) => restoreArea(doc, areaId))
      return { areaId }
    },
  },
  'board:state': {
    changes: [],
    async run(ctx) {
      const board = await ctx.part('board')
      const mine = ctx.self ? (board.rankings.get(ctx.self.id) ?? null) : null
      return { board: await ctx.services.board.view(ctx.meetingId), mine }
    },
  },
} satisfies MeetingCommands<
  | 'board:rank'
  | 'board:configure'
  | 'board:freeze'
  | 'board:state'
  | 'board:merge'
  | 'board:withdraw'
  | 'board:restore'
>
