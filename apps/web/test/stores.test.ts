import type { AgendaItem, MeetingState, Participant, ParticipantView } from '@roundtable/protocol'
import { describe, expect, it } from 'vitest'
import type { Api } from '../src/shared/api/endpoints.ts'
import { colourFor, PRESENCE_COLOURS } from '../src/features/presence/colours.ts'
import { connectionView, createConnectionStore } from '../src/features/presence/connection.ts'
import { createMeetingStore } from '../src/app/meeting-store.ts'
import { createRouterStore, type HistoryLike, matchRoute } from '../src/app/router.ts'
import { createSessionStore } from '../src/features/access/session.ts'

const participant = (over: Partial<Participant> = {}): Participant =>
  ({
    id: 'p1',
    meetingId: 'm1',
    displayName: 'Amélie',
    role: 'delegate',
    delegationId: 'd1',
    removed: false,
    joinedAt: '2026-01-01T00:00:00Z',
    ...over,
  }) as Participant

const item = (id: string, position: number): AgendaItem =>
  ({ id, meetingId: 'm1', position, title: id, kind: 'discussion', durationMinutes: 10 }) as AgendaItem

const state = (): MeetingState =>
  ({
    meeting: {
      id: 'm1',
      title: 'T',
      date: '2003-06-09',
      place: 'P',
      description: '',
      chairName: '',
      createdAt: '',
    },
    delegations: [{ id: 'd1', meetingId: 'm1', name: 'France' }],
    agenda: [item('b', 1), item('a', 0)],
    currentItemId: null,
    participants: [{ ...participant(), online: true }],
    me: participant(),
  }) as MeetingState

describe('meeting store', () => {
  it('applies the state sent on connect, agenda in position order', () => {
    const s = createMeetingStore()
    s.getState().applyState(state())
    expect(s.getState().agenda.map((i) => i.id)).toEqual(['a', 'b'])
    expect(s.getState().me?.displayName).toBe('Amélie')
  })

  it('applies agenda pushes with the current item', () => {
    const s = createMeetingStore()
    s.getState().applyState(state())
    s.getState().applyAgenda({ agenda: [item('c', 2), item('a', 0)], currentItemId: 'c' as AgendaItem['id'] })
    expect(s.getState().agenda.map((i) => i.id)).toEqual(['a', 'c'])
    expect(s.getState().currentItemId).toBe('c')
  })

  it('takes a role change from either a participant update or meeting:me', () => {
    const s = createMeetingStore()
    s.getState().applyState(state())
    const demoted: ParticipantView = { ...participant({ role: 'observer' }), online: true }
    s.getState().applyParticipant(demoted)
    expect(s.getState().me?.role).toBe('observer')
    expect(s.getState().me).not.toHaveProperty('online')
    s.getState().applyMe(participant({ role: 'chair' }))
    expect(s.getState().me?.role).toBe('chair')
  })

  it('adds a newcomer, marks presence changes, and drops a removed participant', () => {
    const s = createMeetingStore()
    s.getState().applyState(state())
    const other = { ...participant({ id: 'p2' as Participant['id'], displayName: 'Bob' }), online: false }
    s.getState().applyParticipant(other)
    expect(s.getState().participants.map((p) => p.displayName)).toContain('Bob')
    s.getState().applyPresence({ online: [other.id], offline: [participant().id] })
    const byId = new Map(s.getState().participants.map((p) => [p.id, p.online]))
    expect(byId.get(other.id)).toBe(true)
    expect(byId.get(participant().id)).toBe(false)
    s.getState().applyParticipant({ ...other, removed: true })
    expect(s.getState().participants.map((p) => p.id)).not.toContain(other.id)
    expect(s.getState().me?.id).toBe(participant().id)
  })

  it('records the end of the session and numbered notices', () => {
    const s = createMeetingStore()
    s.getState().notify({ kind: 'error', error: { code: 'RT_ERR_FORBIDDEN', message: 'x' } })
    const first = s.getState().notice!.id
    s.getState().notify({ kind: 'success', key: 'agenda.added' })
    expect(s.getState().notice!.id).toBeGreaterThan(first)
    s.getState().endSession()
    expect(s.getState().ended).toBe(true)
  })
})

