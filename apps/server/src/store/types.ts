import type {
  BoardConfig,
  BoardRanking,
  FloorTurn,
  VoteView,
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
  AmendmentView,
  BracketView,
  CommentView,
  DelegationId,
  DraftId,
  DraftKind,
  VersionView,
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

/** Who may take part, and how: meetings, delegations, invitations, participants, sessions. */
export interface AccessStore {
  createMeeting(meeting: Meeting): Promise<void>
  getMeeting(id: MeetingId): Promise<Meeting | null>
  listMeetings(): Promise<Meeting[]>

  /**
   * Inserts or replaces a delegation (by id). Two delegations of one meeting cannot share a name
   * that differs only in ASCII letter case: such a write fails with `isUniqueViolation(err,
   * UniqueConstraint.delegationName)`.
   */
  putDelegation(d: Delegation): Promise<void>
  listDelegations(meetingId: MeetingId): Promise<Delegation[]>

  createInvitation(inv: StoredInvitation): Promise<void>
  findInvitationByTokenHash(tokenHash: string): Promise<StoredInvitation | null>
  listInvitations(meetingId: MeetingId): Promise<Invitation[]>
  revokeInvitation(meetingId: MeetingId, id: InvitationId, at: string): Promise<boolean>

  putParticipant(p: Participant): Promise<void>
  getParticipant(id: ParticipantId): Promise<Participant | null>
  listParticipants(meetingId: MeetingId): Promise<Participant[]>

  /** `invitationId`: the link a participant's session was made from (revoking it can end the session). */
  createSession(
    tokenHash: string,
    subject: SessionSubject,
    createdAt: string,
    invitationId?: InvitationId | null,
  ): Promise<void>
  findSession(tokenHash: string): Promise<SessionSubject | null>
  /** The session with its times (`lastSeenAt` is `createdAt` until first touched). */
  findSessionRecord(tokenHash: string): Promise<SessionRecord | null>
  /** Marks sessions as seen at `at` (the server calls it at most once a minute per session). */
  touchSessions(tokenHashes: readonly string[], at: string): Promise<void>
  deleteSession(tokenHash: string): Promise<void>
  /** Deletes the sessions past their limits; returns what they were for. */
  deleteExpiredSessions(limits: SessionLimitsAt): Promise<SessionSubject[]>
  /** Deletes the sessions made from one invitation; returns their participants. */
  deleteSessionsOfInvitation(invitationId: InvitationId): Promise<ParticipantId[]>
  /** Counts one join with a limited invitation (inside the meeting's turn, which checked the limit). */
  countInvitationUse(invitationId: InvitationId): Promise<void>
}

export interface SessionRecord {
  subject: SessionSubject
  createdAt: string
  lastSeenAt: string
  invitationId: InvitationId | null
}

/** ISO times: a session made before its kind's limit, or not seen since `idleBefore`, has expired. */
export interface SessionLimitsAt {
  participantCreatedBefore: string
  organiserCreatedBefore: string
  idleBefore: string
}

/** The agenda and which of its items is current. */
export interface AgendaStore {
  getCurrentItem(id: MeetingId): Promise<AgendaItemId | null>
  setCurrentItem(id: MeetingId, itemId: AgendaItemId | null): Promise<void>

  /** Inserts or replaces an agenda item. */
  putAgendaItem(item: AgendaItem): Promise<void>
  deleteAgendaItem(meetingId: MeetingId, id: AgendaItemId): Promise<boolean>
  listAgenda(meetingId: MeetingId): Promise<AgendaItem[]>
}

/** What is kept for the record: the audit log, and the server's own settings. */
export interface RecordStore {
  /** Append-only: there is no update or delete. Returns the entry's sequence number. */
  appendAudit(entry: Omit<AuditEntry, 'seq'>): Promise<number>
  listAudit(meetingId: MeetingId, afterSeq?: number): Promise<AuditEntry[]>

  getMeta(key: string): Promise<string | null>
  setMeta(key: string, value: string): Promise<void>
}

/** The priority board: its settings, each participant's saved ranking, W over the session. */
export interface BoardStore {
  getBoard(meetingId: MeetingId): Promise<BoardConfig | null>
  putBoard(meetingId: MeetingId, config: BoardConfig): Promise<void>
  /** Inserts or replaces this participant's ranking. */
  putBoardRanking(
    meetingId: MeetingId,
    participantId: ParticipantId,
    ranking: BoardRanking,
    at: string,
  ): Promise<void>
  listBoardRankings(
    meetingId: MeetingId,
  ): Promise<{ participantId: ParticipantId; ranking: BoardRanking; at: string }[]>
  appendBoardPoint(meetingId: MeetingId, point: BoardPoint): Promise<void>
  /** The latest 500 points, oldest first. */
  listBoardPoints(meetingId: MeetingId): Promise<BoardPoint[]>
}
export type BoardPoint = { at: string; kendallW: number | null; voters: number }

/** A formal vote as stored: its rules and outcome (`record`), and the key its secret ballots' slots are made with. */
export interface StoredVote extends Omit<VoteView, 'turnout' | 'status' | 'closesAt'> {
  meetingId: MeetingId
  status: VoteView['status']
  closesAt: string | null
  /** HMAC key turning a voter into a ballot slot while the vote is open; erased at close (secret votes). */
  slotKey: string | null
}

/** Formal votes, the roll of who voted, and the ballots (apart from the roll). */
export interface VoteStore {
  /** Inserts or replaces the vote's row. */
  putVote(vote: StoredVote): Promise<void>
  listVotes(meetingId: MeetingId): Promise<StoredVote[]>
  listVoteRoll(meetingId: MeetingId): Promise<{ voteId: string; voterKey: string }[]>
  /** Marks a voter (participant or delegation) as having voted; again is a no-op. */
  addToRoll(voteId: string, voterKey: string): Promise<void>
  /** Inserts or replaces the ballot in its slot (one slot per voter: the last ballot counts). */
  putBallot(ballot: {
    voteId: string
    slot: string
    ballot: string
    receipt: string
    voter: string | null
  }): Promise<void>
  listBallots(
    voteId: string,
  ): Promise<{ slot: string; ballot: string; receipt: string; voter: string | null }[]>
  /** Open votes whose timer has run out. */
  listDueVotes(nowIso: string): Promise<{ meetingId: MeetingId; voteId: string }[]>
}

/** Small per-meeting state a domain keeps whole (a JSON value per key), and the floor's finished turns. */
export interface MeetingStateStore {
  getMeetingState(meetingId: MeetingId, key: string): Promise<unknown>
  putMeetingState(meetingId: MeetingId, key: string, state: unknown): Promise<void>
  appendFloorTurn(meetingId: MeetingId, turn: FloorTurn): Promise<void>
  listFloorTurns(meetingId: MeetingId): Promise<FloorTurn[]>
}

/** A draft of a meeting as stored (the brief, draft `brief`, is listed without a row until renamed). */
export interface StoredDraft {
  id: DraftId
  meetingId: MeetingId
  title: string
  kind: DraftKind
  delegationId: DelegationId | null
  createdAt: string
}

/** A comment as stored: `detached` is judged when read, against the document. */
export type StoredComment = Omit<CommentView, 'detached'>

/**
 * Drafting's records: drafts, comments, amendments, brackets (each row replaced whole as it changes,
 * listed in creation order) and versions (append-only, each with its Yjs snapshot).
 */
export interface DraftingStore {
  putDraft(d: StoredDraft): Promise<void>
  listDrafts(meetingId: MeetingId): Promise<StoredDraft[]>
  putComment(meetingId: MeetingId, c: StoredComment): Promise<void>
  /** A draft's comments, or the meeting's (draftId null). */
  listComments(meetingId: MeetingId, draftId: DraftId | null): Promise<StoredComment[]>
  putAmendment(meetingId: MeetingId, a: AmendmentView): Promise<void>
  listAmendments(meetingId: MeetingId, draftId: DraftId | null): Promise<AmendmentView[]>
  putBracket(meetingId: MeetingId, b: BracketView): Promise<void>
  listBrackets(meetingId: MeetingId, draftId: DraftId | null): Promise<BracketView[]>
  /** Versions are never changed once added: a restore is a new version. */
  addVersion(meetingId: MeetingId, v: VersionView, snapshot: Uint8Array): Promise<void>
  listVersions(meetingId: MeetingId, draftId: DraftId | null): Promise<VersionView[]>
  getVersion(
    meetingId: MeetingId,
    versionId: string,
  ): Promise<{ version: VersionView; snapshot: Uint8Array } | null>
}

export interface MeetingStore
  extends AccessStore,
    AgendaStore,
    RecordStore,
    BoardStore,
    VoteStore,
    MeetingStateStore,
    DraftingStore {}

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
  /**
   * Runs `fn` with a view of this store whose reads and writes are serialised against every other
   * process for `key` (a meeting id). Resolves with fn's result once its writes are committed.
   *
   * PostgreSQL: one transaction holding an advisory lock on the key; every read, write and
   * `together` of the view runs on that transaction's connection, in the order issued, and a write
   * that fails undoes only itself (a savepoint). Committed after fn resolves; rolled back if it
   * throws, every write of fn with it. Document methods of the view use the pool (they do not wait
   * for the lock, and are not undone). `exclusive` on the view (any key) runs in the same
   * transaction, taking that key's lock too. Calling this store's own `exclusive` for the same key
   * from inside fn waits for fn: a deadlock.
   *
   * SQLite (one process, one writer): fn runs on the store as it is — writes commit as they are
   * issued, so a throw does not undo those already issued; exclusive settles once every write fn
   * issued has settled. Issue a command's writes in one `together` after its checks.
   */
  exclusive<T>(key: string, fn: (tx: Store) => Promise<T>): Promise<T>
  /** True where `exclusive` serialises across processes and rolls back on a throw (PostgreSQL). */
  readonly exclusiveAcrossProcesses: boolean
  close(): Promise<void>
}

export { isUniqueViolation, SchemaTooNewError, UniqueConstraint } from './errors.ts'
