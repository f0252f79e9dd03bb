import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { docName } from '@roundtable/doc-schema'
import { asAgendaItemId, type MeetingId, SESSION_COOKIE } from '@roundtable/protocol'
import { MeetingService } from '../../apps/server/src/meeting/service.ts'
import { seedMeeting } from '../../apps/server/src/seed.ts'
import { openSqliteStore } from '../../apps/server/src/store/sqlite.ts'
import { ROOT_DIR } from './proc.ts'

export interface RoundtableTemplate {
  dir: string
  meetingId: MeetingId
  briefDoc: string
  /** Session cookies by role; joined through the real invitation links of the demo meeting. */
  chairs: string[]
  delegates: string[]
  observers: string[]
  /** Agenda items added for scenario e: one per sending chair, whose title carries the event tag. */
  benchItems: string[]
}

const SEED = join(ROOT_DIR, 'seeds/oecd-2003.json')

/**
 * Builds, once, a database with the demo meeting and the benchmark's participants joined
 * (each its own session, as if they had opened their invitation link). Every run starts from
 * a copy, so session creation is never inside a measurement.
 */
export const prepareRoundtable = async (counts: {
  chairs: number
  delegates: number
  observers: number
}): Promise<RoundtableTemplate> => {
  const dir = mkdtempSync(join(tmpdir(), 'rt-bench-template-'))
  const store = openSqliteStore({ path: join(dir, 'roundtable.sqlite'), synchronous: 'normal' })
  const service = new MeetingService({ store, publicUrl: 'http://127.0.0.1' })
  const { meetingId, links } = await seedMeeting(store, service, SEED, dir)
  const tokenOf = (role: string) => {
    const link = links.find((l) => l.role === role)
    if (!link) throw new Error(`the demo meeting has no ${role} invitation`)
    return link.url.slice(link.url.lastIndexOf('/') + 1)
  }
  const join_ = async (role: string, n: number, prefix: string) => {
    const token = tokenOf(role)
    const cookies: string[] = []
    for (let i = 0; i < n; i++) {
      const { session } = await service.join(token, `${prefix} ${i + 1}`)
      cookies.push(`${SESSION_COOKIE}=${encodeURIComponent(session)}`)
    }
    return cookies
  }
  const chairs = await join_('chair', counts.chairs, 'Bench chair')
  const delegates = await join_('delegate', counts.delegates, 'Bench delegate')
  const observers = await join_('observer', counts.observers, 'Bench observer')
  const agenda = await store.listAgenda(meetingId)
  const benchItems: string[] = []
  for (let i = 0; i < counts.chairs; i++) {
    const id = `bench-item-${i}`
    await store.putAgendaItem({
      id: asAgendaItemId(id),
      meetingId,
      position: agenda.length + i,
      title: `Bench item ${i}`,
      kind: 'discussion',
      durationMinutes: 5,
    })
    benchItems.push(id)
  }
  await store.close()
  return { dir, meetingId, briefDoc: docName(meetingId, 'brief'), chairs, delegates, observers, benchItems }
}

/** A fresh data directory holding a copy of the template's database. */
export const copyTemplate = (t: RoundtableTemplate): string => {
  const dir = mkdtempSync(join(tmpdir(), 'rt-bench-run-'))
  mkdirSync(dir, { recursive: true })
  cpSync(join(t.dir, 'roundtable.sqlite'), join(dir, 'roundtable.sqlite'))
  return dir
}

export const removeDir = (dir: string) => rmSync(dir, { recursive: true, force: true })
