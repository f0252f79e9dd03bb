import type {
  AgendaItem,
  AgendaItemId,
  AuditEntry,
  Delegation,
  Invitation,
  InvitationId,
  Meeting,
  MeetingId,
  Participant,
  ParticipantId,
} from '@roundtable/protocol'

/** What a stored document loads from: the latest snapshot, then every update after it, in order. */
export interface StoredDoc {
  snapshot: Uint8Array | null
  /** The snapshot's state vector, when it was stored with one (spares decoding the snapshot to greet a client). */
  snapshotStateVector: Uint8Array | null
  updates: Uint8Array[]
  /** Sequence number of the last update in the log (0 when there is none). */
  lastSeq: number
}

export interface DocStore {
  loadDoc(name: string): Promise<StoredDoc>
  /**
   * Appends updates in one transaction; resolves once they are durable, with the last sequence number.
   * Appends to one document through one Store take sequence numbers in the order they were issued,
   * so a caller may issue the next before the previous one has resolved.
   */
  appendUpdates(name: string, updates: Uint8Array[]): Promise<number>
  /** Replaces the log up to and including `uptoSeq` with a snapshot of the state at that point (and its state vector). */
  compact(name: string, snapshot: Uint8Array, uptoSeq: number, stateVector?: Uint8Array): Promise<void>
  docStats(name: string): Promise<{ updates: number; snapshotBytes: number; updateBytes: number }>
}

export type SessionSubject = { kind: 'participant'; participantId: ParticipantId } | { kind: 'organiser' }

export interface StoredInvitation extends Invitation {
  tokenHash: string
}

export interface MeetingStore {
  createMeeting(meeting: Meeting): Promise<void>
  getMeeting(id: MeetingId): Promise<Meeting | null>
  listMeetings(): Promise<Meeting[]>
  getCurrentItem(id: MeetingId): Promise<AgendaItemId | null>
  setCurrentItem(id: MeetingId, itemId: AgendaItemId | null): Promise<void>

  putDelegation(d: Delegation): Promise<void>
  listDelegations(meetingId: MeetingId): Promise<Delegation[]>

  /** Inserts or replaces an agenda item. */
  putAgendaItem(item: AgendaItem): Promise<void>
  deleteAgendaItem(meetingId: MeetingId, id: AgendaItemId): Promise<boolean>
  listAgenda(meetingId: MeetingId): Promise<AgendaItem[]>

  createInvitation(inv: StoredInvitation): Promise<void>
  findInvitationByTokenHash(tokenHash: string): Promise<StoredInvitation | null>
  listInvitations(meetingId: MeetingId): Promise<Invitation[]>
  revokeInvitation(meetingId: MeetingId, id: InvitationId, at: string): Promise<boolean>

  putParticipant(p: Participant): Promise<void>
  getParticipant(id: ParticipantId): Promise<Participant | null>
  listParticipants(meetingId: MeetingId): Promise<Participant[]>

  createSession(tokenHash: string, subject: SessionSubject, createdAt: string): Promise<void>
  findSession(tokenHash: string): Promise<SessionSubject | null>
  deleteSession(tokenHash: string): Promise<void>

  /** Append-only: there is no update or delete. Returns the entry's sequence number. */
  appendAudit(entry: Omit<AuditEntry, 'seq'>): Promise<number>
  listAudit(meetingId: MeetingId, afterSeq?: number): Promise<AuditEntry[]>

  getMeta(key: string): Promise<string | null>
  setMeta(key: string, value: string): Promise<void>
}

/**
 * Runs the writes that `fn` starts (synchronously, by calling store methods; single-statement writes
 * only) as one all-or-nothing unit: on SQLite one request to the writer thread, on PostgreSQL one
 * transaction. A change and its audit entry cost one commit. Resolves with their results, in order.
 */
export type Together = <const T extends readonly Promise<unknown>[]>(
  fn: () => T,
) => Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }>

export interface Store extends DocStore, MeetingStore {
  readonly kind: 'sqlite' | 'postgres'
  /** Writes commit in the order they were issued (SQLite's single writer), so a caller may issue the next before the previous has committed. */
  readonly commitsInOrder: boolean
  together: Together
  close(): Promise<void>
}
