/**
 * The minutes from a scripted meeting, through the service (no sockets): attendance by delegation,
 * agenda items with their times, speakers, every vote with its rules and result, the amendments,
 * the adopted texts — in English and in French, in UTC or in the reader's time zone.
 */
import type { AgendaItem, AmendmentView, FloorView, VoteView } from '@roundtable/protocol'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { storeDocWriter } from '../src/meeting/board/areas.ts'
import { clockOf, type OutputClock } from '../src/meeting/records/catalogue.ts'
import { collectRecord, meetingArchive } from '../src/meeting/records/collect.ts'
import { minutesDocument } from '../src/meeting/records/minutes.ts'
import { renderMarkdown } from '../src/meeting/records/render.ts'
import { type DraftingEnv, meetingId, setUpDrafting } from './drafting-setup.ts'

let env: DraftingEnv
beforeEach(async () => {
  env = await setUpDrafting()
})
afterEach(() => env.close())

/** A short meeting: two items, two speakers, a ranked vote, an amendment carried, one rejected, a secret motion. */
const script = async () => {
  const fr = await env.delegation('France')
  const ca = await env.delegation('Canada')
  const amélie = await env.person('delegate', 'Amélie Dupré', fr.id)
  const bob = await env.person('delegate', 'Bob Smith', ca.id)
  await env.person('observer', 'Olga')
  const item1 = await env.cmd<AgendaItem>(env.chair, 'agenda:add', {
    title: 'Opening',
    kind: 'discussion',
    durationMinutes: 10,
  })
  const item2 = await env.cmd<AgendaItem>(env.chair, 'agenda:add', {
    title: 'Tips for Leaders',
    kind: 'drafting',
    durationMinutes: 45,
  })
  await env.cmd(env.chair, 'agenda:setCurrent', { itemId: item1.id })
  const { floor } = await env.cmd<{ floor: FloorView }>(amélie, 'floor:request', {})
  await env.cmd(env.chair, 'floor:grant', { requestId: floor.queue[0].id })
  await env.cmd(env.chair, 'floor:end', {})
  await env.cmd(env.chair, 'agenda:setCurrent', { itemId: item2.id })
  await env.cmd(bob, 'floor:request', {})
  await env.cmd(env.chair, 'floor:next', {})
  await env.cmd(env.chair, 'floor:end', {})

  const ranked = (
    await env.cmd<{ vote: VoteView }>(env.chair, 'vote:create', {
      question: 'Priority areas',
      options: ['Central co-ordination', 'Customer focus'],
      method: 'schulze',
      secret: false,
      voters: 'delegations',
    })
  ).vote
  await env.cmd(env.chair, 'vote:open', { voteId: ranked.id })
  await env.cmd(amélie, 'vote:cast', { voteId: ranked.id, ballot: { ranking: ['o2', 'o1'] } })
  await env.cmd(bob, 'vote:cast', { voteId: ranked.id, ballot: { ranking: ['o2', 'o1'] } })
  await env.cmd(env.chair, 'vote:close', { voteId: ranked.id })

  await env.writeParagraphs('brief', ['Governments should share data across agencies.'])
  const propose = async (oldText: string, newText: string) =>
    (
      await env.cmd<{ amendment: AmendmentView }>(amélie, 'amendment:propose', {
        draftId: 'brief',
        type: 'replace',
        anchor: await env.anchorOf('brief', oldText),
        oldText,
        newText,
        reason: 'Plus précis',
      })
    ).amendment
  const carried = await propose('should', 'shall')
  const { vote: motion } = await env.cmd<{ vote: VoteView }>(env.chair, 'amendment:putToVote', {
    amendmentId: carried.id,
    method: 'motion',
    secret: true,
  })
  await env.cmd(amélie, 'vote:cast', { voteId: motion.id, ballot: { vote: 'yes' } })
  await env.cmd(bob, 'vote:cast', { voteId: motion.id, ballot: { vote: 'abstain' } })
  await env.cmd(env.chair, 'vote:close', { voteId: motion.id })
  const rejected = await propose('data', 'records')
  await env.cmd(env.chair, 'amendment:reject', { amendmentId: rejected.id })
  await env.cmd(env.chair, 'agenda:setCurrent', { itemId: null })
  return { ranked, motion, fr, ca }
}

