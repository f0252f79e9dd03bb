// Graded methods: every voter gives each candidate a number (approval, score, STAR, majority
// judgment, cumulative / dot voting).
import { fail, type ScoredProfile, scoredProfile } from '../ballots.ts'
import { byName, fmt, list, named, range, tiersByScore, winnersSentence } from '../order.ts'
import type { BallotInput, Result } from '../types.ts'

export interface GradedInput {
  candidates: string[]
  ballots: BallotInput[]
}

type Unscored = 'last' | 'ignore'

function sums(profile: ScoredProfile): Float64Array {
  const out = new Float64Array(profile.candidates.length)
  for (const { values, count } of profile.ballots) {
    for (let c = 0; c < values.length; c++) if (!Number.isNaN(values[c])) out[c] += values[c] * count
  }
  return out
}

function simpleResult(
  method: Result['method'],
  candidates: string[],
  scores: Float64Array,
  why: string,
  extra: Partial<Result> = {},
): Result {
  const ranking = named(candidates, tiersByScore(range(candidates.length), scores))
  return {
    method,
    winners: ranking[0] ?? [],
    ranking,
    scores: byName(candidates, scores),
    ...extra,
    explanation: winnersSentence(ranking[0] ?? [], why),
  }
}

/** [APP-1] Each approval is one point; most approvals wins. */
export function approval({ candidates, ballots }: GradedInput): Result {
  const profile = scoredProfile(candidates, ballots, 'approval', { approvals: true, max: 1, integer: true })
  return simpleResult('approval', candidates, sums(profile), `with the most approvals`)
}

export interface ScoreOptions {
  max?: number
  aggregate?: 'sum' | 'mean' | 'median'
  unranked?: Unscored
}

/** Weighted median; with an even weight the two middle values are averaged. */
function median(pairs: [number, number][]): number {
  const total = pairs.reduce((s, [, w]) => s + w, 0)
  if (total === 0) return 0
  pairs.sort((a, b) => a[0] - b[0])
  const at = (k: number) => {
    let seen = 0
    for (const [v, w] of pairs) {
      seen += w
      if (k < seen) return v
    }
    return pairs[pairs.length - 1][0]
  }
  return (at(Math.floor((total - 1) / 2)) + at(Math.floor(total / 2))) / 2
}

function valuesOf(profile: ScoredProfile, c: number, unscored: Unscored): [number, number][] {
  const out: [number, number][] = []
  for (const { values, count } of profile.ballots) {
    const v = values[c]
    if (Number.isNaN(v)) {
      if (unscored === 'last') out.push([0, count])
    } else out.push([v, count])
  }
  return out
}

/**
 * [SCO-1] Score (range) voting: `aggregate` is "sum" (default), "mean" or "median".
 * [SCO-2] An unscored candidate counts as 0 (`unranked: "last"`) or is left out of that ballot's
 * mean and median (`unranked: "ignore"`).
 */
export function score({ candidates, ballots }: GradedInput, options: ScoreOptions = {}): Result {
  const aggregate = options.aggregate ?? 'sum'
  const unscored = options.unranked ?? 'last'
  const profile = scoredProfile(candidates, ballots, 'score', { max: options.max })
  let scores: Float64Array
  if (aggregate === 'sum') scores = sums(profile)
  else {
    scores = new Float64Array(candidates.length)
    for (let c = 0; c < candidates.length; c++) {
      const vs = valuesOf(profile, c, unscored)
      const weight = vs.reduce((s, [, w]) => s + w, 0)
      scores[c] =
        aggregate === 'median'
          ? median(vs)
          : weight === 0
            ? 0
            : vs.reduce((s, [v, w]) => s + v * w, 0) / weight
    }
  }
  return simpleResult('score', candidates, scores, `with the highest ${aggregate} score`, { aggregate })
}

export interface StarOptions {
  max?: number
}

/**
 * [STAR-1] Scoring round: the two highest score totals go to the runoff (all tied for a place go).
 * [STAR-2] Automatic runoff: each ballot supports the finalist it scores higher; equal scores
 * support neither. [STAR-3] A runoff tie goes to the finalist with the higher score total; if
 * still equal the tie stands. With more than two finalists, the one preferred to each other
 * finalist wins; if none is, the finalists are tied.
 */
export function star({ candidates, ballots }: GradedInput, options: StarOptions = {}): Result {
  const n = candidates.length
  const profile = scoredProfile(candidates, ballots, 'star', { max: options.max ?? 5, integer: true })
  const totals = sums(profile)
  const tiers = tiersByScore(range(n), totals)
  const finalists: number[] = []
  for (const tier of tiers) {
    if (finalists.length >= 2) break
    finalists.push(...tier)
  }
  // prefer[a][b]: weight of ballots scoring a above b (unscored = 0)
  const prefers = (a: number, b: number) => {
    let w = 0
    for (const { values, count } of profile.ballots) if ((values[a] || 0) > (values[b] || 0)) w += count
    return w
  }
  const runoff = new Float64Array(n)
  const beats = (a: number, b: number) => {
    const ab = prefers(a, b)
    const ba = prefers(b, a)
    return ab > ba || (ab === ba && totals[a] > totals[b])
  }
  let winnerTier: number[]
  let runoffText: string
  if (finalists.length === 2) {
    const [a, b] = finalists
    runoff[a] = prefers(a, b)
    runoff[b] = prefers(b, a)
    winnerTier = beats(a, b) ? [a] : beats(b, a) ? [b] : [a, b]
    runoffText = `In the runoff ${candidates[a]} is preferred on ${fmt(runoff[a])} ballots and ${candidates[b]} on ${fmt(runoff[b])}.`
  } else {
    for (const a of finalists) for (const b of finalists) if (a !== b) runoff[a] += prefers(a, b)
    const top = finalists.find((a) => finalists.every((b) => a === b || beats(a, b)))
    winnerTier = top === undefined ? finalists : [top]
    runoffText = `${list(finalists.map((c) => candidates[c]))} tied for the runoff and were compared head to head.`
  }
  if (profile.voters === 0) winnerTier = []
  const others = finalists.filter((c) => !winnerTier.includes(c))
  const rest = tiers.map((t) => t.filter((c) => !finalists.includes(c))).filter((t) => t.length > 0)
  const ranking = named(
    candidates,
    [winnerTier, ...(others.length ? [others] : []), ...rest].filter((t) => t.length),
  )
  const winners = winnerTier.map((c) => candidates[c])
  return {
    method: 'star',
    winners,
    ranking,
    scores: byName(candidates, totals),
    rounds: [byName(candidates, totals), byName(candidates, runoff, finalists)],
    explanation: `${list(finalists.map((c) => candidates[c]))} had the highest score totals. ${runoffText} ${winnersSentence(winners, 'STAR')}`,
  }
}

