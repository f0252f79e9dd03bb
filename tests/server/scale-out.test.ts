import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { briefText } from '@roundtable/doc-schema'
import { type Participant, SERVER_EVENTS } from '@roundtable/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { call, sio } from '../../apps/server/test/clients.ts'
import { joinByLink, sleep, waitFor, yClient } from '../../apps/server/test/harness.ts'
import { type ChildServer, freePort, startChildServer, stopGracefully } from './child-server.ts'

const PG = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const DOC = 'oecd-egov-2003.brief'
/** One edit as the editor writes it (the server refuses anything out of the brief's shape): a paragraph at the end. */
const write = (doc: Y.Doc, text: string) => {
  const p = new Y.XmlElement('paragraph')
  p.insert(0, [new Y.XmlText(text)])
  doc.getXmlFragment('brief').push([p])
}
/** The paragraphs `write` added, in document order. */
const log = (doc: Y.Doc) =>
  briefText(doc)
    .split('\n')
    .filter((line) => /^([ab]\d+|after-demotion)$/.test(line))

const psql = (sql: string) =>
  execFileSync('psql', [PG, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { stdio: 'pipe' })

describe('two server processes on PostgreSQL and Redis, clients split between them', () => {
  const db = `rt_scale_${randomBytes(4).toString('hex')}`
  const dataDir = mkdtempSync(join(tmpdir(), 'rt-scale-'))
  const servers: ChildServer[] = []
  let one: string
  let two: string

  beforeAll(async () => {
    psql(`CREATE DATABASE ${db}`)
    const env = {
      DATABASE_URL: PG.replace(/\/[^/]+$/, `/${db}`),
      REDIS_URL: REDIS,
      REDIS_PREFIX: db,
      DATA_DIR: dataDir,
    }
    // One after the other: the first seeds the demo meeting, the second finds it.
    for (let i = 0; i < 2; i++) servers.push(await startChildServer(env, await freePort()))
    one = `http://127.0.0.1:${servers[0].port}`
    two = `http://127.0.0.1:${servers[1].port}`
  }, 60_000)

  afterAll(async () => {
    for (const s of servers) await stopGracefully(s)
    rmSync(dataDir, { recursive: true, force: true })
    psql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)
  })

  const link = (label: string) => servers[0].links.find((l) => l.label.startsWith(label))!.url
  const ws = (base: string) => base.replace('http', 'ws')

  it('documents, presence, meeting events and role changes cross processes; everything converges', async () => {
    expect(servers[1].links).toEqual(servers[0].links)
    const chair = await joinByLink(one, link('Chair'), 'Mark')
    const ana = await joinByLink(one, link('France'), 'Ana')
    // Sessions live in PostgreSQL: a cookie from one process works on the other.
    const ben = await joinByLink(two, link('Canada'), 'Ben')

    const a = yClient(ws(one), DOC, ana)
    const b = yClient(ws(two), DOC, ben)
    await Promise.all([a.synced, b.synced])
    for (let i = 0; i < 40; i++) {
      write(a.doc, `a${i}`)
      write(b.doc, `b${i}`)
      if (i % 10 === 0) await sleep(5)
    }
    await waitFor(
      () => log(a.doc).length === 80 && log(b.doc).length === 80,
      10_000,
      'both clients have all 80 edits',
    )
    expect(log(a.doc)).toEqual(log(b.doc))

    a.provider.awareness.setLocalStateField('cursor', 'here')
    await waitFor(
      () => b.provider.awareness.getStates().has(a.doc.clientID),
      5_000,
      'presence across processes',
    )
    expect(
      (b.provider.awareness.getStates().get(a.doc.clientID) as { user: { name: string } }).user.name,
    ).toBe('Ana')

    // Meeting events: the chair on process one, a delegate on process two.
    const chairSocket = await sio(one, chair)
    const benSocket = await sio(two, ben)
    let agendaSeen = 0
    let benRole = 'delegate'
    benSocket.on(SERVER_EVENTS.agenda, () => agendaSeen++)
    benSocket.on(SERVER_EVENTS.me, (p: Participant) => {
      benRole = p.role
    })
    const added = await call(chairSocket, 'agenda:add', {
      title: 'Across processes',
      kind: 'discussion',
      durationMinutes: 5,
    })
    expect(added.ok).toBe(true)
    await waitFor(() => agendaSeen > 0, 5_000, 'agenda event on the other process')

    // Online status counts connections on every process.
    const state = (await (
      await fetch(`${one}/api/meetings/oecd-egov-2003/state`, { headers: { cookie: chair } })
    ).json()) as {
      participants: { displayName: string; online: boolean }[]
    }
    expect(state.participants.find((p) => p.displayName === 'Ben')?.online).toBe(true)

    // Demote Ben from process one: his document connection on process two turns read-only.
    const benId = (
      (await (await fetch(`${two}/api/session`, { headers: { cookie: ben } })).json()) as {
        participant: Participant
      }
    ).participant.id
    expect(
      (await call(chairSocket, 'participant:setRole', { participantId: benId, role: 'observer' })).ok,
    ).toBe(true)
    await waitFor(() => benRole === 'observer', 5_000, 'role change reached process two')
    write(b.doc, 'after-demotion')
    await sleep(500)
    expect(log(a.doc)).not.toContain('after-demotion')

    // A fresh client on either process sees the same stored document.
    const fresh = yClient(ws(two), DOC, chair)
    await fresh.synced
    await waitFor(() => log(fresh.doc).length === 80, 5_000, 'fresh client')
    expect(log(fresh.doc)).toEqual(log(a.doc))

    for (const c of [a, b, fresh]) c.destroy()
    chairSocket.close()
    benSocket.close()
  }, 60_000)
})
