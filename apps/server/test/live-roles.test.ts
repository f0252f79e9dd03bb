import { briefText, docName } from '@roundtable/doc-schema'
import {
  asInvitationId,
  asMeetingId,
  type Participant,
  type ParticipantView,
  type PresenceChange,
  SERVER_EVENTS,
} from '@roundtable/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import { hashToken, newToken } from '../src/meeting/tokens.ts'
import { call, httpCommand, sio } from './clients.ts'
import { DEMO_MEETING, sleep, startServer, type TestServer, waitFor, yClient } from './harness.ts'

const BRIEF = docName(asMeetingId(DEMO_MEETING), 'brief')

describe('role changes on live connections', () => {
  let s: TestServer
  let chair: string
  const idOf = async (cookie: string): Promise<string> =>
    (
      (await (await fetch(`${s.base}/api/session`, { headers: { cookie } })).json())
        .participant as Participant
    ).id

  beforeAll(async () => {
    s = await startServer()
    chair = await s.join(/^Chair/, 'Mark')
  })
  afterAll(() => s.close())

  it('a delegate demoted mid-session: the next write is dropped within 2 s, and their presence shows the new role', async () => {
    const cookie = await s.join('United States delegate', 'Dana')
    const dana = yClient(s.wsBase, BRIEF, cookie)
    const watcher = yClient(s.wsBase, BRIEF, chair)
    await Promise.all([dana.synced, watcher.synced])
    const danaSocket = await sio(s.base, cookie)
    const roles: string[] = []
    danaSocket.on(SERVER_EVENTS.me, (p: Participant) => roles.push(p.role))
    dana.provider.awareness.setLocalStateField('cursor', 1)

    // A paragraph of the brief, as the editor writes it (the server refuses anything out of shape).
    const paragraph = new Y.XmlElement('paragraph')
    const live = new Y.XmlText()
    paragraph.insert(0, [live])
    dana.doc.getXmlFragment('brief').push([paragraph])
    live.insert(0, 'before ')
    await waitFor(() => briefText(watcher.doc).includes('before'))

    const chairSocket = await sio(s.base, chair)
    const ack = await call(chairSocket, 'participant:setRole', {
      participantId: await idOf(cookie),
      role: 'observer',
    })
    expect(ack.ok).toBe(true)
    // The change applies to open connections at once: write straight after the acknowledgement.
    live.insert(0, 'after ')
    await sleep(500)
    expect(briefText(watcher.doc)).not.toContain('after')
    expect(briefText(s.rt.hub.rooms.get(BRIEF)!.doc)).not.toContain('after')
    await waitFor(() => roles.includes('observer'), 2_000, 'meeting:me with the new role')
    await waitFor(
      () =>
        (watcher.provider.awareness.getStates().get(dana.doc.clientID) as { user?: { role?: string } })?.user
          ?.role === 'observer',
      2_000,
      'restamped presence',
    )
    for (const c of [dana, watcher]) c.destroy()
    danaSocket.close()
    chairSocket.close()
  })

  it('a removed participant loses every live connection and their session', async () => {
    const cookie = await s.join('Canada delegate', 'Remy')
    const remy = yClient(s.wsBase, BRIEF, cookie)
    await remy.synced
    const sock = await sio(s.base, cookie)
    let ended = false
    sock.on(SERVER_EVENTS.ended, () => {
      ended = true
    })
    const closed = new Promise<number>((res) =>
      remy.provider.ws?.addEventListener('close', (e) => res(e.code)),
    )
    const r = await httpCommand(s.base, chair, DEMO_MEETING, 'participant:remove', {
      participantId: await idOf(cookie),
    })
    expect(r.status).toBe(200)
    expect(await closed).toBe(4410)
    await waitFor(() => ended && !sock.connected, 2_000, 'socket.io session ended')
    const again = await fetch(`${s.base}/api/meetings/${DEMO_MEETING}/state`, { headers: { cookie } })
    expect(again.status).toBe(401)
    remy.destroy()
  })

  it('handshakes from a foreign Origin are refused on both endpoints; an allowed one passes', async () => {
    const cookie = await s.join('Korea delegate', 'Kim')
    await expect(sio(s.base, cookie, 'https://evil.example')).rejects.toThrow()
    const ok = await sio(s.base, cookie, 'http://localhost:0')
    ok.close()
    const status = await new Promise<number>((res) => {
      const ws = new WebSocket(`${s.wsBase}/yjs/${BRIEF}`, {
        headers: { cookie, origin: 'https://evil.example' },
      })
      ws.on('unexpected-response', (_q, resp) => res(resp.statusCode ?? 0))
      ws.on('open', () => res(101))
    })
    expect(status).toBe(403)
    // And a state-changing HTTP request from a foreign page is refused too.
    const r = await httpCommand(
      s.base,
      chair,
      DEMO_MEETING,
      'agenda:add',
      { title: 'x', kind: 'discussion', durationMinutes: 1 },
      'https://evil.example',
    )
    expect(r.status).toBe(403)
  })

  it('an invitation that has expired cannot be used', async () => {
    const token = newToken()
    await s.store.createInvitation({
      id: asInvitationId('expired1'),
      meetingId: asMeetingId(DEMO_MEETING),
      tokenHash: hashToken(token),
      role: 'observer',
      delegationId: null,
      label: 'expired',
      createdAt: '2003-06-01T00:00:00.000Z',
      expiresAt: '2003-06-02T00:00:00.000Z',
      revokedAt: null,
    })
    const r = await fetch(`${s.base}/api/invitations/${token}`)
    expect(r.status).toBe(410)
    expect((await r.json()).code).toBe('RT_ERR_INVITATION_EXPIRED')
    const j = await fetch(`${s.base}/api/invitations/${token}/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'Too late' }),
    })
    expect(j.status).toBe(410)
  })
})

describe('audit export', () => {
  let s: TestServer
  beforeAll(async () => {
    s = await startServer()
  })
  afterAll(() => s.close())

  it('neutralises spreadsheet formulas and names who acted with role and id', async () => {
    const chair = await s.join(/^Chair/, 'Mark')
    await s.join('France delegate', '=HYPERLINK("http://evil.example","click")')
    const csv = await (
      await fetch(`${s.base}/api/meetings/${DEMO_MEETING}/audit?format=csv`, { headers: { cookie: chair } })
    ).text()
    const line = csv.split('\n').find((l) => l.includes('HYPERLINK'))!
    expect(line).toContain(`"'=HYPERLINK(""http://evil.example"",""click"") (delegate,`)
    expect(csv).toMatch(/"Mark \(chair, [A-Za-z0-9_-]+\)"/)
  })
})

describe('participants and presence on the meeting channel', () => {
  let s: TestServer
  beforeAll(async () => {
    s = await startServer()
  })
  afterAll(() => s.close())

  it('a newcomer is announced once, and coming online or going away arrives as small coalesced deltas', async () => {
    const chair = await s.join(/^Chair/, 'Mark')
    const watcher = await sio(s.base, chair)
    const participants: ParticipantView[] = []
    const presence: PresenceChange[] = []
    watcher.on(SERVER_EVENTS.participant, (p: ParticipantView) => participants.push(p))
    watcher.on(SERVER_EVENTS.presence, (c: PresenceChange) => presence.push(c))

    const cookie = await s.join('France delegate', 'Nadia')
    await waitFor(() => participants.some((p) => p.displayName === 'Nadia'), 2_000, 'newcomer announced')
    const nadia = participants.find((p) => p.displayName === 'Nadia')!
    expect(nadia.online).toBe(false)

    // Two tabs at once: one "online" delta for both.
    const tabs = await Promise.all([sio(s.base, cookie), sio(s.base, cookie)])
    await waitFor(() => presence.some((c) => c.online.includes(nadia.id)), 2_000, 'online delta')
    expect(presence.flatMap((c) => c.online).filter((id) => id === nadia.id)).toHaveLength(1)
    // Closing one tab changes nothing; closing the last one says she went away.
    tabs[0].close()
    await sleep(400)
    expect(presence.some((c) => c.offline.includes(nadia.id))).toBe(false)
    tabs[1].close()
    await waitFor(() => presence.some((c) => c.offline.includes(nadia.id)), 2_000, 'offline delta')

    const state = (await (
      await fetch(`${s.base}/api/meetings/${DEMO_MEETING}/state`, { headers: { cookie: chair } })
    ).json()) as {
      participants: ParticipantView[]
    }
    expect(state.participants.find((p) => p.displayName === 'Mark')?.online).toBe(true)
    expect(state.participants.find((p) => p.displayName === 'Nadia')?.online).toBe(false)
    watcher.close()
  })
})
