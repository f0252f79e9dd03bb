import { createHmac, randomBytes } from 'node:crypto'
import type { Participant, VoteRules, VoteView } from '@roundtable/protocol'
import type { BallotInput } from '@roundtable/tally'
import { AppError } from '../../errors.ts'
import type { StoredVote } from '../../store/types.ts'
import type { MeetingCommands, MeetingContext } from '../context.ts'
import type { Parts } from '../parts.ts'
import { newId } from '../tokens.ts'
import { ballotProblem, countVote, hasComparison, rulesHash } from './rules.ts'
import { afterVoteClosed } from '../drafting/amendments.ts'

type Votes = Parts['votes']
/** A vote in the pending view: the stored row and who has voted (participant or delegation ids). */
export type VoteState = Votes extends ReadonlyMap<string, infer V> ? V : never

/** Receipt codes: 10 characters a voter can copy or read aloud, unguessable and tied to nothing. */
const RECEIPT_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
const newReceipt = (): string =>
  Array.from(randomBytes(10), (b) => RECEIPT_ALPHABET[b % RECEIPT_ALPHABET.length]).join('')

/**
 * [V-SLOT] Where a voter's ballot is kept. Open votes: the voter's own key. Secret votes: an HMAC of
 * it under the vote's key, which is erased at close — from then on nothing stored links a ballot to
 * the roll. One slot per voter, so the last ballot replaces the one before.
 */
const slotOf = (vote: StoredVote, voterKey: string): string =>
  vote.secret ? createHmac('sha256', vote.slotKey!).update(voterKey).digest('hex') : voterKey

/** Who counts as one voice: the delegate, or their delegation. */
const voterKeyOf = (vote: StoredVote, p: Participant): string => {
  if (vote.voters === 'delegates') return p.id
  if (!p.delegationId)
    throw new AppError('RT_ERR_FORBIDDEN', 'This vote is by delegation, and you belong to none.')
  return p.delegationId
}

/** How many may vote: the delegates, or the delegations, of the meeting now. */
export const eligibleOf = async (ctx: Pick<MeetingContext, 'part'>, vote: StoredVote): Promise<number> =>
  vote.voters === 'delegations'
    ? (await ctx.part('delegations')).length
    : (await ctx.part('participants')).filter((p) => p.role === 'delegate' && !p.removed).length

/** The vote as everyone is shown it: no slot key, and for a secret vote nobody's name. */
export const viewOf = (state: VoteState, eligible: number): VoteView => {
  const { slotKey: _key, meetingId: _m, ...vote } = state.vote
  return {
    ...vote,
    turnout: { cast: state.voted.size, eligible, ...(state.vote.secret ? {} : { who: [...state.voted] }) },
  }
}

const requireVote = async (ctx: MeetingContext, voteId: string): Promise<VoteState> => {
  const state = (await ctx.part('votes')).get(voteId)
  if (!state) throw new AppError('RT_ERR_NOT_FOUND', 'No such vote in this meeting.')
  return state
}

/** Commits a vote's new row (and the audit entry), and announces it once durable. */
const commitVote = async (
  ctx: MeetingContext,
  action: string,
  detail: Record<string, unknown>,
  state: VoteState,
): Promise<VoteView> => {
  const votes = new Map(await ctx.part('votes'))
  votes.set(state.vote.id, state)
  await ctx.commit({ action, detail, writes: (store) => [store.putVote(state.vote)], next: { votes } })
  const view = viewOf(state, await eligibleOf(ctx, state.vote))
  ctx.after(() => ctx.services.events.emit('vote', ctx.meetingId, view))
  return view
}