describe('connection store', () => {
  it('is connecting until every link is up and synced, then connected', () => {
    const c = createConnectionStore()
    expect(connectionView(c.getState()).kind).toBe('connecting')
    c.getState().setChannel('connected')
    c.getState().setDoc('m.brief', { status: 'connected' })
    expect(connectionView(c.getState()).kind).toBe('reconnecting')
    c.getState().setDoc('m.brief', { synced: true })
    expect(connectionView(c.getState())).toEqual({ kind: 'connected', unsaved: false })
  })

  it('shows saving while an edit is unacknowledged, and keeps "unsaved" through a drop', () => {
    const c = createConnectionStore()
    c.getState().setChannel('connected')
    c.getState().setDoc('m.brief', { status: 'connected', synced: true, unsaved: true })
    expect(connectionView(c.getState()).kind).toBe('saving')
    c.getState().setDoc('m.brief', { status: 'disconnected' })
    expect(c.getState().docs['m.brief'].synced).toBe(false)
    expect(connectionView(c.getState())).toEqual({ kind: 'reconnecting', unsaved: true })
    c.getState().setBrowserOnline(false)
    expect(connectionView(c.getState())).toEqual({ kind: 'offline', unsaved: true })
    c.getState().setBrowserOnline(true)
    c.getState().setDoc('m.brief', { status: 'connected' })
    c.getState().setDoc('m.brief', { synced: true, unsaved: false })
    expect(connectionView(c.getState()).kind).toBe('connected')
  })
})

describe('session store', () => {
  const fakeApi = (over: Partial<Api> = {}) =>
    ({
      session: async () => ({ error: { code: 'RT_ERR_UNAUTHORIZED', message: '' } }),
      join: async () => ({ data: { participant: participant() } }),
      claimOrganiser: async () => ({ error: { code: 'RT_ERR_INVITATION_INVALID', message: '' } }),
      logout: async () => ({ data: { ok: true } }),
      ...over,
    }) as unknown as Api

  it('treats 401 as "no session", not as an error', async () => {
    const s = createSessionStore(fakeApi())
    await s.getState().load()
    expect(s.getState().status).toBe('none')
    expect(s.getState().error).toBeNull()
  })

  it('joins, and keeps a failed claim as an error value', async () => {
    const s = createSessionStore(fakeApi())
    expect((await s.getState().join('tok', 'Amélie'))?.id).toBe('p1')
    expect(s.getState().status).toBe('ready')
    expect(await s.getState().claimOrganiser('tok')).toBe(false)
    expect(s.getState().error?.code).toBe('RT_ERR_INVITATION_INVALID')
  })
})

describe('router', () => {
  it('matches every page and nothing else', () => {
    expect(matchRoute('/')).toEqual({ name: 'home' })
    expect(matchRoute('/join/abcDEF_-123')).toEqual({ name: 'join', token: 'abcDEF_-123' })
    expect(matchRoute('/m/oecd-egov-2003')).toEqual({ name: 'meeting', meetingId: 'oecd-egov-2003' })
    expect(matchRoute('/organiser/tok')).toEqual({ name: 'organiserClaim', token: 'tok' })
    expect(matchRoute('/organise')).toEqual({ name: 'organise' })
    expect(matchRoute('/m/../etc')).toEqual({ name: 'notFound' })
  })

  it('replaces the history entry when asked (no token left behind)', () => {
    const calls: string[] = []
    let path = '/join/secret'
    const h: HistoryLike = {
      pathname: () => path,
      pushState: (_d, _u, url) => {
        calls.push(`push ${url}`)
        path = url
      },
      replaceState: (_d, _u, url) => {
        calls.push(`replace ${url}`)
        path = url
      },
    }
    const r = createRouterStore(h)
    expect(r.getState().route.name).toBe('join')
    r.getState().navigate('/m/m1', { replace: true })
    expect(calls).toEqual(['replace /m/m1'])
    expect(r.getState().route).toEqual({ name: 'meeting', meetingId: 'm1' })
  })
})

describe('presence colours', () => {
  it('gives the first eight people in join order eight different colours, the same on every client', () => {
    const people = Array.from({ length: 8 }, (_, i) => ({ id: `p${i}`, joinedAt: `2026-01-01T00:00:0${i}Z` }))
    const colours = people.map((p) => colourFor(p.id, people))
    expect(new Set(colours).size).toBe(8)
    expect(colourFor('p3', [...people].reverse())).toBe(colours[3])
    expect(PRESENCE_COLOURS).toContain(colourFor('someone-not-listed', people))
  })
})
