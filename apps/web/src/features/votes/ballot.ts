import type { Ballot, VoteMethod, VoteView } from '@roundtable/protocol'

/** Which ballot a method is cast on: the form the delegate fills in. */
export const BALLOT_KINDS = {
  rank: 'rank',
  choose: 'choose',
  approve: 'approve',
  score: 'score',
  budget: 'budget',
  consent: 'consent',
  motion: 'motion',
} as const
export type BallotKind = keyof typeof BALLOT_KINDS

export const ballotKindOf = (method: VoteMethod): BallotKind => {
  switch (method) {
    case 'schulze':
    case 'ranked_pairs':
    case 'copeland':
    case 'minimax':
    case 'kemeny_young':
    case 'borda':
    case 'dowdall':
    case 'irv':
    case 'coombs':
    case 'stv':
    case 'two_round_runoff':
      return 'rank'
    case 'plurality':
      return 'choose'
    case 'approval':
      return 'approve'
    case 'score':
    case 'star':
    case 'majority_judgment':
      return 'score'
    case 'cumulative':
      return 'budget'
    case 'consent':
      return 'consent'
    case 'motion':
      return 'motion'
  }
}

/**
 * The highest score a ballot may give. STAR's 5 is the tally package's own default; score and
 * majority judgment have no maximum there, so a vote made without one is offered 0–10 here
 * (the chair's form always sends one).
 */
export const scoreMax = (vote: Pick<VoteView, 'method' | 'methodOptions'>): number => {
  const max = vote.methodOptions.max
  if (typeof max === 'number' && max > 0) return max
  return vote.method === 'star' ? 5 : 10
}

/** The points a cumulative ballot may spread (no budget given: as many as there are options × 10). */
export const pointsBudget = (vote: Pick<VoteView, 'methodOptions' | 'options'>): number | null => {
  const p = vote.methodOptions.points
  return typeof p === 'number' && p > 0 ? p : null
}

/** Consent: one proposal is one level; several are a level (0–5) for each. */
export const CONSENT_LEVELS = [0, 1, 2, 3, 4, 5] as const
export const MOTION_CHOICES = ['yes', 'no', 'abstain'] as const
export type MotionChoice = (typeof MOTION_CHOICES)[number]

/** What the delegate has filled in so far, whatever the kind. */
export interface BallotDraft {
  /** Rank: option ids best first. */
  order: string[]
  /** Rank: ids placed at the same rank as the one just above them. */
  tiedWithAbove: string[]
  choice: string | null
  approvals: string[]
  /** Score, budget and consent with several options: the text of each input, by option id. */
  scores: Record<string, string>
  level: number | null
  motion: MotionChoice | null
}

export const emptyDraft = (vote: Pick<VoteView, 'options'>): BallotDraft => ({
  order: vote.options.map((o) => o.id),
  tiedWithAbove: [],
  choice: null,
  approvals: [],
  scores: {},
  level: null,
  motion: null,
})

/** Why a draft cannot be sent yet (an i18n key under `votes.problem`), or the ballot. */
export type Built =
  | { data: Ballot; error?: undefined }
  | { data?: undefined; error: BallotProblem; values?: Record<string, number> }
export type BallotProblem =
  | 'pickOne'
  | 'pickLevel'
  | 'pickMotion'
  | 'scoreRange'
  | 'overBudget'
  | 'nothingScored'

/** Rank order and ties into tiers: an option tied with the one above joins its tier. */
export const rankingOf = (order: readonly string[], tiedWithAbove: readonly string[]): Ballot => {
  const tied = new Set(tiedWithAbove)
  const tiers: string[][] = []
  for (const [i, id] of order.entries()) {
    if (i > 0 && tied.has(id)) tiers[tiers.length - 1].push(id)
    else tiers.push([id])
  }
  return { ranking: tiers.map((t) => (t.length === 1 ? t[0] : t)) }
}

const parseScores = (
  vote: Pick<VoteView, 'options'>,
  texts: Record<string, string>,
  max: number,
  integer: boolean,
): Record<string, number> | null => {
  const scores: Record<string, number> = {}
  for (const o of vote.options) {
    const raw = (texts[o.id] ?? '').trim().replace(',', '.')
    if (raw === '') continue
    const n = Number(raw)
    if (!Number.isFinite(n) || n < 0 || n > max || (integer && !Number.isInteger(n))) return null
    scores[o.id] = n
  }
  return scores
}

/** The ballot the draft makes for this vote, in the tally package's format over option ids. */
export const buildBallot = (
  vote: Pick<VoteView, 'method' | 'methodOptions' | 'options'>,
  d: BallotDraft,
): Built => {
  const kind = ballotKindOf(vote.method)
  switch (kind) {
    case 'rank':
      return { data: rankingOf(d.order, d.tiedWithAbove) }
    case 'choose':
      return d.choice ? { data: { choice: d.choice } } : { error: 'pickOne' }
    case 'approve':
      // Approving none is a ballot too: it says "none of these" and still counts for turnout.
      return { data: { approvals: vote.options.map((o) => o.id).filter((id) => d.approvals.includes(id)) } }
    case 'score': {
      const max = scoreMax(vote)
      // STAR and majority judgment grade in whole numbers; score allows fractions.
      const scores = parseScores(vote, d.scores, max, vote.method !== 'score')
      if (!scores) return { error: 'scoreRange', values: { max } }
      if (Object.keys(scores).length === 0) return { error: 'nothingScored' }
      return { data: { scores } }
    }
    case 'budget': {
      const budget = pointsBudget(vote)
      const scores = parseScores(vote, d.scores, budget ?? 1000, false)
      if (!scores) return { error: 'scoreRange', values: { max: budget ?? 1000 } }
      const spent = Object.values(scores).reduce((s, x) => s + x, 0)
      if (budget !== null && spent > budget) return { error: 'overBudget', values: { budget, spent } }
      if (spent === 0) return { error: 'nothingScored' }
      return { data: { scores } }
    }
    case 'consent': {
      if (vote.options.length === 1)
        return d.level === null ? { error: 'pickLevel' } : { data: { level: d.level } }
      const scores = parseScores(vote, d.scores, 5, true)
      if (!scores) return { error: 'scoreRange', values: { max: 5 } }
      if (Object.keys(scores).length === 0) return { error: 'nothingScored' }
      return { data: { scores } }
    }
    case 'motion':
      return d.motion ? { data: { vote: d.motion } } : { error: 'pickMotion' }
  }
}

/** Moves one item of a list (for the move buttons and the keyboard); out of range leaves it. */
export const moveItem = <T>(list: readonly T[], from: number, to: number): T[] => {
  if (from < 0 || from >= list.length || to < 0 || to >= list.length || from === to) return [...list]
  const next = [...list]
  const [item] = next.splice(from, 1)
  next.splice(to, 0, item)
  return next
}

/** The first 12 hex digits of a hash: enough to compare aloud, the full one is beside it. */
export const shortHash = (hash: string | null): string => (hash ? hash.slice(0, 12) : '')