/** The rules for a new vote; "board" takes the frozen priority list as the options. */
const rulesFrom = async (ctx: MeetingContext, a: Parameters<(typeof VOTES)['vote:create']['run']>[1]) => {
  let options: VoteRules['options']
  if (a.options === 'board') {
    const board = await ctx.part('board')
    if (!board.config.frozen)
      throw new AppError(
        'RT_ERR_CONFLICT',
        'Freeze the priority list first: a vote is on a list that no longer changes.',
      )
    const areas = await ctx.services.areas(ctx.meetingId, { fresh: true })
    if (areas.hash !== board.config.optionsHash)
      throw new AppError('RT_ERR_CONFLICT', 'The priority list changed since it was frozen: freeze it again.')
    options = areas.live.map((id) => ({ id, label: areas.titles.get(id) ?? id }))
    if (options.length === 0) throw new AppError('RT_ERR_CONFLICT', 'The priority list is empty.')
  } else {
    if (new Set(a.options.map((o) => o.toLowerCase())).size !== a.options.length)
      throw new AppError('RT_ERR_BAD_REQUEST', 'Two options have the same wording.')
    options = a.options.map((label, i) => ({ id: `o${i + 1}`, label }))
  }
  if (a.method === 'stv' && !a.seats)
    throw new AppError('RT_ERR_BAD_REQUEST', 'STV needs the number of seats.')
  if (a.weights && a.voters !== 'delegations')
    throw new AppError('RT_ERR_BAD_REQUEST', 'Weights are per delegation: use voters "delegations".')
  if (a.weights) {
    const known = new Set((await ctx.part('delegations')).map((d) => d.id as string))
    const unknown = Object.keys(a.weights).find((d) => !known.has(d))
    if (unknown) throw new AppError('RT_ERR_NOT_FOUND', `No delegation ${unknown} in this meeting.`)
  }
  const rules: VoteRules = {
    question: a.question,
    options,
    method: a.method,
    methodOptions: a.methodOptions ?? {},
    secret: a.secret,
    voters: a.voters,
    weights: a.weights ?? null,
    seats: a.seats ?? null,
    quorum: a.quorum ?? null,
    threshold: a.threshold ?? null,
    closesInSeconds: a.closesInSeconds ?? null,
  }
  return rules
}

const rulesOf = (v: StoredVote): VoteRules => ({
  question: v.question,
  options: v.options,
  method: v.method,
  methodOptions: v.methodOptions,
  secret: v.secret,
  voters: v.voters,
  weights: v.weights,
  seats: v.seats,
  quorum: v.quorum,
  threshold: v.threshold,
  closesInSeconds: v.closesInSeconds,
})

/** Reads the stored ballots (after every earlier write of the meeting has settled) and counts them. */
const countStored = async (
  ctx: MeetingContext,
  vote: StoredVote,
  tieBreak?: Parameters<typeof countVote>[2],
  compare = true,
) => {
  await ctx.settled()
  const rows = await ctx.store.listBallots(vote.id)
  const ballots = rows.map((r) => {
    const { receipt: _r, ...b } = JSON.parse(r.ballot) as BallotInput & { receipt?: string }
    return b
  })
  return countVote(rulesOf(vote), ballots, tieBreak, { compare })
}

/** Whether the vote's method has others that read the same ballots (the comparison beside the result). */
const comparable = (vote: StoredVote): boolean => hasComparison(vote.method)

/** Closes a vote: no ballot after this is counted; the result is stored with it, one commit. */
export const closeVote = async (
  ctx: MeetingContext,
  state: VoteState,
  why: 'chair' | 'timer',
): Promise<VoteView> => {
  if (state.vote.status !== 'open') throw new AppError('RT_ERR_CONFLICT', 'Only an open vote can be closed.')
  // The official count alone, in the closing commit: every other method's count of the same ballots
  // follows in a turn of its own (`compareVote`), so closing stays quick however many ballots there are.
  const result = await countStored(ctx, state.vote, undefined, false)
  const closed: VoteState = {
    voted: state.voted,
    vote: { ...state.vote, status: 'closed', closedAt: ctx.now().toISOString(), slotKey: null, result },
  }
  const view = await commitVote(
    ctx,
    'vote.close',
    {
      voteId: state.vote.id,
      by: why,
      optionsHash: state.vote.optionsHash,
      turnout: state.voted.size,
      winners: result.winners,
      ranking: result.ranking,
      quorumMet: result.quorumMet,
      tie: result.tie,
    },
    closed,
  )
  // Drafting follows the decision in the same turn: the amendment it decided, versions of the drafts.
  await afterVoteClosed(ctx, closed.vote)
  if (comparable(closed.vote)) ctx.after(() => ctx.services.votes.compare(ctx.meetingId, closed.vote.id))
  return view
}

