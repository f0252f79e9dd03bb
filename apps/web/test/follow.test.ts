import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { matchRoute } from '../src/app/router.ts'
import {
  type Focus,
  type FollowState,
  follow,
  loadFollowing,
  saveFollowing,
  tabForTool,
  TOOL_FOR_KIND,
} from '../src/features/follow/follow.ts'

const focus = (tool: Focus['tool'], at: string): Focus => ({ tool, voteId: null, at })
const start: FollowState = { following: true, tab: 'brief', seenAt: null }

describe('follow the chair', () => {
  it("a follower's view goes where the chair's focus goes", () => {
    const s = follow(start, { type: 'focus', focus: focus('votes', 't1') })
    expect(s).toEqual({ following: true, tab: 'votes', seenAt: 't1' })
  })
  it('looking elsewhere stops following; the next focus leaves the view alone', () => {
    let s = follow(start, { type: 'focus', focus: focus('board', 't1') })
    s = follow(s, { type: 'select', tab: 'brief', focus: focus('board', 't1') })
    expect(s.following).toBe(false)
    s = follow(s, { type: 'focus', focus: focus('votes', 't2') })
    expect(s.tab).toBe('brief')
  })
  it("choosing the chair's own tab, or any tab before the chair chose one, keeps following", () => {
    const s = follow(start, { type: 'select', tab: 'board', focus: focus('board', 't1') })
    expect(s.following).toBe(true)
    expect(follow(start, { type: 'select', tab: 'votes', focus: null }).following).toBe(true)
  })
  it("one click back goes to the chair's view and follows again", () => {
    const away: FollowState = { following: false, tab: 'brief', seenAt: 't1' }
    expect(follow(away, { type: 'setFollowing', following: true, focus: focus('floor', 't3') })).toEqual({
      following: true,
      tab: 'floor',
      seenAt: 't3',
    })
  })
  it('the same focus seen again (a re-sent timing) does not move a view', () => {
    let s = follow(start, { type: 'focus', focus: focus('board', 't1') })
    s = follow({ ...s, tab: 'board' }, { type: 'select', tab: 'board', focus: focus('board', 't1') })
    expect(follow(s, { type: 'focus', focus: focus('board', 't1') })).toBe(s)
  })
  it('property: while following, the view is the latest focus tool (seeded)', () => {
    const tools = ['agenda', 'floor', 'board', 'brief', 'votes'] as const
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...tools), { minLength: 1, maxLength: 20 }), (seq) => {
        let s = start
        seq.forEach((tool, i) => {
          s = follow(s, { type: 'focus', focus: focus(tool, `t${i}`) })
        })
        expect(s.tab).toBe(tabForTool(seq[seq.length - 1]))
      }),
      { seed: 1414, numRuns: 100 },
    )
  })
  it('each agenda kind opens its tool', () => {
    expect(TOOL_FOR_KIND).toEqual({
      priority_ranking: 'board',
      vote: 'votes',
      drafting: 'brief',
      discussion: 'floor',
    })
  })
  it('the choice is kept per person, on by default', () => {
    const mem = new Map<string, string>()
    const store = {
      getItem: (k: string) => mem.get(k) ?? null,
      setItem: (k: string, v: string) => void mem.set(k, v),
    }
    expect(loadFollowing(store, 'p1')).toBe(true)
    saveFollowing(store, 'p1', false)
    expect(loadFollowing(store, 'p1')).toBe(false)
    expect(loadFollowing(store, 'p2')).toBe(true)
    expect(loadFollowing(null, 'p1')).toBe(true)
  })
})

describe('the follow and projector routes', () => {
  it("open a meeting's follow view and projector by address", () => {
    expect(matchRoute('/m/oecd-2003/follow')).toEqual({ name: 'follow', meetingId: 'oecd-2003' })
    expect(matchRoute('/m/oecd-2003/projector/')).toEqual({ name: 'projector', meetingId: 'oecd-2003' })
    expect(matchRoute('/m/oecd-2003')).toEqual({ name: 'meeting', meetingId: 'oecd-2003' })
    expect(matchRoute('/m/oecd-2003/other').name).toBe('notFound')
  })
})
