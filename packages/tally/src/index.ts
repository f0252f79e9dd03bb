export type { RankedProfile, ScoredProfile } from './ballots.ts'
export { rankedProfile, scoredProfile, tiersOf } from './ballots.ts'
export { type Counted, count, tryCount } from './count.ts'
export {
  AGREEMENT_BANDS,
  type AgreementBand,
  agreementBand,
  averageRanks,
  type Consensus,
  consensus,
  kendallTauDistance,
  kendallW,
  kendallWOf,
  type Spread,
  spearman,
  spreadOf,
} from './metrics.ts'
export { plurality, twoRoundRunoff } from './methods/choose-one.ts'
export { copeland, minimax, rankedPairs, schulze, type Strength } from './methods/condorcet.ts'
export { CONSENT_DEFAULTS, consent } from './methods/consent.ts'
export { approval, cumulative, majorityJudgment, score, star } from './methods/graded.ts'
export { kemenyYoung } from './methods/kemeny.ts'
export { motion } from './methods/motion.ts'
export { borda, dowdall } from './methods/positional.ts'
export { coombs, irv } from './methods/runoff.ts'
export { quotaOf, stv } from './methods/stv.ts'
export {
  condorcetLoser,
  condorcetWinner,
  type Matrix,
  matrixRecord,
  pairwiseMatrix,
  smithComponents,
} from './pairwise.ts'
export { METHOD_OPTIONS, type Parsed, parseElection } from './parse.ts'
export { breakTies, seededRandom, TieBreaker } from './tiebreak.ts'
export * from './types.ts'
