// Scenario d, run as a pinned child: @roundtable/tally against votes 3.0.0 on the same ballots.
// Prints `READY {}` at start and `RESULT <json>` at the end.
import { performance } from 'node:perf_hooks'
import { count, type Election, type MethodName, seededRandom } from '@roundtable/tally'
import { Borda, Copeland, InstantRunoff, RankedPairs, Schulze, utils } from 'votes'

const VOTERS = Number(process.env.VOTERS || 10_000)
const OPTIONS = Number(process.env.OPTIONS || 20)
const REPS = Number(process.env.REPS || 3)
/** Each timing repeats for at least this long (and at least REPS times); the median call counts. */
const MIN_MS = 300

console.log('READY {}')

const names = Array.from({ length: OPTIONS }, (_, i) => `C${i + 1}`)

/** Voters whose full rankings scatter around a shared order: realistic agreement, many distinct ballots. */
const rnd = seededRandom('bench-d')
const rankings: string[][] = Array.from({ length: VOTERS }, () =>
  names
    .map((c, i) => [i + rnd() * OPTIONS * 0.8, c] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, c]) => c),
)
const tallyBallots: Election['ballots'] = rankings.map((r) => ({ ranking: r }))
const votesBallots = rankings.map((r) => ({ ranking: r.map((c) => [c]), weight: 1 }))

type VotesBallot = { ranking: string[][]; weight: number }
type VotesCtor = {
  new (o: { candidates: string[]; ballots?: VotesBallot[]; array?: number[][] }): { ranking(): string[][] }
  needsMatrix?: boolean
}

const METHODS: [MethodName, VotesCtor][] = [
  ['borda', Borda as unknown as VotesCtor],
  ['schulze', Schulze as unknown as VotesCtor],
  ['copeland', Copeland as unknown as VotesCtor],
  ['ranked_pairs', RankedPairs as unknown as VotesCtor],
  ['irv', InstantRunoff as unknown as VotesCtor],
]

const time = <T>(fn: () => T): { ms: number; runs: number; out: T } => {
  let out = fn() // warm-up, also the answer compared
  const times: number[] = []
  const start = performance.now()
  while (times.length < REPS || (performance.now() - start < MIN_MS && times.length < 200)) {
    const t = performance.now()
    out = fn()
    times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  return { ms: times[times.length >> 1], runs: times.length, out }
}

const same = (a: string[], b: string[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join()

const results = METHODS.map(([method, Votes]) => {
  const t = time(() => count({ method, candidates: names, ballots: tallyBallots }))
  // votes' pairwise methods take a duel matrix: building it from the ballots is part of counting them.
  const v = time(() =>
    Votes.needsMatrix
      ? new Votes(utils.matrixFromBallots(votesBallots, names)).ranking()
      : new Votes({ candidates: names, ballots: votesBallots }).ranking(),
  )
  const tallyWinners = t.out.winners
  const votesWinners = v.out[0] ?? []
  return {
    method,
    tallyMs: t.ms,
    tallyRuns: t.runs,
    votesMs: v.ms,
    votesRuns: v.runs,
    speedup: v.ms / t.ms,
    tallyWinners,
    votesWinners,
    sameWinners: same(tallyWinners, votesWinners),
  }
})
console.log(`RESULT ${JSON.stringify({ voters: VOTERS, options: OPTIONS, results })}`)
process.exit(0)
