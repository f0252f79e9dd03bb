// One test per rule in SPEC.md that the published cases do not already pin down.
import { describe, expect, it } from 'vitest'
import {
  agreementBand,
  breakTies,
  consensus,
  count,
  type Election,
  parseElection,
  rankedProfile,
  scoredProfile,
  tiersOf,
  tryCount,
} from '../src/index.ts'

const e = (method: Election['method'], candidates: string[], ballots: Election['ballots'], options = {}) =>
  count({ method, candidates, ballots, options })
const ABC = ['A', 'B', 'C']

describe('ballots and ties', () => {
  it('[BAL-1] identical ballots merge; blank rankings are reported, not counted', () => {
    const r = e('plurality', ABC, [
      { ranking: ['A'] },
      { ranking: ['A'], count: 2 },
      { ranking: [] },
      { choice: 'B' },
    ])
    expect(r.scores).toEqual({ A: 3, B: 1, C: 0 })
    expect(r.blank).toBe(1)
  })

  it('[BAL-1] identical ballots merge however they are written', () => {
    const ranked = rankedProfile(
      ABC,
      [
        { ranking: ['A', ['C', 'B']] },
        { ranking: [['A'], [], ['B', 'C']], count: 2 },
        { ranking: ['A', 'B', 'C'] },
        { choice: 'A' },
        { ranking: [['A']] },
      ],
      'test',
    )
    expect(ranked.size).toBe(3)
    expect([...ranked.count]).toEqual([3, 1, 2])
    expect([0, 1, 2].map((b) => tiersOf(ranked, b))).toEqual([[[0], [1, 2]], [[0], [1], [2]], [[0]]])
    const scored = scoredProfile(
      ABC,
      [{ scores: { A: 1, B: 0 } }, { scores: { B: 0, A: 1 } }, { scores: { A: 1, B: 0, C: 0 } }],
      'test',
      {},
    )
    expect(scored.ballots.map((b) => b.count)).toEqual([2, 1])
  })

  it('[BAL-1] an unknown candidate, a double ranking or a wrong ballot kind is an error', () => {
    expect(tryCount({ method: 'irv', candidates: ABC, ballots: [{ ranking: ['Z'] }] })).toEqual({
      error: 'ballot 1: unknown candidate "Z"',
    })
    expect(tryCount({ method: 'irv', candidates: ABC, ballots: [{ ranking: ['A', 'A'] }] })).toHaveProperty(
      'error',
    )
    expect(tryCount({ method: 'approval', candidates: ABC, ballots: [{ ranking: ['A'] }] })).toHaveProperty(
      'error',
    )
    expect(tryCount({ method: 'nope', candidates: ABC, ballots: [] })).toHaveProperty('error')
    expect(
      tryCount({ method: 'irv', candidates: ABC, ballots: [{ ranking: ['A'], count: -1 }] }),
    ).toHaveProperty('error')
  })

  it('[BAL-2] a tied first tier splits the ballot', () => {
    expect(e('plurality', ABC, [{ ranking: [['A', 'B'], 'C'] }]).scores).toEqual({ A: 0.5, B: 0.5, C: 0 })
  })

  it('[TIE-1] a tie is a tie; a seeded lot and the chair break it reproducibly and are recorded', () => {
    const ballots = [{ ranking: ['A', 'B'] }, { ranking: ['B', 'A'] }]
    const tied = e('borda', ['A', 'B'], ballots)
    expect(tied.winners).toEqual(['A', 'B'])
    expect(tied.tie_break).toBeUndefined()
    const lot1 = e('borda', ['A', 'B'], ballots, { tie_break: { method: 'lot', seed: 'meeting-7' } })
    const lot2 = e('borda', ['A', 'B'], ballots, { tie_break: { method: 'lot', seed: 'meeting-7' } })
    expect(lot1.winners).toHaveLength(1)
    expect(lot1).toEqual(lot2)
    expect(lot1.tie_break).toMatchObject({ rule: 'lot', seed: 'meeting-7', broken: [{ among: ['A', 'B'] }] })
    expect(lot1.tied_ranking).toEqual([['A', 'B']])
    const chair = e('borda', ['A', 'B'], ballots, { tie_break: { method: 'chair', order: ['B', 'A'] } })
    expect(chair.winners).toEqual(['B'])
    expect(breakTies(tied, ['A', 'B'], { method: 'chair', order: ['A', 'B'] }).winners).toEqual(['A'])
  })

  it('[TIE-2] an IRV elimination tie is settled by earlier rounds, else eliminated together', () => {
    // Round 1: A 3, B 2, C 2, D 1 → D out (to C). Round 2: A 3, B 2, C 3 → B out (exhausts).
    // Round 3: A 3, C 3 tie for last → round 2 ties too → round 1 has C lower → C out.
    const r = e(
      'irv',
      ['A', 'B', 'C', 'D'],
      [
        { ranking: ['A'], count: 3 },
        { ranking: ['B'], count: 2 },
        { ranking: ['C'], count: 2 },
        { ranking: ['D', 'C'], count: 1 },
      ],
    )
    expect(r.rounds).toEqual([{ A: 3, B: 2, C: 2, D: 1 }, { A: 3, B: 2, C: 3 }, { A: 3, C: 3 }, { A: 3 }])
    expect(r.winners).toEqual(['A'])
    const even = e('irv', ['A', 'B'], [{ ranking: ['A'] }, { ranking: ['B'] }])
    expect(even.winners).toEqual(['A', 'B'])
    const together = e('irv', ABC, [{ ranking: ['A'], count: 3 }, { ranking: ['B'] }, { ranking: ['C'] }])
    expect(together.rounds).toEqual([{ A: 3, B: 1, C: 1 }])
    expect(together.winners).toEqual(['A'])
    const chaired = e(
      'irv',
      ['A', 'B', 'C'],
      [
        { ranking: ['A', 'B'], count: 2 },
        { ranking: ['B'], count: 2 },
        { ranking: ['C', 'A'], count: 2 },
      ],
      {
        tie_break: { method: 'chair', order: ['A', 'B', 'C'] },
      },
    )
    expect(chaired.winners).toEqual(['A'])
    expect(chaired.tie_break).toBeDefined()
  })
})