const sources = () => ({
  store: env.store,
  docs: storeDocWriter(env.store),
  voteBallots: (m: Parameters<typeof env.service.voteBallots>[0], v: string) => env.service.voteBallots(m, v),
  boardElection: (m: Parameters<typeof env.service.boardElection>[0]) => env.service.boardElection(m),
  now: () => new Date('2003-06-09T17:00:00.000Z'),
})

describe('minutes', () => {
  it('[MIN] English: attendance, agenda with times, speakers, every vote with its rules and result, amendments, adopted text', async () => {
    const { ranked } = await script()
    const md = renderMarkdown(minutesDocument(await collectRecord(sources(), meetingId), 'en'))
    expect(md).toContain('# Minutes — Symposium on e-government')
    expect(md).toMatch(/\*\*France:\*\* Amélie Dupré/)
    expect(md).toMatch(/\*\*Canada:\*\* Bob Smith/)
    expect(md).toMatch(/\*\*Opening\*\* — \d\d:\d\d–\d\d:\d\d \(planned 10 min\)/)
    expect(md).toContain('**Amélie Dupré** (France)')
    expect(md).toContain('**Bob Smith** (Canada)')
    // Every vote, with its method, hash, turnout and result.
    expect(md).toContain(`### 1. ${ranked.question}`)
    expect(md).toContain('### 2. Amendment: Replace “should” by “shall”')
    expect(md).toContain('**Method:** Schulze — open ballot, one voice per delegation')
    expect(md).toContain('**Method:** Motion (yes / no / abstain) — secret ballot, one voice per delegation')
    expect(md).toMatch(/\*\*Result:\*\* Customer focus\n/)
    expect(md).toMatch(/\*\*Result:\*\* adopted\n/)
    expect(md.match(/Turnout: 2 of 2/g)).toHaveLength(2)
    const stored = await env.store.listVotes(meetingId)
    for (const v of stored) expect(md).toContain(v.optionsHash!)
    expect(md.match(/\*\*Working:\*\*/g)).toHaveLength(2)
    // Amendments, adopted and rejected, and the adopted text.
    expect(md).toMatch(/\*\*Replace\*\* “should” → “shall” — proposed by France: \*\*adopted by vote\*\*/)
    expect(md).toMatch(/“data” → “records” — proposed by France: \*\*rejected by consensus\*\*/)
    expect(md).toContain('## Adopted texts')
    expect(md).toContain('Governments shall share data across agencies.')
  })

  it('[MIN] French: the same record, in French, with French typography', async () => {
    await script()
    const md = renderMarkdown(minutesDocument(await collectRecord(sources(), meetingId), 'fr'))
    expect(md).toContain('# Procès-verbal — Symposium on e-government')
    expect(md).toContain('## Présences')
    expect(md).toContain('## Ordre du jour (UTC)')
    expect(md).toContain('**France\u202f:** Amélie Dupré')
    expect(md).toContain(
      '**Méthode\u202f:** Motion (pour / contre / abstention) — scrutin secret, une voix par délégation',
    )
    expect(md).toMatch(/\*\*Résultat\u202f:\*\* adoptée\n/)
    expect(md).toMatch(/\*\*Résultat\u202f:\*\* Customer focus\n/)
    expect(md.match(/Participation\u202f: 2 sur 2/g)).toHaveLength(2)
    expect(md).toContain('«\u202fshould\u202f» → «\u202fshall\u202f»')
    expect(md).toContain('adopté par vote')
    expect(md).toContain('rejeté par consensus')
    expect(md).toContain('Séance du 09/06/2003, Washington')
  })

  it('[ARCHIVE] the archive recounts every vote from anonymous ballots; a secret vote carries no voter ids', async () => {
    const { motion } = await script()
    const archive = await meetingArchive(sources(), meetingId)
    const { count } = await import('@roundtable/tally')
    expect(archive.votes).toHaveLength(2)
    for (const v of archive.votes) {
      expect(v.election).not.toBeNull()
      const recount = count(v.election as never)
      expect(recount.winners).toEqual(v.result!.winners)
    }
    const secret = archive.votes.find((v) => v.id === motion.id)!
    expect(JSON.stringify(secret.election)).not.toMatch(/voter/)
    expect(JSON.stringify(archive)).not.toMatch(/slotKey/)
    expect(archive.drafts[0].content.markdown).toContain('Governments shall share')
    expect(archive.amendments.map((a) => a.status)).toEqual(['adopted', 'rejected'])
    expect(archive.audit.some((e) => e.action === 'amendment.adopt')).toBe(true)
  })
})

