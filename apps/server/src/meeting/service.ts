import { EventEmitter } from 'node:events'
import type * as Y from 'yjs'
import {
  type AgendaItem,
  asMeetingId,
  asParticipantId,
  COMMAND_PERMISSION,
  COMMANDS,
  type CommandName,
  type CommandResult,
  type CreateMeetingBody,
  can,
  type Delegation,
  type Invitation,
  type InvitationPreview,
  type Meeting,
  type MeetingId,
  type MeetingState,
  type MeetingStateWire,
  type Participant,
  type ParticipantId,
  parseWith,
} from '@roundtable/protocol'
import { AppError } from '../errors.ts'
import { MeetingKernel, type Turn } from '../kernel/kernel.ts'
import type { CommandContext } from '../kernel/registry.ts'
import type { SessionLimits } from '../config.ts'
import type { Store } from '../store/types.ts'
import { createInvitation, findUsableInvitation, joinUrl, previewOf } from './access/invitations.ts'
import { requireFreeName } from './access/names.ts'
import type { BallotInput, Election } from '@roundtable/tally'
import { boardElection } from './board/aggregate.ts'
import { areasFromStore, cachedAreas, storeDocWriter } from './board/areas.ts'
import { BoardCounter } from './board/live.ts'
import { closeVote, compareVote, eligibleOf, viewOf } from './votes/commands.ts'
import { electionOf } from './votes/rules.ts'
import { VoteTimerSet } from './votes/timers.ts'
import {
  type AreaIndex,
  actorLabel,
  type DocWriter,
  findParticipant,
  type MeetingEvents,
  type MeetingServices,
  participantsWith,
} from './context.ts'
import { PART_LOADERS, type Parts } from './parts.ts'
import { REGISTRY } from './registry.ts'
import { hashToken, newId, newToken } from './tokens.ts'

export type { MeetingEvents } from './context.ts'

export type Actor = { kind: 'participant'; participant: Participant } | { kind: 'organiser' }

export interface MeetingServiceOptions {
  store: Store
  /** Base URL for invitation links, e.g. http://localhost:3000 */
  publicUrl: string
  now?: () => Date
  /**
   * Keep each meeting's state (meeting, delegations, agenda, current item, participants) in memory,
   * dropped at every change this service makes. Only sound when this process is the only one writing
   * meetings: off for scale-out (several processes share the database).
   */
  cacheState?: boolean
  /** Server-side document writes (default: straight into storage; a server passes its document hub). */
  docs?: DocWriter
  /** Reads a meeting's priority areas (default: from storage). */
  areas?: (meetingId: MeetingId) => Promise<AreaIndex>
  log?: { error(obj: object, msg: string): void }
  /** How long sessions last (default: 12 h idle, 30 days in all, the organiser's 12 h). */
  sessions?: SessionLimits
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  idleMs: 12 * 3_600_000,
  maxMs: 30 * 24 * 3_600_000,
  organiserMaxMs: 12 * 3_600_000,
}
/** A session's last-seen time is written at most this often (ms): not one write per request. */
export const SESSION_TOUCH_MS = 60_000

/**
 * The meeting's single authority, over the kernel: commands from the registry, joining and sessions,
 * the state a connection starts from. No sockets in here.
 */
export class MeetingService {
  readonly events = new EventEmitter<MeetingEvents>()
  private readonly store: Store
  private readonly now: () => Date
  private readonly kernel: MeetingKernel<Parts>
  private readonly services: MeetingServices
  /** Who is connected now; the meeting channel provides it (it sees every server's connections). */
  private onlineSource: (meetingId: MeetingId) => Promise<ReadonlySet<string>> = async () => new Set()

  private readonly sessionLimits: SessionLimits