describe('pairwise options', () => {
  it('[PW-1][PW-2] unranked last vs ignore', () => {
    const ballots = [{ ranking: ['A'] }]
    expect(e('copeland', ABC, ballots).pairwise!.A).toEqual({ B: 1, C: 1 })
    expect(e('copeland', ABC, ballots, { unranked: 'ignore' }).pairwise!.A).toEqual({ B: 0, C: 0 })
  })
})

describe('graded', () => {
  it('[SCO-2] unscored is 0 for the mean, or left out with unranked: ignore', () => {
    const ballots: Election['ballots'] = [{ scores: { A: 4, B: 5 } }, { scores: { A: 4 } }]
    expect(e('score', ['A', 'B'], ballots, { aggregate: 'mean' }).scores).toEqual({ A: 4, B: 2.5 })
    expect(e('score', ['A', 'B'], ballots, { aggregate: 'mean', unranked: 'ignore' }).scores).toEqual({
      A: 4,
      B: 5,
    })
  })

  it('[STAR-1][STAR-2] the runoff can overturn the score leader', () => {
    // A has the highest total but B is scored higher on more ballots.
    const r = e('star', ABC, [
      { scores: { A: 5, B: 0, C: 0 }, count: 2 },
      { scores: { A: 3, B: 4, C: 0 }, count: 3 },
    ])
    expect(r.scores).toEqual({ A: 19, B: 12, C: 0 })
    expect(r.rounds![1]).toEqual({ A: 2, B: 3 })
    expect(r.winners).toEqual(['B'])
    expect(r.ranking).toEqual([['B'], ['A'], ['C']])
  })

  it('[STAR-3] a runoff tie goes to the higher score total', () => {
    const r = e('star', ['A', 'B'], [{ scores: { A: 5, B: 0 } }, { scores: { A: 3, B: 4 } }])
    expect(r.rounds![1]).toEqual({ A: 1, B: 1 })
    expect(r.winners).toEqual(['A'])
  })

  it('[STAR-1] a score above max is an error', () => {
    expect(tryCount({ method: 'star', candidates: ABC, ballots: [{ scores: { A: 6 } }] })).toHaveProperty(
      'error',
    )
  })

  it('[MJ-1][MJ-2][MJ-3] majority grade, then median removal separates equal grades', () => {
    // A: 1,2,2 → median 2, then removing: 2,1 ; B: 2,2,0 → sorted 0,2,2 median 2, then 0,2 → 0
    const r = e(
      'majority_judgment',
      ['A', 'B'],
      [{ scores: { A: 1, B: 2 } }, { scores: { A: 2, B: 2 } }, { scores: { A: 2, B: 0 } }],
    )
    expect(r.scores).toEqual({ A: 2, B: 2 })
    expect(r.winners).toEqual(['A'])
    const missing = e('majority_judgment', ['A', 'B'], [{ scores: { A: 3 } }, { scores: { A: 1, B: 3 } }])
    expect(missing.scores).toEqual({ A: 1, B: 0 })
    expect(
      e('majority_judgment', ['A', 'B'], [{ scores: { A: 3 } }, { scores: { A: 1, B: 3 } }], {
        unranked: 'ignore',
      }).winners,
    ).toEqual(['B'])
  })

  it('[CUM-1] points add up; overspending is an error', () => {
    expect(
      e('cumulative', ABC, [{ scores: { A: 3, B: 2 } }, { scores: { C: 5 } }], { points: 5 }).winners,
    ).toEqual(['C'])
    expect(
      tryCount({
        method: 'cumulative',
        candidates: ABC,
        ballots: [{ scores: { A: 4, B: 2 } }],
        options: { points: 5 },
      }),
    ).toHaveProperty('error')
  })
})