/**
 * [V-COMPARE] Adds the comparison to a closed vote's result: the same stored ballots counted by every
 * other method of its family, and the verdict. Announced like any change of the vote; not audited
 * (the result it sits beside is).
 */
export const compareVote = async (ctx: MeetingContext, voteId: string): Promise<void> => {
  const state = (await ctx.part('votes')).get(voteId)
  const result = state?.vote.result
  if (!state || state.vote.status !== 'closed' || !result || result.comparison.length > 0) return
  const full = await countStored(ctx, state.vote)
  const withMain = full.comparison.map((c) =>
    c.method === state.vote.method ? { ...c, winners: result.winners, ranking: result.ranking } : c,
  )
  const vote: StoredVote = {
    ...state.vote,
    result: { ...result, comparison: withMain, verdict: full.verdict },
  }
  const votes = new Map(await ctx.part('votes'))
  const next: VoteState = { vote, voted: state.voted }
  votes.set(voteId, next)
  await ctx.commit({
    action: 'vote.compare',
    detail: { voteId },
    writes: (store) => [store.putVote(vote)],
    next: { votes },
    audit: false,
  })
  const view = viewOf(next, await eligibleOf(ctx, vote))
  ctx.after(() => ctx.services.events.emit('vote', ctx.meetingId, view))
}

