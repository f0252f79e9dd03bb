import type { VoteView } from '@roundtable/protocol'
import { count } from '@roundtable/tally'
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { translationsFor } from '../src/shared/i18n/index.ts'
import {
  orderedIds,
  roundChanges,
  secondsLeft,
  verdictGroups,
  withLabels,
} from '../src/features/votes/result.ts'
import { ResultView } from '../src/features/votes/ResultView.tsx'

const options = [
  { id: 'o1', label: 'Central co-ordination' },
  { id: 'o2', label: 'Cross-agency collaboration' },
  { id: 'o3', label: 'Customer-focused government' },
  { id: 'o12', label: 'International co-operation' },
]

describe('the result, pure parts', () => {
  it('explanations name options by label, whole ids only (o1 never rewrites o12)', () => {
    expect(withLabels('o12 beats o1; o1 beats o2.', { options })).toBe(
      'International co-operation beats Central co-ordination; Central co-ordination beats Cross-agency collaboration.',
    )
  })

  it('transfers are the change from the round before; the first round has none', () => {
    expect(
      roundChanges([
        { a: 3, b: 2, c: 1 },
        { a: 3, b: 3 },
      ]),
    ).toEqual([
      { a: 0, b: 0, c: 0 },
      { a: 0, b: 1 },
    ])
  })

  it('methods are grouped by the winners they pick, the largest agreement first', () => {
    const groups = verdictGroups([
      { method: 'schulze', winners: ['o3'], ranking: [] },
      { method: 'borda', winners: ['o1', 'o3'], ranking: [] },
      { method: 'irv', winners: ['o3'], ranking: [] },
      { method: 'copeland', winners: ['o3', 'o1'], ranking: [] },
      { method: 'minimax', winners: ['o3'], ranking: [] },
    ])
    expect(groups).toEqual([
      { winners: ['o3'], methods: ['schulze', 'irv', 'minimax'] },
      { winners: ['o1', 'o3'], methods: ['borda', 'copeland'] },
    ])
  })

  it('the countdown reads the server clock: a local clock 5 s behind still shows the server time left', () => {
    const closesAt = '2026-01-01T10:01:00.000Z'
    const local = Date.parse('2026-01-01T10:00:00.000Z')
    expect(secondsLeft(closesAt, local, 0)).toBe(60)
    expect(secondsLeft(closesAt, local, 5000)).toBe(55)
    expect(secondsLeft(closesAt, local + 120_000, 0)).toBe(0)
    expect(secondsLeft('not a time', local, 0)).toBe(0)
  })

  it('every option appears once in the shown order, those the result left out last', () => {
    expect(orderedIds({ options }, [['o3'], ['o1', 'o2']])).toEqual(['o3', 'o1', 'o2', 'o12'])
  })
})

describe('the result as rendered', () => {
  beforeAll(async () => {
    await i18next.use(initReactI18next).init({
      resources: { en: { translation: translationsFor('en') } },
      lng: 'en',
      interpolation: { escapeValue: false },
      showSupportNotice: false,
    })
  })

  /** A closed vote whose result is the tally's own count of these ballots. */
  const closed = (method: 'irv' | 'schulze', ballots: { ranking: string[]; count?: number }[]): VoteView => {
    const r = count({ method, candidates: options.map((o) => o.id), ballots })
    return {
      id: 'v1',
      agendaItemId: null,
      question: 'Which first?',
      options,
      method,
      methodOptions: {},
      secret: true,
      voters: 'delegates',
      weights: null,
      seats: null,
      quorum: 5,
      threshold: null,
      closesInSeconds: null,
      status: 'closed',
      optionsHash: 'ab'.repeat(32),
      turnout: { cast: 6, eligible: 6 },
      createdAt: '2026-01-01T00:00:00Z',
      openedAt: '2026-01-01T00:00:00Z',
      closesAt: null,
      closedAt: '2026-01-01T00:10:00Z',
      result: {
        ...r,
        quorumMet: true,
        tie: r.winners.length > 1,
        comparison: [],
        verdict: '',
        ballots: ballots.reduce((n, b) => n + (b.count ?? 1), 0),
      },
    } as VoteView
  }

  it('IRV shows each round with its transfers, labels not ids, and the quorum verdict', () => {
    const vote = closed('irv', [
      { ranking: ['o1', 'o3'], count: 2 },
      { ranking: ['o3', 'o1'], count: 2 },
      { ranking: ['o2', 'o3'], count: 1 },
      { ranking: ['o12', 'o1'], count: 1 },
    ])
    const html = renderToStaticMarkup(createElement(ResultView, { vote, result: vote.result! }))
    expect((vote.result!.rounds as unknown[]).length).toBeGreaterThan(1)
    expect(html).toContain('<table class="rounds">')
    // o2's ballot moves to o3, o12's to o1: gains in brackets after the first round.
    expect(html).toMatch(/\(\+1\)/)
    expect(html).toContain('Customer-focused government')
    expect(html).not.toMatch(/>o1</)
    expect(html).toContain('<svg viewBox="0 0 320 160" role="img"')
    expect(html).toContain('Quorum reached: 6 ballots, 5 needed.')
  })

  it('a tie is shown as a tie, not as a winner', () => {
    const vote = closed('schulze', [{ ranking: ['o1', 'o3'] }, { ranking: ['o3', 'o1'] }])
    expect(vote.result!.tie).toBe(true)
    const html = renderToStaticMarkup(createElement(ResultView, { vote, result: vote.result! }))
    expect(html).toContain('tie-notice')
    expect(html).toContain('The count leaves Central co-ordination = Customer-focused government tied')
    expect(html).toMatch(/Central co-ordination = Customer-focused government<span class="badge tie-badge">/)
  })
})
