import { briefText, docName } from '@roundtable/doc-schema'
import { asMeetingId, ORGANISER_COOKIE, type Participant, SERVER_EVENTS } from '@roundtable/protocol'
import type { Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import { call, cookieFrom, httpCommand, sio } from './clients.ts'
import {
  DEMO_MEETING,
  joinByLink,
  sleep,
  startServer,
  type TestServer,
  tokenOf,
  waitFor,
  yClient,
} from './harness.ts'

const A = DEMO_MEETING
const BRIEF = docName(asMeetingId(A), 'brief')
const WHO = ['chair', 'delegate', 'observer', 'otherMeeting', 'noSession', 'revokedLink', 'demoted'] as const
type Who = (typeof WHO)[number]
const ACTIONS = {
  readDoc: ['yjs', 'http'],
  writeDoc: ['yjs'],
  setPresence: ['yjs'],
  changeAgenda: ['socket', 'http'],
  manageInvitations: ['socket', 'http'],
  changeRoles: ['socket', 'http'],
  readAudit: ['socket', 'http'],
} as const
type Action = keyof typeof ACTIONS
const ALLOWED: Record<Action, Who[]> = {
  readDoc: ['chair', 'delegate', 'observer', 'demoted'],
  writeDoc: ['chair', 'delegate'],
  setPresence: ['chair', 'delegate', 'observer', 'demoted'],
  changeAgenda: ['chair'],
  manageInvitations: ['chair'],
  changeRoles: ['chair'],
  readAudit: ['chair'],
}

const upgradeStatus = (s: TestServer, name: string, headers: Record<string, string>) =>
  new Promise<number>((res) => {
    const ws = new WebSocket(`${s.wsBase}/yjs/${name}`, { headers })
    ws.on('unexpected-response', (_q, r) => res(r.statusCode ?? 0))
    ws.on('open', () => {
      ws.close()
      res(101)
    })
    ws.on('error', () => res(-1))
  })

describe('authorization matrix: roles × actions × channels', () => {
  let s: TestServer
  const cookies = {} as Record<Who, string | null>
  let targetId: string
  let bId: string
  let watcherDoc: ReturnType<typeof yClient>
  let watcherSocket: Socket
  let agendaEvents = 0
  let tagSeq = 0

  const sessionOf = async (cookie: string): Promise<Participant> =>
    (await (await fetch(`${s.base}/api/session`, { headers: { cookie } })).json()).participant

  beforeAll(async () => {
    s = await startServer()
    cookies.chair = await s.join(/^Chair/, 'Mark')
    cookies.delegate = await s.join('France delegate', 'Fatima')
    cookies.observer = await s.join(/^Observer/, 'Olga')
    cookies.noSession = null
    const target = await s.join('Korea delegate', 'Kim')
    targetId = (await sessionOf(target)).id
    cookies.demoted = await s.join('Mexico delegate', 'Miguel')
    const demotedId = (await sessionOf(cookies.demoted)).id
    const r = await httpCommand(s.base, cookies.chair, A, 'participant:setRole', {
      participantId: demotedId,
      role: 'observer',
    })
    expect(r.status).toBe(200)

    // A link the chair revokes: joining through it fails, so its holder has no session.
    const inv = await httpCommand(s.base, cookies.chair, A, 'invitation:create', { role: 'observer' })
    await httpCommand(s.base, cookies.chair, A, 'invitation:revoke', {
      invitationId: (inv.body as { id: string }).id,
    })
    const revoked = await fetch(
      `${s.base}/api/invitations/${tokenOf((inv.body as { url: string }).url)}/join`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ displayName: 'Late' }),
      },
    )
    expect(revoked.status).toBe(410)
    cookies.revokedLink = null

    // Meeting B, with its own chair: the strongest role there, and none here.
    const orgUrl = await s.rt.service.newOrganiserLink()
    const claim = await fetch(`${s.base}/api/organiser/claim`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: orgUrl.split('/organiser/')[1] }),
    })
    const org = cookieFrom(claim, ORGANISER_COOKIE)
    const created = await fetch(`${s.base}/api/meetings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: org },
      body: JSON.stringify({ title: 'Another meeting', date: '2003-11-20' }),
    })
    const { meeting, chairLink } = (await created.json()) as { meeting: { id: string }; chairLink: string }
    bId = meeting.id
    cookies.otherMeeting = await joinByLink(s.base, chairLink, 'Other chair')

    watcherDoc = yClient(s.wsBase, BRIEF, cookies.chair)
    await watcherDoc.synced
    watcherSocket = await sio(s.base, await s.join('Canada delegate', 'Watcher'))
    watcherSocket.on(SERVER_EVENTS.agenda, () => agendaEvents++)
  })
  afterAll(async () => {
    watcherDoc.destroy()
    watcherSocket.close()
    await s.close()
  })

  const agendaTitles = async () => (await s.store.listAgenda(asMeetingId(A))).map((i) => i.title)
  const invitationCount = async () => (await s.store.listInvitations(asMeetingId(A))).length
  const targetRole = async () => (await s.store.getParticipant(targetId as Participant['id']))!.role

  /** Runs a command on the given channel; returns whether it took effect in meeting A. */
  const command = async (
    who: Who,
    channel: 'socket' | 'http',
    name: string,
    payload: unknown,
  ): Promise<boolean> => {
    const cookie = cookies[who]
    if (channel === 'http') {
      const r = await httpCommand(s.base, cookie, A, name, payload)
      if (r.status === 200) return true
      expect([401, 403]).toContain(r.status)
      return false
    }
    let sock: Socket
    try {
      sock = await sio(s.base, cookie)
    } catch (e) {
      expect((e as Error).message).toBe('RT_ERR_UNAUTHORIZED')
      return false
    }
    try {
      const ack = await call(sock, name, payload)
      // A member of meeting B can only ever address meeting B: the session fixes the meeting.
      return ack.ok && who !== 'otherMeeting'
    } finally {
      sock.close()
    }
  }

  const cases: [Who, Action, string][] = []
  for (const who of WHO)
    for (const [action, channels] of Object.entries(ACTIONS) as [Action, readonly string[]][])
      for (const ch of channels) cases.push([who, action, ch])

  it.each(cases)('%s × %s × %s', async (who, action, channel) => {
    const expected = ALLOWED[action].includes(who)
    const cookie = cookies[who]
    const tag = `authz-${who}-${action}-${channel}-${++tagSeq}`
    const eventsBefore = agendaEvents
    let allowed: boolean
    switch (action) {
      case 'readDoc': {
        if (channel === 'http') {
          const r = await fetch(`${s.base}/api/meetings/${A}/state`, { headers: cookie ? { cookie } : {} })
          allowed = r.status === 200
          break
        }
        const status = await upgradeStatus(s, BRIEF, cookie ? { cookie } : {})
        allowed = status === 101
        if (allowed) {
          const c = yClient(s.wsBase, BRIEF, cookie)
          await c.synced
          expect(c.doc.getXmlFragment('brief').length).toBeGreaterThan(0)
          c.destroy()
        } else expect([401, 403]).toContain(status)
        break
      }
      case 'writeDoc': {
        // Written as the editor writes (a paragraph): the server refuses anything out of the brief's shape.
        const before = briefText(watcherDoc.doc)
        if ((await upgradeStatus(s, BRIEF, cookie ? { cookie } : {})) !== 101) {
          allowed = false
        } else {
          const c = yClient(s.wsBase, BRIEF, cookie)
          await c.synced
          const p = new Y.XmlElement('paragraph')
          p.insert(0, [new Y.XmlText(tag)])
          c.doc.getXmlFragment('brief').push([p])
          await sleep(300)
          allowed = briefText(watcherDoc.doc).includes(tag)
          c.destroy()
        }
        if (!allowed) {
          // Nothing reached the third client, the server's document, or storage.
          expect(briefText(watcherDoc.doc)).toBe(before)
          const room = s.rt.hub.rooms.get(BRIEF)
          expect(room ? briefText(room.doc) : '').not.toContain(tag)
          const stored = await s.store.loadDoc(BRIEF)
          expect(Buffer.concat(stored.updates.map((u) => Buffer.from(u))).includes(tag)).toBe(false)
        }
        break
      }
      case 'setPresence': {
        if ((await upgradeStatus(s, BRIEF, cookie ? { cookie } : {})) !== 101) {
          allowed = false
        } else {
          const c = yClient(s.wsBase, BRIEF, cookie)
          await c.synced
          c.provider.awareness.setLocalStateField('cursor', tag)
          const id = c.doc.clientID
          await waitFor(() => watcherDoc.provider.awareness.getStates().has(id), 3_000).catch(() => {})
          allowed = (watcherDoc.provider.awareness.getStates().get(id) as { cursor?: string })?.cursor === tag
          c.destroy()
        }
        break
      }
      case 'changeAgenda': {
        const before = await agendaTitles()
        allowed = await command(who, channel as 'socket', 'agenda:add', {
          title: tag,
          kind: 'discussion',
          durationMinutes: 5,
        })
        const after = await agendaTitles()
        expect(after.includes(tag)).toBe(allowed)
        if (!allowed) {
          expect(after).toEqual(before)
          await sleep(100)
          expect(agendaEvents).toBe(eventsBefore)
        }
        break
      }
      case 'manageInvitations': {
        const before = await invitationCount()
        allowed = await command(who, channel as 'socket', 'invitation:create', {
          role: 'observer',
          label: tag,
        })
        expect(await invitationCount()).toBe(before + (allowed ? 1 : 0))
        break
      }
      case 'changeRoles': {
        allowed = await command(who, channel as 'socket', 'participant:setRole', {
          participantId: targetId,
          role: 'observer',
        })
        expect(await targetRole()).toBe(allowed ? 'observer' : 'delegate')
        if (allowed)
          await httpCommand(s.base, cookies.chair, A, 'participant:setRole', {
            participantId: targetId,
            role: 'delegate',
          })
        break
      }
      case 'readAudit': {
        if (channel === 'http') {
          const r = await fetch(`${s.base}/api/meetings/${A}/audit`, { headers: cookie ? { cookie } : {} })
          allowed = r.status === 200
          if (allowed) expect(((await r.json()) as unknown[]).length).toBeGreaterThan(0)
        } else allowed = await command(who, 'socket', 'audit:list', {})
        break
      }
    }
    expect(allowed, `${who} ${action} over ${channel}`).toBe(expected)
  })

  it('a member of meeting B acting over socket.io changed meeting B only, and nobody else touched it', async () => {
    const titles = (await s.store.listAgenda(asMeetingId(bId))).map((i) => i.title)
    expect(titles).toHaveLength(1)
    expect(titles[0]).toMatch(/^authz-otherMeeting-changeAgenda-socket-/)
    expect((await agendaTitles()).some((t) => t.startsWith('authz-otherMeeting'))).toBe(false)
  })
})
