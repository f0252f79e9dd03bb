import type { BoardConfig, BoardRanking, BoardView, ContestedPair, PriorityId } from '@roundtable/protocol'
import { type BallotInput, consensus, count, type Election } from '@roundtable/tally'

/** Points of W over the session kept per meeting (one per counted burst; a day of bursts is well under this). */
export const SERIES_MAX_POINTS = 500
/** Contested pairs shown: the closest splits. */
const CONTESTED_SHOWN = 5

/**
 * The rankings as an election for `pnpm --silent tally`: what `GET …/board/rankings` returns and what
 * the live aggregate counts, so a recount gives the same order. Each ranking keeps only live areas
 * (an area merged or withdrawn after someone ranked it drops out of their ranking).
 */
export const boardElection = (
  method: BoardConfig['method'],
  candidates: readonly PriorityId[],
  rankings: readonly BoardRanking[],
): Election => {
  const live = new Set<string>(candidates)
  const ballots: BallotInput[] = []
  for (const r of rankings) {
    const tiers = r.map((tier) => tier.filter((id) => live.has(id))).filter((tier) => tier.length > 0)
    if (tiers.length > 0) ballots.push({ ranking: tiers.map((t) => (t.length === 1 ? t[0] : t)) })
  }
  return { method, candidates: [...candidates], ballots, options: { unranked: 'last' } }
}

/** The board's aggregate: the group order by the chosen method, and how far the room agrees. */
export const countBoard = (
  config: BoardConfig,
  candidates: readonly PriorityId[],
  rankings: readonly BoardRanking[],
  series: BoardView['series'],
  at: string,
): BoardView => {
  const election = boardElection(config.method, candidates, rankings)
  const voters = election.ballots.length
  const empty = candidates.length === 0 || voters === 0
  const result = empty ? null : count(election)
  const metrics = empty ? null : consensus({ candidates: election.candidates, ballots: election.ballots })
  const pairwise = metrics?.pairwise ?? {}
  const contested: ContestedPair[] = []
  for (let i = 0; i < candidates.length; i++)
    for (let j = i + 1; j < candidates.length; j++) {
      const a = candidates[i]
      const b = candidates[j]
      const forA = pairwise[a]?.[b] ?? 0
      const forB = pairwise[b]?.[a] ?? 0
      if (forA + forB > 0) contested.push({ a, b, forA, forB })
    }
  // Closest split first (by the share of the larger side), then the pair more people ranked.
  const closeness = (p: ContestedPair) => Math.max(p.forA, p.forB) / (p.forA + p.forB)
  contested.sort((x, y) => closeness(x) - closeness(y) || y.forA + y.forB - (x.forA + x.forB))
  const kendallW = metrics && voters >= 2 ? metrics.W : null
  return {
    ...config,
    ranking: (result?.ranking ?? (candidates.length ? [[...candidates]] : [])) as PriorityId[][],
    voters,
    kendallW,
    agreement: kendallW === null ? null : metrics!.band,
    pairwise,
    condorcetWinner: (metrics?.condorcet_winner ?? null) as PriorityId | null,
    cycles: (metrics?.cycles ?? []) as PriorityId[][],
    contested: contested.slice(0, CONTESTED_SHOWN),
    series,
    explanation: result?.explanation ?? '',
    candidates: [...candidates],
    countedAt: at,
  }
}
