// Every case in the published fixtures, with values copied from the cited sources.
import { describe, expect, it } from 'vitest'
import { consensus, count } from '../src/index.ts'
import { loadCases, run, strict } from './helpers.ts'

const shared = loadCases('published-cases.json')
const more = loadCases('more-cases.json')
const get = (id: string) =>
  shared.get(id) ??
  more.get(id) ??
  (() => {
    throw new Error(`no case ${id}`)
  })()

describe('published-cases.json', () => {
  it('covers every case in the shared file', () => {
    expect([...shared.keys()].sort()).toEqual(
      [
        'approval-tie',
        'kendall-tau-distance-wiki',
        'kendall-w-proofwiki',
        'majority-odd-even',
        'schulze-ex1',
        'schulze-ex4-tie',
        'score-sum-vs-median',
        'stv-enwiki-food',
        'tn-borda',
        'tn-copeland',
        'tn-irv',
        'tn-kemeny',
        'tn-minimax',
        'tn-plurality',
        'tn-ranked-pairs',
        'tn-schulze',
        'tn-two-round',
      ].sort(),
    )
  })

  it('[PLU-1] tn-plurality: Memphis wins with 42', () => {
    const c = get('tn-plurality')
    const r = run(c, 'plurality')
    expect(r.winners).toEqual([c.expected.winner])
    expect(strict(r.ranking)).toEqual(c.expected.ranking)
    expect(r.scores).toEqual(c.expected.scores)
  })

  it('[IRV-1][IRV-2][IRV-3] tn-irv: Knoxville wins in round 3, rounds as published', () => {
    const c = get('tn-irv')
    const r = run(c, 'irv')
    expect(r.winners).toEqual([c.expected.winner])
    expect(strict(r.ranking)).toEqual(c.expected.ranking)
    expect(r.rounds).toEqual(c.expected.rounds)
  })

  it('[BOR-1] tn-borda: totals for start 0 and start 1', () => {
    const c = get('tn-borda')
    const r0 = run(c, 'borda')
    expect(r0.winners).toEqual([c.expected.winner])
    expect(strict(r0.ranking)).toEqual(c.expected.ranking)
    expect(r0.scores).toEqual(c.expected.scores_start0)
    expect(run(c, 'borda', { start: 1 }).scores).toEqual(c.expected.scores_start1)
  })

  it('[COP-1] tn-copeland: wins minus losses', () => {
    const c = get('tn-copeland')
    const r = run(c, 'copeland')
    expect(r.winners).toEqual([c.expected.winner])
    expect(strict(r.ranking)).toEqual(c.expected.ranking)
    expect(r.scores).toEqual(c.expected.balance)
  })

  it('[MM-1] tn-minimax: worst defeat (winning, margin) and worst opposition', () => {
    const c = get('tn-minimax')
    const variants = {
      winning: 'worst_defeat_winning',
      margin: 'worst_defeat_margin',
      opposition: 'worst_opposition',
    } as const
    for (const [strength, key] of Object.entries(variants)) {
      const r = run(c, 'minimax', { strength: strength as 'winning' })
      expect(r.winners).toEqual([c.expected.winner])
      expect(strict(r.ranking)).toEqual(c.expected.ranking_all_variants)
      expect(r.scores).toEqual(c.expected[key])
    }
  })

  it('[RP-1][RP-2][RP-4] tn-ranked-pairs: all six pairs locked, Nashville first', () => {
    const c = get('tn-ranked-pairs')
    for (const strength of ['winning', 'margin'] as const) {
      const r = run(c, 'ranked_pairs', { strength })
      expect(r.winners).toEqual([c.expected.winner])
      expect(strict(r.ranking)).toEqual(c.expected.ranking)
      expect(r.skipped).toEqual([])
      const locked = r.locked!.map((p) => [p.winner, p.loser, p.for, p.against])
      expect(new Set(locked.map((p) => JSON.stringify(p)))).toEqual(
        new Set(c.expected.sorted_pairs.map((p: unknown) => JSON.stringify(p))),
      )
      // strengths never increase along the locking order
      const fors = r.locked!.map((p) => p.for)
      expect([...fors].sort((a, b) => b - a)).toEqual(fors)
    }
  })

  it('[SCH-1][SCH-3] tn-schulze: Nashville for winning and margin', () => {
    const c = get('tn-schulze')
    for (const strength of ['winning', 'margin'] as const)
      expect(run(c, 'schulze', { strength }).winners).toEqual([c.expected.winner])
  })

  it('[KY-1][KY-2] tn-kemeny: ranking, agreement 393, distance 207', () => {
    const c = get('tn-kemeny')
    const r = run(c, 'kemeny_young')
    expect(strict(r.ranking)).toEqual(c.expected.ranking)
    expect(r.score).toBe(c.expected.best_agreement_score)
    expect(r.distance).toBe(c.expected.kendall_distance)
    expect(r.approximate).toBe(false)
  })

  it('[TRR-1][TRR-2] tn-two-round: Memphis and Nashville in the runoff, Nashville 58–42', () => {
    const c = get('tn-two-round')
    const r = run(c, 'two_round_runoff')
    expect(r.winners).toEqual([c.expected.winner])
    expect(Object.keys(r.rounds![1]).sort()).toEqual([...c.expected.round1_top_two].sort())
    expect(r.rounds![1]).toEqual(c.expected.runoff)
  })

  it('[SCH-2][PW-2] schulze-ex1: strongest paths with unranked candidates last', () => {
    const c = get('schulze-ex1')
    const r = run(c, 'schulze', { unranked: 'last', strength: 'winning' })
    expect(r.winners).toEqual([c.expected.winner])
    expect(r.strongest_paths).toEqual(c.expected.strongest_paths)
  })

  it('[SCH-3] schulze-ex4-tie: B and D tied as winners, A and C tied below', () => {
    const c = get('schulze-ex4-tie')
    const r = run(c, 'schulze')
    expect([...r.winners].sort()).toEqual(c.expected.winners)
    expect(r.ranking.map((t) => [...t].sort())).toEqual(c.expected.ranking)
    expect(r.strongest_paths).toEqual(c.expected.strongest_paths)
  })

  it('[STV-1][STV-2][STV-3][STV-4] stv-enwiki-food: Droop quota 6, Chocolate, Orange, Strawberry', () => {
    const c = get('stv-enwiki-food')
    const r = run(c, 'stv', { seats: 3, quota: 'droop', transfer: 'gregory' })
    expect(r.quota).toBe(c.expected.quota)
    expect(r.elected).toEqual(c.expected.elected)
    expect(r.rounds).toEqual(c.expected.rounds)
  })

  it('[APP-1] approval-tie: 0 and 1 tied on 2', () => {
    const c = get('approval-tie')
    const r = run(c, 'approval')
    expect(r.winners).toEqual(c.expected.winners)
    expect(r.scores).toEqual(c.expected.totals)
    expect(r.ranking).toEqual([['0', '1'], ['2']])
  })

  it('[SCO-1] score-sum-vs-median: sum and mean elect 1, median elects 0', () => {
    const c = get('score-sum-vs-median')
    expect(run(c, 'score', { max: 5 }).scores).toEqual(c.expected.sums)
    expect(run(c, 'score', { max: 5, aggregate: 'sum' }).winners).toEqual(c.expected.winner_sum)
    expect(run(c, 'score', { max: 5, aggregate: 'mean' }).winners).toEqual(c.expected.winner_mean)
    expect(run(c, 'score', { max: 5, aggregate: 'median' }).winners).toEqual(c.expected.winner_median)
  })

  it('[CM-3] kendall-w-proofwiki: W = 1/16 without tie correction, rank sums 7, 9, 8', () => {
    const c = get('kendall-w-proofwiki')
    const r = run(c, 'kendall_w', { tie_correction: false })
    expect(r.W).toBeCloseTo(c.expected.W, 12)
    expect(r.rank_sums).toEqual(c.expected.rank_sums)
    expect(r.S).toBe(c.expected.S)
    // no ties in the data, so the correction changes nothing
    expect(run(c, 'kendall_w').W).toBeCloseTo(c.expected.W, 12)
  })

  it('[CM-4] kendall-tau-distance-wiki: distance 4, normalized 0.4', () => {
    const c = get('kendall-tau-distance-wiki')
    const r = run(c, 'kendall_tau_distance')
    expect(r.distance).toBe(c.expected.distance)
    expect(r.normalized).toBe(c.expected.normalized)
  })

  it('[MOT-1][MOT-2] majority-odd-even: 11 of 20, 10 of 19, a tie fails, 9–8 passes', () => {
    const motion = (yes: number, no: number) =>
      count({
        method: 'motion',
        candidates: ['yes', 'no'],
        ballots: [
          { vote: 'yes', count: yes },
          { vote: 'no', count: no },
        ],
      })
    expect(motion(11, 9).needed).toBe(get('majority-odd-even').expected.cast20_needed)
    expect(motion(10, 9).needed).toBe(get('majority-odd-even').expected.cast19_needed)
    expect(motion(13, 13).adopted).toBe(false)
    expect(motion(13, 13).winners).toEqual(['no'])
    expect(motion(9, 8).adopted).toBe(true)
    expect(motion(9, 8).winners).toEqual(['yes'])
  })
})

