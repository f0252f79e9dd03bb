import type { FloorConfig, FloorRequest, FloorSpeaker, FloorTurn, Participant } from '@roundtable/protocol'

/** Where the floor's state is kept (`Store.putMeetingState`). */
export const FLOOR_STATE_KEY = 'floor'

/** The speaker queue of one meeting, as the floor domain keeps it. Pure data: rules below, no IO. */
export interface FloorState {
  config: FloorConfig
  queue: FloorRequest[]
  speaker: FloorSpeaker | null
  /** Seconds spoken, by delegation id (participant id for those with no delegation). */
  spoken: Record<string, number>
}

export const DEFAULT_FLOOR: FloorState = {
  config: { speakingLimitSeconds: 180, observersMayRequest: false, delegationMayQueueTwice: false },
  queue: [],
  speaker: null,
  spoken: {},
}

/** A rule's answer: the new state (and a finished turn, for the record), or why not. */
export type FloorOutcome = { state: FloorState; turn?: FloorTurn; error?: undefined } | { error: string }

/** Whose speaking time a person's counts as: their delegation's, else their own. */
export const timeKey = (p: { delegationId: string | null; participantId: string }): string =>
  p.delegationId ?? p.participantId

/** [F-1] One request per person at a time; [F-2] one per delegation unless the chair allows two. */
export const request = (
  s: FloorState,
  who: Participant,
  id: string,
  nowIso: string,
  pointOfOrder = false,
): FloorOutcome => {
  if (who.role === 'observer' && !s.config.observersMayRequest)
    return { error: 'Observers may ask for the floor only when the chair allows it.' }
  if (s.speaker?.participantId === who.id) return { error: 'You have the floor already.' }
  if (s.queue.some((r) => r.participantId === who.id))
    return { error: 'You are in the queue already: withdraw first to ask again.' }
  if (
    !pointOfOrder &&
    !s.config.delegationMayQueueTwice &&
    who.delegationId !== null &&
    s.queue.some((r) => r.delegationId === who.delegationId && !r.pointOfOrder)
  )
    return { error: 'Your delegation is in the queue already.' }
  const r: FloorRequest = {
    id,
    participantId: who.id,
    name: who.displayName,
    role: who.role,
    delegationId: who.delegationId,
    pointOfOrder,
    requestedAt: nowIso,
  }
  // [F-3] A point of order goes to the front, behind earlier points of order.
  const queue = pointOfOrder
    ? [...s.queue.filter((x) => x.pointOfOrder), r, ...s.queue.filter((x) => !x.pointOfOrder)]
    : [...s.queue, r]
  return { state: { ...s, queue } }
}

/** [F-4] Withdrawing takes one's own request out; nobody else's. */
export const withdraw = (s: FloorState, who: Participant): FloorOutcome => {
  if (!s.queue.some((r) => r.participantId === who.id)) return { error: 'You are not in the queue.' }
  return { state: { ...s, queue: s.queue.filter((r) => r.participantId !== who.id) } }
}

/** Ends the current turn (if any): its seconds go to the speaker's delegation. */
export const end = (s: FloorState, nowIso: string, agendaItemId: string | null): FloorOutcome => {
  const sp = s.speaker
  if (!sp) return { error: 'Nobody has the floor.' }
  // [F-5] Whole seconds on the server's clock, never negative.
  const seconds = Math.max(0, Math.round((Date.parse(nowIso) - Date.parse(sp.startedAt)) / 1000))
  const key = timeKey(sp)
  return {
    state: { ...s, speaker: null, spoken: { ...s.spoken, [key]: (s.spoken[key] ?? 0) + seconds } },
    turn: {
      participantId: sp.participantId,
      name: sp.name,
      delegationId: sp.delegationId,
      agendaItemId: agendaItemId as FloorTurn['agendaItemId'],
      pointOfOrder: sp.pointOfOrder,
      startedAt: sp.startedAt,
      endedAt: nowIso,
      seconds,
    },
  }
}

/** [F-6] Granting takes the request out of the queue and starts its timer; the current turn ends first. */
export const grant = (
  s: FloorState,
  requestId: string,
  nowIso: string,
  agendaItemId: string | null,
): FloorOutcome => {
  const r = s.queue.find((x) => x.id === requestId)
  if (!r) return { error: 'No such request in the queue.' }
  const ended = s.speaker ? end(s, nowIso, agendaItemId) : { state: s }
  if (ended.error !== undefined) return ended
  const base = ended.state
  return {
    state: {
      ...base,
      queue: base.queue.filter((x) => x.id !== requestId),
      speaker: { ...r, startedAt: nowIso, limitSeconds: s.config.speakingLimitSeconds },
    },
    turn: ended.turn,
  }
}

/** The first in the queue gets the floor. */
export const next = (s: FloorState, nowIso: string, agendaItemId: string | null): FloorOutcome => {
  const first = s.queue[0]
  if (!first) return { error: 'The queue is empty.' }
  return grant(s, first.id, nowIso, agendaItemId)
}

export const configure = (s: FloorState, change: Partial<FloorConfig>): FloorOutcome => ({
  state: { ...s, config: { ...s.config, ...change } },
})

/** A participant removed or demoted to observer leaves the queue (the chair's configuration aside). */
export const leave = (s: FloorState, participantId: string): FloorState =>
  s.queue.some((r) => r.participantId === participantId)
    ? { ...s, queue: s.queue.filter((r) => r.participantId !== participantId) }
    : s
