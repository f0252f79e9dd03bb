import { z } from 'zod'
import type { PriorityId } from '../ids.ts'
import { id, wire } from './define.ts'

/** The ranked methods of @roundtable/tally the board can count by (each reads rankings, gives an order). */
export const BOARD_METHODS = [
  'schulze',
  'ranked_pairs',
  'copeland',
  'minimax',
  'kemeny_young',
  'borda',
  'dowdall',
  'irv',
  'coombs',
] as const
export type BoardMethod = (typeof BOARD_METHODS)[number]

/** Priority areas a board ranks at most (the pairwise matrix is n²; a symposium lists a dozen). */
export const BOARD_MAX_AREAS = 60

/** A ranking as the tally package reads it: tiers, best first; an area left out is unranked. */
export type BoardRanking = PriorityId[][]

export interface BoardConfig {
  method: BoardMethod
  /** Whether everyone may see each delegate's ranking (default: only the chair). */
  reveal: boolean
  /** The list is frozen for a vote: no edits to the priority areas, rankings still allowed. */
  frozen: boolean
  /** Content hash of the live areas (ids, titles, descriptions, order) as frozen; null while not frozen. */
  optionsHash: string | null
}

/** One pair of areas and how the room splits on it. */
export interface ContestedPair {
  a: PriorityId
  b: PriorityId
  /** Rankers preferring a to b, and b to a. */
  forA: number
  forB: number
}

/** `meeting:board`: the room's agreement as it forms. Outside tools rely on the first seven names. */
export interface BoardView extends BoardConfig {
  /** The group order by `method`, tiers of priority ids, best first. */
  ranking: PriorityId[][]
  /** Delegates (and chairs) who have ranked. */
  voters: number
  /** Kendall's W over the rankings, 0–1 (null with fewer than two rankers). */
  kendallW: number | null
  /** The plain-language band of W ('very weak' … 'very strong'). */
  agreement: string | null
  /** pairwise[a][b]: rankers preferring a to b. */
  pairwise: Record<string, Record<string, number>>
  condorcetWinner: PriorityId | null
  /** Groups caught in a majority cycle, best group first. */
  cycles: PriorityId[][]
  /** The most evenly split pairs, closest first. */
  contested: ContestedPair[]
  /** W over the session: one point per counted burst of rankings. */
  series: { at: string; kendallW: number | null; voters: number }[]
  /** The counting method's own explanation of the order. */
  explanation: string
  /** The areas counted (live ones, in the room's working order). */
  candidates: PriorityId[]
  /** When this aggregate was counted. */
  countedAt: string
}

export const BOARD_COMMANDS = {
  'board:rank': wire<{ ranking: BoardRanking }>()(
    'rankPriorities',
    z.strictObject({ ranking: z.array(z.array(id).min(1).max(BOARD_MAX_AREAS)).max(BOARD_MAX_AREAS) }),
  ),
  'board:configure': wire<BoardConfig>()(
    'runBoard',
    z.strictObject({ method: z.enum(BOARD_METHODS).optional(), reveal: z.boolean().optional() }),
  ),
  'board:freeze': wire<BoardConfig>()('runBoard', z.strictObject({ frozen: z.boolean() })),
  /** The chair folds a duplicate area into another (kept, restorable); written by the server, audited. */
  'board:merge': wire<{ from: PriorityId; into: PriorityId }>()(
    'runBoard',
    z.strictObject({ from: id, into: id }),
  ),
  /** The chair takes an area off the table (kept, restorable). */
  'board:withdraw': wire<{ areaId: PriorityId }>()('runBoard', z.strictObject({ areaId: id })),
  /** The chair brings a merged or withdrawn area back. */
  'board:restore': wire<{ areaId: PriorityId }>()('runBoard', z.strictObject({ areaId: id })),
  /** What the board shows this person now: the aggregate, and their own saved ranking. */
  'board:state': wire<{ board: BoardView; mine: BoardRanking | null }>()('readDoc', z.strictObject({})),
} as const