describe('positional', () => {
  it('[POS-1][POS-2][BOR-1] tied and unranked places share points', () => {
    const ballots = [{ ranking: ['A'] }]
    expect(e('borda', ['A', 'B', 'C', 'D'], ballots).scores).toEqual({ A: 3, B: 1, C: 1, D: 1 })
    expect(e('borda', ['A', 'B', 'C', 'D'], ballots, { unranked: 'ignore' }).scores).toEqual({
      A: 3,
      B: 0,
      C: 0,
      D: 0,
    })
    expect(e('borda', ABC, [{ ranking: [['A', 'B'], 'C'] }], { start: 1 }).scores).toEqual({
      A: 2.5,
      B: 2.5,
      C: 1,
    })
  })

  it('[DOW-1] Dowdall can differ from Borda', () => {
    const ballots = [
      { ranking: ['A', 'C', 'B'], count: 2 },
      { ranking: ['B', 'C', 'A'], count: 2 },
      { ranking: ['C', 'A', 'B'] },
    ]
    expect(e('borda', ABC, ballots).winners).toEqual(['C'])
    expect(e('dowdall', ABC, ballots).winners).toEqual(['A'])
  })
})

describe('runoff', () => {
  it('[IRV-2] a first-round majority wins at once', () => {
    const r = e('irv', ABC, [
      { ranking: ['A'], count: 3 },
      { ranking: ['B'], count: 2 },
    ])
    expect(r.rounds).toHaveLength(1)
    expect(r.winners).toEqual(['A'])
  })

  it('[IRV-1] exhausted ballots leave the majority base', () => {
    const r = e('irv', ABC, [
      { ranking: ['A'], count: 4 },
      { ranking: ['B'], count: 3 },
      { ranking: ['C'], count: 2 },
    ])
    expect(r.exhausted).toEqual([0, 2])
    expect(r.winners).toEqual(['A'])
  })

  it('[COO-2] unranked continuing candidates take the last place under unranked: last', () => {
    const ballots = [{ ranking: ['A'], count: 2 }, { ranking: ['B', 'C'], count: 2 }, { ranking: ['C', 'B'] }]
    const r = e('coombs', ABC, ballots)
    expect((r.last_place as Record<string, number>[])[0]).toEqual({ A: 3, B: 1, C: 1 })
  })
})

