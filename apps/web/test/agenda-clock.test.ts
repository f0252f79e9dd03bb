import type { AgendaItem, AgendaItemId } from '@roundtable/protocol'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  addClockSample,
  clockOffset,
  formatClock,
  formatDuration,
  itemClock,
  OFFSET_SAMPLES,
  parseClock,
  planAgenda,
  secondsSince,
} from '../src/features/agenda/clock.ts'
import { createTimingSlice } from '../src/features/agenda/timing-slice.ts'
import { createStore } from 'zustand/vanilla'

const item = (id: string, durationMinutes: number, position: number): AgendaItem =>
  ({
    id: id as AgendaItemId,
    title: id,
    kind: 'discussion',
    durationMinutes,
    position,
  }) as unknown as AgendaItem

describe('the server clock offset', () => {
  it('is the server time minus the local receive time', () => {
    const c = addClockSample(
      { samples: [] },
      '2026-01-01T10:00:05.000Z',
      Date.parse('2026-01-01T10:00:00.000Z'),
    )
    expect(clockOffset(c)).toBe(5000)
  })
  it('is 0 before any sample and ignores a time it cannot read', () => {
    expect(clockOffset({ samples: [] })).toBe(0)
    expect(addClockSample({ samples: [1] }, 'not a time', 0)).toEqual({ samples: [1] })
  })
  it('takes the median of the last samples, so one late event does not move every timer', () => {
    let c = { samples: [] as number[] }
    const base = Date.parse('2026-01-01T10:00:00.000Z')
    for (const [server, local] of [
      [1000, 0],
      [2000, 1000],
      [3000, 2000],
      [3000, 4500], // this one sat in the network 2.5 s
    ])
      c = addClockSample(c, new Date(base + server).toISOString(), base + local)
    expect(clockOffset(c)).toBe(1000)
  })
  it('keeps only the last few samples (property: never more than OFFSET_SAMPLES, the newest last)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1e7, max: 1e7 }), { minLength: 1, maxLength: 30 }),
        (offsets) => {
          let c = { samples: [] as number[] }
          for (const o of offsets) c = addClockSample(c, new Date(1e12 + o).toISOString(), 1e12)
          expect(c.samples.length).toBe(Math.min(OFFSET_SAMPLES, offsets.length))
          expect(c.samples.at(-1)).toBe(offsets.at(-1))
          const o = clockOffset(c)
          expect(o).toBeGreaterThanOrEqual(Math.min(...c.samples))
          expect(o).toBeLessThanOrEqual(Math.max(...c.samples))
        },
      ),
      { seed: 14, numRuns: 200 },
    )
  })
  it('timers read the server clock: a client 3 s behind still sees 10 s', () => {
    const started = '2026-01-01T10:00:00.000Z'
    const local = Date.parse('2026-01-01T10:00:07.000Z')
    expect(secondsSince(started, local, 3000)).toBe(10)
    expect(secondsSince(started, Date.parse(started) - 5000, 0)).toBe(0)
  })
  it('the timing slice takes a sample from every event', () => {
    const s = createStore(createTimingSlice)
    s.getState().noteServerTime(new Date(Date.now() + 60_000).toISOString())
    expect(clockOffset(s.getState().clock)).toBeGreaterThan(59_000)
  })
})

describe('planned start times', () => {
  const items = [item('a', 30, 0), item('b', 45, 1), item('c', 20, 2)]
  it('are the meeting start plus the durations before', () => {
    const p = planAgenda(items, '09:00', '11:00')
    expect([...p.starts.values()].map((m) => formatClock(m ?? -1))).toEqual(['09:00', '09:30', '10:15'])
    expect(p.totalMinutes).toBe(95)
    expect(formatClock(p.plannedEnd ?? 0)).toBe('10:35')
    expect(p.overMinutes).toBe(-25)
  })
  it('show an agenda that does not fit the meeting', () => {
    expect(planAgenda(items, '09:00', '10:00').overMinutes).toBe(35)
  })
  it('are unknown without a start, and the fit unknown without an end', () => {
    const p = planAgenda(items, null, '10:00')
    expect([...p.starts.values()]).toEqual([null, null, null])
    expect(p.overMinutes).toBeNull()
    expect(planAgenda(items, '09:00', null).overMinutes).toBeNull()
  })
  it('an end before the start is the next day', () => {
    expect(planAgenda(items, '23:00', '01:00').overMinutes).toBe(-25)
  })
  it('parse and format wall-clock times', () => {
    expect(parseClock('07:05')).toBe(425)
    expect(parseClock('24:00')).toBeNull()
    expect(parseClock(null)).toBeNull()
    expect(formatClock(1440 + 61)).toBe('01:01')
  })
})

describe('the current item against its duration', () => {
  it('has time left until its planned duration, then runs over', () => {
    expect(itemClock(10, 540)).toEqual({ usedSeconds: 540, leftSeconds: 60, overrun: false })
    expect(itemClock(10, 600).overrun).toBe(false)
    expect(itemClock(10, 601)).toEqual({ usedSeconds: 601, leftSeconds: -1, overrun: true })
  })
  it('durations read as m:ss or h:mm:ss', () => {
    expect(formatDuration(65)).toBe('1:05')
    expect(formatDuration(-65)).toBe('1:05')
    expect(formatDuration(3723)).toBe('1:02:03')
  })
})
