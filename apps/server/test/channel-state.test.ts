import {
  decodeMeetingState,
  type MeetingState,
  type MeetingStateWire,
  type Participant,
  SERVER_EVENTS,
} from '@roundtable/protocol'
import { io, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from './harness.ts'

/** Connects and returns the first `meeting:state` exactly as it arrived, and decoded. */
const connectForState = async (
  s: TestServer,
  cookie: string,
): Promise<{ socket: Socket; wire: MeetingStateWire; state: MeetingState }> => {
  // Listening before the connection opens: the state follows the connect packet at once.
  const socket = io(s.base, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: false })
  const wire = await new Promise<MeetingStateWire>((resolve, reject) => {
    socket.once(SERVER_EVENTS.state, resolve)
    socket.once('connect_error', reject)
  })
  return { socket, wire, state: decodeMeetingState(wire) }
}

describe('meeting:state on the meeting channel', () => {
  let s: TestServer
  let alice: string
  let bob: string
  const sockets: Socket[] = []
  beforeAll(async () => {
    s = await startServer()
    alice = await s.join('France delegate', 'Alice')
    bob = await s.join('Canada delegate', 'Bob')
  })
  afterAll(async () => {
    for (const x of sockets) x.close()
    await s.close()
  })

  const me = async (cookie: string) =>
    (
      (await (await fetch(`${s.base}/api/session`, { headers: { cookie } })).json())
        .participant as Participant
    ).id

  it('carries the participant list as one binary attachment, online ids beside it; decoded it is the MeetingState', async () => {
    const a = await connectForState(s, alice)
    sockets.push(a.socket)
    expect(a.wire.participants).toBeInstanceOf(Uint8Array)
    expect(a.state.me.displayName).toBe('Alice')
    const byName = new Map(a.state.participants.map((p) => [p.displayName, p]))
    expect(byName.get('Alice')).toMatchObject({ role: 'delegate', online: true })
    expect(byName.get('Bob')).toMatchObject({ role: 'delegate', online: false })
    expect(a.wire.online).toEqual([await me(alice)])
    // The same state the HTTP API gives, participant for participant.
    const viaHttp = (await (
      await fetch(`${s.base}/api/meetings/${a.state.meeting.id}/state`, { headers: { cookie: alice } })
    ).json()) as MeetingState
    const sortById = (xs: MeetingState['participants']) => [...xs].sort((x, y) => x.id.localeCompare(y.id))
    expect(sortById(a.state.participants)).toEqual(sortById(viaHttp.participants))
    expect({ ...a.state, participants: [] }).toEqual({ ...viaHttp, participants: [] })
  })

  it('the list is encoded once per version: unchanged, every connection gets the same bytes; a join makes a new one', async () => {
    const service = s.rt.service
    const alicePart = (await connectForState(s, alice)).state.me
    const first = await service.channelState(alicePart)
    const again = await service.channelState(alicePart)
    expect(again.participants).toBe(first.participants) // the very same buffer, not re-encoded

    const b = await connectForState(s, bob)
    sockets.push(b.socket)
    expect(
      Buffer.compare(
        Buffer.from(b.wire.participants as Uint8Array),
        Buffer.from(first.participants as Uint8Array),
      ),
    ).toBe(0)
    expect(new Set(b.wire.online)).toEqual(new Set([await me(alice), await me(bob)]))

    const carol = await s.join('Korea delegate', 'Carol')
    const after = await service.channelState(alicePart)
    expect(after.participants).not.toBe(first.participants)
    expect(decodeMeetingState(after).participants.map((p) => p.displayName)).toContain('Carol')
    const c = await connectForState(s, carol)
    sockets.push(c.socket)
    expect(c.state.participants.find((p) => p.displayName === 'Carol')?.online).toBe(true)
  })

  it('removed participants are not in the list', async () => {
    const dana = await s.join('United States delegate', 'Dana')
    const danaId = await me(dana)
    const chair = await s.join(/^Chair/, 'Mark')
    const c = await connectForState(s, chair)
    sockets.push(c.socket)
    const ack = await c.socket.emitWithAck('participant:remove', { participantId: danaId })
    expect(ack.ok).toBe(true)
    const again = await connectForState(s, chair)
    sockets.push(again.socket)
    expect(again.state.participants.some((p) => p.id === danaId)).toBe(false)
    expect(c.state.participants.some((p) => p.id === danaId)).toBe(true)
  })

  it('a connection holds one listener for all commands, not one per command: its memory does not grow with the registry', async () => {
    const chair = await s.join(/^Chair/, 'Mark Forman')
    const c = await connectForState(s, chair)
    sockets.push(c.socket)
    const [server] = await s.rt.io.in(c.socket.id as string).fetchSockets()
    const local = s.rt.io.sockets.sockets.get(server.id)
    if (!local) throw new Error('no server-side socket')
    // 'disconnect' only (the rest are socket.io's own); every command is answered by one catch-all.
    expect(local.eventNames().filter((e) => typeof e === 'string' && e.includes(':'))).toEqual([])
    expect(local.listenersAny()).toHaveLength(1)
    // Still served: a command, a command refused by its rules, an unknown event.
    expect(
      await c.socket.emitWithAck('agenda:add', {
        title: 'Listener check',
        kind: 'discussion',
        durationMinutes: 10,
      }),
    ).toMatchObject({ ok: true })
    expect(
      await c.socket.emitWithAck('agenda:add', { title: '', kind: 'discussion', durationMinutes: 10 }),
    ).toMatchObject({
      ok: false,
      error: { code: 'RT_ERR_BAD_REQUEST' },
    })
    expect(await c.socket.emitWithAck('no:such-command', {})).toMatchObject({
      ok: false,
      error: { code: 'RT_ERR_NOT_FOUND' },
    })
  })
})
