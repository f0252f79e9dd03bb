import type { ParticipantView } from '@roundtable/protocol'

/** Someone who left longer ago than this is behind "show all" (ms): the list is of who is here. */
export const LEFT_LONG_AGO_MS = 10 * 60_000

export const PERSON_STATES = ['online', 'away', 'left'] as const
export type PersonState = (typeof PERSON_STATES)[number]

/** One person, whatever number of devices (sessions) they joined from. */
export interface Person {
  key: string
  name: string
  role: ParticipantView['role']
  delegationId: ParticipantView['delegationId']
  /** Their sessions, connected ones first. */
  devices: ParticipantView[]
  state: PersonState
  /** When we saw the last device go (ms), null when connected or gone before we looked. */
  leftAt: number | null
}

/**
 * One entry per person: the sessions of one name, role and delegation are one person's devices
 * (each join through a link makes a session). Online when a device is connected and visible,
 * away when every connected one is hidden or idle, left when none is connected.
 */
export const groupPeople = (
  participants: ParticipantView[],
  awayIds: ReadonlySet<string>,
  leftAt: ReadonlyMap<string, number>,
): Person[] => {
  const byKey = new Map<string, ParticipantView[]>()
  for (const p of participants) {
    const key = `${p.role}\u0000${p.delegationId ?? ''}\u0000${p.displayName.trim().toLowerCase()}`
    byKey.set(key, [...(byKey.get(key) ?? []), p])
  }
  const order: Record<PersonState, number> = { online: 0, away: 1, left: 2 }
  return [...byKey]
    .map(([key, devices]): Person => {
      const connected = devices.filter((d) => d.online)
      const state: PersonState =
        connected.length === 0 ? 'left' : connected.every((d) => awayIds.has(d.id)) ? 'away' : 'online'
      const times = devices.map((d) => leftAt.get(d.id)).filter((t): t is number => t !== undefined)
      return {
        key,
        name: devices[0].displayName,
        role: devices[0].role,
        delegationId: devices[0].delegationId,
        devices: [...devices].sort((a, b) => Number(b.online) - Number(a.online)),
        state,
        leftAt: state === 'left' && times.length === devices.length ? Math.max(...times) : null,
      }
    })
    .sort((a, b) => order[a.state] - order[b.state] || a.name.localeCompare(b.name))
}

/** Who the list shows without "show all": everyone here, and those who left a moment ago. */
export const recentPeople = (people: Person[], now: number): Person[] =>
  people.filter((p) => p.state !== 'left' || (p.leftAt !== null && now - p.leftAt < LEFT_LONG_AGO_MS))