describe('more-cases.json (added, each with its source)', () => {
  it('[SCH-2][SCH-3] schulze-wiki-45: pairwise, strongest paths and E > A > C > B > D', () => {
    const c = get('schulze-wiki-45')
    const r = run(c, 'schulze')
    expect(r.pairwise).toEqual(c.expected.pairwise)
    expect(r.strongest_paths).toEqual(c.expected.strongest_paths)
    expect(strict(r.ranking)).toEqual(c.expected.ranking)
    expect(r.winners).toEqual([c.expected.winner])
  })

  it('[COO-1][COO-2] coombs-tennessee: Memphis eliminated on 58 last places, Nashville wins with 68', () => {
    const c = get('coombs-tennessee')
    const r = run(c, 'coombs')
    expect(r.winners).toEqual([c.expected.winner])
    expect(r.rounds![0]).toEqual(c.expected.round1_first)
    const last = r.last_place as Record<string, number>[]
    expect(last[0].Memphis).toBe(c.expected.round1_last.Memphis)
    expect(last[0].Knoxville).toBe(c.expected.round1_last.Knoxville)
    expect(r.rounds![1].Memphis).toBeUndefined()
    expect(r.rounds![1].Nashville).toBe(c.expected.round2_first_Nashville)
  })

  it('[DOW-1] dowdall-one-ballot: 1, 1/2, … 1/6', () => {
    const c = get('dowdall-one-ballot')
    const r = run(c, 'dowdall')
    expect(strict(r.ranking)).toEqual(c.expected.ranking)
    for (const [k, v] of Object.entries(c.expected.scores)) expect(r.scores![k]).toBeCloseTo(v as number, 9)
  })

  it('[CM-6] spearman-iq-tv: rho = −0.1757…', () => {
    const c = get('spearman-iq-tv')
    expect(run(c, 'spearman').rho).toBeCloseTo(c.expected.rho, 8)
    expect(run(c, 'spearman').rho).toBeCloseTo(1 - (6 * c.expected.sum_d2) / (10 * 99), 9)
  })

  it('[KY-2][PW-2] kemeny-elliot-implicit-off: pairs only where both are ranked', () => {
    const c = get('kemeny-elliot-implicit-off')
    expect(strict(run(c, 'kemeny_young', { unranked: 'ignore' }).ranking)).toEqual(c.expected.ranking)
  })

  it('[KY-3] kemeny-conflicts: three optimal orders of score 5 in a cycle; one more A>B>C settles it', () => {
    const c = get('kemeny-conflicts')
    const r = run(c, 'kemeny_young')
    expect(r.orders_count).toBe(c.expected.optimal_orders)
    expect(r.score).toBe(c.expected.best_score)
    expect(r.ranking).toEqual([['A', 'B', 'C']])
    const more = count({
      method: 'kemeny_young',
      candidates: c.candidates,
      ballots: [...c.ballots, { ranking: ['A', 'B', 'C'] }],
    })
    expect(more.winners).toEqual([c.expected['after_adding_A>B>C'].winner])
    expect(more.orders_count).toBe(1)
  })

  it('[STV-7] meek-near-tie-constructed: B trails C by 1/2803470 of a vote in 4001, B is excluded, C elected', () => {
    const c = get('meek-near-tie-constructed')
    const r = run(c, 'stv', { seats: 3, transfer: 'meek' })
    const frac = (s: string) =>
      s
        .split('/')
        .map(Number)
        .reduce((a, b) => a / b)
    expect(r.rounds![0]).toEqual(c.expected.round1)
    expect((r.quotas as number[])[1]).toBe(c.expected.quota_round2)
    // rounds are rounded to 9 decimals for output, so the gap is checked to 2e-9
    expect(Math.abs(r.rounds![1].B - r.rounds![1].C - frac(c.expected.B_minus_C_round2))).toBeLessThan(2e-9)
    expect(r.explanation).toContain('Round 2: B with the fewest votes (600.25) is excluded.')
    expect(r.elected).toEqual(c.expected.elected)
    expect(r.tied).toBeUndefined()
    // the float count settles to 1e-10 of the quota: round 3 agrees with the exact fractions to 1e-6
    expect(r.rounds![2].C).toBeCloseTo(frac(c.expected.C_round3), 6)
    expect((r.quotas as number[])[2]).toBeCloseTo(frac(c.expected.quota_round3), 6)
  })

  it('[STV-7] Meek reads a tie at the quota as a tie after the precise recount', () => {
    // Every value here is exact in floats; the recount must not invent a difference.
    const r = count({
      method: 'stv',
      candidates: ['A', 'B', 'C', 'D'],
      ballots: [
        { ranking: ['A', 'B'], count: 6 },
        { ranking: ['B'], count: 2 },
        { ranking: ['C'], count: 3 },
        { ranking: ['D', 'C'], count: 1 },
      ],
      options: { seats: 2, transfer: 'meek' },
    })
    expect(r.rounds![1]).toEqual({ B: 4, C: 3, D: 1 })
    expect(r.explanation).not.toContain('B reached the quota')
  })

  for (const id of [
    'smith-condorcet-winner',
    'smith-cycle',
    'smith-tie-in-cycle',
    'smith-simple-tie',
    'smith-winner-tie-below',
  ]) {
    it(`[CM-5] ${id}: Smith set`, () => {
      const c = get(id)
      expect(consensus({ candidates: c.candidates, ballots: c.ballots }).smith_set.sort()).toEqual(
        c.expected.smith_set,
      )
    })
  }
})