/** Formal votes: created and opened by the chair, cast by delegates, closed and counted atomically. */
export const VOTES = {
  'vote:create': {
    changes: ['votes'],
    async run(ctx, a) {
      const rules = await rulesFrom(ctx, a)
      const { currentItemId } = await ctx.part('agenda')
      const vote: StoredVote = {
        id: newId(),
        meetingId: ctx.meetingId,
        agendaItemId: currentItemId,
        ...rules,
        status: 'draft',
        optionsHash: null,
        createdAt: ctx.now().toISOString(),
        openedAt: null,
        closesAt: null,
        closedAt: null,
        slotKey: null,
      }
      const view = await commitVote(
        ctx,
        'vote.create',
        { voteId: vote.id, ...rules },
        { vote, voted: new Set() },
      )
      return { vote: view }
    },
  },
  'vote:open': {
    changes: ['votes'],
    async run(ctx, a) {
      const state = await requireVote(ctx, a.voteId)
      if (state.vote.status !== 'draft')
        throw new AppError('RT_ERR_CONFLICT', 'This vote has been opened already.')
      const now = ctx.now()
      const optionsHash = rulesHash(rulesOf(state.vote))
      const vote: StoredVote = {
        ...state.vote,
        status: 'open',
        optionsHash,
        openedAt: now.toISOString(),
        closesAt: state.vote.closesInSeconds
          ? new Date(now.getTime() + state.vote.closesInSeconds * 1000).toISOString()
          : null,
        slotKey: state.vote.secret ? randomBytes(32).toString('hex') : null,
      }
      const view = await commitVote(
        ctx,
        'vote.open',
        { voteId: vote.id, optionsHash },
        { vote, voted: state.voted },
      )
      if (vote.closesAt) ctx.after(() => ctx.services.votes.closeAt(ctx.meetingId, vote.id, vote.closesAt!))
      return { vote: view }
    },
  },
  'vote:close': {
    changes: ['votes'],
    async run(ctx, a) {
      return { vote: await closeVote(ctx, await requireVote(ctx, a.voteId), 'chair') }
    },
  },
  'vote:cast': {
    changes: ['votes'],
    async run(ctx, a) {
      const self = ctx.self
      if (!self) throw new AppError('RT_ERR_FORBIDDEN', 'Only delegates vote.')
      const state = await requireVote(ctx, a.voteId)
      if (state.vote.status !== 'open')
        throw new AppError(
          'RT_ERR_VOTE_CLOSED',
          state.vote.status === 'draft' ? 'This vote is not open yet.' : undefined,
        )
      const voterKey = voterKeyOf(state.vote, self)
      const weight =
        state.vote.weights && self.delegationId ? (state.vote.weights[self.delegationId] ?? 1) : 1
      const ballot: BallotInput = { ...(a.ballot as BallotInput), ...(weight !== 1 ? { count: weight } : {}) }
      const problem = ballotProblem(rulesOf(state.vote), ballot)
      if (problem) throw new AppError('RT_ERR_BAD_BALLOT', problem)
      const receipt = newReceipt()
      const slot = slotOf(state.vote, voterKey)
      const votes = new Map(await ctx.part('votes'))
      const voted = new Set(state.voted).add(voterKey)
      const next: VoteState = { vote: state.vote, voted }
      votes.set(state.vote.id, next)
      const first = !state.voted.has(voterKey)
      await ctx.commit({
        action: 'vote.cast',
        // The roll, not the ballot: who voted is public, what they chose is in the ballot row only.
        detail: { voteId: state.vote.id, ...(state.vote.secret ? {} : { voter: voterKey }) },
        writes: (store) => [
          store.addToRoll(state.vote.id, voterKey),
          store.putBallot({
            voteId: state.vote.id,
            slot,
            ballot: JSON.stringify(ballot),
            receipt,
            voter: state.vote.secret ? null : self.id,
          }),
        ],
        next: { votes },
        // A secret ballot leaves no trace with a time beside a name: the audit log is not its roll.
        audit: !state.vote.secret,
      })
      // Turnout goes out coalesced (a burst of 60 first ballots is one announcement, not 60 to everyone).
      if (first) ctx.after(() => ctx.services.votes.turnout(ctx.meetingId, state.vote.id))
      return { receipt }
    },
  },
  'vote:breakTie': {
    changes: ['votes'],
    async run(ctx, a) {
      const state = await requireVote(ctx, a.voteId)
      const result = state.vote.result
      if (state.vote.status !== 'closed' || !result?.tie)
        throw new AppError('RT_ERR_CONFLICT', 'Only a closed vote with a tie can have it broken.')
      if (a.rule.method === 'chair') {
        const tied = new Set(result.winners)
        if (a.rule.order.length !== tied.size || !a.rule.order.every((o) => tied.has(o)))
          throw new AppError('RT_ERR_BAD_REQUEST', 'List every tied option once, best first.')
      }
      const broken = await countStored(ctx, state.vote, a.rule)
      const vote: StoredVote = { ...state.vote, result: { ...broken, tie: false } }
      return {
        vote: await commitVote(
          ctx,
          'vote.breakTie',
          { voteId: vote.id, rule: a.rule, winners: broken.winners },
          { vote, voted: state.voted },
        ),
      }
    },
  },
  'vote:list': {
    changes: [],
    async run(ctx) {
      const votes = await ctx.part('votes')
      const views: VoteView[] = []
      const voted: string[] = []
      for (const state of votes.values()) {
        views.push(viewOf(state, await eligibleOf(ctx, state.vote)))
        if (ctx.self) {
          const key = state.vote.voters === 'delegates' ? ctx.self.id : ctx.self.delegationId
          if (key && state.voted.has(key)) voted.push(state.vote.id)
        }
      }
      return { votes: views, voted }
    },
  },
  'vote:liveCount': {
    changes: [],
    async run(ctx, a) {
      const state = await requireVote(ctx, a.voteId)
      if (state.vote.secret)
        throw new AppError('RT_ERR_FORBIDDEN', 'A secret vote has no count before it closes.')
      if (state.vote.status !== 'open') throw new AppError('RT_ERR_CONFLICT', 'This vote is not open.')
      const result = await countStored(ctx, state.vote)
      return { result, ballots: result.ballots }
    },
  },
} satisfies MeetingCommands<
  'vote:create' | 'vote:open' | 'vote:close' | 'vote:cast' | 'vote:breakTie' | 'vote:list' | 'vote:liveCount'
>