describe('minutes in the reader’s time zone', () => {
  const zone = (tz: string): OutputClock => {
    const c = clockOf(tz)
    if ('error' in c) throw new Error(c.error)
    return c.data
  }
  /** The scripted meeting with every stored time at `at` (Date alone is faked: timers run as usual). */
  const recordAt = async (at: string, generatedAt: string) => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date(at))
    await script()
    return collectRecord({ ...sources(), now: () => new Date(generatedAt) }, meetingId)
  }
  afterEach(() => {
    vi.useRealTimers()
  })

  it('[MIN-TZ] Europe/Paris in winter: agenda, speakers, votes and generated-at one hour on, labelled', async () => {
    const record = await recordAt('2003-01-15T13:05:00.000Z', '2003-01-15T23:30:00.000Z')
    const utc = renderMarkdown(minutesDocument(record, 'en'))
    expect(utc).toContain('## Agenda (UTC)')
    expect(utc).toContain('**Opening** — 13:05–13:05 (planned 10 min)')
    expect(utc).toContain('**Amélie Dupré** (France), 13:05 UTC, ')
    expect(utc).toContain('Turnout: 2 of 2 (13:05–13:05 UTC, closed)')
    expect(utc).toContain('Generated from the record on 2003-01-15 23:30 UTC*')

    const paris = renderMarkdown(minutesDocument(record, 'en', zone('Europe/Paris')))
    expect(paris).toContain('## Agenda (Europe/Paris)')
    expect(paris).toContain('**Opening** — 14:05–14:05 (planned 10 min)')
    expect(paris).toContain('**Tips for Leaders** — 14:05–14:05 (planned 45 min)')
    expect(paris).toContain('**Amélie Dupré** (France), 14:05 UTC+01:00, ')
    expect(paris).toContain('**Bob Smith** (Canada), 14:05 UTC+01:00, ')
    expect(paris.match(/Turnout: 2 of 2 \(14:05–14:05 UTC\+01:00, closed\)/g)).toHaveLength(2)
    // 23:30 UTC is already the next day in Paris.
    expect(paris).toContain('Generated from the record on 2003-01-16 00:30 UTC+01:00 (Europe/Paris)')
    // No time is left in UTC, nor unlabelled in a line of its own.
    expect(paris).not.toMatch(/13:05|\d\d:\d\d UTC(?!\+)/)
    // The meeting's date is a calendar day, not an instant: it does not move.
    expect(paris).toContain('Held on 2003-06-09, Washington')
  })

  it('[MIN-TZ] French in summer (Paris two hours on) and a zone west of UTC', async () => {
    const record = await recordAt('2003-06-09T17:00:00.000Z', '2003-06-09T17:00:00.000Z')
    const paris = renderMarkdown(minutesDocument(record, 'fr', zone('Europe/Paris')))
    expect(paris).toContain('## Ordre du jour (Europe/Paris)')
    expect(paris).toContain('**Amélie Dupré** (France), 19:00 UTC+02:00, ')
    expect(paris.match(/Participation\u202f: 2 sur 2 \(19:00–19:00 UTC\+02:00, clos\)/g)).toHaveLength(2)
    expect(paris).toContain('Établi d’après le registre le 09/06/2003 19:00 UTC+02:00 (Europe/Paris)')
    const newYork = renderMarkdown(minutesDocument(record, 'en', zone('America/New_York')))
    expect(newYork).toContain('**Bob Smith** (Canada), 13:00 UTC-04:00, ')
    // Markdown escapes the zone's underscore.
    expect(newYork).toContain('Generated from the record on 2003-06-09 13:00 UTC-04:00 (America/New\\_York)')
  })

  it('[MIN-TZ] a zone is an IANA name Intl knows; none is UTC', () => {
    expect(zone('europe/paris').zone).toBe('Europe/Paris')
    // ICU's older alias is not put in the reader's place; every alias of UTC reads UTC.
    expect(zone('Asia/Kolkata').zone).toBe('Asia/Kolkata')
    expect(zone('Etc/UTC').zone).toBe('UTC')
    expect(zone('Etc/UTC').at('2003-06-09T17:00:00Z')).toBe('17:00 UTC')
    const none = clockOf(undefined)
    expect('data' in none && none.data.zone).toBe('UTC')
    for (const bad of ['Mars/Olympus', '+01:00', 'Europe/Paris; drop', '../etc']) {
      const c = clockOf(bad)
      expect('error' in c && c.error).toMatch(
        /^Unknown time zone ".*": give an IANA name such as Europe\/Paris/,
      )
    }
  })
})