  constructor(private readonly opts: MeetingServiceOptions) {
    this.store = opts.store
    this.now = opts.now ?? (() => new Date())
    this.sessionLimits = opts.sessions ?? DEFAULT_SESSION_LIMITS
    this.kernel = new MeetingKernel<Parts>({
      store: opts.store,
      parts: PART_LOADERS,
      cacheState: opts.cacheState,
      now: this.now,
    })
    const areas = cachedAreas(opts.areas ?? areasFromStore(opts.store))
    this.board = new BoardCounter({
      store: opts.store,
      events: this.events,
      durableBoard: (id) => this.kernel.durablePart('board', id),
      areas,
      now: this.now,
      log: opts.log,
    })
    this.voteTimers = new VoteTimerSet(
      (meetingId, voteId) => this.closeDueVote(meetingId, voteId),
      () => this.store.listDueVotes(this.iso()),
      opts.log,
      (meetingId, voteId) =>
        this.kernel.turn(meetingId, (turn) =>
          compareVote(this.contextFor(turn, null, 'server', REGISTRY['vote:close'].changes), voteId),
        ),
      (meetingId, voteId) => this.announceVote(meetingId, voteId),
    )
    this.services = {
      events: this.events,
      publicUrl: opts.publicUrl,
      areas,
      board: this.board,
      votes: this.voteTimers,
      docs: (() => {
        const writer = opts.docs ?? storeDocWriter(opts.store)
        // The server's own writes to the list drop the areas cache, so the next read sees them.
        return {
          transact: async (name: string, fn: (doc: Y.Doc) => void) => {
            await writer.transact(name, fn)
            const meetingId = name.slice(0, name.indexOf('.')) as MeetingId
            areas.forget(meetingId)
          },
        }
      })(),
    }
  }

  private readonly voteTimers: VoteTimerSet

  /** Sends a vote as committed (turnout so far; its result once closed) to everyone. */
  private async announceVote(meetingId: MeetingId, voteId: string): Promise<void> {
    const state = (await this.kernel.durablePart('votes', meetingId)).get(voteId)
    if (!state) return
    const eligible = await eligibleOf({ part: (p) => this.kernel.durablePart(p, meetingId) }, state.vote)
    this.events.emit('vote', meetingId, viewOf(state, eligible))
  }

  /** A timed vote's time is up: closed by the server, in the meeting's turn like any command. */
  private async closeDueVote(meetingId: MeetingId, voteId: string): Promise<void> {
    await this.kernel.turn(meetingId, async (turn) => {
      const ctx = this.contextFor(turn, null, 'timer', REGISTRY['vote:close'].changes)
      const state = (await turn.part('votes')).get(voteId)
      if (state?.vote.status !== 'open' || !state.vote.closesAt || state.vote.closesAt > this.iso()) return
      await closeVote(ctx, state, 'timer')
    })
  }

  /** A command's context over its turn: the sender, the audit label, the domains' services. */
  private contextFor(
    turn: Turn<Parts>,
    self: Participant | null,
    by: string,
    changes: readonly (keyof Parts)[],
  ): CommandContext<Parts, MeetingServices> {
    return {
      ...turn,
      self,
      by,
      services: this.services,
      now: this.now,
      commit: (change) => turn.commit({ ...change, actor: by, changes }),
    }
  }

  /** The board's live count (coalesced per burst). */
  readonly board: BoardCounter

  /** The board's settings as committed (the document layer asks whether the list is frozen). */
  async boardConfig(meetingId: MeetingId) {
    return (await this.kernel.durablePart('board', meetingId)).config
  }

  /** Every participant's saved board ranking, as committed. */
  async boardRankings(meetingId: MeetingId) {
    return (await this.kernel.durablePart('board', meetingId)).rankings
  }

  /** The board's rankings as an election for the recount command: what the live count counts. */
  async boardElection(meetingId: MeetingId): Promise<Election> {
    const [board, areas] = await Promise.all([
      this.kernel.durablePart('board', meetingId),
      this.services.areas(meetingId),
    ])
    return boardElection(board.config.method, areas.live, [...board.rankings.values()])
  }

  /**
   * A closed vote's anonymous ballots as an election for `pnpm --silent tally` (each ballot with its
   * receipt, which the tally ignores), in slot order: nothing in it follows the order of casting.
   */
  async voteBallots(meetingId: MeetingId, voteId: string) {
    const state = (await this.kernel.durablePart('votes', meetingId)).get(voteId)
    if (!state) throw new AppError('RT_ERR_NOT_FOUND', 'No such vote in this meeting.')
    if (state.vote.status !== 'closed')
      throw new AppError('RT_ERR_CONFLICT', 'The ballots are published once the vote is closed.')
    const rows = await this.store.listBallots(voteId)
    const ballots = rows.map((r) => ({ ...(JSON.parse(r.ballot) as BallotInput), receipt: r.receipt }))
    return {
      ...electionOf(state.vote, ballots),
      voteId,
      question: state.vote.question,
      optionsHash: state.vote.optionsHash,
      labels: Object.fromEntries(state.vote.options.map((o) => [o.id, o.label])),
    }
  }

