// Consent / fist-to-five: each participant shows 0–5 for each proposal.
import { fail, scoredProfile } from '../ballots.ts'
import { byName, fmt, list, named, range } from '../order.ts'
import type { BallotInput, Result } from '../types.ts'

export interface ConsentInput {
  candidates: string[]
  ballots: BallotInput[]
}

export interface ConsentOptions {
  block_level?: number
  max_blocks?: number
  support_level?: number
  min_support?: number
}

export const CONSENT_DEFAULTS = { block_level: 0, max_blocks: 0, support_level: 3, min_support: 0.5 } as const
const TOP_LEVEL = 5

/**
 * [CON-1] Levels are whole numbers 0–5 (`scores`, or `level` for a single proposal); a proposal a
 * ballot leaves out is not counted for it. [CON-2] A level ≤ `block_level` (0) is a block. A
 * proposal reaches consensus when it has at most `max_blocks` (0) blocks and at least
 * `min_support` (0.5) of its levels are ≥ `support_level` (3). [CON-3] Winners are all proposals
 * that reach consensus; the ranking puts them first, then fewer blocks, then higher mean level.
 */
export function consent({ candidates, ballots }: ConsentInput, options: ConsentOptions = {}): Result {
  const rule = { ...CONSENT_DEFAULTS, ...options }
  for (const [k, v] of Object.entries(rule))
    if (typeof v !== 'number' || v < 0) fail(`options.${k} must be a number ≥ 0`)
  if (rule.min_support > 1) fail('options.min_support is a share between 0 and 1')
  const n = candidates.length
  const profile = scoredProfile(candidates, ballots, 'consent', {
    max: TOP_LEVEL,
    integer: true,
    level: true,
  })
  const levels = range(n).map(() => new Array<number>(TOP_LEVEL + 1).fill(0))
  for (const { values, count } of profile.ballots)
    for (let c = 0; c < n; c++) if (!Number.isNaN(values[c])) levels[c][values[c]] += count
  const mean = new Float64Array(n)
  const details: Record<string, unknown> = {}
  const blocks = new Float64Array(n)
  const reached = new Uint8Array(n)
  for (let c = 0; c < n; c++) {
    const total = levels[c].reduce((s, x) => s + x, 0)
    const sum = levels[c].reduce((s, x, level) => s + x * level, 0)
    blocks[c] = levels[c].slice(0, rule.block_level + 1).reduce((s, x) => s + x, 0)
    const support = levels[c].slice(rule.support_level).reduce((s, x) => s + x, 0)
    mean[c] = total > 0 ? sum / total : 0
    reached[c] =
      total > 0 && blocks[c] <= rule.max_blocks && support >= rule.min_support * total - 1e-9 ? 1 : 0
    details[candidates[c]] = {
      levels: levels[c],
      blocks: blocks[c],
      support,
      responses: total,
      consensus: reached[c] === 1,
    }
  }
  const key = (c: number) => [1 - reached[c], blocks[c], -mean[c]]
  const order = range(n).sort((a, b) => {
    const [x, y] = [key(a), key(b)]
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || a - b
  })
  const tiers: number[][] = []
  for (const c of order) {
    const last = tiers[tiers.length - 1]
    if (last && key(last[0]).every((v, i) => Math.abs(v - key(c)[i]) < 1e-9)) last.push(c)
    else tiers.push([c])
  }
  const winners = range(n)
    .filter((c) => reached[c])
    .map((c) => candidates[c])
  const blocked = range(n)
    .filter((c) => blocks[c] > rule.max_blocks)
    .map((c) => `${candidates[c]} (${fmt(blocks[c])})`)
  return {
    method: 'consent',
    winners,
    ranking: named(candidates, tiers),
    scores: byName(candidates, mean),
    details,
    rule,
    explanation: `${winners.length ? `Consensus on ${list(winners)}.` : 'No proposal reached consensus.'} The rule: at most ${rule.max_blocks} block(s) (level ${rule.block_level} or lower) and at least ${fmt(rule.min_support * 100)}% at level ${rule.support_level} or higher.${blocked.length ? ` Blocked: ${list(blocked)}.` : ''}`,
  }
}
