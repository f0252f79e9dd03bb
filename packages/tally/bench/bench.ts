// Timings for the speed targets in issue 3. Profiles come from a seeded generator so runs compare.
import { consensus, count, type Election, seededRandom } from '../src/index.ts'

const names = (n: number) => Array.from({ length: n }, (_, i) => `C${i + 1}`)

/** Voters whose rankings scatter around a shared order: realistic agreement, many distinct ballots. */
function profile(voters: number, n: number, seed: string): Election['ballots'] {
  const rnd = seededRandom(seed)
  const cands = names(n)
  return Array.from({ length: voters }, () => {
    const keyed = cands.map((c, i) => [i + rnd() * n * 0.8, c] as const).sort((a, b) => a[0] - b[0])
    return { ranking: keyed.map(([, c]) => c) }
  })
}

function scored(ballots: Election['ballots'], max: number): Election['ballots'] {
  return ballots.map((b) => {
    const order = b.ranking as string[]
    return {
      scores: Object.fromEntries(
        order.map((c, i) => [c, Math.round((max * (order.length - 1 - i)) / (order.length - 1))]),
      ),
    }
  })
}

function time(fn: () => unknown, minMs = 200): number {
  fn() // warm up
  let runs = 0
  const start = performance.now()
  let elapsed = 0
  do {
    fn()
    runs++
    elapsed = performance.now() - start
  } while (elapsed < minMs && runs < 1000)
  return elapsed / runs
}

const RANKED = [
  'plurality',
  'two_round_runoff',
  'borda',
  'dowdall',
  'irv',
  'coombs',
  'schulze',
  'ranked_pairs',
  'copeland',
  'minimax',
  'kemeny_young',
  'kendall_w',
] as const
const rows: [string, string, number, string][] = []

for (const [voters, target] of [
  [300, 10],
  [10_000, 100],
] as const) {
  const n = 20
  const ranked = profile(voters, n, `bench-${voters}`)
  const graded = scored(ranked, 5)
  const cands = names(n)
  const size = `${voters} × ${n}`
  for (const method of RANKED) {
    const label = method === 'kemeny_young' ? 'kemeny_young (approximate, n > 16)' : method
    rows.push([
      label,
      size,
      time(() => count({ method, candidates: cands, ballots: ranked })),
      `< ${target} ms`,
    ])
  }
  for (const transfer of ['gregory', 'meek'] as const) {
    rows.push([
      `stv ${transfer}, 5 seats`,
      size,
      time(() =>
        count({ method: 'stv', candidates: cands, ballots: ranked, options: { seats: 5, transfer } }),
      ),
      `< ${target} ms`,
    ])
  }
  for (const method of ['score', 'star', 'majority_judgment', 'cumulative', 'consent'] as const) {
    rows.push([
      method,
      size,
      time(() => count({ method, candidates: cands, ballots: graded })),
      `< ${target} ms`,
    ])
  }
  const approvals = ranked.map((b) => ({ approvals: (b.ranking as string[]).slice(0, 5) }))
  rows.push([
    'approval',
    size,
    time(() => count({ method: 'approval', candidates: cands, ballots: approvals })),
    `< ${target} ms`,
  ])
  const votes = ranked.map((_, i) => ({ vote: (['yes', 'no', 'abstain'] as const)[i % 3] }))
  rows.push([
    'motion',
    size,
    time(() => count({ method: 'motion', candidates: ['yes', 'no'], ballots: votes })),
    `< ${target} ms`,
  ])
}

for (const n of [10, 12]) {
  const ballots = profile(300, n, `kemeny-${n}`)
  rows.push([
    `kemeny_young exact`,
    `300 × ${n}`,
    time(() => count({ method: 'kemeny_young', candidates: names(n), ballots }), 500),
    '< 1000 ms',
  ])
}

const live = profile(50, 12, 'meeting')
rows.push([
  'live consensus metrics',
  '50 × 12',
  time(() => consensus({ candidates: names(12), ballots: live })),
  '≪ 16 ms',
])

const pad = (s: string, w: number) => s.padEnd(w)
console.log(`${pad('method', 36)}${pad('ballots × candidates', 22)}${pad('ms per count', 14)}target`)
for (const [m, s, ms, t] of rows) console.log(`${pad(m, 36)}${pad(s, 22)}${pad(ms.toFixed(3), 14)}${t}`)
