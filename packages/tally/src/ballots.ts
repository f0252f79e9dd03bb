// Turns input ballots into compact, aggregated profiles of candidate indices.
// Identical ballots are merged first so every method works on distinct ballots × count.
import { Grow, HashIndex } from './merge.ts'
import { type BallotInput, TallyError, type Tier } from './types.ts'

/**
 * Distinct ranked ballots in one flat layout (no per-ballot arrays: 10 000 ballots × 20
 * candidates would otherwise be 200 000 small arrays). Distinct ballot b ranks the candidates
 * `cand[start[b]] … cand[start[b + 1] − 1]`, best first; `tier[k]` is the tier (0 = best) of
 * `cand[k]`, so a tie is a run of equal tier numbers, and candidates inside a tier are in index
 * order. Unranked candidates are absent. Ballots are in order of first appearance.
 */
export interface RankedProfile {
  candidates: string[]
  /** Number of distinct non-blank ballots. */
  size: number
  cand: Int32Array
  tier: Int32Array
  /** size + 1 offsets into `cand` / `tier`. */
  start: Int32Array
  /** Weight (number of identical ballots) of each distinct ballot. */
  count: Float64Array
  /** Weighted number of non-blank ballots. */
  voters: number
  /** Weighted number of ballots that rank nobody. */
  blank: number
}

/** The tiers of distinct ballot b as arrays (for code that is not on a hot path). */
export function tiersOf(p: RankedProfile, b: number): number[][] {
  const tiers: number[][] = []
  for (let k = p.start[b]; k < p.start[b + 1]; k++) {
    if (k === p.start[b] || p.tier[k] !== p.tier[k - 1]) tiers.push([])
    tiers[tiers.length - 1].push(p.cand[k])
  }
  return tiers
}

