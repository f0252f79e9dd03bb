import { join } from 'node:path'
import { BENCH_DIR, runPinnedForResult } from '../proc.ts'
import type { MetricRow } from '../stats.ts'
import type { ScenarioResult } from './yjs.ts'

const RUN_TIMEOUT_MS = 120_000
/** Each method must count 10 000 ballots within this, ms. */
const MAX_MS = 50

interface TallyRow {
  method: string
  tallyMs: number
  votesMs: number
  speedup: number
  tallyWinners: string[]
  votesWinners: string[]
  sameWinners: boolean
}

export const runTallyScenario = async (opts: { quick: boolean; reps: number }): Promise<ScenarioResult> => {
  const voters = opts.quick ? 1_000 : 10_000
  const r = (await runPinnedForResult(
    'tally',
    ['--import', 'tsx', join(BENCH_DIR, 'servers/tally.ts')],
    { VOTERS: String(voters), OPTIONS: '20', REPS: String(Math.max(3, opts.reps)) },
    RUN_TIMEOUT_MS,
  )) as unknown as { voters: number; options: number; results: TallyRow[] }
  const rows: MetricRow[] = r.results.map((x) => {
    const need = x.method === 'irv' ? 100 : 10
    const met = x.speedup >= need && x.sameWinners && x.tallyMs <= MAX_MS
    return {
      metric: `${x.method}: ms per count${x.sameWinners ? '' : ' (winners differ!)'}`,
      unit: 'ms',
      better: 'lower',
      values: { roundtable: x.tallyMs, votes: x.votesMs },
      ratio: x.tallyMs / x.votesMs,
      goal: `≥ ${need} × faster (ratio ≤ ${1 / need}), same winners, ≤ ${MAX_MS} ms`,
      met,
    }
  })
  return {
    id: 'd',
    title: `${r.voters.toLocaleString('en')} ballots × ${r.options} options: @roundtable/tally vs votes 3.0.0`,
    params: { voters: r.voters, options: r.options },
    candidates: ['roundtable', 'votes'],
    rows,
    runs: [r],
    notes: r.results.map(
      (x) =>
        `${x.method}: ${x.speedup.toFixed(1)} × faster; winners ${JSON.stringify(x.tallyWinners)} vs ${JSON.stringify(x.votesWinners)}`,
    ),
  }
}
