import { EventEmitter } from 'node:events'
import {
  type AgendaItem,
  type AgendaItemId,
  asAgendaItemId,
  asDelegationId,
  asInvitationId,
  asMeetingId,
  asParticipantId,
  type CommandArgs,
  type CommandName,
  COMMANDS,
  type CreateMeetingBody,
  can,
  type Delegation,
  type DelegationId,
  type Invitation,
  type InvitationPreview,
  type Meeting,
  type MeetingId,
  type MeetingState,
  type MeetingStateWire,
  type Participant,
  type Permission,
  parseWith,
} from '@roundtable/protocol'
import { AppError } from '../errors.ts'
import type { SessionSubject, Store } from '../store/types.ts'
import { hashToken, newId, newToken } from './tokens.ts'

export interface MeetingEvents {
  /** The agenda as of the change that was just made durable (later, unsaved ones not included). */
  agenda: [MeetingId, { agenda: AgendaItem[]; currentItemId: AgendaItemId | null }]
  delegations: [MeetingId, Delegation[]]
  /** Someone joined through an invitation. */
  joined: [Participant]
  /** A participant's role, delegation or removal changed: transports apply it to live connections. */
  participant: [Participant]
}

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
}

/** The parts of a meeting every connection's initial state is made of, each cached on its own. */
interface Parts {
  /** Null while a meeting is being set up (the seed writes its row last) or when there is none. */
  meeting: Meeting | null
  delegations: Delegation[]
  agenda: { items: AgendaItem[]; currentItemId: AgendaItemId | null }
  /** Removed ones included. */
  participants: Participant[]
}
type Part = keyof Parts

/** The meeting's single authority: roles, invitations, agenda, audit. No sockets in here. */
export class MeetingService {
  readonly events = new EventEmitter<MeetingEvents>()
  private readonly store: Store
  private readonly now: () => Date
  /** Who is connected now; the meeting channel provides it (it sees every server's connections). */
  private onlineSource: (meetingId: MeetingId) => Promise<ReadonlySet<string>> = async () => new Set()

  private readonly cache = new Map<string, Promise<unknown>>()
  private readonly durable = new Map<string, Promise<unknown>>()
  /** Per meeting: changes issued and not yet settled; `failed` once one of them has failed. */
  private readonly inflight = new Map<
    MeetingId,
    { count: number; failed: boolean; settled: Promise<void>; done: () => void }
  >()

  constructor(private readonly opts: MeetingServiceOptions) {
    this.store = opts.store
    this.now = opts.now ?? (() => new Date())
  }

  private iso(): string {
    return this.now().toISOString()
  }

