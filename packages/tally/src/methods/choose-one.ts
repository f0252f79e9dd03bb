// Choose-one methods: plurality and the two-round runoff (second round read from the rankings).
import { rankedProfile } from '../ballots.ts'
import { byName, fmt, list, named, range, same, tiersByScore, winnersSentence } from '../order.ts'
import type { BallotInput, Result } from '../types.ts'
import { allContinuing, firstPreferences } from './first-preferences.ts'

export interface ChooseOneInput {
  candidates: string[]
  ballots: BallotInput[]
}

/** [PLU-1] Each ballot counts for its first choice; most votes wins. */
export function plurality({ candidates, ballots }: ChooseOneInput): Result {
  const profile = rankedProfile(candidates, ballots, 'plurality')
  const { counts } = firstPreferences(profile, allContinuing(candidates.length))
  const tiers = tiersByScore(range(candidates.length), counts)
  const ranking = named(candidates, tiers)
  const winners = profile.voters > 0 ? ranking[0] : []
  return {
    method: 'plurality',
    winners,
    ranking,
    scores: byName(candidates, counts),
    blank: profile.blank,
    explanation: `${winnersSentence(winners, `with the most first choices (${fmt(profile.voters > 0 ? counts[tiers[0][0]] : 0)} of ${fmt(profile.voters)})`)}`,
  }
}

/**
 * [TRR-1] A candidate with more than half of the valid first choices wins outright.
 * [TRR-2] Otherwise the two with the most first choices go to a runoff (everyone tied for a
 * runoff place goes too); each ballot counts for the finalist it ranks higher.
 */
export function twoRoundRunoff({ candidates, ballots }: ChooseOneInput): Result {
  const n = candidates.length
  const profile = rankedProfile(candidates, ballots, 'two_round_runoff')
  const first = firstPreferences(profile, allContinuing(n)).counts
  const tiers1 = tiersByScore(range(n), first)
  const round1 = byName(candidates, first)
  const top = tiers1[0]?.[0]
  if (profile.voters === 0) {
    return {
      method: 'two_round_runoff',
      winners: [],
      ranking: named(candidates, tiers1),
      rounds: [round1],
      explanation: 'No valid ballots were cast.',
    }
  }
  if (first[top] > profile.voters / 2 && !same(first[top], profile.voters / 2)) {
    const winners = [candidates[top]]
    return {
      method: 'two_round_runoff',
      winners,
      ranking: named(candidates, tiers1),
      rounds: [round1],
      explanation: `${winners[0]} has ${fmt(first[top])} of ${fmt(profile.voters)} first choices, more than half, and wins in the first round.`,
    }
  }
  const finalists: number[] = []
  for (const tier of tiers1) {
    if (finalists.length >= 2) break
    finalists.push(...tier)
  }
  const inRunoff = new Uint8Array(n)
  for (const c of finalists) inRunoff[c] = 1
  const second = firstPreferences(profile, inRunoff)
  const tiers2 = tiersByScore(finalists, second.counts)
  const rest = tiers1.map((t) => t.filter((c) => !inRunoff[c])).filter((t) => t.length > 0)
  const ranking = named(candidates, [...tiers2, ...rest])
  const winners = ranking[0]
  const counts2 = finalists.map((c) => `${candidates[c]} ${fmt(second.counts[c])}`).join(', ')
  return {
    method: 'two_round_runoff',
    winners,
    ranking,
    rounds: [round1, byName(candidates, second.counts, finalists)],
    exhausted: [0, second.exhausted],
    explanation: `Nobody had more than half of the first choices, so ${list(finalists.map((c) => candidates[c]))} went to a runoff (${counts2}). ${winnersSentence(winners, 'the runoff')}`,
  }
}