  /** Stops timers (pending board counts). */
  close(): void {
    this.board.close()
    this.voteTimers.stop()
  }

  private iso(): string {
    return this.now().toISOString()
  }

  joinUrl(token: string): string {
    return joinUrl(this.opts.publicUrl, token)
  }

  /* ---------- organiser ---------- */

  /** Creates a single-use organiser link; returns its URL. */
  async newOrganiserLink(): Promise<string> {
    const token = newToken()
    await this.store.setMeta(`organiser_link:${hashToken(token)}`, this.iso())
    return `${this.opts.publicUrl}/organiser/${token}`
  }

  async claimOrganiserLink(token: string): Promise<string> {
    const key = `organiser_link:${hashToken(token)}`
    // Read-then-write alone (across processes too), so two claims at once cannot both succeed.
    await this.kernel.exclusive('organiser-links', async (store) => {
      const v = await store.getMeta(key)
      if (v === null || v === 'used') throw new AppError('RT_ERR_INVITATION_INVALID')
      await store.setMeta(key, 'used')
    })
    const session = newToken()
    await this.store.createSession(hashToken(session), { kind: 'organiser' }, this.iso())
    return session
  }

  async createMeeting(
    actor: Actor,
    body: CreateMeetingBody,
  ): Promise<{ meeting: Meeting; chairLink: string }> {
    if (actor.kind !== 'organiser') throw new AppError('RT_ERR_FORBIDDEN')
    const meeting: Meeting = { id: asMeetingId(newId()), createdAt: this.iso(), ...body }
    const inv = await this.kernel.turn(meeting.id, async (turn) => {
      await turn.commit({
        actor: 'organiser',
        action: 'meeting.create',
        detail: { title: meeting.title },
        writes: (store) => [store.createMeeting(meeting)],
        changes: ['meeting'],
      })
      return createInvitation(
        turn,
        this.opts.publicUrl,
        'organiser',
        { role: 'chair', delegationId: null, label: 'Chair', expiresInHours: null },
        this.now(),
      )
    })
    return { meeting, chairLink: inv.url }
  }

  async listMeetings(actor: Actor): Promise<Meeting[]> {
    if (actor.kind !== 'organiser') throw new AppError('RT_ERR_FORBIDDEN')
    return this.store.listMeetings()
  }

  /* ---------- invitations and sessions ---------- */

  async previewInvitation(token: string): Promise<InvitationPreview> {
    const inv = await findUsableInvitation(this.store, token, this.iso())
    const meeting = await this.requireMeeting(inv.meetingId)
    return previewOf(meeting, inv, await this.delegations(inv.meetingId))
  }

  /**
   * Turns an invitation into a participant and a session; returns the session token for the cookie.
   * `self`: the participant whose own session came along (rejoining is not "another" with that name).
   */
  async join(
    token: string,
    displayName: string,
    self: ParticipantId | null = null,
  ): Promise<{ session: string; participant: Participant }> {
    const found = await findUsableInvitation(this.store, token, this.iso())
    const session = newToken()
    // In turn with the meeting's commands (one at a time, across processes too): the cached
    // participants part takes every change in order, and the link's uses and the names taken are
    // read and changed with nothing in between.
    const participant = await this.kernel.turn(found.meetingId, async (turn) => {
      // Read again in the turn, once the meeting's earlier writes are in storage: a revocation or
      // the last allowed use may have come since (on PostgreSQL, in the transaction holding the lock).
      await turn.settled()
      const inv = await findUsableInvitation(turn.store, token, this.iso())
      if (inv.maxUses !== undefined && (inv.uses ?? 0) >= inv.maxUses)
        throw new AppError(
          'RT_ERR_INVITATION_EXPIRED',
          'This invitation link has been used as often as it allows.',
        )
      requireFreeName(await turn.part('participants'), displayName, self)
      const participant: Participant = {
        id: asParticipantId(newId()),
        meetingId: inv.meetingId,
        displayName,
        role: inv.role,
        delegationId: inv.delegationId,
        removed: false,
        joinedAt: this.iso(),
      }
      await turn.commit({
        actor: actorLabel(participant),
        action: 'participant.join',
        detail: {
          participantId: participant.id,
          role: participant.role,
          delegationId: participant.delegationId,
          invitationId: inv.id,
        },
        writes: (store) => [
          store.putParticipant(participant),
          store.createSession(
            hashToken(session),
            { kind: 'participant', participantId: participant.id },
            this.iso(),
            inv.id,
          ),
          ...(inv.maxUses !== undefined ? [store.countInvitationUse(inv.id)] : []),
        ],
        next: await participantsWith(turn, participant),
        changes: ['participants'],
      })
      return participant
    })
    this.events.emit('joined', participant)
    return { session, participant }
  }

