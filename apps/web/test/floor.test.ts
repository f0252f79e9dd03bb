import type { FloorView, ParticipantId } from '@roundtable/protocol'
import { describe, expect, it } from 'vitest'
import { createStore } from 'zustand/vanilla'
import { createTimingSlice } from '../src/features/agenda/timing-slice.ts'
import { clockOffset } from '../src/features/agenda/clock.ts'
import { createFloorSlice } from '../src/features/floor/floor-slice.ts'
import { mayRequest, spokenRows, timerState } from '../src/features/floor/timer.ts'

const view = (patch: Partial<FloorView> = {}): FloorView => ({
  config: { speakingLimitSeconds: 120, observersMayRequest: false, delegationMayQueueTwice: false },
  queue: [],
  speaker: null,
  spoken: {},
  serverNow: new Date().toISOString(),
  ...patch,
})

describe("the speaker's timer", () => {
  it('runs, warns at 80 % of the limit, then overruns', () => {
    expect(timerState(0, 100)).toBe('running')
    expect(timerState(79, 100)).toBe('running')
    expect(timerState(80, 100)).toBe('warning')
    expect(timerState(100, 100)).toBe('warning')
    expect(timerState(101, 100)).toBe('overrun')
  })
  it('has no states without a limit', () => {
    expect(timerState(10_000, null)).toBe('unlimited')
  })
})

describe('speaking time per delegation', () => {
  it('adds the live turn to its delegation and sorts most first, with bar shares', () => {
    const f = view({
      spoken: { d1: 60, d2: 30 },
      speaker: {
        id: 'r1',
        participantId: 'p1' as ParticipantId,
        name: 'A',
        role: 'delegate',
        delegationId: 'd2' as never,
        pointOfOrder: false,
        requestedAt: '',
        startedAt: '',
        limitSeconds: 120,
      },
    })
    expect(spokenRows(f, 90)).toEqual([
      { key: 'd2', seconds: 120, share: 1 },
      { key: 'd1', seconds: 60, share: 0.5 },
    ])
  })
  it('counts someone with no delegation under their own id', () => {
    const f = view({
      speaker: {
        id: 'r1',
        participantId: 'p9' as ParticipantId,
        name: 'Chair',
        role: 'chair',
        delegationId: null,
        pointOfOrder: false,
        requestedAt: '',
        startedAt: '',
        limitSeconds: null,
      },
    })
    expect(spokenRows(f, 5)).toEqual([{ key: 'p9', seconds: 5, share: 1 }])
  })
})

describe('who is offered the request button', () => {
  it('delegates and the chair; observers only when the chair allows', () => {
    expect(mayRequest('delegate', view())).toBe(true)
    expect(mayRequest('chair', view())).toBe(true)
    expect(mayRequest('observer', view())).toBe(false)
    const open = view({ config: { ...view().config, observersMayRequest: true } })
    expect(mayRequest('observer', open)).toBe(true)
  })
})

describe('the floor slice', () => {
  it('mirrors the view and corrects the clock from its serverNow', () => {
    const s = createStore<ReturnType<typeof createFloorSlice> & ReturnType<typeof createTimingSlice>>()(
      (set, get, api) => ({ ...createTimingSlice(set, get, api), ...createFloorSlice(set, get, api) }),
    )
    const f = view({ serverNow: new Date(Date.now() - 30_000).toISOString() })
    s.getState().applyFloor(f)
    expect(s.getState().floor).toBe(f)
    expect(clockOffset(s.getState().clock)).toBeLessThan(-29_000)
  })
})
