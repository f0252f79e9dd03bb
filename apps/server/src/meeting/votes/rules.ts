import { createHash } from 'node:crypto'
import type { MethodComparison, VoteMethod, VoteResult, VoteRules, VoteView } from '@roundtable/protocol'
import { type BallotInput, count, type Election, type Options, type TieBreakRule } from '@roundtable/tally'

/** JSON with object keys sorted at every level: the same rules always hash the same. */
const canonical = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(canonical).join(',')}]`
    : v !== null && typeof v === 'object'
      ? `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(v)

/** [V-HASH] SHA-256 of the rules and options as opened: shown on the ballot and in the result. */
export const rulesHash = (rules: VoteRules): string =>
  createHash('sha256').update(canonical(rules)).digest('hex')

/** Methods counting one proposal rather than choosing among options. */
const SINGLE_PROPOSAL = new Set<VoteMethod>(['motion', 'consent'])

/** The tally options a vote's rules make. */
const optionsOf = (rules: VoteRules, tieBreak?: TieBreakRule): Options => ({
  ...(rules.methodOptions as Options),
  ...(rules.seats !== null && rules.method === 'stv' ? { seats: rules.seats } : {}),
  ...(rules.threshold !== null && rules.method === 'motion' ? { threshold: rules.threshold } : {}),
  ...(tieBreak ? { tie_break: tieBreak } : {}),
})

/** The election a vote's ballots make: what `GET …/ballots` returns, for `pnpm --silent tally`. */
export const electionOf = (
  rules: VoteRules,
  ballots: readonly BallotInput[],
  method: VoteMethod = rules.method,
  tieBreak?: TieBreakRule,
): Election => ({
  method,
  candidates: method === 'motion' ? ['yes', 'no'] : rules.options.map((o) => o.id),
  ballots: [...ballots],
  options: optionsOf({ ...rules, method }, tieBreak),
})

/**
 * [V-FIT] A ballot fits the vote exactly when the tally package counts it: the package's own
 * checks (unknown option, duplicate rank, score out of range, over the points budget, empty where
 * not allowed) decide. The reason, or null.
 */
export const ballotProblem = (rules: VoteRules, ballot: BallotInput): string | null => {
  try {
    count(electionOf(rules, [ballot]))
    return null
  } catch (err) {
    return (err as Error).message.replace(/^ballot 1: /, '')
  }
}

/** Which other methods read the same ballots (a ranked ballot is read by every ranked method, …). */
const FAMILIES: readonly (readonly VoteMethod[])[] = [
  [
    'schulze',
    'ranked_pairs',
    'copeland',
    'minimax',
    'kemeny_young',
    'borda',
    'dowdall',
    'irv',
    'coombs',
    'two_round_runoff',
    'plurality',
  ],
  ['score', 'star', 'majority_judgment'],
]

const NAMES: Record<VoteMethod, string> = {
  schulze: 'Schulze',
  ranked_pairs: 'Ranked pairs',
  copeland: 'Copeland',
  minimax: 'Minimax',
  kemeny_young: 'Kemeny–Young',
  borda: 'Borda',
  dowdall: 'Dowdall',
  irv: 'IRV',
  coombs: 'Coombs',
  stv: 'STV',
  plurality: 'Plurality',
  two_round_runoff: 'Two-round runoff',
  approval: 'Approval',
  score: 'Score',
  star: 'STAR',
  majority_judgment: 'Majority judgment',
  cumulative: 'Cumulative',
  consent: 'Consent',
  motion: 'Motion',
}

/** Whether other methods read this method's ballots (so a comparison can sit beside its result). */
export const hasComparison = (method: VoteMethod): boolean => FAMILIES.some((f) => f.includes(method))

/** [V-COMPARE] One line on how the methods agree: "A wins under 7 of 8 methods; IRV picks B". */
export const verdictOf = (comparison: readonly MethodComparison[], label: (id: string) => string): string => {
  if (comparison.length < 2) return ''
  const key = (c: MethodComparison) => [...c.winners].sort().join(' = ')
  const groups = new Map<string, MethodComparison[]>()
  for (const c of comparison) groups.set(key(c), [...(groups.get(key(c)) ?? []), c])
  const [top, ...rest] = [...groups.values()].sort((a, b) => b.length - a.length)
  const who = (c: MethodComparison) => c.winners.map(label).join(' and ') || 'nobody'
  const lead = `${who(top[0])} ${top[0].winners.length > 1 ? 'tie' : 'wins'} under ${top.length} of ${comparison.length} methods`
  if (rest.length === 0)
    return `${who(top[0])} ${top[0].winners.length > 1 ? 'tie' : 'wins'} under every method`
  return `${lead}; ${rest.map((g) => `${g.map((c) => NAMES[c.method]).join(', ')} ${g.length > 1 ? 'pick' : 'picks'} ${who(g[0])}`).join('; ')}`
}

/** Counts a closed vote: the result by its method, and beside it every other method of its family. */
export const countVote = (
  rules: VoteRules,
  ballots: readonly BallotInput[],
  tieBreak?: TieBreakRule,
  opts: { compare?: boolean } = {},
): NonNullable<VoteView['result']> => {
  const main = count(electionOf(rules, ballots, rules.method, tieBreak)) as VoteResult
  const family = FAMILIES.find((f) => f.includes(rules.method))
  const comparison: MethodComparison[] = []
  if (family && ballots.length > 0 && opts.compare !== false)
    for (const method of family) {
      if (method === rules.method) {
        comparison.push({ method, winners: main.winners, ranking: main.ranking })
        continue
      }
      try {
        const r = count(electionOf({ ...rules, methodOptions: {} }, ballots, method))
        comparison.push({ method, winners: r.winners, ranking: r.ranking })
      } catch {
        // A method that cannot read these ballots (a ranking left empty, say) is left out.
      }
    }
  const label = (id: string) => rules.options.find((o) => o.id === id)?.label ?? id
  const seats = rules.method === 'stv' ? (rules.seats ?? 1) : 1
  const weight = ballots.reduce((n, b) => n + (b.count ?? 1), 0)
  return {
    ...main,
    quorumMet: rules.quorum === null || weight >= rules.quorum,
    tie: !SINGLE_PROPOSAL.has(rules.method) && main.winners.length > seats,
    comparison,
    verdict: verdictOf(comparison, label),
    ballots: ballots.length,
  }
}