  /**
   * The actor behind a session cookie, re-read every time so role changes, removals and ends hold at
   * once. A session past its limits is deleted and its connections closed; a live one is marked seen
   * (at most once a minute).
   */
  async resolveSession(token: string | undefined): Promise<Actor | null> {
    if (!token) return null
    const hash = hashToken(token)
    const record = await this.store.findSessionRecord(hash)
    if (!record) return null
    const now = this.now().getTime()
    const { subject } = record
    const maxMs = subject.kind === 'organiser' ? this.sessionLimits.organiserMaxMs : this.sessionLimits.maxMs
    if (
      now - Date.parse(record.createdAt) >= maxMs ||
      now - Date.parse(record.lastSeenAt) >= this.sessionLimits.idleMs
    ) {
      await this.store.deleteSession(hash)
      if (subject.kind === 'participant') this.events.emit('sessionsEnded', [subject.participantId])
      return null
    }
    if (now - Date.parse(record.lastSeenAt) >= SESSION_TOUCH_MS)
      await this.store.touchSessions([hash], this.iso())
    if (subject.kind === 'organiser') return { kind: 'organiser' }
    const participant = await this.store.getParticipant(subject.participantId)
    if (!participant || participant.removed) return null
    return { kind: 'participant', participant }
  }

  /** Logout: the session is deleted and its live connections, on every process, are closed. */
  async endSession(token: string): Promise<void> {
    const hash = hashToken(token)
    const record = await this.store.findSessionRecord(hash)
    await this.store.deleteSession(hash)
    if (record?.subject.kind === 'participant')
      this.events.emit('sessionsEnded', [record.subject.participantId])
  }

  /** Sessions still in use (open connections) count as seen: idle means no request and no connection. */
  async touchSessions(tokenHashes: readonly string[]): Promise<void> {
    if (tokenHashes.length > 0) await this.store.touchSessions(tokenHashes, this.iso())
  }

  /** Deletes every session past its limits and closes their connections; returns how many ended. */
  async expireSessions(): Promise<number> {
    const now = this.now().getTime()
    const at = (ms: number) => new Date(now - ms).toISOString()
    const ended = await this.store.deleteExpiredSessions({
      participantCreatedBefore: at(this.sessionLimits.maxMs),
      organiserCreatedBefore: at(this.sessionLimits.organiserMaxMs),
      idleBefore: at(this.sessionLimits.idleMs),
    })
    const ids = ended.flatMap((s) => (s.kind === 'participant' ? [s.participantId] : []))
    if (ids.length > 0) this.events.emit('sessionsEnded', ids)
    return ended.length
  }

  /* ---------- presence ---------- */

  setOnlineSource(source: (meetingId: MeetingId) => Promise<ReadonlySet<string>>): void {
    this.onlineSource = source
  }

  /* ---------- reading ---------- */

  private async requireMeeting(id: MeetingId): Promise<Meeting> {
    const meeting = await this.kernel.durablePart('meeting', id)
    if (!meeting) throw new AppError('RT_ERR_NOT_FOUND')
    return meeting
  }

  async participants(meetingId: MeetingId) {
    const [all, online] = await Promise.all([
      this.kernel.durablePart('participants', meetingId),
      this.onlineSource(meetingId),
    ])
    return all.filter((p) => !p.removed).map((p) => ({ ...p, online: online.has(p.id) }))
  }

  /** What both forms of the state share: everything but the participant list. */
  private async stateBesideParticipants(
    participant: Participant,
  ): Promise<Omit<MeetingState, 'participants'>> {
    const meetingId = participant.meetingId
    const [meeting, delegations, agenda] = await Promise.all([
      this.requireMeeting(meetingId),
      this.kernel.durablePart('delegations', meetingId),
      this.kernel.durablePart('agenda', meetingId),
    ])
    return {
      meeting,
      delegations,
      agenda: agenda.items,
      currentItemId: agenda.currentItemId,
      me: participant,
    }
  }

