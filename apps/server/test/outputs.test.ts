/**
 * Outputs over HTTP against a real server on port 0 (the demo meeting): two Yjs clients on the
 * brief see an amendment applied at once when its motion carries; the drafts list; each draft as
 * Markdown, DOCX (unzipped, word/document.xml read) and PDF (pdftotext, pdffonts); a version read;
 * the minutes in English and French; a draft in French; times in the reader's zone (`tz`), an unknown
 * zone refused; the archive for the chair only.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AmendmentView, DraftingEvent, DraftView, VersionView, VoteView } from '@roundtable/protocol'
import JSZip from 'jszip'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { anchorIn, plainOf, textNodes } from '../src/meeting/drafting/text.ts'
import { httpCommand, sio } from './clients.ts'
import { DEMO_MEETING, startServer, type TestServer, waitFor, type YClient, yClient } from './harness.ts'

let server: TestServer
let chair: string
let france: string
let canada: string
let observer: string
const clients: YClient[] = []
const tmp = mkdtempSync(join(tmpdir(), 'rt-outputs-'))

const cmd = async <T>(cookie: string, name: string, body: unknown): Promise<T> => {
  const r = await httpCommand(server.base, cookie, DEMO_MEETING, name, body)
  if (r.status !== 200) throw new Error(`${name}: ${r.status} ${JSON.stringify(r.body)}`)
  return r.body as T
}
const get = (path: string, cookie: string | null) =>
  fetch(`${server.base}/api/meetings/${DEMO_MEETING}${path}`, { headers: cookie ? { cookie } : {} })
const bytes = async (path: string, cookie: string) => {
  const r = await get(path, cookie)
  expect(r.status).toBe(200)
  return Buffer.from(await r.arrayBuffer())
}
const pdfText = (pdf: Buffer) => {
  const file = join(tmp, `${Math.random().toString(36).slice(2)}.pdf`)
  writeFileSync(file, pdf)
  return {
    text: execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString('utf8'),
    fonts: execFileSync('pdffonts', [file]).toString(),
  }
}
const docxText = async (docx: Buffer) => {
  const xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string')
  return xml.replace(/<w:p[ >]/g, '\n$&').replace(/<[^>]+>/g, '')
}
const brief = (c: YClient) => textNodes(c.doc).map(plainOf).join('\n')

const PASSAGE = 'Les gouvernements devraient partager leurs données : « ouverture » par défaut.'

beforeAll(async () => {
  server = await startServer()
  chair = await server.join(/^Chair/, 'Mark Forman')
  france = await server.join('France delegate', 'Amélie')
  canada = await server.join('Canada delegate', 'Bob')
  observer = await server.join(/^Observer/, 'Olga')
  for (const cookie of [france, canada]) {
    const c = yClient(server.wsBase, `${DEMO_MEETING}.brief`, cookie)
    clients.push(c)
    await c.synced
  }
  // A delegate types a paragraph with bold and italic into the brief, as the editor would.
  clients[0].doc.transact(() => {
    const el = new Y.XmlElement('paragraph')
    const t = new Y.XmlText()
    el.insert(0, [t])
    t.insert(0, PASSAGE)
    t.format(0, 'Les gouvernements'.length, { bold: {} })
    t.format(PASSAGE.indexOf('ouverture'), 'ouverture'.length, { italic: {} })
    clients[0].doc.getXmlFragment('brief').push([el])
  })
  await waitFor(() => brief(clients[1]).includes(PASSAGE), 5_000, 'the paragraph on the second client')
}, 30_000)

afterAll(async () => {
  for (const c of clients) c.destroy()
  await server.close()
  rmSync(tmp, { recursive: true, force: true })
})

describe('outputs', () => {
  it('[AM-VOTE] two clients see the amendment applied at once when its motion carries', async () => {
    // An observer's socket.io connection follows the amendment through meeting:drafting.
    const socket = await sio(server.base, observer)
    const events: DraftingEvent[] = []
    socket.on('meeting:drafting', (e: DraftingEvent) => events.push(e))
    const node = textNodes(clients[0].doc).find((t) => plainOf(t) === PASSAGE)!
    const at = PASSAGE.indexOf('devraient')
    const { amendment } = await cmd<{ amendment: AmendmentView }>(france, 'amendment:propose', {
      draftId: 'brief',
      type: 'replace',
      anchor: anchorIn(node, at, at + 'devraient'.length),
      oldText: 'devraient',
      newText: 'doivent',
      reason: 'Plus ferme',
    })
    const { vote } = await cmd<{ vote: VoteView }>(chair, 'amendment:putToVote', {
      amendmentId: amendment.id,
      method: 'motion',
    })
    await cmd(france, 'vote:cast', { voteId: vote.id, ballot: { vote: 'yes' } })
    await cmd(canada, 'vote:cast', { voteId: vote.id, ballot: { vote: 'yes' } })
    await cmd(chair, 'vote:close', { voteId: vote.id })
    for (const c of clients)
      await waitFor(() => brief(c).includes('Les gouvernements doivent partager'), 5_000, 'the applied text')
    await waitFor(
      () => events.some((e) => e.type === 'amendment' && e.amendment.status === 'adopted'),
      5_000,
      'the adopted amendment on socket.io',
    )
    expect(
      events.filter((e) => e.type === 'amendment').map((e) => e.type === 'amendment' && e.amendment.status),
    ).toEqual(['proposed', 'voting', 'adopted'])
    expect(events.some((e) => e.type === 'version' && e.version.reason === 'amendment')).toBe(true)
    socket.close()
    // Marks around the passage are kept.
    const delta = textNodes(clients[1].doc)
      .find((t) => plainOf(t).includes('doivent'))!
      .toDelta()
    expect(delta[0]).toMatchObject({ insert: 'Les gouvernements', attributes: { bold: {} } })
  })

  it('lists the drafts (wire contract) to participants, the brief first', async () => {
    await cmd(france, 'draft:create', {
      title: 'Document thématique : interopérabilité',
      kind: 'thematic_paper',
    })
    const r = await get('/drafts', observer)
    expect(r.status).toBe(200)
    const drafts = (await r.json()) as { id: string; title: string; kind: string }[]
    expect(drafts[0]).toMatchObject({ id: 'brief', kind: 'policy_brief' })
    expect(drafts[1]).toMatchObject({
      title: 'Document thématique : interopérabilité',
      kind: 'thematic_paper',
    })
    for (const d of drafts) expect(Object.keys(d)).toEqual(expect.arrayContaining(['id', 'title', 'kind']))
    expect((await get('/drafts', null)).status).toBe(401)
  })

  it('exports a draft as Markdown, DOCX and PDF with title, meeting, date, version, marks and French text', async () => {
    await cmd(chair, 'draft:rename', {
      draftId: 'brief',
      title: 'Conseils aux dirigeants : l’État en réseau',
    })
    const md = (await bytes('/drafts/brief/export?format=md', france)).toString('utf8')
    expect(md).toMatch(/^# Conseils aux dirigeants : l’État en réseau\n/)
    expect(md).toContain('OECD')
    expect(md).toMatch(/Version \d+: Amendment \(France\) applied/)
    expect(md).toContain('**Les gouvernements** doivent partager leurs données : « *ouverture* » par défaut.')

    const docx = await bytes('/drafts/brief/export?format=docx', observer)
    expect(docx.subarray(0, 2).toString()).toBe('PK')
    const text = await docxText(docx)
    expect(text).toContain('Conseils aux dirigeants : l’État en réseau')
    expect(text).toContain('Les gouvernements doivent partager leurs données : « ouverture » par défaut.')
    const xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string')
    expect(xml).toMatch(/<w:b\/>[\s\S]*Les gouvernements/)
    expect(xml).toMatch(/<w:i\/>[\s\S]*ouverture/)

    const pdf = await bytes('/drafts/brief/export?format=pdf', france)
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    const { text: pt, fonts } = pdfText(pdf)
    expect(pt.replace(/\s+/g, ' ')).toContain('Conseils aux dirigeants : l’État en réseau')
    expect(pt.replace(/\s+/g, ' ')).toContain(
      'Les gouvernements doivent partager leurs données : « ouverture » par défaut.',
    )
    // Every font is embedded (a subset of DejaVu Sans), none left to the reader's machine.
    const rows = fonts.split('\n').slice(2).filter(Boolean)
    expect(rows.length).toBeGreaterThan(0)
    for (const row of rows) {
      expect(row).toMatch(/DejaVu/i)
      expect(row).toMatch(/\byes\s+yes\b/)
    }
    const bad = await get('/drafts/brief/export?format=exe', france)
    expect(bad.status).toBe(400)
  }, 120_000)

  it('reads any version read-only, as JSON blocks and Markdown', async () => {
    const { versions } = await cmd<{ versions: VersionView[] }>(france, 'version:list', { draftId: 'brief' })
    expect(versions.length).toBeGreaterThan(0)
    const r = await get(`/drafts/brief/versions/${versions[0].id}`, observer)
    expect(r.status).toBe(200)
    const body = (await r.json()) as { version: VersionView; blocks: unknown[]; markdown: string }
    expect(body.version.id).toBe(versions[0].id)
    expect(body.markdown).toContain('doivent partager')
    expect(body.blocks.length).toBeGreaterThan(0)
  })

  it('[MIN] the minutes in English and French as Markdown, DOCX and PDF list the vote and its result', async () => {
    const en = (await bytes('/minutes?format=md', observer)).toString('utf8')
    expect(en).toContain('# Minutes — ')
    expect(en).toContain('Amendment: Replace “devraient” by “doivent”')
    expect(en).toMatch(/\*\*Result:\*\* adopted/)
    const fr = (await bytes('/minutes?format=md&lang=fr', observer)).toString('utf8')
    expect(fr).toContain('# Procès-verbal — ')
    expect(fr).toMatch(/\*\*Résultat\u202f:\*\* adoptée/)
    const docx = await docxText(await bytes('/minutes?format=docx&lang=fr', france))
    expect(docx).toContain('Procès-verbal')
    expect(docx).toContain('Résultat')
    const { text } = pdfText(await bytes('/minutes?format=pdf&lang=fr', france))
    expect(text).toContain('Procès-verbal')
    expect(text).toContain('adoptée')
    expect(text.replace(/\s+/g, ' ')).toContain('Les gouvernements doivent partager')
  }, 120_000)

  it('[OUT-LANG] a draft exported in French: meta from the French catalogue, the file tagged fr-FR', async () => {
    const en = (await bytes('/drafts/brief/export?format=md', france)).toString('utf8')
    expect(en).toMatch(/\n\*Policy brief · Version \d+: .+ · exported \d{4}-\d\d-\d\d \d\d:\d\d UTC\*\n/)
    const fr = (await bytes('/drafts/brief/export?format=md&lang=fr', france)).toString('utf8')
    expect(fr).toMatch(
      /\n\*Note de synthèse · Version \d+\u202f: .+ · exporté le \d\d\/\d\d\/\d{4} \d\d:\d\d UTC\*\n/,
    )
    expect(fr).not.toContain('Policy brief')
    const styles = async (docx: Buffer) =>
      (await JSZip.loadAsync(docx)).file('word/styles.xml')!.async('string')
    expect(await styles(await bytes('/drafts/brief/export?format=docx&lang=fr', france))).toContain(
      'w:val="fr-FR"',
    )
    expect(await styles(await bytes('/drafts/brief/export?format=docx', france))).toContain('w:val="en-GB"')
    const pdf = await bytes('/drafts/brief/export?format=pdf&lang=fr', france)
    expect(pdf.toString('latin1')).toContain('/Lang (fr-FR)')
    expect(pdfText(pdf).text).toContain('Note de synthèse')
  }, 120_000)

  it('[OUT-TZ] tz shifts every time in the minutes and the draft by the zone’s offset, and names it', async () => {
    // Asia/Kolkata has kept UTC+05:30 all year since 1945: the expected shift does not depend on the date.
    const shift = (hhmm: string) => {
      const [h, m] = hhmm.split(':').map(Number)
      const total = (h * 60 + m + 330) % (24 * 60)
      return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`
    }
    const WINDOW = /Turnout: \d+ of \d+ \((\d\d:\d\d)–(\d\d:\d\d) (UTC[^,]*), closed\)/
    const utc = (await bytes('/minutes?format=md', observer)).toString('utf8')
    const kolkata = (await bytes('/minutes?format=md&tz=Asia/Kolkata', observer)).toString('utf8')
    const [, open, close, zone] = WINDOW.exec(utc)!
    expect(zone).toBe('UTC')
    expect(WINDOW.exec(kolkata)!.slice(1)).toEqual([shift(open), shift(close), 'UTC+05:30'])
    expect(utc).toContain('## Agenda (UTC)')
    expect(kolkata).toContain('## Agenda (Asia/Kolkata)')
    expect(kolkata).toMatch(/\*Generated from the record on \S+ \d\d:\d\d UTC\+05:30 \(Asia\/Kolkata\)\*/)
    expect(kolkata).not.toMatch(/\d\d:\d\d UTC(?!\+05:30)/)
    const draft = (await bytes('/drafts/brief/export?format=md&lang=fr&tz=Asia/Kolkata', france)).toString(
      'utf8',
    )
    expect(draft).toMatch(/ · exporté le \d\d\/\d\d\/\d{4} \d\d:\d\d UTC\+05:30 \(Asia\/Kolkata\)\*/)
  })

  it('[OUT-TZ] an unknown tz is refused with a clear message on both routes, nothing rendered', async () => {
    for (const path of [
      '/minutes?format=pdf&tz=Mars/Olympus',
      '/drafts/brief/export?format=docx&tz=Mars/Olympus',
    ]) {
      const r = await get(path, france)
      expect(r.status).toBe(400)
      expect(r.headers.get('content-disposition')).toBeNull()
      const body = (await r.json()) as { code: string; message: string; issues: { path: string }[] }
      expect(body.code).toBe('RT_ERR_BAD_REQUEST')
      expect(body.message).toBe(
        'Unknown time zone "Mars/Olympus": give an IANA name such as Europe/Paris or UTC.',
      )
      expect(body.issues).toEqual([expect.objectContaining({ path: 'tz' })])
    }
    expect((await get('/drafts/brief/export?lang=de', france)).status).toBe(400)
  })

  it('[ARCHIVE] the archive is the chair’s only', async () => {
    expect((await get('/archive', france)).status).toBe(403)
    expect((await get('/archive', observer)).status).toBe(403)
    const r = await get('/archive', chair)
    expect(r.status).toBe(200)
    const archive = (await r.json()) as {
      votes: { election: unknown }[]
      drafts: DraftView[]
      audit: unknown[]
    }
    expect(archive.votes).toHaveLength(1)
    expect(archive.votes[0].election).toMatchObject({ method: 'motion' })
    expect(archive.audit.length).toBeGreaterThan(0)
  })
})
