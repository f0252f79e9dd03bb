import type { EventEmitter } from 'node:events'
import {
  type AgendaItem,
  type AgendaItemId,
  asParticipantId,
  type BoardView,
  type Delegation,
  type DelegationId,
  type DraftingEvent,
  type MeetingId,
  type Participant,
  type ParticipantId,
  type PriorityId,
  type VoteView,
} from '@roundtable/protocol'
import type * as Y from 'yjs'
import { AppError } from '../errors.ts'
import type { Turn } from '../kernel/kernel.ts'
import type { CommandContext, DomainCommands } from '../kernel/registry.ts'
import type { CommandName } from '@roundtable/protocol'
import type { FloorState } from './floor/rules.ts'
import type { Parts } from './parts.ts'
import type { Timing } from './timing/state.ts'

export interface MeetingEvents {
  /** The agenda as of the change that was just made durable (later, unsaved ones not included). */
  agenda: [MeetingId, { agenda: AgendaItem[]; currentItemId: AgendaItemId | null }]
  delegations: [MeetingId, Delegation[]]
  /** Someone joined through an invitation. */
  joined: [Participant]
  /** A participant's role, delegation or removal changed: transports apply it to live connections. */
  participant: [Participant]
  /** These participants' sessions ended (logout, expiry, a revoked link): transports close their connections. */
  sessionsEnded: [ParticipantId[]]
  /** The board's aggregate, counted once per burst of changes. */
  board: [MeetingId, BoardView]
  /** The speaker queue changed. */
  floor: [MeetingId, FloorState]
  /** The agenda's clock or the chair's focus changed. */
  timing: [MeetingId, Timing]
  /** A vote changed: status, turnout, or its result. */
  vote: [MeetingId, VoteView]
  /** The priority list was frozen (true) or thawed. */
  frozen: [MeetingId, boolean]
  /** A draft, comment, amendment, bracket or version changed. */
  drafting: [MeetingId, DraftingEvent]
}

/** The meeting's priority areas as its shared document holds them now. */
export interface AreaIndex {
  /** Areas still proposed (neither merged nor withdrawn), in the room's working order. */
  live: PriorityId[]
  status: ReadonlyMap<string, 'proposed' | 'merged' | 'withdrawn'>
  /** Content hash of the live areas (ids, titles, descriptions, in order): what a vote on the list votes on. */
  hash: string
  /** Every area's title, by id. */
  titles: ReadonlyMap<string, string>
}

/** Closes timed votes when their time is up (votes/timers.ts). */
export interface VoteTimers {
  closeAt(meetingId: MeetingId, voteId: string, atIso: string): void
  /** Counts a closed vote's ballots by the other methods of its family, in a turn of its own. */
  compare(meetingId: MeetingId, voteId: string): void
  /** Someone voted for the first time: the vote's turnout goes out soon, coalesced per vote. */
  turnout(meetingId: MeetingId, voteId: string): void
}

/** The board's live side (board/live.ts): counts coalesced bursts and announces them. */
export interface BoardLive {
  /** Something the aggregate depends on changed: count again soon (once per burst). */
  changed(meetingId: MeetingId): void
  /** The list was frozen or thawed: document write policy follows. */
  frozenChanged(meetingId: MeetingId, frozen: boolean): void
  /** The aggregate as last counted (counted now if never). */
  view(meetingId: MeetingId): Promise<BoardView>
}

/** What the domains share beside the turn: the events transports listen to, the public URL, … */
export interface MeetingServices {
  readonly events: EventEmitter<MeetingEvents>
  /** Base URL for invitation links, e.g. http://localhost:3000 */
  readonly publicUrl: string
  /** The priority areas, read from the meeting's `priorities` document (`fresh`: not from the short cache). */
  readonly areas: (meetingId: MeetingId, opts?: { fresh?: boolean }) => Promise<AreaIndex>
  readonly board: BoardLive
  readonly votes: VoteTimers
  /** Server-side writes to a shared document, through the document pipeline (validated, durable, relayed). */
  readonly docs: DocWriter
}

export interface DocWriter {
  transact(docName: string, fn: (doc: Y.Doc) => void): Promise<void>
}

export type MeetingContext = CommandContext<Parts, MeetingServices>
export type MeetingCommands<N extends CommandName> = DomainCommands<N, Parts, MeetingServices>

/**
 * Who did it, as the audit log shows it: the display name alone could be anything ("organiser"),
 * so the role and the participant id are part of it.
 */
export const actorLabel = (p: Participant): string => `${p.displayName} (${p.role}, ${p.id})`

/** A participant of the meeting as its earlier commands left them (removed ones included). */
export const findParticipant = async (
  turn: Pick<Turn<Parts>, 'caching' | 'part' | 'store' | 'meetingId'>,
  id: string,
): Promise<Participant | null> => {
  if (turn.caching) return (await turn.part('participants')).find((x) => x.id === id) ?? null
  const p = await turn.store.getParticipant(asParticipantId(id))
  return p && p.meetingId === turn.meetingId ? p : null
}

export const requireParticipant = async (ctx: MeetingContext, id: string): Promise<Participant> => {
  const p = await findParticipant(ctx, id)
  if (!p || p.removed) throw new AppError('RT_ERR_NOT_FOUND', 'No such participant.')
  return p
}

/** The participants part after `p` is added or changed; only worth computing when it is cached. */
export const participantsWith = async (
  turn: Pick<Turn<Parts>, 'caching' | 'part'>,
  p: Participant,
): Promise<Partial<Parts> | undefined> => {
  if (!turn.caching) return undefined
  const all = await turn.part('participants')
  return {
    participants: all.some((x) => x.id === p.id) ? all.map((x) => (x.id === p.id ? p : x)) : [...all, p],
  }
}

export const requireDelegation = async (turn: Pick<Turn<Parts>, 'part'>, id: DelegationId): Promise<void> => {
  if (!(await turn.part('delegations')).some((d) => d.id === id))
    throw new AppError('RT_ERR_NOT_FOUND', 'No such delegation in this meeting.')
}
