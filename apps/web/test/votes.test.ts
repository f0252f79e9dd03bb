import { count } from '@roundtable/tally'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  ballotKindOf,
  buildBallot,
  emptyDraft,
  moveItem,
  rankingOf,
  scoreMax,
} from '../src/features/votes/ballot.ts'
import { buildCreate, initialCreateDraft } from '../src/features/votes/create.ts'
import { findReceipt, loadReceipt, type ReceiptStorage, saveReceipt } from '../src/features/votes/receipts.ts'
import { createVotesSlice } from '../src/features/votes/vote-slice.ts'
import { createStore } from 'zustand/vanilla'
import { VOTE_METHODS, type VoteMethod, type VoteView } from '@roundtable/protocol'

const options = [
  { id: 'o1', label: 'Central co-ordination' },
  { id: 'o2', label: 'Cross-agency collaboration' },
  { id: 'o3', label: 'Customer-focused government' },
]
const vote = (method: VoteMethod, methodOptions: Record<string, unknown> = {}) => ({
  method,
  methodOptions,
  options,
})

/** The tally package counts the ballot the UI built: the server's own fit check ([V-FIT]). */
const fits = (method: VoteMethod, methodOptions: Record<string, unknown>, ballot: unknown) =>
  count({
    method,
    candidates: method === 'motion' ? ['yes', 'no'] : options.map((o) => o.id),
    ballots: [ballot as never],
    options: methodOptions,
  })

describe('ballots per method', () => {
  it('every method has a ballot form', () => {
    for (const m of Object.keys(VOTE_METHODS) as VoteMethod[]) expect(ballotKindOf(m)).toBeTruthy()
  })

  it('a ranking keeps the order and puts ties in one tier', () => {
    expect(rankingOf(['o3', 'o1', 'o2'], [])).toEqual({ ranking: ['o3', 'o1', 'o2'] })
    expect(rankingOf(['o3', 'o1', 'o2'], ['o1'])).toEqual({ ranking: [['o3', 'o1'], 'o2'] })
    // "Tied with the one above" on the first place means nothing: there is none above.
    expect(rankingOf(['o3', 'o1', 'o2'], ['o3', 'o2'])).toEqual({ ranking: ['o3', ['o1', 'o2']] })
  })

  it('every ranked ballot the form can make is counted by Schulze and STV (seeded)', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(['o1', 'o2', 'o3'], { minLength: 3, maxLength: 3 }),
        fc.subarray(['o1', 'o2', 'o3']),
        (order, tied) => {
          const b = buildBallot(vote('schulze'), { ...emptyDraft({ options }), order, tiedWithAbove: tied })
          expect(b.error).toBeUndefined()
          expect(() => fits('schulze', {}, b.data)).not.toThrow()
          expect(() => fits('stv', { seats: 2 }, b.data)).not.toThrow()
        },
      ),
      { seed: 13, numRuns: 60 },
    )
  })

  it('choose one, approval, motion and consent need their answer', () => {
    const d = emptyDraft({ options })
    expect(buildBallot(vote('plurality'), d).error).toBe('pickOne')
    expect(buildBallot(vote('plurality'), { ...d, choice: 'o2' }).data).toEqual({ choice: 'o2' })
    expect(buildBallot(vote('approval'), { ...d, approvals: ['o3', 'o1'] }).data).toEqual({
      approvals: ['o1', 'o3'],
    })
    expect(buildBallot(vote('motion'), d).error).toBe('pickMotion')
    const motion = buildBallot(vote('motion'), { ...d, motion: 'abstain' })
    expect(motion.data).toEqual({ vote: 'abstain' })
    expect(() => fits('motion', {}, motion.data)).not.toThrow()
    const one = { method: 'consent' as const, methodOptions: {}, options: [options[0]] }
    expect(buildBallot(one, d).error).toBe('pickLevel')
    expect(buildBallot(one, { ...d, level: 0 }).data).toEqual({ level: 0 })
    const several = buildBallot(vote('consent'), { ...d, scores: { o1: '5', o2: '0' } })
    expect(several.data).toEqual({ scores: { o1: 5, o2: 0 } })
    expect(() => fits('consent', {}, several.data)).not.toThrow()
  })

  it('scores stay within the maximum (STAR defaults to 5 like the tally package)', () => {
    expect(scoreMax({ method: 'star', methodOptions: {} })).toBe(5)
    expect(scoreMax({ method: 'score', methodOptions: { max: 7 } })).toBe(7)
    const d = emptyDraft({ options })
    expect(buildBallot(vote('star'), { ...d, scores: { o1: '6' } }).error).toBe('scoreRange')
    expect(buildBallot(vote('star'), { ...d, scores: { o1: '2.5' } }).error).toBe('scoreRange')
    expect(buildBallot(vote('score', { max: 10 }), { ...d, scores: { o1: '2,5' } }).data).toEqual({
      scores: { o1: 2.5 },
    })
    expect(buildBallot(vote('star'), d).error).toBe('nothingScored')
    const ok = buildBallot(vote('majority_judgment', { max: 4 }), {
      ...d,
      scores: { o1: '4', o2: '0', o3: '' },
    })
    expect(ok.data).toEqual({ scores: { o1: 4, o2: 0 } })
    expect(() => fits('majority_judgment', { max: 4 }, ok.data)).not.toThrow()
  })

  it('cumulative refuses more than the budget, as the tally does', () => {
    const d = emptyDraft({ options })
    const over = { ...d, scores: { o1: '6', o2: '5' } }
    expect(buildBallot(vote('cumulative', { points: 10 }), over)).toMatchObject({ error: 'overBudget' })
    expect(() => fits('cumulative', { points: 10 }, { scores: { o1: 6, o2: 5 } })).toThrow()
    const ok = buildBallot(vote('cumulative', { points: 10 }), { ...d, scores: { o1: '6', o2: '4' } })
    expect(() => fits('cumulative', { points: 10 }, ok.data)).not.toThrow()
  })

  it('moving an item keeps every item once', () => {
    expect(moveItem(['a', 'b', 'c'], 0, 2)).toEqual(['b', 'c', 'a'])
    expect(moveItem(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'c', 'b'])
    expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c'])
  })
})

