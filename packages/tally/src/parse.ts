// The parse boundary of an election given as JSON: errors are values, unknown options warnings.
import { METHODS, type Election, type MethodName } from './types.ts'

type Check = (v: unknown) => string | undefined

const oneOf =
  (...xs: string[]): Check =>
  (v) =>
    typeof v === 'string' && xs.includes(v)
      ? undefined
      : `must be one of ${xs.map((x) => `"${x}"`).join(', ')}`
const wholeAtLeast =
  (min: number): Check =>
  (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min ? undefined : `must be a whole number ≥ ${min}`
const numberIn =
  (min: number, max: number): Check =>
  (v) =>
    typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max
      ? undefined
      : `must be a number from ${min} to ${max}`
const boolean: Check = (v) => (typeof v === 'boolean' ? undefined : 'must be true or false')
const tieBreak: Check = (v) => {
  if (typeof v !== 'object' || v === null)
    return 'must be {"method":"chair","order":[...]} or {"method":"lot","seed":...}'
  const r = v as Record<string, unknown>
  if (r.method === 'chair')
    return Array.isArray(r.order) && r.order.every((c) => typeof c === 'string')
      ? undefined
      : 'chair needs "order": candidates, best first'
  if (r.method === 'lot')
    return typeof r.seed === 'number' || typeof r.seed === 'string'
      ? undefined
      : 'lot needs a "seed" (number or string)'
  return 'method must be "chair" or "lot"'
}

const CHECKS: Record<string, Check> = {
  unranked: oneOf('last', 'ignore'),
  strength: oneOf('winning', 'margin', 'ratio', 'opposition'),
  seats: wholeAtLeast(1),
  quota: oneOf('droop', 'droop_exact', 'hare', 'hagenbach_bischoff'),
  transfer: oneOf('gregory', 'meek'),
  start: numberIn(-1e9, 1e9),
  max: numberIn(Number.MIN_VALUE, 1e12),
  points: numberIn(0, 1e12),
  aggregate: oneOf('sum', 'mean', 'median'),
  tie_correction: boolean,
  tie_penalty: numberIn(0, 1),
  exact_limit: (v) => wholeAtLeast(1)(v) ?? ((v as number) > 20 ? 'must be at most 20' : undefined),
  tie_break: tieBreak,
  block_level: wholeAtLeast(0),
  max_blocks: wholeAtLeast(0),
  support_level: wholeAtLeast(0),
  min_support: numberIn(0, 1),
  threshold: oneOf('simple', 'absolute', 'two_thirds'),
  members: wholeAtLeast(1),
  present: wholeAtLeast(0),
  quorum: wholeAtLeast(0),
  abstentions: oneOf('ignore', 'cast'),
  blank: oneOf('ignore', 'cast'),
  invalid: oneOf('ignore', 'cast'),
}

/** The options each method reads; any other option is reported as a warning, never silently used. */
export const METHOD_OPTIONS: Record<MethodName, readonly string[]> = {
  plurality: ['tie_break'],
  two_round_runoff: ['tie_break'],
  approval: ['tie_break'],
  score: ['max', 'aggregate', 'unranked', 'tie_break'],
  star: ['max', 'tie_break'],
  majority_judgment: ['max', 'unranked', 'tie_break'],
  cumulative: ['points', 'tie_break'],
  borda: ['start', 'unranked', 'tie_break'],
  dowdall: ['unranked', 'tie_break'],
  irv: ['tie_break'],
  coombs: ['unranked', 'tie_break'],
  stv: ['seats', 'quota', 'transfer', 'tie_break'],
  schulze: ['strength', 'unranked', 'tie_break'],
  ranked_pairs: ['strength', 'unranked', 'tie_break'],
  copeland: ['unranked', 'tie_break'],
  minimax: ['strength', 'unranked', 'tie_break'],
  kemeny_young: ['unranked', 'exact_limit', 'tie_break'],
  consent: ['block_level', 'max_blocks', 'support_level', 'min_support'],
  motion: ['threshold', 'members', 'present', 'quorum', 'abstentions', 'blank', 'invalid'],
  kendall_w: ['tie_correction'],
  kendall_tau_distance: ['tie_penalty'],
  spearman: [],
}

export type Parsed = { data: Election; warnings: string[] } | { error: string }

export function parseElection(raw: unknown): Parsed {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { error: 'an election must be a JSON object' }
  const e = raw as Record<string, unknown>
  if (typeof e.method !== 'string' || !(METHODS as readonly string[]).includes(e.method)) {
    return { error: `unknown method ${JSON.stringify(e.method)}; use one of ${METHODS.join(', ')}` }
  }
  const method = e.method as MethodName
  let candidates = e.candidates
  if (candidates === undefined && method === 'motion') candidates = ['yes', 'no']
  if (
    !Array.isArray(candidates) ||
    candidates.length === 0 ||
    !candidates.every((c) => typeof c === 'string' && c.length > 0)
  ) {
    return { error: '"candidates" must be a non-empty array of names' }
  }
  const seen = new Set<string>()
  for (const c of candidates as string[]) {
    if (seen.has(c)) return { error: `candidate ${JSON.stringify(c)} is listed twice` }
    seen.add(c)
  }
  if (!Array.isArray(e.ballots)) return { error: '"ballots" must be an array' }
  const bad = e.ballots.findIndex((b) => typeof b !== 'object' || b === null || Array.isArray(b))
  if (bad >= 0) return { error: `ballot ${bad + 1} must be an object` }
  const options = e.options ?? {}
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    return { error: '"options" must be an object' }
  const warnings: string[] = []
  for (const [name, value] of Object.entries(options)) {
    const check = CHECKS[name]
    if (!check) {
      warnings.push(`option "${name}" is not known and was ignored`)
      continue
    }
    const problem = check(value)
    if (problem) return { error: `options.${name} ${problem}` }
    if (!METHOD_OPTIONS[method].includes(name))
      warnings.push(`option "${name}" does not apply to ${method} and was ignored`)
  }
  if (method === 'minimax' || method === 'schulze' || method === 'ranked_pairs') {
    const s = (options as Record<string, unknown>).strength
    const allowed =
      method === 'minimax' ? ['winning', 'margin', 'opposition'] : ['winning', 'margin', 'ratio']
    if (s !== undefined && !allowed.includes(s as string))
      return { error: `options.strength for ${method} must be one of ${allowed.join(', ')}` }
  }
  return { data: { method, candidates: candidates as string[], ballots: e.ballots, options }, warnings }
}
