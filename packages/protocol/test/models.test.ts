import { describe, expect, it } from 'vitest'
import {
  asMeetingId,
  asParticipantId,
  decodeMeetingState,
  type MeetingStateWire,
  type Participant,
} from '../src/index.ts'

const participant = (id: string, displayName: string): Participant => ({
  id: asParticipantId(id),
  meetingId: asMeetingId('m'),
  displayName,
  role: 'delegate',
  delegationId: null,
  removed: false,
  joinedAt: '2003-10-01T09:00:00.000Z',
})

const wire = (participants: Uint8Array | ArrayBuffer, online: string[]): MeetingStateWire => ({
  meeting: {
    id: asMeetingId('m'),
    title: 'T',
    date: '2003-10-01',
    place: 'Paris',
  } as MeetingStateWire['meeting'],
  delegations: [],
  agenda: [],
  currentItemId: null,
  me: participant('p1', 'Zoë'),
  participants,
  online: online.map(asParticipantId),
})

describe('decodeMeetingState', () => {
  const list = [participant('p1', 'Zoë'), participant('p2', 'Émile')]
  const bytes = new TextEncoder().encode(JSON.stringify(list))

  it('reads the list from bytes (Node: a Buffer/Uint8Array) and marks who is online', () => {
    const s = decodeMeetingState(wire(bytes, ['p2']))
    expect(s.participants).toEqual([
      { ...list[0], online: false },
      { ...list[1], online: true },
    ])
    expect(s.me.displayName).toBe('Zoë')
    expect('online' in s).toBe(false)
  })

  it('reads the list from an ArrayBuffer (what socket.io gives a browser), non-ASCII names intact', () => {
    const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
    const s = decodeMeetingState(wire(ab, []))
    expect(s.participants.map((p) => p.displayName)).toEqual(['Zoë', 'Émile'])
  })

  it('a list that is not a JSON array is an error, not a state', () => {
    expect(() => decodeMeetingState(wire(new TextEncoder().encode('{"a":1}'), []))).toThrow(/not an array/)
    expect(() => decodeMeetingState(wire(new TextEncoder().encode('[{'), []))).toThrow()
  })
})