describe('the new-vote form', () => {
  it('free options one per line, blank lines dropped; duplicates refused', () => {
    const r = buildCreate({ ...initialCreateDraft, question: ' Rank ', optionsText: 'A\n\n B \nC' })
    expect(r.data).toEqual({
      question: 'Rank',
      options: ['A', 'B', 'C'],
      method: 'schulze',
      secret: true,
      voters: 'delegates',
    })
    expect(buildCreate({ ...initialCreateDraft, question: 'Q', optionsText: 'A\na' }).error).toBe('duplicate')
    expect(buildCreate({ ...initialCreateDraft, question: '', optionsText: 'A' }).error).toBe('question')
  })

  it('the frozen list, seats for STV, threshold for motions, weights and timer', () => {
    const base = { ...initialCreateDraft, question: 'Q', source: 'board' as const }
    expect(buildCreate({ ...base, method: 'stv', seats: '3' }).data).toMatchObject({
      options: 'board',
      seats: 3,
    })
    expect(buildCreate({ ...base, method: 'stv', seats: '' }).error).toBe('seats')
    expect(buildCreate({ ...base, method: 'motion', threshold: 'two_thirds' }).data).toMatchObject({
      threshold: 'two_thirds',
    })
    expect(buildCreate({ ...base, method: 'cumulative', points: '12' }).data).toMatchObject({
      methodOptions: { points: 12 },
    })
    const w = buildCreate({ ...base, voters: 'delegations', weights: { d1: '3', d2: '1', d3: '' } })
    expect(w.data?.weights).toEqual({ d1: 3 })
    expect(buildCreate({ ...base, voters: 'delegations', weights: { d1: '0' } }).error).toBe('weight')
    expect(buildCreate({ ...base, timerMinutes: '2' }).data?.closesInSeconds).toBe(120)
    expect(buildCreate({ ...base, timerMinutes: '0.1' }).error).toBe('timer')
    expect(buildCreate({ ...base, quorum: '4' }).data?.quorum).toBe(4)
  })
})

describe('receipts', () => {
  const memory = (): ReceiptStorage & { map: Map<string, string> } => {
    const map = new Map<string, string>()
    return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) }
  }

  it('are kept per meeting and vote, the last one replacing the one before, without the ballot', () => {
    const s = memory()
    saveReceipt('m1', 'v1', { receipt: 'AAAA', at: '2026-01-01T00:00:00Z' }, s)
    saveReceipt('m1', 'v1', { receipt: 'BBBB', at: '2026-01-01T00:01:00Z' }, s)
    saveReceipt('m1', 'v2', { receipt: 'CCCC', at: '2026-01-01T00:02:00Z' }, s)
    expect(loadReceipt('m1', 'v1', s)?.receipt).toBe('BBBB')
    expect(loadReceipt('m1', 'v2', s)?.receipt).toBe('CCCC')
    expect(loadReceipt('m2', 'v1', s)).toBeNull()
    expect([...s.map.values()].join()).not.toContain('ranking')
  })

  it('something else under the key is no receipt; a storage that throws is none', () => {
    const s = memory()
    s.setItem('roundtable.receipt.m1.v1', 'not json')
    expect(loadReceipt('m1', 'v1', s)).toBeNull()
    s.setItem('roundtable.receipt.m1.v1', '{"receipt":3}')
    expect(loadReceipt('m1', 'v1', s)).toBeNull()
    const broken = {
      getItem: () => {
        throw new Error('denied')
      },
      setItem: () => {
        throw new Error('full')
      },
    }
    expect(() => saveReceipt('m1', 'v1', { receipt: 'X', at: 'y' }, broken)).not.toThrow()
    expect(loadReceipt('m1', 'v1', broken)).toBeNull()
  })

  it('are found in the published ballots (spaces and case aside), and only there', () => {
    const published = {
      ballots: [
        { ranking: ['o1'], receipt: 'ABCD234567' },
        { ranking: ['o2'], receipt: 'ZZZZ' },
      ],
    }
    expect(findReceipt(published, 'abcd 234 567')).toEqual({ index: 0, ballot: { ranking: ['o1'] } })
    expect(findReceipt(published, 'ABCD23456')).toBeNull()
    expect(findReceipt(published, '  ')).toBeNull()
  })
})

describe('votes slice', () => {
  const view = (id: string, createdAt: string, status: VoteView['status'] = 'draft') =>
    ({ id, createdAt, status, turnout: { cast: 0, eligible: 3 } }) as unknown as VoteView

  it('an event updates its vote or appends a new one; the list on reconnect replaces all', () => {
    const s = createStore(createVotesSlice)
    s.getState().applyVote(view('b', '2026-01-02'))
    s.getState().applyVote(view('a', '2026-01-01'))
    s.getState().applyVote(view('b', '2026-01-02', 'open'))
    expect(s.getState().votes.map((v) => `${v.id}:${v.status}`)).toEqual(['a:draft', 'b:open'])
    s.getState().markVoted('b')
    s.getState().markVoted('b')
    expect(s.getState().voted).toEqual(['b'])
    s.getState().applyVoteList({ votes: [view('c', '2026-01-03', 'closed')], voted: [] })
    expect(s.getState().votes.map((v) => v.id)).toEqual(['c'])
    expect(s.getState().voted).toEqual([])
  })
})