/** Tier of each candidate on distinct ballot b written into `pos`; `unranked` where absent. */
export function positionsInto(p: RankedProfile, b: number, pos: Int32Array, unranked: number): void {
  pos.fill(unranked)
  for (let k = p.start[b], end = p.start[b + 1]; k < end; k++) pos[p.cand[k]] = p.tier[k]
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

/**
 * Name → index as a prototype-less object: a keyed property load is about twice as fast as
 * Map.get, and 10 000 ballots × 20 candidates are 200 000 lookups. No prototype, so names like
 * "constructor" or "__proto__" are only ever own properties.
 */
function nameLookup(candidates: string[]): Record<string, number | undefined> {
  const lookup: Record<string, number | undefined> = Object.create(null)
  for (let c = 0; c < candidates.length; c++) lookup[candidates[c]] = c
  return lookup
}

function unknownCandidate(name: unknown, i: number): never {
  fail(`ballot ${i + 1}: unknown candidate ${JSON.stringify(name)}`)
}

/**
 * Parses rankings into the flat layout and merges identical ones. Each ranking is read straight
 * into the free space after the distinct ballots kept so far and hashed as it is read; a hash hit
 * is confirmed by comparing it with the earlier ballot, and a ranking seen before is simply not
 * kept (no string keys, no copying). Errors name the first bad ballot, as before.
 */
export function rankedProfile(candidates: string[], ballots: BallotInput[], method: string): RankedProfile {
  const n = candidates.length
  const lookup = nameLookup(candidates)
  const stamp = new Uint32Array(n) // stamp[c] === i + 1: c already seen on ballot i (no Set per ballot)
  const tieScratch: number[] = []
  // Room for every ballot as a full ranking, up to 2^18 entries (1 MB) before the first doubling.
  let capacity = Math.max(16, Math.min(ballots.length * n, 1 << 18))
  let cand = new Int32Array(capacity)
  let tier = new Int32Array(capacity)
  // Per distinct ballot: sized for every ballot distinct (up to 65 536) so nothing regrows.
  const room = Math.max(16, Math.min(ballots.length, 1 << 16))
  const start = new Grow(room + 1)
  let counts = new Float64Array(room)
  let size = 0
  let used = 0 // entries of `cand` / `tier` taken by the distinct ballots so far
  let len = 0 // entries of the ballot being read, at cand[used …]
  // Distinct ballots by hash: a power-of-two table of chains (an inline HashIndex: a callback
  // would capture `cand`, `used` and `len`, and the hot loop would then keep them in memory).
  let heads = new Int32Array(2 ** Math.ceil(Math.log2(2 * room))).fill(-1)
  let next = new Int32Array(room)
  let hashes = new Int32Array(room)
  start.push(0)
  let voters = 0
  let blank = 0
  for (let i = 0; i < ballots.length; i++) {
    const ballot = ballots[i]
    const count = ballotCount(ballot, i)
    let ranking: Tier[]
    if (ballot.ranking !== undefined) ranking = ballot.ranking
    else if (ballot.choice !== undefined) ranking = [ballot.choice]
    else fail(`ballot ${i + 1}: ${method} counts ranked ballots ("ranking" or "choice")`)
    if (!Array.isArray(ranking)) fail(`ballot ${i + 1}: ranking must be an array`)
    if (used + n > capacity) {
      // room for one more full ranking (a valid ranking names each candidate at most once)
      capacity = Math.max(capacity * 2, used + n)
      const biggerCand = new Int32Array(capacity)
      biggerCand.set(cand.subarray(0, used))
      cand = biggerCand
      const biggerTier = new Int32Array(capacity)
      biggerTier.set(tier.subarray(0, used))
      tier = biggerTier
    }
    const gen = i + 1
    len = 0
    let t = 0
    // A hash of what was read (not of how it was written: "A" and ["A"] are the same tier).
    let hash = 0x811c9dc5
    for (let e = 0; e < ranking.length; e++) {
      const entry = ranking[e]
      if (typeof entry === 'string') {
        const c = lookup[entry]
        if (c === undefined) unknownCandidate(entry, i)
        if (stamp[c] === gen) fail(`ballot ${i + 1}: ${entry} is ranked twice`)
        stamp[c] = gen
        cand[used + len] = c
        tier[used + len++] = t
        hash = Math.imul(hash ^ (c | (t << 16)), 0x01000193)
        t++
        continue
      }
      if (!Array.isArray(entry)) unknownCandidate(entry, i)
      if (entry.length === 0) continue
      tieScratch.length = 0
      for (const name of entry) {
        const c = typeof name === 'string' ? lookup[name] : undefined
        if (c === undefined) unknownCandidate(name, i)
        if (stamp[c] === gen) fail(`ballot ${i + 1}: ${name} is ranked twice`)
        stamp[c] = gen
        tieScratch.push(c)
      }
      tieScratch.sort((a, b) => a - b)
      for (const c of tieScratch) {
        cand[used + len] = c
        tier[used + len++] = t
        hash = Math.imul(hash ^ (c | (t << 16)), 0x01000193)
      }
      t++
    }
    if (count === 0) continue
    if (len === 0) {
      blank += count
      continue
    }
    voters += count
    hash = Math.imul(hash ^ len, 0x01000193)
    let b = heads[hash & (heads.length - 1)]
    while (
      b >= 0 &&
      (hashes[b] !== hash || !sameRanking(cand, tier, start.data[b], start.data[b + 1], used, len))
    )
      b = next[b]
    if (b >= 0) {
      counts[b] += count
      continue
    }
    if (size === counts.length) {
      counts = grown(counts, size * 2)
      next = grown(next, size * 2)
      hashes = grown(hashes, size * 2)
    }
    counts[size] = count
    hashes[size] = hash
    if (size >= heads.length >> 1) {
      // keep the table at most half full
      heads = new Int32Array(heads.length * 2).fill(-1)
      for (let e = 0; e < size; e++) {
        const at = hashes[e] & (heads.length - 1)
        next[e] = heads[at]
        heads[at] = e
      }
    }
    const at = hash & (heads.length - 1)
    next[size] = heads[at]
    heads[at] = size++
    used += len
    start.push(used)
  }
  return {
    candidates,
    size,
    // Views, not copies: at most one spare full ranking's worth plus the last doubling.
    cand: cand.subarray(0, used),
    tier: tier.subarray(0, used),
    start: start.done(),
    count: counts.slice(0, size),
    voters,
    blank,
  }
}

function grown<T extends Int32Array | Float64Array>(a: T, length: number): T {
  const bigger = new (a.constructor as new (length: number) => T)(length)
  bigger.set(a)
  return bigger
}

/** Ballot entries [from, to) equal to the `len` entries being read at `at`. */
function sameRanking(
  cand: Int32Array,
  tier: Int32Array,
  from: number,
  to: number,
  at: number,
  len: number,
): boolean {
  if (to - from !== len) return false
  for (let k = 0; k < len; k++) {
    if (cand[from + k] !== cand[at + k] || tier[from + k] !== tier[at + k]) return false
  }
  return true
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

/**
 * Score / grade / approval ballots. Identical ballots are merged by hashing each ballot's values
 * (NaN = unscored) and confirming a hit value by value, as rankedProfile does: no string keys.
 */
export function scoredProfile(
  candidates: string[],
  ballots: BallotInput[],
  method: string,
  rules: ScoreRules,
): ScoredProfile {
  const index = indexCandidates(candidates)
  const n = candidates.length
  const merged: ScoredBallot[] = []
  const values = new Float64Array(n) // scratch: the ballot being read
  const known = new HashIndex((b) => sameValues(merged[b].values, values))
  let block = new Float64Array(0)
  let used = 0
  let voters = 0
  for (let i = 0; i < ballots.length; i++) {
    const ballot = ballots[i]
    const count = ballotCount(ballot, i)
    values.fill(Number.NaN)
    if (ballot.scores !== undefined) {
      const scores = ballot.scores
      if (typeof scores !== 'object' || scores === null || Array.isArray(scores)) {
        fail(`ballot ${i + 1}: scores must be an object of candidate → number`)
      }
      for (const name of Object.keys(scores)) {
        const c = candidateAt(index, name, i)
        const value = scores[name]
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
    if (count === 0) continue
    voters += count
    let hash = 0x811c9dc5
    for (let c = 0; c < n; c++) {
      const v = values[c]
      // Equal values (0 and −0 included) hash alike; NaN gets its own mark so "unscored" ≠ 0.
      hash = Math.imul(hash ^ (Number.isNaN(v) ? 0x5bd1e995 : (v * 1000003) | 0), 0x01000193)
    }
    const b = known.find(hash)
    if (b >= 0) {
      merged[b].count += count
      continue
    }
    known.add(hash)
    // Views into shared blocks: one typed array allocation per ballot is a third of the time.
    if (used + n > block.length) {
      block = new Float64Array(256 * n)
      used = 0
    }
    const kept = block.subarray(used, used + n)
    used += n
    kept.set(values)
    merged.push({ values: kept, count })
  }
  return { candidates, ballots: merged, voters }
}

/** Same values position by position, NaN (unscored) equal to NaN. */
function sameValues(a: Float64Array, b: Float64Array): boolean {
  for (let c = 0; c < a.length; c++) {
    const x = a[c]
    const y = b[c]
    if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return false
  }
  return true
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
