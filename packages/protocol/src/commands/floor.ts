import { z } from 'zod'
import type { AgendaItemId, DelegationId, ParticipantId } from '../ids.ts'
import type { Role } from '../roles.ts'
import { id, wire } from './define.ts'

export interface FloorConfig {
  /** Speaking-time limit per turn (seconds); null for none. */
  speakingLimitSeconds: number | null
  /** Whether observers (remote members) may ask for the floor. */
  observersMayRequest: boolean
  /** Whether a second delegate of a delegation already queued may queue too. */
  delegationMayQueueTwice: boolean
}

/** Someone waiting for the floor. */
export interface FloorRequest {
  id: string
  participantId: ParticipantId
  name: string
  role: Role
  delegationId: DelegationId | null
  /** A point of order goes to the front (after earlier points of order). */
  pointOfOrder: boolean
  requestedAt: string
}

export interface FloorSpeaker extends FloorRequest {
  startedAt: string
  /** The limit for this turn, seconds (null: none). The timer runs on the server's clock. */
  limitSeconds: number | null
}

/** `meeting:floor`: the queue, who has the floor since when, and speaking time per delegation. */
export interface FloorView {
  config: FloorConfig
  queue: FloorRequest[]
  speaker: FloorSpeaker | null
  /** Seconds spoken so far in the meeting, by delegation id (or participant id for those with none). */
  spoken: Record<string, number>
  /** The server's clock when this was sent: clients correct their own by it. */
  serverNow: string
}

/** One finished turn, for the minutes. */
export interface FloorTurn {
  participantId: ParticipantId
  name: string
  delegationId: DelegationId | null
  agendaItemId: AgendaItemId | null
  pointOfOrder: boolean
  startedAt: string
  endedAt: string
  seconds: number
}

export const FLOOR_COMMANDS = {
  'floor:request': wire<{ floor: FloorView }>()('requestFloor', z.strictObject({})),
  'floor:withdraw': wire<{ floor: FloorView }>()('requestFloor', z.strictObject({})),
  'floor:pointOfOrder': wire<{ floor: FloorView }>()('requestFloor', z.strictObject({})),
  /** The chair gives the floor to a request (the current speaker's turn ends). */
  'floor:grant': wire<{ floor: FloorView }>()('runFloor', z.strictObject({ requestId: id })),
  /** The chair gives the floor to the first in the queue. */
  'floor:next': wire<{ floor: FloorView }>()('runFloor', z.strictObject({})),
  'floor:end': wire<{ floor: FloorView }>()('runFloor', z.strictObject({})),
  'floor:configure': wire<{ floor: FloorView }>()(
    'runFloor',
    z.strictObject({
      speakingLimitSeconds: z.number().int().min(10).max(3600).nullable().optional(),
      observersMayRequest: z.boolean().optional(),
      delegationMayQueueTwice: z.boolean().optional(),
    }),
  ),
  'floor:state': wire<{ floor: FloorView }>()('readDoc', z.strictObject({})),
} as const