describe('STV', () => {
  const ballots = [
    { ranking: ['A', 'B'], count: 6 },
    { ranking: ['B'], count: 2 },
    { ranking: ['C'], count: 3 },
    { ranking: ['D', 'C'], count: 1 },
  ]
  it('[STV-1] quotas', () => {
    const cands = ['A', 'B', 'C', 'D']
    expect(e('stv', cands, ballots, { seats: 2 }).quota).toBe(5)
    expect(e('stv', cands, ballots, { seats: 2, quota: 'hare' }).quota).toBe(6)
    expect(e('stv', cands, ballots, { seats: 2, quota: 'droop_exact' }).quota).toBe(4)
    expect(e('stv', cands, ballots, { seats: 2, quota: 'hagenbach_bischoff' }).quota).toBe(4)
  })

  it('[STV-4][STV-5] Gregory surplus then exclusion', () => {
    const r = e('stv', ['A', 'B', 'C', 'D'], ballots, { seats: 2 })
    // quota 5; A's surplus of 1 moves 6 ballots at 1/6; D excluded to C; then B excluded.
    expect(r.rounds).toEqual([{ A: 6, B: 2, C: 3, D: 1 }, { B: 3, C: 3, D: 1 }, { B: 3, C: 4 }, { C: 4 }])
    expect(r.elected).toEqual(['A', 'C'])
  })

  it('[STV-6] Meek: the quota follows the live votes and an elected candidate keeps only the quota', () => {
    // V = 13, quota 13/3. A keeps 13/3 of its 7 and passes 8/3 to B: B has 2 + 8/3 = 14/3 > 13/3.
    const bs = [
      { ranking: ['A', 'B'], count: 7 },
      { ranking: ['B'], count: 2 },
      { ranking: ['C'], count: 3 },
      { ranking: ['D', 'C'], count: 1 },
    ]
    const r = e('stv', ['A', 'B', 'C', 'D'], bs, { seats: 2, transfer: 'meek' })
    expect(r.elected).toEqual(['A', 'B'])
    expect(r.rounds).toHaveLength(2)
    expect(r.rounds![1].B).toBeCloseTo(14 / 3, 8)
    expect((r.quotas as number[])[1]).toBeCloseTo(13 / 3, 8)
  })

  it('[STV-6] Meek elects only on exceeding the quota', () => {
    // V = 12, quota 4: after A's surplus B holds exactly 4, which is not enough.
    const r = e('stv', ['A', 'B', 'C', 'D'], ballots, { seats: 2, transfer: 'meek' })
    // so D is excluded, then B and C tie on 4 and the earlier round (C 3) excludes C.
    expect(r.rounds![1].B).toBeCloseTo(4, 8)
    expect(r.rounds![2]).toEqual({ B: 4, C: 4 })
    expect(r.elected).toEqual(['A', 'B'])
  })

  it('[TIE-2][STV-5] a surplus stage separates an exclusion tie: B 0.6 < C 1 there, so C takes the last seat', () => {
    // Quota 2 of 6. D's surplus of 3 passes at 0.6 (A 2.4, B 0.6, C 1); A's surplus of 0.4 passes
    // to B (1/6 of 2.4 = 0.4): B 1, C 1. Only the surplus stage separates them.
    const r = e(
      'stv',
      ['A', 'B', 'C', 'D'],
      [
        { ranking: ['C', 'D', 'A', 'B'] },
        { ranking: ['D', 'A', 'B', 'C'], count: 4 },
        { ranking: ['D', 'B', 'A', 'C'] },
      ],
      { seats: 3 },
    )
    expect(r.rounds).toEqual([{ A: 0, B: 0, C: 1, D: 5 }, { A: 2.4, B: 0.6, C: 1 }, { B: 1, C: 1 }, { C: 2 }])
    expect(r.elected).toEqual(['D', 'A', 'C'])
    expect(r.tied).toBeUndefined()
  })

  it('[TIE-2][STV-6] Meek: the stage that elected A separates B and C, tied after its surplus', () => {
    // V = 6, quota 2. Round 1: A 4, B 0, C 2; A is elected and keeps 1/2, so round 2 is B 2, C 2,
    // one seat left. Round 1 has B lower: B is excluded and C elected.
    const r = e(
      'stv',
      ['A', 'B', 'C'],
      [
        { ranking: ['A', 'B'], count: 4 },
        { ranking: ['C'], count: 2 },
      ],
      { seats: 2, transfer: 'meek' },
    )
    expect(r.rounds).toEqual([{ A: 4, B: 0, C: 2 }, { B: 2, C: 2 }, { C: 2 }])
    expect(r.elected).toEqual(['A', 'C'])
    expect(r.tied).toBeUndefined()
  })

  it('[TIE-2][STV-8] candidates reaching the quota with equal votes are elected, and pass surpluses, in look-back order', () => {
    // Quota 3 of 9. A's surplus of 3 passes at 0.5: B 1 + 2 = 3, D 2 + 1 = 3. Stage 1 had D 2 > B 1.
    const r = e(
      'stv',
      ['A', 'B', 'C', 'D'],
      [
        { ranking: ['A', 'B'], count: 4 },
        { ranking: ['B', 'C'] },
        { ranking: ['D'], count: 2 },
        { ranking: ['A', 'D', 'B'], count: 2 },
      ],
      { seats: 3 },
    )
    expect(r.rounds![1]).toEqual({ B: 3, C: 0, D: 3 })
    expect(r.elected).toEqual(['A', 'D', 'B'])
  })

  it('[TIE-2][STV-4] equal surpluses that no stage separates pass together; a tie-break orders them', () => {
    // Quota 3 of 9: A and B both hold 4 from the start. Their surpluses of 1 go in one stage.
    const ballots = [
      { ranking: ['A', 'C', 'B'], count: 4 },
      { ranking: ['B', 'D', 'A'], count: 4 },
      { ranking: ['E'] },
    ]
    const cands = ['A', 'B', 'C', 'D', 'E']
    const together = e('stv', cands, ballots, { seats: 3 })
    expect(together.rounds![1]).toEqual({ C: 1, D: 1, E: 1 })
    expect(together.tie_break).toBeUndefined()
    const chaired = e('stv', cands, ballots, { seats: 3, tie_break: { method: 'chair', order: ['B', 'A'] } })
    expect(chaired.rounds![1]).toEqual({ C: 0, D: 1, E: 1 })
    expect(chaired.tie_break!.broken[0]).toEqual({ among: ['A', 'B'], order: ['B', 'A'], round: 1 })
  })
})

