import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { briefText, docName, listPriorities } from '@roundtable/doc-schema'
import { asMeetingId } from '@roundtable/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { MeetingService } from '../src/meeting/service.ts'
import { seedMeeting } from '../src/seed.ts'
import { openSqliteStore } from '../src/store/sqlite.ts'
import { DEMO_MEETING, SEED_PATH } from './harness.ts'

describe('demo meeting seed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rt-seed-'))
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('loads the OECD 2003 symposium once, and the second start finds it without duplicating anything', async () => {
    const store = openSqliteStore({ path: join(dir, 'db.sqlite') })
    const service = new MeetingService({ store, publicUrl: 'http://localhost:3000' })
    const first = await seedMeeting(store, service, SEED_PATH, dir)
    expect(first.created).toBe(true)
    const id = asMeetingId(DEMO_MEETING)
    const meeting = await store.getMeeting(id)
    expect(meeting?.title).toBe('OECD Symposium for Senior e-Government Officials')
    expect(meeting?.date).toBe('2003-06-09')
    expect(meeting?.chairName).toMatch(/head of the U\.S\. e-government initiative/)
    expect((await store.listDelegations(id)).map((d) => d.name)).toContain('France')
    expect((await store.listAgenda(id)).length).toBe(7)
    expect(first.links.map((l) => l.role)).toEqual(expect.arrayContaining(['chair', 'delegate', 'observer']))

    const brief = new Y.Doc()
    for (const u of (await store.loadDoc(docName(id, 'brief'))).updates) Y.applyUpdate(brief, u)
    expect(briefText(brief)).toMatch(/^Tips for Leaders\n/)
    const priorities = new Y.Doc()
    for (const u of (await store.loadDoc(docName(id, 'priorities'))).updates) Y.applyUpdate(priorities, u)
    expect(listPriorities(priorities).map((p) => p.title)).toEqual([
      'Central co-ordination',
      'Cross-agency collaboration',
      'E-government as a lever for public sector reform',
      'Customer-focused government',
      'Incentives and ownership for decentralised initiatives',
      'Links with other service-delivery channels',
      'Legislative and regulatory frameworks',
      'International co-operation',
    ])

    const second = await seedMeeting(store, service, SEED_PATH, dir)
    expect(second.created).toBe(false)
    expect(second.links).toEqual(first.links)
    expect((await store.listAgenda(id)).length).toBe(7)
    expect((await store.listInvitations(id)).length).toBe(first.links.length)
    expect((await store.loadDoc(docName(id, 'brief'))).updates.length).toBe(1)
    await store.close()
  })
})
