import type { AgendaItemId, TimingView } from '@roundtable/protocol'

export const TIMING_STATE_KEY = 'timing'

/** The agenda's clock as kept: everything but the server's time of sending. */
export type Timing = Omit<TimingView, 'serverNow'>

export const DEFAULT_TIMING: Timing = {
  startTime: null,
  endTime: null,
  currentStartedAt: null,
  log: [],
  focus: null,
}

export const timingView = (t: Timing, now: Date): TimingView => ({ ...t, serverNow: now.toISOString() })

/** The timing after the current item changes: the previous one's entry closes, the new one's opens. */
export const timingAfterSwitch = (t: Timing, itemId: AgendaItemId | null, nowIso: string): Timing => {
  const log = t.log.map((e) => (e.endedAt === null ? { ...e, endedAt: nowIso } : e))
  return {
    ...t,
    currentStartedAt: itemId ? nowIso : null,
    log: itemId ? [...log, { itemId, startedAt: nowIso, endedAt: null }] : log,
  }
}
