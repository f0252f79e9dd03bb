// One entry point for every method: count(election) → Result.
import { coombs, irv } from './methods/runoff.ts'
import { plurality, twoRoundRunoff } from './methods/choose-one.ts'
import { approval, cumulative, majorityJudgment, score, star } from './methods/graded.ts'
import { borda, dowdall } from './methods/positional.ts'
import { stv } from './methods/stv.ts'
import { copeland, minimax, rankedPairs, schulze } from './methods/condorcet.ts'
import { kemenyYoung } from './methods/kemeny.ts'
import { consent } from './methods/consent.ts'
import { motion } from './methods/motion.ts'
import { kendallTauDistance, kendallW, spearman } from './metrics.ts'
import { parseElection } from './parse.ts'
import { breakTies } from './tiebreak.ts'
import { type Election, type Result, TallyError } from './types.ts'

function dispatch(e: Election): Result {
  const o = e.options ?? {}
  const input = { candidates: e.candidates, ballots: e.ballots }
  switch (e.method) {
    case 'plurality':
      return plurality(input)
    case 'two_round_runoff':
      return twoRoundRunoff(input)
    case 'approval':
      return approval(input)
    case 'score':
      return score(input, o)
    case 'star':
      return star(input, o)
    case 'majority_judgment':
      return majorityJudgment(input, o)
    case 'cumulative':
      return cumulative(input, o)
    case 'borda':
      return borda(input, o)
    case 'dowdall':
      return dowdall(input, o)
    case 'irv':
      return irv(input, o)
    case 'coombs':
      return coombs(input, o)
    case 'stv':
      return stv(input, o)
    case 'schulze':
      return schulze(input, o as Parameters<typeof schulze>[1])
    case 'ranked_pairs':
      return rankedPairs(input, o as Parameters<typeof rankedPairs>[1])
    case 'copeland':
      return copeland(input, o)
    case 'minimax':
      return minimax(input, o as Parameters<typeof minimax>[1])
    case 'kemeny_young':
      return kemenyYoung(input, o)
    case 'consent':
      return consent(input, o)
    case 'motion':
      return motion(input, o)
    case 'kendall_w':
      return kendallW(input, o)
    case 'kendall_tau_distance':
      return kendallTauDistance(input, o)
    case 'spearman':
      return spearman(input)
    default: {
      const never: never = e.method
      throw new TallyError(`unknown method ${JSON.stringify(never)}`)
    }
  }
}

/** Methods whose winners are not simply the top of the ranking: no tie-break applies. */
const NOT_BREAKABLE = new Set<Election['method']>(['consent', 'motion', 'kendall_tau_distance', 'spearman'])

/**
 * Counts a validated election. Throws TallyError when a ballot or option does not fit the method.
 * [TIE-1] With `options.tie_break`, a tie for the winning place(s) is broken and recorded.
 */
export function count(election: Election): Result {
  let result = dispatch(election)
  const rule = election.options?.tie_break
  const seats = election.method === 'stv' ? (election.options?.seats ?? 1) : 1
  if (rule && !NOT_BREAKABLE.has(election.method) && result.winners.length > seats) {
    const prior = result.tie_break
    result = breakTies(result, election.candidates, rule, seats)
    if (prior && result.tie_break)
      result.tie_break = { ...prior, broken: [...prior.broken, ...result.tie_break.broken] }
  }
  return result
}

export type Counted = { data: Result; warnings: string[] } | { error: string }

/** Parses and counts untrusted JSON; every problem comes back as `{ error }`. */
export function tryCount(raw: unknown): Counted {
  const parsed = parseElection(raw)
  if ('error' in parsed) return parsed
  try {
    return { data: count(parsed.data), warnings: parsed.warnings }
  } catch (err) {
    if (err instanceof TallyError) return { error: err.message }
    throw err
  }
}
