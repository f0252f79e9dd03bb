import type { ParticipantView } from '@roundtable/protocol'
import { describe, expect, it } from 'vitest'
import { groupPeople, LEFT_LONG_AGO_MS, recentPeople } from '../src/features/presence/people.ts'

const p = (
  id: string,
  displayName: string,
  online: boolean,
  patch: Partial<ParticipantView> = {},
): ParticipantView =>
  ({
    id,
    meetingId: 'm',
    displayName,
    role: 'delegate',
    delegationId: 'fr',
    removed: false,
    joinedAt: '2026-01-01T00:00:00Z',
    online,
    ...patch,
  }) as unknown as ParticipantView

describe('the people list', () => {
  it('shows one entry per person, with their devices, connected first', () => {
    const people = groupPeople(
      [p('a1', 'Amélie', false), p('a2', 'Amélie ', true), p('b', 'Bob', true)],
      new Set(),
      new Map(),
    )
    expect(people.map((x) => [x.name.trim(), x.devices.map((d) => d.id), x.state])).toEqual([
      ['Amélie', ['a2', 'a1'], 'online'],
      ['Bob', ['b'], 'online'],
    ])
  })
  it('keeps the same name in two delegations apart', () => {
    expect(
      groupPeople(
        [p('a', 'Alex', true), p('b', 'Alex', true, { delegationId: 'ca' as never })],
        new Set(),
        new Map(),
      ),
    ).toHaveLength(2)
  })
  it('away is connected but hidden or idle on every device; left is no connection', () => {
    const parts = [
      p('a1', 'Amélie', true),
      p('a2', 'Amélie', true),
      p('b', 'Bob', true),
      p('c', 'Chen', false),
    ]
    const people = groupPeople(parts, new Set(['a1', 'b']), new Map())
    expect(Object.fromEntries(people.map((x) => [x.name, x.state]))).toEqual({
      Amélie: 'online',
      Bob: 'away',
      Chen: 'left',
    })
    expect(people.map((x) => x.name)).toEqual(['Amélie', 'Bob', 'Chen'])
  })
  it('who left long ago (or before we looked) waits behind "show all"; who just left stays', () => {
    const now = 1_000_000_000
    const parts = [
      p('a', 'Just left', false),
      p('b', 'Long gone', false),
      p('c', 'Before we looked', false),
      p('d', 'Here', true),
    ]
    const left = new Map([
      ['a', now - 60_000],
      ['b', now - LEFT_LONG_AGO_MS - 1],
    ])
    const shown = recentPeople(groupPeople(parts, new Set(), left), now).map((x) => x.name)
    expect(shown).toEqual(['Here', 'Just left'])
  })
})
