/** Rows to models, shared by the SQLite and PostgreSQL stores: both use the same tables and column names. */
import type {
  AgendaItem,
  AgendaItemId,
  Delegation,
  Invitation,
  InvitationId,
  Meeting,
  MeetingId,
  Participant,
  ParticipantId,
  VersionView,
} from '@roundtable/protocol'
import type { SessionRecord, SessionSubject, StoredInvitation, StoredVote } from './types.ts'

export type Row = Record<string, unknown>

export const meetingFrom = (r: Row): Meeting => ({
  id: r.id as MeetingId,
  title: r.title as string,
  date: r.date as string,
  place: r.place as string,
  description: r.description as string,
  chairName: r.chair_name as string,
  createdAt: r.created_at as string,
})
export const agendaFrom = (r: Row): AgendaItem => ({
  id: r.id as AgendaItemId,
  meetingId: r.meeting_id as MeetingId,
  position: r.position as number,
  title: r.title as string,
  kind: r.kind as AgendaItem['kind'],
  durationMinutes: r.duration_minutes as number,
})
export const delegationFrom = (r: Row): Delegation => ({
  id: r.id as Delegation['id'],
  meetingId: r.meeting_id as MeetingId,
  name: r.name as string,
})
/** An invitation's column values, in the order the stores' INSERT lists them. */
export const invitationValues = (i: StoredInvitation): unknown[] => [
  i.id,
  i.meetingId,
  i.tokenHash,
  i.role,
  i.delegationId,
  i.label,
  i.createdAt,
  i.expiresAt,
  i.revokedAt,
  i.maxUses ?? null,
]
export const invitationFrom = (r: Row): StoredInvitation => ({
  id: r.id as InvitationId,
  meetingId: r.meeting_id as MeetingId,
  tokenHash: r.token_hash as string,
  role: r.role as Invitation['role'],
  delegationId: (r.delegation_id as Invitation['delegationId']) ?? null,
  label: r.label as string,
  createdAt: r.created_at as string,
  expiresAt: (r.expires_at as string | null) ?? null,
  revokedAt: (r.revoked_at as string | null) ?? null,
  // Only a limited invitation carries its count (an unlimited one reads as it always has).
  ...(r.max_uses == null ? {} : { maxUses: Number(r.max_uses), uses: Number(r.uses ?? 0) }),
})
export const participantFrom = (r: Row): Participant => ({
  id: r.id as ParticipantId,
  meetingId: r.meeting_id as MeetingId,
  displayName: r.display_name as string,
  role: r.role as Participant['role'],
  delegationId: (r.delegation_id as Participant['delegationId']) ?? null,
  // SQLite has no boolean type and stores 0/1; PostgreSQL returns a boolean.
  removed: r.removed === true || r.removed === 1,
  joinedAt: r.joined_at as string,
})
/** A view of the driver's Buffer, without copying. */
export const toBytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)

export const sessionFrom = (r: Row): SessionRecord => ({
  subject: JSON.parse(r.subject as string) as SessionSubject,
  createdAt: r.created_at as string,
  lastSeenAt: (r.last_seen_at as string | null) ?? (r.created_at as string),
  invitationId: (r.invitation_id as InvitationId | null) ?? null,
})

/** The participants among session rows (an organiser session has none). */
export const participantsOf = (rows: readonly Row[]): ParticipantId[] =>
  rows.flatMap((r) => {
    const s = JSON.parse(r.subject as string) as SessionSubject
    return s.kind === 'participant' ? [s.participantId] : []
  })

/** A vote's row: the columns the store filters on, the rest of the record as JSON. */
export const voteFrom = (r: Row): StoredVote => ({
  id: r.id as string,
  meetingId: r.meeting_id as MeetingId,
  status: r.status as StoredVote['status'],
  slotKey: (r.slot_key as string | null) ?? null,
  closesAt: (r.closes_at as string | null) ?? null,
  ...(JSON.parse(r.record as string) as Omit<
    StoredVote,
    'id' | 'meetingId' | 'status' | 'slotKey' | 'closesAt'
  >),
})

/** A drafting row's record: the JSON in its `data` column, replaced whole as the record changes. */
export const dataFrom = <T>(r: Row): T => JSON.parse(r.data as string) as T

/** A draft version's row: its record and its Yjs snapshot (copied, so it outlives the driver's buffer). */
export const versionFrom = (r: Row): { version: VersionView; snapshot: Uint8Array } => ({
  version: dataFrom<VersionView>(r),
  snapshot: new Uint8Array(r.snapshot as Buffer),
})
