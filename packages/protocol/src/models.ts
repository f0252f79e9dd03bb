import type { AgendaItemId, DelegationId, InvitationId, MeetingId, ParticipantId } from './ids.ts'
import type { Role } from './roles.ts'

export const AGENDA_KINDS = ['discussion', 'priority_ranking', 'vote', 'drafting'] as const
export type AgendaKind = (typeof AGENDA_KINDS)[number]

export interface Meeting {
  id: MeetingId
  title: string
  /** ISO date, YYYY-MM-DD. */
  date: string
  place: string
  description: string
  chairName: string
  createdAt: string
}

export interface Delegation {
  id: DelegationId
  meetingId: MeetingId
  name: string
}

export interface AgendaItem {
  id: AgendaItemId
  meetingId: MeetingId
  position: number
  title: string
  kind: AgendaKind
  /** Planned duration in minutes. */
  durationMinutes: number
}

export interface Participant {
  id: ParticipantId
  meetingId: MeetingId
  displayName: string
  role: Role
  delegationId: DelegationId | null
  removed: boolean
  joinedAt: string
}

/** A participant as others see it, with live presence. */
export interface ParticipantView extends Participant {
  online: boolean
}

export interface Invitation {
  id: InvitationId
  meetingId: MeetingId
  role: Role
  delegationId: DelegationId | null
  label: string
  createdAt: string
  /** ISO timestamp or null for no expiry. */
  expiresAt: string | null
  revokedAt: string | null
  /** Present only on a limited invitation: how many joins it allows, and how many it has had. */
  maxUses?: number
  uses?: number
  /** Present only when the invitation was just created: the token is never shown again. */
  url?: string
}

export interface AuditEntry {
  seq: number
  meetingId: MeetingId
  at: string
  actor: string
  action: string
  detail: Record<string, unknown>
}

/** Participants who came online or went away, sent in batches. */
export interface PresenceChange {
  online: ParticipantId[]
  offline: ParticipantId[]
}

/** Everything a client needs to render a meeting, sent on connect. */
export interface MeetingState {
  meeting: Meeting
  delegations: Delegation[]
  agenda: AgendaItem[]
  currentItemId: AgendaItemId | null
  participants: ParticipantView[]
  me: Participant
}

/**
 * `meeting:state` as it travels on socket.io: the participant list is UTF-8 JSON (`Participant[]`,
 * without `online`) in a binary attachment, encoded once per version of the list and sent as is to
 * every connection; who is online travels beside it. `decodeMeetingState` gives the `MeetingState`.
 */
export interface MeetingStateWire extends Omit<MeetingState, 'participants'> {
  participants: Uint8Array | ArrayBuffer
  online: ParticipantId[]
}

/** The `MeetingState` a `meeting:state` message carries. Throws on a malformed participant list. */
export const decodeMeetingState = (wire: MeetingStateWire): MeetingState => {
  const bytes =
    wire.participants instanceof ArrayBuffer ? new Uint8Array(wire.participants) : wire.participants
  const list: unknown = JSON.parse(new TextDecoder().decode(bytes))
  if (!Array.isArray(list)) throw new Error('meeting:state: the participant list is not an array')
  const online = new Set<string>(wire.online)
  const { online: _online, participants: _participants, ...rest } = wire
  return {
    ...rest,
    participants: (list as Participant[]).map((p) => ({ ...p, online: online.has(p.id) })),
  }
}

/** Public view of an invitation, before joining. */
export interface InvitationPreview {
  meeting: Pick<Meeting, 'id' | 'title' | 'date' | 'place'>
  role: Role
  delegation: Delegation | null
  /** The invitation's label (often the invitee's name): the join form starts from it. */
  label: string
}
