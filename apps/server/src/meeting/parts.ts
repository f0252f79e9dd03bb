import type {
  AgendaItem,
  AgendaItemId,
  BoardConfig,
  BoardRanking,
  Delegation,
  Meeting,
  Participant,
} from '@roundtable/protocol'
import type { PartLoaders } from '../kernel/kernel.ts'
import type { StoredVote } from '../store/types.ts'
import { DEFAULT_BOARD } from './board/state.ts'
import { DEFAULT_FLOOR, FLOOR_STATE_KEY, type FloorState } from './floor/rules.ts'
import { DEFAULT_TIMING, TIMING_STATE_KEY, type Timing } from './timing/state.ts'

/** The parts of a meeting every connection's initial state is made of, each cached on its own. */
export interface Parts {
  /** Null while a meeting is being set up (the seed writes its row last) or when there is none. */
  meeting: Meeting | null
  delegations: Delegation[]
  agenda: { items: AgendaItem[]; currentItemId: AgendaItemId | null }
  /** Removed ones included. */
  participants: Participant[]
  /** The board's settings and each participant's saved ranking (by participant id). */
  board: { config: BoardConfig; rankings: ReadonlyMap<string, BoardRanking> }
  /** Every vote of the meeting, in creation order, with who has voted (participant or delegation ids). */
  votes: ReadonlyMap<string, { vote: StoredVote; voted: ReadonlySet<string> }>
  /** The speaker queue, the current speaker, speaking time per delegation. */
  floor: FloorState
  /** The agenda's clock and the chair's focus. */
  timing: Timing
}
export type Part = keyof Parts

export const PART_LOADERS: PartLoaders<Parts> = {
  meeting: (store, id) => store.getMeeting(id),
  delegations: (store, id) => store.listDelegations(id),
  agenda: async (store, id) => {
    const [items, currentItemId] = await Promise.all([store.listAgenda(id), store.getCurrentItem(id)])
    return { items, currentItemId }
  },
  participants: (store, id) => store.listParticipants(id),
  board: async (store, id) => {
    const [config, rankings] = await Promise.all([store.getBoard(id), store.listBoardRankings(id)])
    return {
      config: config ?? DEFAULT_BOARD,
      rankings: new Map(rankings.map((r) => [r.participantId as string, r.ranking])),
    }
  },
  floor: async (store, id) =>
    ((await store.getMeetingState(id, FLOOR_STATE_KEY)) as FloorState | null) ?? DEFAULT_FLOOR,
  timing: async (store, id) =>
    ((await store.getMeetingState(id, TIMING_STATE_KEY)) as Timing | null) ?? DEFAULT_TIMING,
  votes: async (store, id) => {
    const [votes, roll] = await Promise.all([store.listVotes(id), store.listVoteRoll(id)])
    const voted = new Map<string, Set<string>>()
    for (const r of roll) voted.set(r.voteId, (voted.get(r.voteId) ?? new Set()).add(r.voterKey))
    return new Map(votes.map((vote) => [vote.id, { vote, voted: voted.get(vote.id) ?? new Set<string>() }]))
  },
}