describe('Condorcet', () => {
  const cycle = [
    { ranking: ['A', 'B', 'C'], count: 4 },
    { ranking: ['B', 'C', 'A'], count: 3 },
    { ranking: ['C', 'A', 'B'], count: 2 },
  ]
  it('[RP-2] the weakest pair of a cycle is skipped', () => {
    const r = e('ranked_pairs', ABC, cycle)
    expect(r.skipped).toEqual([{ winner: 'C', loser: 'A', for: 5, against: 4 }])
    expect(r.ranking).toEqual([['A'], ['B'], ['C']])
  })

  it('[RP-3] a cycle of equally strong pairs is skipped as a whole: a three-way tie', () => {
    const r = e('ranked_pairs', ABC, [
      { ranking: ['A', 'B', 'C'] },
      { ranking: ['B', 'C', 'A'] },
      { ranking: ['C', 'A', 'B'] },
    ])
    expect(r.locked).toEqual([])
    expect(r.winners).toEqual(['A', 'B', 'C'])
  })

  it('[SCH-1] ratio strength writes an unopposed path as null', () => {
    const r = e('schulze', ['A', 'B'], [{ ranking: ['A', 'B'] }], { strength: 'ratio' })
    expect(r.strongest_paths).toEqual({ A: { B: null }, B: { A: 0 } })
  })

  it('[KY-5] winners are the candidates first in some optimal order, and a tie-break chooses among them', () => {
    // Optimal orders ACDEB, AECDB, DAEBC, DBAEC, DEBAC: A, D and E are beaten by no one in all of
    // them (the [KY-3] top tier), but no optimal order puts E first.
    const ballots = ['BEACD', 'CDEBA', 'BACED', 'CDEAB', 'DAEBC', 'AECDB', 'DBAEC'].map((r) => ({
      ranking: [...r],
    }))
    const cands = ['A', 'B', 'C', 'D', 'E']
    const r = e('kemeny_young', cands, ballots)
    expect((r.orders as string[][]).map((o) => o.join(''))).toEqual([
      'ACDEB',
      'AECDB',
      'DAEBC',
      'DBAEC',
      'DEBAC',
    ])
    expect(r.ranking).toEqual([
      ['A', 'D', 'E'],
      ['B', 'C'],
    ])
    expect(r.winners).toEqual(['A', 'D'])
    const chair = e('kemeny_young', cands, ballots, {
      tie_break: { method: 'chair', order: ['E', 'D', 'A'] },
    })
    expect(chair.winners).toEqual(['D'])
    expect(chair.tie_break!.broken).toEqual([{ among: ['A', 'D'], order: ['D', 'A'] }])
    expect(chair.ranking).toEqual([['D'], ['A'], ['E'], ['B', 'C']])
    const lot = e('kemeny_young', cands, ballots, { tie_break: { method: 'lot', seed: 7 } })
    expect(['A', 'D']).toContain(lot.winners[0])
  })

  it('[KY-4] beyond exact_limit the result is flagged approximate', () => {
    const r = e('kemeny_young', ABC, cycle, { exact_limit: 2 })
    expect(r.approximate).toBe(true)
    expect(r.winners).toEqual(['A'])
  })
})

