import { z } from 'zod'
import type { AgendaItemId } from '../ids.ts'
import { id, LIMITS, text, wire } from './define.ts'

/**
 * The methods of @roundtable/tally a formal vote can be counted by, each with the one line the chair
 * reads when choosing (the web app translates them by method name).
 */
export const VOTE_METHODS = {
  schulze: 'Ranked; the option that beats each other head to head by the strongest chain of majorities.',
  ranked_pairs: 'Ranked; locks in the largest majorities first, skipping any that would make a cycle.',
  copeland: 'Ranked; the option that wins the most head-to-head contests.',
  minimax: 'Ranked; the option whose worst head-to-head defeat is smallest.',
  kemeny_young: 'Ranked; the order that disagrees least with all the ballots together.',
  borda: 'Ranked; points by position (last place 0, next 1, …), most points wins.',
  dowdall: 'Ranked; 1 point for first, 1/2 for second, 1/3 for third, …',
  irv: 'Ranked; the option with fewest first choices is eliminated until one has a majority.',
  coombs: 'Ranked; the option most often ranked last is eliminated until one has a majority.',
  stv: 'Ranked, several seats; quota-based proportional election with transfers.',
  plurality: 'Choose one; the option with the most votes wins.',
  two_round_runoff: 'Choose one, ranked as a back-up; the top two go to a second count.',
  approval: 'Approve any number of options; the most approved wins.',
  score: 'Give each option a score; the highest total wins.',
  star: 'Score each option; the two highest totals meet in a runoff by preference.',
  majority_judgment: 'Grade each option; the highest median grade wins.',
  cumulative: 'Spread a budget of points across options; the most points wins.',
  consent: 'Fist-to-five (0–5) on one proposal; passes unless blocked or too weakly supported.',
  motion: 'Yes, no or abstain on one proposal, with a threshold.',
} as const
export type VoteMethod = keyof typeof VOTE_METHODS
const METHOD_NAMES = Object.keys(VOTE_METHODS) as [VoteMethod, ...VoteMethod[]]

/** Options one vote lists at most. */
export const VOTE_MAX_OPTIONS = 60

/** A ballot in the tally package's format, over option ids; its fit to the method is checked by counting it. */
export const Ballot = z.union([
  z.strictObject({
    ranking: z.array(z.union([id, z.array(id).min(1).max(VOTE_MAX_OPTIONS)])).max(VOTE_MAX_OPTIONS),
  }),
  z.strictObject({ choice: id }),
  z.strictObject({ approvals: z.array(id).max(VOTE_MAX_OPTIONS) }),
  z.strictObject({ scores: z.record(id, z.number().finite().min(0).max(1000)) }),
  z.strictObject({ level: z.number().int().min(0).max(5) }),
  z.strictObject({ vote: z.enum(['yes', 'no', 'abstain']) }),
])
export type Ballot = z.infer<typeof Ballot>

export const VOTE_STATUSES = ['draft', 'open', 'closed'] as const
export type VoteStatus = (typeof VOTE_STATUSES)[number]

/** The rules a vote is created with: fixed, and hashed, when it opens. */
export interface VoteRules {
  question: string
  options: { id: string; label: string }[]
  method: VoteMethod
  methodOptions: Record<string, unknown>
  secret: boolean
  voters: 'delegates' | 'delegations'
  /** Per delegation id, a whole number of voices (voters: 'delegations' only). */
  weights: Record<string, number> | null
  seats: number | null
  /** Ballots needed for the result to stand. */
  quorum: number | null
  threshold: 'simple' | 'absolute' | 'two_thirds' | null
  closesInSeconds: number | null
}

/** One method's count of the same ballots, for the comparison beside the result. */
export interface MethodComparison {
  method: VoteMethod
  winners: string[]
  ranking: string[][]
}

export interface VoteResult {
  /** The tally package's result (winners, ranking, the method's working, explanation). */
  winners: string[]
  ranking: string[][]
  explanation: string
  /** Everything else the method reports: rounds, pairwise, strongest_paths, scores, … */
  [working: string]: unknown
}

/** A vote as acks and `meeting:vote` carry it (wire contract; extra fields are fine). */
export interface VoteView extends VoteRules {
  id: string
  agendaItemId: AgendaItemId | null
  status: VoteStatus
  /** SHA-256 of the rules and options as opened (null while a draft). */
  optionsHash: string | null
  /** How many have voted of how many may; for open votes, who (participant or delegation ids). */
  turnout: { cast: number; eligible: number; who?: string[] }
  createdAt: string
  openedAt: string | null
  closesAt: string | null
  closedAt: string | null
  /** Only once closed. */
  result?: VoteResult & {
    quorumMet: boolean
    /** More winners than seats: the chair breaks the tie (vote:breakTie). */
    tie: boolean
    /** The same ballots by every other method that reads them. */
    comparison: MethodComparison[]
    /** One line: how the methods agree. */
    verdict: string
    ballots: number
  }
}

export const VOTE_COMMANDS = {
  'vote:create': wire<{ vote: VoteView }>()(
    'runVotes',
    z.strictObject({
      question: text(LIMITS.title),
      options: z.union([z.literal('board'), z.array(text(LIMITS.title)).min(1).max(VOTE_MAX_OPTIONS)]),
      method: z.enum(METHOD_NAMES),
      methodOptions: z
        .record(z.string().max(40), z.union([z.number(), z.string().max(40), z.boolean()]))
        .optional(),
      secret: z.boolean(),
      voters: z.enum(['delegates', 'delegations']),
      weights: z.record(id, z.number().int().min(1).max(1000)).optional(),
      seats: z.number().int().min(1).max(VOTE_MAX_OPTIONS).optional(),
      quorum: z.number().int().min(1).max(100_000).optional(),
      threshold: z.enum(['simple', 'absolute', 'two_thirds']).optional(),
      closesInSeconds: z
        .number()
        .int()
        .min(10)
        .max(24 * 3600)
        .optional(),
    }),
  ),
  'vote:open': wire<{ vote: VoteView }>()('runVotes', z.strictObject({ voteId: id })),
  'vote:close': wire<{ vote: VoteView }>()('runVotes', z.strictObject({ voteId: id })),
  'vote:cast': wire<{ receipt: string }>()('castVote', z.strictObject({ voteId: id, ballot: Ballot })),
  'vote:breakTie': wire<{ vote: VoteView }>()(
    'runVotes',
    z.strictObject({
      voteId: id,
      rule: z.union([
        z.strictObject({ method: z.literal('chair'), order: z.array(id).min(2).max(VOTE_MAX_OPTIONS) }),
        z.strictObject({ method: z.literal('lot'), seed: z.union([z.number().int(), z.string().max(64)]) }),
      ]),
    }),
  ),
  /** Every vote of the meeting (what to show after a reload), and which of them this person has voted in. */
  'vote:list': wire<{ votes: VoteView[]; voted: string[] }>()('readDoc', z.strictObject({})),
  /** An open (not secret) vote's count so far, for the chair to show. */
  'vote:liveCount': wire<{ result: VoteResult; ballots: number }>()(
    'runVotes',
    z.strictObject({ voteId: id }),
  ),
} as const
