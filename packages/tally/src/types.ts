// Public types of @roundtable/tally. Field names are snake_case because they are also the
// JSON contract of the recount command (`pnpm --silent tally < election.json`).

export const METHODS = [
  'plurality',
  'two_round_runoff',
  'approval',
  'score',
  'star',
  'majority_judgment',
  'cumulative',
  'borda',
  'dowdall',
  'irv',
  'coombs',
  'stv',
  'schulze',
  'ranked_pairs',
  'copeland',
  'minimax',
  'kemeny_young',
  'consent',
  'motion',
  'kendall_w',
  'kendall_tau_distance',
  'spearman',
] as const
export type MethodName = (typeof METHODS)[number]

/** One rank of a ranking: a candidate, or several tied candidates. */
export type Tier = string | string[]

export type MotionVote = 'yes' | 'no' | 'abstain' | 'blank' | 'invalid'

export interface BallotInput {
  ranking?: Tier[]
  /** Shorthand for a ranking of one candidate. */
  choice?: string
  approvals?: string[]
  scores?: Record<string, number>
  /** Fist-to-five level when there is a single proposal. */
  level?: number
  vote?: MotionVote
  /** Number of identical ballots; defaults to 1. */
  count?: number
}

/** A tie is broken by the chair's stated order (best first) or by a lot drawn from a seed. */
export type TieBreakRule = { method: 'chair'; order: string[] } | { method: 'lot'; seed: number | string }

export interface Options {
  unranked?: 'last' | 'ignore'
  strength?: 'winning' | 'margin' | 'ratio' | 'opposition'
  seats?: number
  quota?: 'droop' | 'droop_exact' | 'hare' | 'hagenbach_bischoff'
  transfer?: 'gregory' | 'meek'
  start?: number
  max?: number
  points?: number
  aggregate?: 'sum' | 'mean' | 'median'
  tie_correction?: boolean
  tie_penalty?: number
  exact_limit?: number
  tie_break?: TieBreakRule
  // consent
  block_level?: number
  max_blocks?: number
  support_level?: number
  min_support?: number
  // motion
  threshold?: 'simple' | 'absolute' | 'two_thirds'
  members?: number
  present?: number
  quorum?: number
  abstentions?: 'ignore' | 'cast'
  blank?: 'ignore' | 'cast'
  invalid?: 'ignore' | 'cast'
}

export interface Election {
  method: MethodName
  candidates: string[]
  ballots: BallotInput[]
  options?: Options
}

export interface PairRecord {
  winner: string
  loser: string
  for: number
  against: number
}

export interface TieBreakRecord {
  rule: 'chair' | 'lot'
  seed?: number | string
  /** Each tie that was broken: the tied candidates and the order the rule put them in. */
  broken: { among: string[]; order: string[]; round?: number }[]
}

export interface Result {
  method: MethodName
  winners: string[]
  /** Tiers, best first; candidates in one tier are tied. */
  ranking: string[][]
  scores?: Record<string, number>
  rounds?: Record<string, number>[]
  elected?: string[]
  quota?: number
  pairwise?: Record<string, Record<string, number>>
  strongest_paths?: Record<string, Record<string, number | null>>
  locked?: PairRecord[]
  skipped?: PairRecord[]
  approximate?: boolean
  W?: number
  distance?: number
  normalized?: number
  rho?: number | null
  tie_break?: TieBreakRecord
  explanation: string
  [extra: string]: unknown
}

export class TallyError extends Error {
  override name = 'TallyError'
}
