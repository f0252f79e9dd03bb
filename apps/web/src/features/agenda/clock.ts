import type { AgendaItem, AgendaItemId } from '@roundtable/protocol'

/**
 * The server's clock as seen from here. Every `meeting:floor` and `meeting:timing` carries the
 * server's time; the offset is the median of the last few samples, so one event that sat in a
 * slow network for a second does not make every timer jump.
 */
export const OFFSET_SAMPLES = 5

export interface ClockSamples {
  /** serverNow − local receive time, ms, newest last. */
  samples: number[]
}

export const addClockSample = (c: ClockSamples, serverNowIso: string, localNowMs: number): ClockSamples => {
  const server = Date.parse(serverNowIso)
  if (Number.isNaN(server)) return c
  return { samples: [...c.samples, server - localNowMs].slice(-OFFSET_SAMPLES) }
}

/** ms to add to the local clock to read the server's. 0 before any sample. */
export const clockOffset = (c: ClockSamples): number => {
  if (c.samples.length === 0) return 0
  const s = [...c.samples].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid] : Math.round((s[mid - 1] + s[mid]) / 2)
}

/** Whole seconds since `sinceIso`, on the server's clock (never negative: a sample can be early). */
export const secondsSince = (sinceIso: string, localNowMs: number, offsetMs: number): number => {
  const since = Date.parse(sinceIso)
  if (Number.isNaN(since)) return 0
  return Math.max(0, Math.floor((localNowMs + offsetMs - since) / 1000))
}

/** "HH:MM" → minutes after midnight; null when not a time. */
export const parseClock = (hhmm: string | null): number | null => {
  if (!hhmm) return null
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm)
  return m ? Number(m[1]) * 60 + Number(m[2]) : null
}

/** Minutes after midnight → "HH:MM" (past midnight wraps, as a wall clock does). */
export const formatClock = (minutes: number): string => {
  const m = ((Math.round(minutes) % 1440) + 1440) % 1440
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
}

export interface AgendaPlan {
  /** Planned start of each item (minutes after midnight), null without a meeting start. */
  starts: Map<AgendaItemId, number | null>
  /** Sum of the planned durations, minutes. */
  totalMinutes: number
  /** When the agenda as planned ends (minutes after midnight), null without a start. */
  plannedEnd: number | null
  /** Planned end minus the meeting's end: > 0 means the agenda does not fit. Null when either is unset. */
  overMinutes: number | null
}

/** Planned start times: the meeting's start plus the durations of the items before, in order. */
export const planAgenda = (
  items: AgendaItem[],
  startTime: string | null,
  endTime: string | null,
): AgendaPlan => {
  const start = parseClock(startTime)
  const end = parseClock(endTime)
  const starts = new Map<AgendaItemId, number | null>()
  let total = 0
  for (const item of items) {
    starts.set(item.id, start === null ? null : start + total)
    total += item.durationMinutes
  }
  const plannedEnd = start === null ? null : start + total
  // An end before the start is taken to be the next day (an evening session past midnight).
  const endAbs = end === null || start === null ? null : end < start ? end + 1440 : end
  return {
    starts,
    totalMinutes: total,
    plannedEnd,
    overMinutes: plannedEnd === null || endAbs === null ? null : plannedEnd - endAbs,
  }
}

export interface ItemClock {
  usedSeconds: number
  /** Planned seconds minus used; negative when the item runs over. */
  leftSeconds: number
  overrun: boolean
}

/** The current item's clock: time used since it was opened against its planned duration. */
export const itemClock = (durationMinutes: number, usedSeconds: number): ItemClock => {
  const left = durationMinutes * 60 - usedSeconds
  return { usedSeconds, leftSeconds: left, overrun: left < 0 }
}

/** Seconds as "m:ss" or "h:mm:ss" (negative shown by the caller, with words). */
export const formatDuration = (seconds: number): string => {
  const s = Math.abs(Math.trunc(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const ss = String(s % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`
}
