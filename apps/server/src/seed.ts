import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { addPriority, docName, type OutlineBlock, writeBriefOutline } from '@roundtable/doc-schema'
import {
  type AgendaKind,
  asAgendaItemId,
  asDelegationId,
  asMeetingId,
  type MeetingId,
  type Role,
} from '@roundtable/protocol'
import * as Y from 'yjs'
import type { MeetingService } from './meeting/service.ts'
import type { Store } from './store/types.ts'

export interface SeedFile {
  id: string
  meeting: { title: string; date: string; place: string; description: string; chairName: string }
  delegations: string[]
  agenda: { title: string; kind: AgendaKind; durationMinutes: number }[]
  priorities: { title: string; description: string }[]
  brief: OutlineBlock[]
  invitations: { role: Role; delegation?: string; label: string }[]
}

export interface DemoLink {
  label: string
  role: Role
  url: string
}

const seededKey = (id: string) => `seeded:${id}`
const linksFile = (dataDir: string, id: string) => join(dataDir, `${id}.links.json`)

/**
 * Loads a seed meeting once. The invitation tokens exist only in the returned URLs, so they are
 * kept in a file beside the data (readable by the operator) to print them on every start.
 */
export const seedMeeting = async (
  store: Store,
  service: MeetingService,
  seedPath: string,
  dataDir: string,
): Promise<{ meetingId: MeetingId; links: DemoLink[]; created: boolean }> => {
  const seed = JSON.parse(await readFile(seedPath, 'utf8')) as SeedFile
  const meetingId = asMeetingId(seed.id)
  if (await store.getMeeting(meetingId)) {
    const links = JSON.parse(
      await readFile(linksFile(dataDir, seed.id), 'utf8').catch(() => '[]'),
    ) as DemoLink[]
    return { meetingId, links, created: false }
  }
  const at = new Date().toISOString()
  // The meeting row is written last: it marks the seed complete. A start that failed half-way
  // left no meeting, so the next start seeds again; every earlier write is an idempotent upsert
  // (fixed ids) or, for documents, a Yjs update that applies twice to the same content.
  const delegationIds = new Map<string, string>()
  for (const [i, name] of seed.delegations.entries()) {
    const id = `${seed.id}-d${i + 1}`
    delegationIds.set(name, id)
    await store.putDelegation({ id: asDelegationId(id), meetingId, name })
  }
  for (const [i, item] of seed.agenda.entries())
    await store.putAgendaItem({ id: asAgendaItemId(`${seed.id}-a${i + 1}`), meetingId, position: i, ...item })

  const brief = new Y.Doc()
  writeBriefOutline(brief, seed.brief)
  await store.appendUpdates(docName(meetingId, 'brief'), [Y.encodeStateAsUpdate(brief)])
  const priorities = new Y.Doc()
  for (const [i, p] of seed.priorities.entries())
    addPriority(priorities, {
      id: `p${i + 1}`,
      title: p.title,
      description: p.description,
      proposer: seed.meeting.chairName,
    })
  await store.appendUpdates(docName(meetingId, 'priorities'), [Y.encodeStateAsUpdate(priorities)])

  const links: DemoLink[] = []
  for (const inv of seed.invitations) {
    const created = await service.createInvitation(meetingId, 'seed', {
      role: inv.role,
      delegationId: inv.delegation ? (delegationIds.get(inv.delegation) ?? null) : null,
      label: inv.label,
      expiresInHours: null,
    })
    links.push({ label: inv.label, role: inv.role, url: created.url })
  }
  await writeFile(linksFile(dataDir, seed.id), `${JSON.stringify(links, null, 2)}\n`, { mode: 0o600 })
  await service.audit(meetingId, 'seed', 'meeting.seed', { source: seedPath })
  await store.setMeta(seededKey(seed.id), at)
  await store.createMeeting({ id: meetingId, createdAt: at, ...seed.meeting })
  return { meetingId, links, created: true }
}
