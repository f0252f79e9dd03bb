import type { FloorView } from '@roundtable/protocol'

/** A speaker past this share of their limit is warned (a yellow light before the red one). */
export const WARNING_SHARE = 0.8

export const TIMER_STATES = ['unlimited', 'running', 'warning', 'overrun'] as const
export type TimerState = (typeof TIMER_STATES)[number]

/** Where a turn stands against its limit (null: no limit). */
export const timerState = (elapsedSeconds: number, limitSeconds: number | null): TimerState => {
  if (limitSeconds === null || limitSeconds <= 0) return 'unlimited'
  if (elapsedSeconds > limitSeconds) return 'overrun'
  if (elapsedSeconds >= limitSeconds * WARNING_SHARE) return 'warning'
  return 'running'
}

export interface SpokenRow {
  key: string
  seconds: number
  /** Share of the most-spoken delegation (0–1), for the bars. */
  share: number
}

/** Speaking time per delegation, most first, with the live turn added to its delegation. */
export const spokenRows = (floor: FloorView, liveSeconds: number): SpokenRow[] => {
  const totals = new Map(Object.entries(floor.spoken))
  if (floor.speaker) {
    const k = floor.speaker.delegationId ?? floor.speaker.participantId
    totals.set(k, (totals.get(k) ?? 0) + liveSeconds)
  }
  const rows = [...totals].map(([key, seconds]) => ({ key, seconds }))
  const max = Math.max(1, ...rows.map((r) => r.seconds))
  return rows
    .sort((a, b) => b.seconds - a.seconds || a.key.localeCompare(b.key))
    .map((r) => ({ ...r, share: r.seconds / max }))
}

/** Whether this person may ask for the floor, as the server will judge it (the client only hides the button). */
export const mayRequest = (role: string, floor: FloorView): boolean =>
  role === 'delegate' || role === 'chair' || (role === 'observer' && floor.config.observersMayRequest)