describe('consent and motions', () => {
  it('[CON-1][CON-2][CON-3] one block stops consensus', () => {
    const r = e(
      'consent',
      ['P1', 'P2'],
      [{ scores: { P1: 4, P2: 0 } }, { scores: { P1: 3, P2: 5 } }, { scores: { P1: 2, P2: 5 } }],
    )
    expect(r.winners).toEqual(['P1'])
    expect(r.ranking).toEqual([['P1'], ['P2']])
    expect(e('consent', ['P'], [{ level: 3 }, { level: 0 }], { max_blocks: 1 }).winners).toEqual(['P'])
  })

  it('[MOT-1][MOT-2] two thirds of votes cast, abstentions ignored unless cast', () => {
    const ballots = [
      { vote: 'yes' as const, count: 10 },
      { vote: 'no' as const, count: 5 },
      { vote: 'abstain' as const, count: 3 },
    ]
    expect(e('motion', [], ballots, { threshold: 'two_thirds' })).toMatchObject({ needed: 10, adopted: true })
    expect(e('motion', [], ballots, { threshold: 'two_thirds', abstentions: 'cast' })).toMatchObject({
      needed: 12,
      adopted: false,
    })
    expect(e('motion', [], ballots, { threshold: 'absolute', members: 21 })).toMatchObject({
      needed: 11,
      adopted: false,
    })
  })

  it('[MOT-3] below quorum nothing is adopted', () => {
    const r = e('motion', [], [{ vote: 'yes', count: 5 }], { quorum: 10 })
    expect(r).toMatchObject({ quorum_met: false, adopted: false, winners: [] })
  })
})

