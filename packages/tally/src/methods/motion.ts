// Motions: yes / no / abstain against a threshold, with quorum as a separate precondition.
import { ballotCount, fail } from '../ballots.ts'
import type { BallotInput, MotionVote, Options, Result } from '../types.ts'

export interface MotionInput {
  ballots: BallotInput[]
}

export type MotionOptions = Pick<
  Options,
  'threshold' | 'members' | 'present' | 'quorum' | 'abstentions' | 'blank' | 'invalid'
>

const VOTES: readonly MotionVote[] = ['yes', 'no', 'abstain', 'blank', 'invalid']

/**
 * [MOT-1] Votes cast = yes + no, plus abstentions, blank or invalid ballots when the options say
 * they count as cast (defaults follow Robert's Rules: abstentions and blanks do not count,
 * `invalid: "cast"` does). [MOT-2] `simple` (default): yes must exceed half the votes cast (ties
 * fail). `two_thirds`: yes ≥ two thirds of the votes cast. `absolute`: yes must exceed half of
 * `members`. [MOT-3] With `quorum`, fewer than `quorum` present (`present`, else every ballot
 * received) means no decision: nothing is adopted, whatever the votes.
 */
export function motion({ ballots }: MotionInput, options: MotionOptions = {}): Result {
  const threshold = options.threshold ?? 'simple'
  const tally: Record<MotionVote, number> = { yes: 0, no: 0, abstain: 0, blank: 0, invalid: 0 }
  ballots.forEach((b, i) => {
    const count = ballotCount(b, i)
    if (!VOTES.includes(b.vote as MotionVote))
      fail(`ballot ${i + 1}: a motion ballot needs "vote": one of ${VOTES.join(', ')}`)
    tally[b.vote as MotionVote] += count
  })
  const counted = (o: 'ignore' | 'cast' | undefined, dflt: 'ignore' | 'cast') => (o ?? dflt) === 'cast'
  const cast =
    tally.yes +
    tally.no +
    (counted(options.abstentions, 'ignore') ? tally.abstain : 0) +
    (counted(options.blank, 'ignore') ? tally.blank : 0) +
    (counted(options.invalid, 'cast') ? tally.invalid : 0)
  let needed: number
  let basis: string
  switch (threshold) {
    case 'simple':
      needed = Math.floor(cast / 2) + 1
      basis = `more than half of the ${cast} votes cast`
      break
    case 'two_thirds':
      needed = Math.ceil((2 * cast) / 3)
      basis = `at least two thirds of the ${cast} votes cast`
      break
    case 'absolute': {
      const members = options.members
      if (typeof members !== 'number' || !Number.isInteger(members) || members < 1)
        fail('threshold "absolute" needs options.members (a whole number ≥ 1)')
      needed = Math.floor(members / 2) + 1
      basis = `more than half of the ${members} members`
      break
    }
    default:
      return fail(
        `options.threshold must be simple, absolute or two_thirds; got ${JSON.stringify(threshold)}`,
      )
  }
  const received = VOTES.reduce((s, v) => s + tally[v], 0)
  const present = options.present ?? received
  const quorumMet = options.quorum === undefined || present >= options.quorum
  const adopted = quorumMet && tally.yes >= needed && tally.yes > 0
  const winners = !quorumMet ? [] : adopted ? ['yes'] : ['no']
  const explanation = !quorumMet
    ? `No decision: ${present} present, below the quorum of ${options.quorum}.`
    : `${adopted ? 'Adopted' : 'Not adopted'}: ${tally.yes} yes, ${tally.no} no, ${tally.abstain} abstaining; ${needed} yes votes were needed (${basis}).`
  return {
    method: 'motion',
    winners,
    ranking: adopted ? [['yes'], ['no']] : [['no'], ['yes']],
    scores: tally,
    threshold,
    cast,
    needed,
    quorum_met: quorumMet,
    adopted,
    explanation,
  }
}
