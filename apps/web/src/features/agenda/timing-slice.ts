import type { TimingView } from '@roundtable/protocol'
import type { StateCreator } from 'zustand/vanilla'
import { addClockSample, type ClockSamples } from './clock.ts'

export interface TimingData {
  /** The agenda against the clock and the chair's focus; null until the server sent it. */
  timing: TimingView | null
  /** The server's clock as received, for every timer on the page. */
  clock: ClockSamples
}

export interface TimingSlice extends TimingData {
  /** A `meeting:timing` event or an `agenda:*` command's answer. */
  applyTiming(t: TimingView): void
  /** Any event that carries the server's time adds a sample. */
  noteServerTime(serverNow: string): void
}

export const timingInitial: TimingData = { timing: null, clock: { samples: [] } }

export const createTimingSlice: StateCreator<TimingSlice, [], [], TimingSlice> = (set) => ({
  ...timingInitial,
  applyTiming: (timing) =>
    set((s) => ({ timing, clock: addClockSample(s.clock, timing.serverNow, Date.now()) })),
  noteServerTime: (serverNow) => set((s) => ({ clock: addClockSample(s.clock, serverNow, Date.now()) })),
})