  joinUrl(token: string): string {
    return `${this.opts.publicUrl}/join/${token}`
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
    // Read-then-write under one lock, so two claims at once cannot both succeed.
    await this.serially('organiser-links', async () => {
      const v = await this.store.getMeta(key)
      if (v === null || v === 'used') throw new AppError('RT_ERR_INVITATION_INVALID')
      await this.store.setMeta(key, 'used')
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
    await this.audited(meeting.id, 'organiser', 'meeting.create', { title: meeting.title }, () => [
      this.store.createMeeting(meeting),
    ])
    const inv = await this.createInvitation(meeting.id, 'organiser', {
      role: 'chair',
      delegationId: null,
      label: 'Chair',
      expiresInHours: null,
    })
    return { meeting, chairLink: inv.url! }
  }

  async listMeetings(actor: Actor): Promise<Meeting[]> {
    if (actor.kind !== 'organiser') throw new AppError('RT_ERR_FORBIDDEN')
    return this.store.listMeetings()
  }

  /* ---------- invitations and sessions ---------- */

  private async findUsableInvitation(token: string) {
    const inv = await this.store.findInvitationByTokenHash(hashToken(token))
    if (!inv) throw new AppError('RT_ERR_INVITATION_INVALID')
    if (inv.revokedAt) throw new AppError('RT_ERR_INVITATION_REVOKED')
    if (inv.expiresAt && inv.expiresAt <= this.iso()) throw new AppError('RT_ERR_INVITATION_EXPIRED')
    return inv
  }

  async previewInvitation(token: string): Promise<InvitationPreview> {
    const inv = await this.findUsableInvitation(token)
    const meeting = await this.requireMeeting(inv.meetingId)
    const delegation = inv.delegationId
      ? ((await this.delegations(inv.meetingId)).find((d) => d.id === inv.delegationId) ?? null)
      : null
    return {
      meeting: { id: meeting.id, title: meeting.title, date: meeting.date, place: meeting.place },
      role: inv.role,
      delegation,
    }
  }

  /** Turns an invitation into a participant and a session; returns the session token for the cookie. */
  async join(token: string, displayName: string): Promise<{ session: string; participant: Participant }> {
    const inv = await this.findUsableInvitation(token)
    const participant: Participant = {
      id: asParticipantId(newId()),
      meetingId: inv.meetingId,
      displayName,
      role: inv.role,
      delegationId: inv.delegationId,
      removed: false,
      joinedAt: this.iso(),
    }
    const session = newToken()
    // In turn with the meeting's commands, so the cached participants part takes every change in order.
    await this.serially(inv.meetingId, async (release) =>
      this.audited(
        inv.meetingId,
        actorLabel(participant),
        'participant.join',
        {
          participantId: participant.id,
          role: participant.role,
          delegationId: participant.delegationId,
          invitationId: inv.id,
        },
        () => [
          this.store.putParticipant(participant),
          this.store.createSession(
            hashToken(session),
            { kind: 'participant', participantId: participant.id },
            this.iso(),
          ),
        ],
        await this.participantsWith(inv.meetingId, participant),
        release,
      ),
    )
    this.events.emit('joined', participant)
    return { session, participant }
  }

  /** The actor behind a session cookie, re-read every time so role changes and removals hold at once. */
  async resolveSession(token: string | undefined): Promise<Actor | null> {
    if (!token) return null
    const subject: SessionSubject | null = await this.store.findSession(hashToken(token))
    if (!subject) return null
    if (subject.kind === 'organiser') return { kind: 'organiser' }
    const participant = await this.store.getParticipant(subject.participantId)
    if (!participant || participant.removed) return null
    return { kind: 'participant', participant }
  }

  async endSession(token: string): Promise<void> {
    await this.store.deleteSession(hashToken(token))
  }

  /* ---------- presence ---------- */

  setOnlineSource(source: (meetingId: MeetingId) => Promise<ReadonlySet<string>>): void {
    this.onlineSource = source
  }

  /* ---------- reading ---------- */

  private readonly loaders: { [P in Part]: (id: MeetingId) => Promise<Parts[P]> } = {
    meeting: (id) => this.store.getMeeting(id),
    delegations: (id) => this.store.listDelegations(id),
    agenda: async (id) => {
      const [items, currentItemId] = await Promise.all([
        this.store.listAgenda(id),
        this.store.getCurrentItem(id),
      ])
      return { items, currentItemId }
    },
    participants: (id) => this.store.listParticipants(id),
  }

  /**
   * One part of a meeting from a cache (`pending`: as this process's issued changes leave it, for
   * validating the next command; `durable`: as committed, for everyone else), or read afresh when not
   * caching. Shared by every caller: nobody may mutate what it returns.
   */
  private cached<P extends Part>(
    cache: Map<string, Promise<unknown>>,
    part: P,
    id: MeetingId,
  ): Promise<Parts[P]> {
    const load = this.loaders[part] as (id: MeetingId) => Promise<Parts[P]>
    if (!this.opts.cacheState) return load(id)
    const key = `${part}:${id}`
    let v = cache.get(key) as Promise<Parts[P]> | undefined
    if (!v) {
      const loading = load(id)
      v = loading
      cache.set(key, loading)
      // A failed read is not kept, nor a meeting not (yet) there (the seed writes its row last).
      const drop = () => {
        if (cache.get(key) === loading) cache.delete(key)
      }
      loading.then((value) => value === null && drop(), drop)
    }
    return v
  }

  /** For commands: includes changes issued and not yet committed. */
  private async part<P extends Part>(part: P, id: MeetingId): Promise<Parts[P]> {
    // After a failed write, storage is the truth again, but only once the writes issued after it have
    // settled: until then a fresh read would miss them.
    const writes = this.inflight.get(id)
    if (writes?.failed) await writes.settled
    return this.cached(this.cache, part, id)
  }

  /** For readers: committed changes only. */
  private durablePart<P extends Part>(part: P, id: MeetingId): Promise<Parts[P]> {
    return this.cached(this.durable, part, id)
  }

  /** Forgets what is cached of a meeting: the next read goes to storage. */
  private forget(id: MeetingId, parts: readonly Part[]): void {
    for (const part of parts) {
      this.cache.delete(`${part}:${id}`)
      this.durable.delete(`${part}:${id}`)
    }
  }

  private async requireMeeting(id: MeetingId): Promise<Meeting> {
    const meeting = await this.durablePart('meeting', id)
    if (!meeting) throw new AppError('RT_ERR_NOT_FOUND')
    return meeting
  }

  async participants(meetingId: MeetingId) {
    const [all, online] = await Promise.all([
      this.durablePart('participants', meetingId),
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
      this.durablePart('delegations', meetingId),
      this.durablePart('agenda', meetingId),
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
      this.durablePart('participants', participant.meetingId),
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
    return (await this.durablePart('agenda', meetingId)).items
  }

  /** The delegations as committed. */
  async delegations(meetingId: MeetingId): Promise<Delegation[]> {
    return this.durablePart('delegations', meetingId)
  }

  /* ---------- commands ---------- */

  /**
   * Runs one command for a participant. Validates the payload, checks the role against the
   * participant as the meeting's earlier commands left it (not the one in the session), changes
   * state, audits, and emits events once the change is durable.
   */
  async command(actor: Actor, meetingId: MeetingId, name: string, input: unknown): Promise<unknown> {
    if (!Object.hasOwn(COMMANDS, name)) throw new AppError('RT_ERR_NOT_FOUND', `Unknown command "${name}".`)
    const command = name as CommandName
    const parsed = parseWith(COMMANDS[command], input)
    if (parsed.error) throw new AppError('RT_ERR_BAD_REQUEST', undefined, parsed.error)
    // One command at a time per meeting: each reads, checks and writes without another interleaving
    // (a reorder validated against a list that a concurrent remove has just changed would bring the item back).
    return this.serially(meetingId, async (release) => {
      const participant = await this.authorize(actor, meetingId, PERMISSION_OF[command])
      const by = participant ? actorLabel(participant) : 'organiser'
      return this.run(command, parsed.data as never, meetingId, by, participant, release)
    })
  }

  private readonly queues = new Map<string, Promise<unknown>>()

  /**
   * Runs `fn` after everything queued before it under the same key has finished, or has called
   * the `release` it was given (it does once its writes are issued and the cache shows them).
   */
  private serially<T>(key: string, fn: (release: () => void) => Promise<T>): Promise<T> {
    const prev = this.queues.get(key) ?? Promise.resolve()
    let release!: () => void
    const turnOver = new Promise<void>((resolve) => {
      release = resolve
    })
    const run = () => fn(release)
    const next = prev.then(run, run)
    next.then(release, release)
    this.queues.set(key, turnOver)
    turnOver.then(() => {
      if (this.queues.get(key) === turnOver) this.queues.delete(key)
    })
    return next
  }

  private async authorize(
    actor: Actor,
    meetingId: MeetingId,
    permission: Permission,
  ): Promise<Participant | null> {
    if (actor.kind === 'organiser') {
      await this.requireMeeting(meetingId)
      return null
    }
    if (actor.participant.meetingId !== meetingId) throw new AppError('RT_ERR_FORBIDDEN')
    // As this meeting's commands have left it: the cache holds every change this service has made
    // (including ones still being committed); without it, the database.
    const p = await this.participant(meetingId, actor.participant.id)
    if (!p || p.removed) throw new AppError('RT_ERR_REMOVED')
    if (!can(p.role, permission)) throw new AppError('RT_ERR_FORBIDDEN')
    return p
  }

  private async run<N extends CommandName>(
    name: N,
    args: CommandArgs<N>,
    meetingId: MeetingId,
    by: string,
    self: Participant | null,
    release: () => void,
  ): Promise<unknown> {
    const audited = (
      action: string,
      detail: Record<string, unknown>,
      change: () => Promise<unknown>[],
      next?: Partial<Parts>,
    ) => this.audited(meetingId, by, action, detail, change, next, release)
    switch (name) {
      case 'agenda:add': {
        const a = args as CommandArgs<'agenda:add'>
        const { items } = await this.part('agenda', meetingId)
        if (items.length >= 100) throw new AppError('RT_ERR_CONFLICT', 'An agenda holds at most 100 items.')
        const item: AgendaItem = {
          id: asAgendaItemId(newId()),
          meetingId,
          position: items.length ? Math.max(...items.map((i) => i.position)) + 1 : 0,
          title: a.title,
          kind: a.kind,
          durationMinutes: a.durationMinutes,
        }
        const agenda = { ...(await this.part('agenda', meetingId)), items: [...items, item] }
        const durable = await audited(
          'agenda.add',
          { itemId: item.id, title: item.title },
          () => [this.store.putAgendaItem(item)],
          {
            agenda,
          },
        )
        this.events.emit('agenda', meetingId, {
          agenda: durable.agenda!.items,
          currentItemId: durable.agenda!.currentItemId,
        })
        return item
      }
      case 'agenda:update': {
        const a = args as CommandArgs<'agenda:update'>
        const item = await this.requireItem(meetingId, a.itemId)
        const next: AgendaItem = {
          ...item,
          title: a.title ?? item.title,
          kind: a.kind ?? item.kind,
          durationMinutes: a.durationMinutes ?? item.durationMinutes,
        }
        const before = await this.part('agenda', meetingId)
        const agenda = { ...before, items: before.items.map((i) => (i.id === item.id ? next : i)) }
        const durable = await audited(
          'agenda.update',
          { itemId: item.id, before: item, after: next },
          () => [this.store.putAgendaItem(next)],
          {
            agenda,
          },
        )
        this.events.emit('agenda', meetingId, {
          agenda: durable.agenda!.items,
          currentItemId: durable.agenda!.currentItemId,
        })
        return next
      }
      case 'agenda:remove': {
        const a = args as CommandArgs<'agenda:remove'>
        const item = await this.requireItem(meetingId, a.itemId)
        const before = await this.part('agenda', meetingId)
        const wasCurrent = before.currentItemId === item.id
        const agenda = {
          items: before.items.filter((i) => i.id !== item.id),
          currentItemId: wasCurrent ? null : before.currentItemId,
        }
        const durable = await audited(
          'agenda.remove',
          { itemId: item.id, title: item.title },
          () => [
            this.store.deleteAgendaItem(meetingId, item.id),
            ...(wasCurrent ? [this.store.setCurrentItem(meetingId, null)] : []),
          ],
          { agenda },
        )
        this.events.emit('agenda', meetingId, {
          agenda: durable.agenda!.items,
          currentItemId: durable.agenda!.currentItemId,
        })
        return { itemId: item.id }
      }
      case 'agenda:reorder': {
        const a = args as CommandArgs<'agenda:reorder'>
        const { items } = await this.part('agenda', meetingId)
        const ids = new Set(items.map((i) => i.id as string))
        if (
          a.itemIds.length !== ids.size ||
          new Set(a.itemIds).size !== ids.size ||
          !a.itemIds.every((i) => ids.has(i))
        )
          throw new AppError('RT_ERR_CONFLICT', 'The new order must list every agenda item exactly once.')
        const byId = new Map(items.map((i) => [i.id as string, i]))
        const next = a.itemIds.map((id, position) => ({ ...byId.get(id)!, position }))
        const agenda = { ...(await this.part('agenda', meetingId)), items: next }
        const durable = await audited(
          'agenda.reorder',
          { itemIds: a.itemIds },
          () => next.map((i) => this.store.putAgendaItem(i)),
          {
            agenda,
          },
        )
        this.events.emit('agenda', meetingId, {
          agenda: durable.agenda!.items,
          currentItemId: durable.agenda!.currentItemId,
        })
        return next
      }
      case 'agenda:setCurrent': {
        const a = args as CommandArgs<'agenda:setCurrent'>
        if (a.itemId !== null) await this.requireItem(meetingId, a.itemId)
        const currentItemId = a.itemId === null ? null : asAgendaItemId(a.itemId)
        const agenda = { ...(await this.part('agenda', meetingId)), currentItemId }
        const durable = await audited(
          'agenda.setCurrent',
          { itemId: a.itemId },
          () => [this.store.setCurrentItem(meetingId, currentItemId)],
          { agenda },
        )
        this.events.emit('agenda', meetingId, {
          agenda: durable.agenda!.items,
          currentItemId: durable.agenda!.currentItemId,
        })
        return { itemId: a.itemId }
      }
      case 'delegation:add': {
        const a = args as CommandArgs<'delegation:add'>
        const existing = await this.part('delegations', meetingId)
        if (existing.some((d) => d.name.toLowerCase() === a.name.toLowerCase()))
          throw new AppError('RT_ERR_CONFLICT', 'A delegation with that name exists already.')
        const d: Delegation = { id: asDelegationId(newId()), meetingId, name: a.name }
        // Sorted by name in code-unit order, as the stores list them.
        const delegations = [...existing, d].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))
        const durable = await audited(
          'delegation.add',
          { delegationId: d.id, name: d.name },
          () => [this.store.putDelegation(d)],
          {
            delegations,
          },
        )
        this.events.emit('delegations', meetingId, durable.delegations!)
        return d
      }
      case 'invitation:create':
        return this.createInvitation(meetingId, by, args as CommandArgs<'invitation:create'>)
      case 'invitation:revoke': {
        const a = args as CommandArgs<'invitation:revoke'>
        // Commands of a meeting run one at a time, so the invitation found active here is still active below.
        const active = (await this.store.listInvitations(meetingId)).some(
          (i) => i.id === a.invitationId && i.revokedAt === null,
        )
        if (!active) throw new AppError('RT_ERR_NOT_FOUND', 'No such active invitation in this meeting.')
        await audited('invitation.revoke', { invitationId: a.invitationId }, () => [
          this.store.revokeInvitation(meetingId, asInvitationId(a.invitationId), this.iso()),
        ])
        return { invitationId: a.invitationId }
      }
      case 'invitation:list':
        return this.store.listInvitations(meetingId)
      case 'participant:setRole': {
        const a = args as CommandArgs<'participant:setRole'>
        const target = await this.requireParticipant(meetingId, a.participantId)
        if (self && target.id === self.id)
          throw new AppError('RT_ERR_CONFLICT', 'You cannot change your own role.')
        const delegationId =
          a.delegationId === undefined
            ? target.delegationId
            : a.delegationId === null
              ? null
              : asDelegationId(a.delegationId)
        if (delegationId) await this.requireDelegation(meetingId, delegationId)
        const next: Participant = { ...target, role: a.role, delegationId }
        await audited(
          'participant.setRole',
          { participantId: target.id, name: target.displayName, from: target.role, to: a.role, delegationId },
          () => [this.store.putParticipant(next)],
          await this.participantsWith(meetingId, next),
        )
        this.events.emit('participant', next)
        return next
      }
      case 'participant:remove': {
        const a = args as CommandArgs<'participant:remove'>
        const target = await this.requireParticipant(meetingId, a.participantId)
        if (self && target.id === self.id)
          throw new AppError('RT_ERR_CONFLICT', 'You cannot remove yourself.')
        const next = { ...target, removed: true }
        await audited(
          'participant.remove',
          { participantId: target.id, name: target.displayName },
          () => [this.store.putParticipant(next)],
          await this.participantsWith(meetingId, next),
        )
        this.events.emit('participant', next)
        return { participantId: target.id }
      }
      case 'audit:list': {
        const a = args as CommandArgs<'audit:list'>
        return this.store.listAudit(meetingId, a.afterSeq)
      }
      default: {
        const never: never = name
        throw new AppError('RT_ERR_NOT_FOUND', `Unknown command "${never}".`)
      }
    }
  }

  /** Creates an invitation; the returned URL carries the only copy of its token. */
  async createInvitation(
    meetingId: MeetingId,
    by: string,
    a: CommandArgs<'invitation:create'>,
  ): Promise<Invitation & { url: string }> {
    const delegationId = a.delegationId ? asDelegationId(a.delegationId) : null
    if (delegationId) await this.requireDelegation(meetingId, delegationId)
    if (a.role === 'delegate' && !delegationId && (await this.part('delegations', meetingId)).length > 0)
      throw new AppError('RT_ERR_BAD_REQUEST', 'A delegate invitation names the delegation it is for.')
    const token = newToken()
    const now = this.now()
    const inv: Invitation = {
      id: asInvitationId(newId()),
      meetingId,
      role: a.role,
      delegationId,
      label: a.label,
      createdAt: now.toISOString(),
      expiresAt: a.expiresInHours
        ? new Date(now.getTime() + a.expiresInHours * 3_600_000).toISOString()
        : null,
      revokedAt: null,
    }
    await this.audited(
      meetingId,
      by,
      'invitation.create',
      { invitationId: inv.id, role: inv.role, delegationId },
      () => [this.store.createInvitation({ ...inv, tokenHash: hashToken(token) })],
    )
    return { ...inv, url: this.joinUrl(token) }
  }

  private async requireItem(meetingId: MeetingId, id: string): Promise<AgendaItem> {
    const item = (await this.part('agenda', meetingId)).items.find((i) => i.id === id)
    if (!item) throw new AppError('RT_ERR_NOT_FOUND', 'No such agenda item in this meeting.')
    return item
  }

  /** The meeting's participants with `p` added, or replacing the one with its id. */
  private async withParticipant(meetingId: MeetingId, p: Participant): Promise<Participant[]> {
    const all = await this.part('participants', meetingId)
    return all.some((x) => x.id === p.id) ? all.map((x) => (x.id === p.id ? p : x)) : [...all, p]
  }

  private async participant(meetingId: MeetingId, id: string): Promise<Participant | null> {
    if (this.opts.cacheState)
      return (await this.part('participants', meetingId)).find((x) => x.id === id) ?? null
    const p = await this.store.getParticipant(asParticipantId(id))
    return p && p.meetingId === meetingId ? p : null
  }

  /** The participants part after `p` is added or changed; only worth computing when it is cached. */
  private async participantsWith(meetingId: MeetingId, p: Participant): Promise<Partial<Parts> | undefined> {
    return this.opts.cacheState ? { participants: await this.withParticipant(meetingId, p) } : undefined
  }

  private async requireParticipant(meetingId: MeetingId, id: string): Promise<Participant> {
    const p = await this.participant(meetingId, id)
    if (!p || p.removed) throw new AppError('RT_ERR_NOT_FOUND', 'No such participant.')
    return p
  }

  private async requireDelegation(meetingId: MeetingId, id: DelegationId): Promise<void> {
    if (!(await this.part('delegations', meetingId)).some((d) => d.id === id))
      throw new AppError('RT_ERR_NOT_FOUND', 'No such delegation in this meeting.')
  }

  async audit(
    meetingId: MeetingId,
    actor: string,
    action: string,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await this.store.appendAudit({ meetingId, at: this.iso(), actor, action, detail })
  }

  /**
   * A change and its audit entry as one unit: both or neither, in one commit (see `Store.together`).
   * `next` holds the new value of each cached part the change touches: commands see it at once, readers
   * once it is committed. Where the store commits in the order writes were issued (SQLite), the
   * meeting's next command may start (`release`) while this one is being committed. Resolves once
   * the change is durable, with the durable value of each part in `next` (to announce).
   */
  private async audited(
    meetingId: MeetingId,
    actor: string,
    action: string,
    detail: Record<string, unknown>,
    change: () => Promise<unknown>[],
    next?: Partial<Parts>,
    release?: () => void,
  ): Promise<Partial<Parts>> {
    const parts = PARTS_CHANGED_BY[action] ?? []
    const throughCache = this.opts.cacheState === true && next !== undefined
    const writes = this.issued(meetingId)
    let written: Promise<unknown>
    try {
      written = this.store.together(() => [
        ...change(),
        this.store.appendAudit({ meetingId, at: this.iso(), actor, action, detail }),
      ])
    } catch (err) {
      // Nothing was sent (see `Store.together`): nothing is in flight either.
      this.settledOne(meetingId)
      throw err
    }
    if (throughCache) {
      for (const [part, value] of Object.entries(next))
        this.cache.set(`${part}:${meetingId}`, Promise.resolve(value))
      if (this.store.commitsInOrder) release?.()
    }
    try {
      await written
    } catch (err) {
      // Storage is the truth again: everything cached of the meeting is dropped, now and once the
      // writes issued after this one have settled (commands wait for that before reading).
      writes.failed = true
      this.forget(meetingId, ALL_PARTS)
      throw err
    } finally {
      this.settledOne(meetingId)
    }
    if (!throughCache) {
      this.forget(meetingId, parts)
      return next ?? {}
    }
    if (!writes.failed) {
      for (const [part, value] of Object.entries(next))
        this.durable.set(`${part}:${meetingId}`, Promise.resolve(value))
      return next
    }
    // An earlier write of this meeting failed after this change was built on it: what is durable
    // is what storage holds, not what was issued.
    const stored: Partial<Parts> = {}
    for (const part of Object.keys(next) as Part[]) {
      this.durable.delete(`${part}:${meetingId}`)
      ;(stored as Record<Part, unknown>)[part] = await this.durablePart(part, meetingId)
    }
    return stored
  }

  private issued(meetingId: MeetingId) {
    let w = this.inflight.get(meetingId)
    if (!w) {
      let done!: () => void
      const settled = new Promise<void>((resolve) => {
        done = resolve
      })
      w = { count: 0, failed: false, settled, done }
      this.inflight.set(meetingId, w)
    }
    w.count++
    return w
  }

  private settledOne(meetingId: MeetingId): void {
    const w = this.inflight.get(meetingId)
    if (!w || --w.count > 0) return
    this.inflight.delete(meetingId)
    if (w.failed) this.forget(meetingId, ALL_PARTS)
    w.done()
  }
}

/**
 * Who did it, as the audit log shows it: the display name alone could be anything ("organiser"),
 * so the role and the participant id are part of it.
 */
const actorLabel = (p: Participant): string => `${p.displayName} (${p.role}, ${p.id})`

const ALL_PARTS: readonly Part[] = ['meeting', 'delegations', 'agenda', 'participants']

/** Which cached parts of a meeting each audited action changes. */
const PARTS_CHANGED_BY: Record<string, readonly Part[]> = {
  'meeting.create': ['meeting'],
  'participant.join': ['participants'],
  'participant.setRole': ['participants'],
  'participant.remove': ['participants'],
  'agenda.add': ['agenda'],
  'agenda.update': ['agenda'],
  'agenda.remove': ['agenda'],
  'agenda.reorder': ['agenda'],
  'agenda.setCurrent': ['agenda'],
  'delegation.add': ['delegations'],
}

const PERMISSION_OF: Record<CommandName, Permission> = {
  'agenda:add': 'changeAgenda',
  'agenda:update': 'changeAgenda',
  'agenda:remove': 'changeAgenda',
  'agenda:reorder': 'changeAgenda',
  'agenda:setCurrent': 'changeAgenda',
  'delegation:add': 'manageInvitations',
  'invitation:create': 'manageInvitations',
  'invitation:revoke': 'manageInvitations',
  'invitation:list': 'manageInvitations',
  'participant:setRole': 'changeRoles',
  'participant:remove': 'changeRoles',
  'audit:list': 'readAudit',
}
