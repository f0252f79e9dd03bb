/** The speaker queue's rules, without sockets: order, point of order, withdraw, one request each, timer, time per delegation. */
import type { Participant } from '@roundtable/protocol'
import { describe, expect, it } from 'vitest'
import {
  configure,
  DEFAULT_FLOOR,
  end,
  type FloorOutcome,
  type FloorState,
  grant,
  leave,
  next,
  request,
  withdraw,
} from '../src/meeting/floor/rules.ts'
import { timingAfterSwitch, DEFAULT_TIMING } from '../src/meeting/timing/commands.ts'

const person = (
  id: string,
  role: Participant['role'] = 'delegate',
  delegationId: string | null = `d-${id}`,
) =>
  ({
    id,
    displayName: id.toUpperCase(),
    role,
    delegationId,
    meetingId: 'm',
    removed: false,
    joinedAt: '',
  }) as Participant
const at = (s: number) => new Date(Date.UTC(2003, 5, 9, 10, 0, s)).toISOString()
const ok = (o: FloorOutcome): FloorState => {
  if (o.error !== undefined) throw new Error(o.error)
  return o.state
}
const names = (s: FloorState) => s.queue.map((r) => r.participantId)

describe('the speaker queue', () => {
  it('[F-1] requests queue in order; one request per person at a time', () => {
    let s = ok(request(DEFAULT_FLOOR, person('ana'), 'r1', at(0)))
    s = ok(request(s, person('ben'), 'r2', at(1)))
    expect(names(s)).toEqual(['ana', 'ben'])
    expect(request(s, person('ana'), 'r3', at(2)).error).toMatch(/in the queue already/)
    s = ok(grant(s, 'r1', at(3), null))
    expect(request(s, person('ana'), 'r4', at(4)).error).toMatch(/have the floor/)
  })

  it('[F-2] a delegation queues once unless the chair allows two', () => {
    const fr1 = person('ana', 'delegate', 'fr')
    const fr2 = person('anne', 'delegate', 'fr')
    const s = ok(request(DEFAULT_FLOOR, fr1, 'r1', at(0)))
    expect(request(s, fr2, 'r2', at(1)).error).toMatch(/delegation is in the queue/)
    const allowed = ok(configure(s, { delegationMayQueueTwice: true }))
    expect(names(ok(request(allowed, fr2, 'r2', at(1))))).toEqual(['ana', 'anne'])
  })

  it('[F-3] a point of order goes to the front, behind earlier points of order', () => {
    let s = ok(request(DEFAULT_FLOOR, person('ana'), 'r1', at(0)))
    s = ok(request(s, person('ben'), 'r2', at(1)))
    s = ok(request(s, person('eva'), 'r3', at(2), true))
    s = ok(request(s, person('olu'), 'r4', at(3), true))
    expect(names(s)).toEqual(['eva', 'olu', 'ana', 'ben'])
    expect(ok(next(s, at(4), null)).speaker?.participantId).toBe('eva')
  })

  it('[F-4] withdrawing takes only one’s own request out', () => {
    let s = ok(request(DEFAULT_FLOOR, person('ana'), 'r1', at(0)))
    s = ok(request(s, person('ben'), 'r2', at(1)))
    expect(names(ok(withdraw(s, person('ana'))))).toEqual(['ben'])
    expect(withdraw(s, person('eva')).error).toMatch(/not in the queue/)
    expect(names(leave(s, 'ben'))).toEqual(['ana'])
  })

  it('[F-5] the timer runs on the server clock; speaking time adds up per delegation', () => {
    const fr1 = person('ana', 'delegate', 'fr')
    const fr2 = person('anne', 'delegate', 'fr')
    let s = ok(configure(DEFAULT_FLOOR, { speakingLimitSeconds: 120, delegationMayQueueTwice: true }))
    s = ok(request(s, fr1, 'r1', at(0)))
    s = ok(request(s, fr2, 'r2', at(0)))
    s = ok(request(s, person('ben', 'delegate', 'ca'), 'r3', at(0)))
    s = ok(next(s, at(10), 'item-1'))
    expect(s.speaker).toMatchObject({ participantId: 'ana', startedAt: at(10), limitSeconds: 120 })
    // Granting the next ends the current turn: 45 s to France.
    const granted = grant(s, 'r2', at(55), 'item-1')
    expect(granted.error).toBeUndefined()
    if (granted.error !== undefined) return
    expect(granted.turn).toMatchObject({
      participantId: 'ana',
      delegationId: 'fr',
      seconds: 45,
      agendaItemId: 'item-1',
    })
    s = granted.state
    const ended = end(s, at(85), 'item-1')
    if (ended.error !== undefined) throw new Error(ended.error)
    expect(ended.turn?.seconds).toBe(30)
    s = ok(next(ended.state, at(90), 'item-2'))
    s = ok(end(s, at(110), 'item-2'))
    expect(s.spoken).toEqual({ fr: 75, ca: 20 })
    expect(s.speaker).toBeNull()
    expect(end(s, at(120), null).error).toMatch(/Nobody has the floor/)
    expect(next(s, at(120), null).error).toMatch(/queue is empty/)
  })

  it('[F-6] observers ask only when the chair allows it', () => {
    const olga = person('olga', 'observer', null)
    expect(request(DEFAULT_FLOOR, olga, 'r1', at(0)).error).toMatch(/Observers/)
    const allowed = ok(configure(DEFAULT_FLOOR, { observersMayRequest: true }))
    expect(names(ok(request(allowed, olga, 'r1', at(0))))).toEqual(['olga'])
  })
})

describe('the agenda’s clock', () => {
  it('[T-1] switching items closes the previous entry and opens the next', () => {
    let t = timingAfterSwitch(DEFAULT_TIMING, 'a' as never, at(0))
    expect(t).toMatchObject({
      currentStartedAt: at(0),
      log: [{ itemId: 'a', startedAt: at(0), endedAt: null }],
    })
    t = timingAfterSwitch(t, 'b' as never, at(600))
    expect(t.log).toEqual([
      { itemId: 'a', startedAt: at(0), endedAt: at(600) },
      { itemId: 'b', startedAt: at(600), endedAt: null },
    ])
    t = timingAfterSwitch(t, null, at(900))
    expect(t.currentStartedAt).toBeNull()
    expect(t.log[1].endedAt).toBe(at(900))
  })
})
