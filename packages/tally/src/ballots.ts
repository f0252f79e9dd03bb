// Turns input ballots into compact, aggregated profiles of candidate indices.
// Identical ballots are merged first so every method works on distinct ballots × count.
import { type BallotInput, TallyError, type Tier } from './types.ts'

export interface RankedBallot {
  /** Tiers of candidate indices, best first. Unranked candidates are absent. */
  tiers: number[][]
  count: number
}

export interface RankedProfile {
  candidates: string[]
  ballots: RankedBallot[]
  /** Weighted number of non-blank ballots. */
  voters: number
  /** Weighted number of ballots that rank nobody. */
  blank: number
}

export interface ScoredBallot {
  /** One value per candidate; NaN where the ballot gives the candidate no score. */
  values: Float64Array
  count: number
}

export interface ScoredProfile {
  candidates: string[]
  ballots: ScoredBallot[]
  voters: number
}

export function fail(message: string): never {
  throw new TallyError(message)
}

export function ballotCount(ballot: BallotInput, i: number): number {
  const count = ballot.count ?? 1
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
    fail(`ballot ${i + 1}: count must be a whole number ≥ 0, got ${JSON.stringify(ballot.count)}`)
  }
  return count
}

export function indexCandidates(candidates: string[]): Map<string, number> {
  const index = new Map<string, number>()
  for (const [i, c] of candidates.entries()) index.set(c, i)
  return index
}

function candidateAt(index: Map<string, number>, name: unknown, i: number): number {
  const at = typeof name === 'string' ? index.get(name) : undefined
  if (at === undefined) fail(`ballot ${i + 1}: unknown candidate ${JSON.stringify(name)}`)
  return at
}

/** Parses one ranking into tiers and a key identifying it; `stamp`/`gen` detect repeats without a Set. */
function parseTiers(
  ranking: Tier[],
  index: Map<string, number>,
  i: number,
  stamp: Uint32Array,
  gen: number,
): { tiers: number[][]; key: string } {
  if (!Array.isArray(ranking)) fail(`ballot ${i + 1}: ranking must be an array`)
  const tiers: number[][] = []
  let key = ''
  const take = (name: unknown) => {
    const c = candidateAt(index, name, i)
    if (stamp[c] === gen) fail(`ballot ${i + 1}: ${name} is ranked twice`)
    stamp[c] = gen
    return c
  }
  for (const entry of ranking) {
    if (!Array.isArray(entry)) {
      const c = take(entry)
      tiers.push([c])
      key += `${c}>`
      continue
    }
    if (entry.length === 0) continue
    const tier = entry.map(take).sort((a, b) => a - b)
    tiers.push(tier)
    key += `${tier.join(',')}>`
  }
  return { tiers, key }
}

/** Ranked ballots; a `choice` is a ranking of one. Other ballot kinds do not fit. */
export function rankedProfile(candidates: string[], ballots: BallotInput[], method: string): RankedProfile {
  const index = indexCandidates(candidates)
  const merged = new Map<string, RankedBallot>()
  let voters = 0
  let blank = 0
  const stamp = new Uint32Array(candidates.length)
  ballots.forEach((ballot, i) => {
    const count = ballotCount(ballot, i)
    let parsed: { tiers: number[][]; key: string }
    if (ballot.ranking !== undefined) parsed = parseTiers(ballot.ranking, index, i, stamp, i + 1)
    else if (ballot.choice !== undefined) parsed = parseTiers([ballot.choice], index, i, stamp, i + 1)
    else fail(`ballot ${i + 1}: ${method} counts ranked ballots ("ranking" or "choice")`)
    const { tiers, key } = parsed
    if (count === 0) return
    if (tiers.length === 0) {
      blank += count
      return
    }
    voters += count
    const known = merged.get(key)
    if (known) known.count += count
    else merged.set(key, { tiers, count })
  })
  return { candidates, ballots: [...merged.values()], voters, blank }
}

export interface ScoreRules {
  /** Highest allowed value; undefined means no upper bound. */
  max?: number
  integer?: boolean
  /** Approval ballots are accepted and read as 1 for approved, 0 for the rest. */
  approvals?: boolean
  /** A `level` ballot is accepted when there is exactly one candidate. */
  level?: boolean
}

/** Score / grade / approval ballots. */
export function scoredProfile(
  candidates: string[],
  ballots: BallotInput[],
  method: string,
  rules: ScoreRules,
): ScoredProfile {
  const index = indexCandidates(candidates)
  const n = candidates.length
  const merged = new Map<string, ScoredBallot>()
  let voters = 0
  ballots.forEach((ballot, i) => {
    const count = ballotCount(ballot, i)
    const values = new Float64Array(n).fill(Number.NaN)
    if (ballot.scores !== undefined) {
      if (typeof ballot.scores !== 'object' || ballot.scores === null || Array.isArray(ballot.scores)) {
        fail(`ballot ${i + 1}: scores must be an object of candidate → number`)
      }
      for (const [name, value] of Object.entries(ballot.scores)) {
        const c = candidateAt(index, name, i)
        checkValue(value, rules, i, name)
        values[c] = value
      }
    } else if (rules.approvals && ballot.approvals !== undefined) {
      if (!Array.isArray(ballot.approvals)) fail(`ballot ${i + 1}: approvals must be an array`)
      values.fill(0)
      for (const name of ballot.approvals) {
        const c = candidateAt(index, name, i)
        if (values[c] === 1) fail(`ballot ${i + 1}: ${name} is approved twice`)
        values[c] = 1
      }
    } else if (rules.level && ballot.level !== undefined) {
      if (n !== 1) fail(`ballot ${i + 1}: "level" needs exactly one candidate; use "scores" for several`)
      checkValue(ballot.level, rules, i, candidates[0])
      values[0] = ballot.level
    } else {
      const kinds = ['"scores"', rules.approvals ? '"approvals"' : '', rules.level ? '"level"' : '']
      fail(`ballot ${i + 1}: ${method} counts ${kinds.filter(Boolean).join(' or ')} ballots`)
    }
    if (count === 0) return
    voters += count
    let key = ''
    for (const v of values) key += `${v},`
    const known = merged.get(key)
    if (known) known.count += count
    else merged.set(key, { values, count })
  })
  return { candidates, ballots: [...merged.values()], voters }
}

function checkValue(value: unknown, rules: ScoreRules, i: number, name: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    fail(`ballot ${i + 1}: the value for ${name} must be a number ≥ 0, got ${JSON.stringify(value)}`)
  }
  if (rules.integer && !Number.isInteger(value)) {
    fail(`ballot ${i + 1}: the value for ${name} must be a whole number, got ${value}`)
  }
  if (rules.max !== undefined && value > rules.max) {
    fail(`ballot ${i + 1}: the value ${value} for ${name} is above the maximum ${rules.max} (options.max)`)
  }
}
