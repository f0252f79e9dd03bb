import type { CommandInput, VoteMethod } from '@roundtable/protocol'
import { VOTE_MAX_OPTIONS } from '@roundtable/protocol'
import { ballotKindOf } from './ballot.ts'

/** The chair's new-vote form as typed (every number still text). */
export interface CreateDraft {
  question: string
  source: 'free' | 'board'
  /** Free options, one per line. */
  optionsText: string
  method: VoteMethod
  seats: string
  /** Highest score (score, STAR, majority judgment). */
  max: string
  /** Points to spread (cumulative). */
  points: string
  quorum: string
  threshold: 'simple' | 'absolute' | 'two_thirds'
  secret: boolean
  voters: 'delegates' | 'delegations'
  /** Per delegation id, the weight as typed; empty is 1. */
  weights: Record<string, string>
  /** Minutes, empty for no timer. */
  timerMinutes: string
}

export const initialCreateDraft: CreateDraft = {
  question: '',
  source: 'free',
  optionsText: '',
  method: 'schulze',
  seats: '2',
  max: '5',
  points: '10',
  quorum: '',
  threshold: 'simple',
  secret: true,
  voters: 'delegates',
  weights: {},
  timerMinutes: '',
}

/** An i18n key under `votes.createProblem`, naming what to fix. */
export type CreateProblem =
  | 'question'
  | 'options'
  | 'tooMany'
  | 'duplicate'
  | 'seats'
  | 'max'
  | 'points'
  | 'quorum'
  | 'weight'
  | 'timer'

const whole = (s: string, min: number, max: number): number | null | 'bad' => {
  if (s.trim() === '') return null
  const n = Number(s.trim())
  return Number.isInteger(n) && n >= min && n <= max ? n : 'bad'
}

/** Free options: one per line, blank lines and surrounding spaces dropped. */
export const optionLines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)

/** The `vote:create` payload the form makes, or what to fix first. */
export const buildCreate = (
  d: CreateDraft,
): { data: CommandInput<'vote:create'>; error?: undefined } | { data?: undefined; error: CreateProblem } => {
  const question = d.question.trim()
  if (!question) return { error: 'question' }
  let options: CommandInput<'vote:create'>['options'] = 'board'
  if (d.source === 'free') {
    const lines = optionLines(d.optionsText)
    if (lines.length === 0) return { error: 'options' }
    if (lines.length > VOTE_MAX_OPTIONS) return { error: 'tooMany' }
    if (new Set(lines.map((l) => l.toLowerCase())).size !== lines.length) return { error: 'duplicate' }
    options = lines
  }
  const payload: CommandInput<'vote:create'> = {
    question,
    options,
    method: d.method,
    secret: d.secret,
    voters: d.voters,
  }
  const kind = ballotKindOf(d.method)
  if (d.method === 'stv') {
    const seats = whole(d.seats, 1, VOTE_MAX_OPTIONS)
    if (seats === null || seats === 'bad') return { error: 'seats' }
    payload.seats = seats
  }
  if (kind === 'score') {
    const max = whole(d.max, 1, 1000)
    if (max === 'bad') return { error: 'max' }
    if (max !== null) payload.methodOptions = { max }
  }
  if (kind === 'budget') {
    const points = whole(d.points, 1, 1000)
    if (points === 'bad') return { error: 'points' }
    if (points !== null) payload.methodOptions = { points }
  }
  if (d.method === 'motion') payload.threshold = d.threshold
  const quorum = whole(d.quorum, 1, 100_000)
  if (quorum === 'bad') return { error: 'quorum' }
  if (quorum !== null) payload.quorum = quorum
  if (d.voters === 'delegations') {
    const weights: Record<string, number> = {}
    for (const [id, text] of Object.entries(d.weights)) {
      const w = whole(text, 1, 1000)
      if (w === 'bad') return { error: 'weight' }
      // Weight 1 is the default: only the others are sent, so an unweighted vote stays unweighted.
      if (w !== null && w !== 1) weights[id] = w
    }
    if (Object.keys(weights).length > 0) payload.weights = weights
  }
  const minutes = d.timerMinutes.trim() === '' ? null : Number(d.timerMinutes.trim().replace(',', '.'))
  if (minutes !== null) {
    const seconds = Math.round(minutes * 60)
    if (!Number.isFinite(minutes) || seconds < 10 || seconds > 24 * 3600) return { error: 'timer' }
    payload.closesInSeconds = seconds
  }
  return { data: payload }
}