describe('consensus metrics', () => {
  it('[CM-1][CM-3] tie correction raises W when raters tie', () => {
    const ballots = [{ ranking: [['A', 'B'], 'C'] }, { ranking: ['A', 'B', 'C'] }]
    const plain = e('kendall_w', ABC, ballots, { tie_correction: false }).W!
    const corrected = e('kendall_w', ABC, ballots).W!
    // rank sums A 1.5+1, B 1.5+2, C 3+3 → S = 1.5² + 0.5² + 2² = 6.5; m²(n³−n) = 96; ΣT = 2³−2 = 6
    expect(plain).toBeCloseTo((12 * 6.5) / 96, 9)
    expect(corrected).toBeCloseTo((12 * 6.5) / (96 - 2 * 6), 9)
  })

  it('[CM-2] bands', () => {
    expect([0, 0.19, 0.2, 0.45, 0.65, 0.8, 1].map(agreementBand)).toEqual([
      'very weak',
      'very weak',
      'weak',
      'moderate',
      'strong',
      'very strong',
      'very strong',
    ])
  })

  it('[CM-4] a pair tied in one ranking only costs the tie penalty', () => {
    const r = e('kendall_tau_distance', ABC, [{ ranking: ['A', 'B', 'C'] }, { ranking: [['A', 'B'], 'C'] }])
    expect(r.distance).toBe(0.5)
    expect(
      e('kendall_tau_distance', ABC, [{ ranking: ['A', 'B', 'C'] }, { ranking: [['A', 'B'], 'C'] }], {
        tie_penalty: 1,
      }).distance,
    ).toBe(1)
    expect(tryCount({ method: 'spearman', candidates: ABC, ballots: [{ ranking: ['A'] }] })).toHaveProperty(
      'error',
    )
  })

  it('[CM-5][CM-7] live metrics: Condorcet winner and loser, cycles, spread', () => {
    const c = consensus({
      candidates: ['A', 'B', 'C', 'D'],
      ballots: [
        { ranking: ['A', 'B', 'C', 'D'], count: 3 },
        { ranking: ['B', 'C', 'A', 'D'], count: 2 },
        { ranking: ['C', 'A', 'B', 'D'], count: 2 },
      ],
    })
    expect(c.condorcet_winner).toBeNull()
    expect(c.condorcet_loser).toBe('D')
    expect(c.smith_set.sort()).toEqual(['A', 'B', 'C'])
    expect(c.cycles.map((x) => x.sort())).toEqual([['A', 'B', 'C']])
    expect(c.spread.D).toMatchObject({ mean: 4, sd: 0, contested: 0 })
    expect(c.spread.A.sd).toBeGreaterThan(0)
  })
})

describe('parse boundary', () => {
  it('[CLI-3] unknown options and options the method does not read are warnings', () => {
    const p = parseElection({
      method: 'plurality',
      candidates: ABC,
      ballots: [],
      options: { seats: 2, colour: 'red' },
    })
    expect(p).toMatchObject({
      warnings: [
        'option "seats" does not apply to plurality and was ignored',
        'option "colour" is not known and was ignored',
      ],
    })
    expect(
      parseElection({ method: 'minimax', candidates: ABC, ballots: [], options: { strength: 'ratio' } }),
    ).toHaveProperty('error')
    expect(parseElection({ method: 'motion', ballots: [] })).toMatchObject({
      data: { candidates: ['yes', 'no'] },
    })
  })
})