export interface JudgmentOptions {
  max?: number
  unranked?: Unscored
}

/** Grades in the order majority judgment removes them: the lower median first, then outward. */
function majorityValue(hist: Float64Array, total: number): () => number | undefined {
  // cumulative counts let us read the grade at any sorted position without expanding ballots
  const cum = new Float64Array(hist.length)
  let s = 0
  for (let g = 0; g < hist.length; g++) {
    s += hist[g]
    cum[g] = s
  }
  const gradeAt = (pos: number) => {
    let lo = 0
    let hi = hist.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cum[mid] > pos) hi = mid
      else lo = mid + 1
    }
    return lo
  }
  let left = Math.floor((total - 1) / 2) // next candidate position on the lower side
  let right = left + 1
  let leftSize = left + 1
  let rightSize = total - leftSize
  return () => {
    if (leftSize + rightSize === 0) return undefined
    const idx = Math.floor((leftSize + rightSize - 1) / 2)
    if (idx < leftSize) {
      leftSize--
      return gradeAt(left--)
    }
    rightSize--
    return gradeAt(right++)
  }
}

/**
 * [MJ-1] Grades are whole numbers 0..max, higher is better; a missing grade is the lowest grade
 * (`unranked: "last"`) or left out (`"ignore"`). [MJ-2] The majority grade is the lower median.
 * [MJ-3] Candidates with equal majority grades are compared by removing one median grade at a
 * time from each until they differ; if they never differ they are tied.
 */
export function majorityJudgment(
  { candidates, ballots }: GradedInput,
  options: JudgmentOptions = {},
): Result {
  const n = candidates.length
  const unscored = options.unranked ?? 'last'
  const profile = scoredProfile(candidates, ballots, 'majority_judgment', { max: options.max, integer: true })
  let top = 0
  for (const { values } of profile.ballots) for (const v of values) if (v > top) top = v
  const hists = range(n).map(() => new Float64Array(top + 1))
  const totals = new Float64Array(n)
  for (const { values, count } of profile.ballots) {
    for (let c = 0; c < n; c++) {
      const v = Number.isNaN(values[c]) ? (unscored === 'last' ? 0 : -1) : values[c]
      if (v < 0) continue
      hists[c][v] += count
      totals[c] += count
    }
  }
  const compare = (a: number, b: number) => {
    const ga = majorityValue(hists[a], totals[a])
    const gb = majorityValue(hists[b], totals[b])
    for (;;) {
      const x = ga()
      const y = gb()
      if (x === undefined || y === undefined) return 0
      if (x !== y) return y - x
    }
  }
  const order = range(n).sort((a, b) => compare(a, b) || a - b)
  const tiers: number[][] = []
  for (const c of order) {
    const last = tiers[tiers.length - 1]
    if (last && compare(last[0], c) === 0) last.push(c)
    else tiers.push([c])
  }
  const grades = new Float64Array(n)
  const details: Record<string, { grade: number; above: number; below: number }> = {}
  for (let c = 0; c < n; c++) {
    grades[c] = totals[c] > 0 ? (majorityValue(hists[c], totals[c])() ?? 0) : 0
    let above = 0
    let below = 0
    for (let g = 0; g <= top; g++) {
      if (g > grades[c]) above += hists[c][g]
      if (g < grades[c]) below += hists[c][g]
    }
    details[candidates[c]] = { grade: grades[c], above, below }
  }
  const ranking = named(candidates, tiers)
  const winners = profile.voters > 0 ? ranking[0] : []
  return {
    method: 'majority_judgment',
    winners,
    ranking,
    scores: byName(candidates, grades),
    details,
    explanation: `${winnersSentence(winners, 'with the best majority grade')} The majority grade is the grade a majority gives at least; equal grades are separated by removing median grades one at a time.`,
  }
}

export interface CumulativeOptions {
  points?: number
}

/** [CUM-1] Each voter spreads at most `points` points (when given) over the candidates; most points wins. */
export function cumulative({ candidates, ballots }: GradedInput, options: CumulativeOptions = {}): Result {
  const profile = scoredProfile(candidates, ballots, 'cumulative', {})
  const budget = options.points
  if (budget !== undefined) {
    profile.ballots.forEach(({ values }) => {
      const spent = values.reduce((s, v) => s + (Number.isNaN(v) ? 0 : v), 0)
      if (spent > budget + 1e-9)
        fail(`a ballot spends ${fmt(spent)} points, more than the budget of ${budget} (options.points)`)
    })
  }
  return simpleResult('cumulative', candidates, sums(profile), 'with the most points')
}