  /**
   * `state` as the meeting channel sends it (`MeetingStateWire`): the participant list encoded once
   * per version of the list (a room of 1 000 filling up gets the same bytes 1 000 times instead of
   * building, walking and stringifying 1 000 objects per arrival), who is online beside it.
   */
  async channelState(participant: Participant): Promise<MeetingStateWire> {
    const [rest, all, online] = await Promise.all([
      this.stateBesideParticipants(participant),
      this.kernel.durablePart('participants', participant.meetingId),
      this.onlineSource(participant.meetingId),
    ])
    // Keyed by the list itself: a cached part is replaced, never changed, when a participant changes.
    let encoded = this.encodedParticipants.get(all)
    if (!encoded) {
      encoded = Buffer.from(JSON.stringify(all.filter((p) => !p.removed)))
      this.encodedParticipants.set(all, encoded)
    }
    const onlineIds = all.filter((p) => !p.removed && online.has(p.id)).map((p) => p.id)
    return { ...rest, participants: encoded, online: onlineIds }
  }
  private readonly encodedParticipants = new WeakMap<readonly Participant[], Uint8Array>()

  async state(participant: Participant): Promise<MeetingState> {
    const [rest, participants] = await Promise.all([
      this.stateBesideParticipants(participant),
      this.participants(participant.meetingId),
    ])
    return { ...rest, participants }
  }

  /** The agenda as committed (what others may be shown). */
  async agenda(meetingId: MeetingId): Promise<AgendaItem[]> {
    return (await this.kernel.durablePart('agenda', meetingId)).items
  }

  /** The delegations as committed. */
  async delegations(meetingId: MeetingId): Promise<Delegation[]> {
    return this.kernel.durablePart('delegations', meetingId)
  }

  /* ---------- commands ---------- */

  /** Every command name the transports serve. */
  readonly commandNames = Object.keys(REGISTRY) as CommandName[]

  /**
   * Runs one command from the registry. Validates the payload, checks the role against the
   * participant as the meeting's earlier commands left it (not the one in the session), and runs the
   * command's handler in the meeting's turn; its announcements go out once it is durable.
   */
  async command<N extends CommandName>(
    actor: Actor,
    meetingId: MeetingId,
    name: N | string,
    input: unknown,
  ): Promise<CommandResult<N>> {
    if (!Object.hasOwn(REGISTRY, name)) throw new AppError('RT_ERR_NOT_FOUND', `Unknown command "${name}".`)
    const command = name as N
    const parsed = parseWith(COMMANDS[command], input)
    if (parsed.error) throw new AppError('RT_ERR_BAD_REQUEST', undefined, parsed.error)
    const def = REGISTRY[command]
    // One command at a time per meeting: each reads, checks and writes without another interleaving
    // (a reorder validated against a list that a concurrent remove has just changed would bring the item back).
    return this.kernel.turn(meetingId, async (turn) => {
      const self = await this.authorize(turn, actor, command)
      const by = self ? actorLabel(self) : 'organiser'
      return def.run(this.contextFor(turn, self, by, def.changes), parsed.data as never) as Promise<
        CommandResult<N>
      >
    })
  }

  private async authorize(
    turn: Turn<Parts>,
    actor: Actor,
    command: CommandName,
  ): Promise<Participant | null> {
    // The organiser session creates and lists meetings; inside one, people act as its participants
    // (the organiser gets the chair's link): a stolen organiser cookie does not reach into meetings.
    if (actor.kind === 'organiser')
      throw new AppError('RT_ERR_FORBIDDEN', "The organiser acts inside a meeting through its chair's link.")
    if (actor.participant.meetingId !== turn.meetingId) throw new AppError('RT_ERR_FORBIDDEN')
    // As this meeting's commands have left it: the cache holds every change this service has made
    // (including ones still being committed); without it, the database.
    const p = await findParticipant(turn, actor.participant.id)
    if (!p || p.removed) throw new AppError('RT_ERR_REMOVED')
    if (!can(p.role, COMMAND_PERMISSION[command])) throw new AppError('RT_ERR_FORBIDDEN')
    return p
  }

  /** Creates an invitation outside a command (the seed's links); the URL carries the only copy of its token. */
  createInvitation(
    meetingId: MeetingId,
    by: string,
    a: Parameters<typeof createInvitation>[3],
  ): Promise<Invitation & { url: string }> {
    return this.kernel.turn(meetingId, (turn) =>
      createInvitation(turn, this.opts.publicUrl, by, a, this.now()),
    )
  }

  async audit(
    meetingId: MeetingId,
    actor: string,
    action: string,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await this.store.appendAudit({ meetingId, at: this.iso(), actor, action, detail })
  }
}
