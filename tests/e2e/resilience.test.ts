// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), not the DOM property
/**
 * The web app against shared content it does not understand.
 *
 * The server refuses an update that would leave a document out of shape, so such content can
 * only reach a browser from a server (or a peer) of another version. The test plays that part
 * on the wire: Playwright stands between the page and the real server on the brief's Yjs socket,
 * forwards every frame both ways, and adds one update of its own to what the server sends. The
 * page cannot tell it from a relayed edit; the server never sees it.
 */
import * as encoding from 'lib0/encoding'
import type { Page, WebSocketRoute } from 'playwright-core'
import * as syncProtocol from 'y-protocols/sync'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { briefText, joinThroughLink, newPerson, screenshotPath, useServerAndBrowser } from './harness.ts'

/** y-websocket's frame for a document update: message type sync (0), then the update. */
const updateFrame = (update: Uint8Array): Buffer => {
  const enc = encoding.createEncoder()
  encoding.writeVarUint(enc, 0)
  syncProtocol.writeUpdate(enc, update)
  return Buffer.from(encoding.toUint8Array(enc))
}

/**
 * Relays the page's Yjs sockets to the server; returns a way to send an update to the page.
 * From the first such update on, the page's own document writes on the brief stop here: what
 * it writes about content the server never had (a repair, a reply on resync) the server would
 * refuse and close the socket for, which is the server's part, tested in tests/server.
 */
const relayBrief = async (page: Page): Promise<(update: Uint8Array) => void> => {
  let brief: WebSocketRoute | null = null
  let injected = false
  await page.routeWebSocket(/\/yjs\//, (ws) => {
    const server = ws.connectToServer()
    const isBrief = ws.url().endsWith('.brief')
    ws.onMessage((m) => {
      const docMessage = typeof m !== 'string' && m[0] === 0
      if (!(isBrief && injected && docMessage)) server.send(m)
    })
    server.onMessage((m) => ws.send(m))
    if (isBrief) brief = ws
  })
  return (update) => {
    if (!brief) throw new Error('the page has not opened the brief')
    injected = true
    brief.send(updateFrame(update))
  }
}

/** The brief once the page has it from the server (the editor mounts before it syncs). */
const syncedBrief = async (page: Page): Promise<string> => {
  await expect.poll(() => briefText(page)).toContain('Tips for Leaders')
  return briefText(page)
}

/** Someone else's edit, made on a document of its own: an update any brief can take. */
const foreignEdit = (d: Y.Doc, edit: (brief: Y.XmlFragment) => void): Uint8Array => {
  const before = Y.encodeStateVector(d)
  edit(d.getXmlFragment('brief'))
  return Y.encodeStateAsUpdate(d, before)
}

const text = (s: string) => {
  const t = new Y.XmlText()
  t.insert(0, s)
  return t
}

describe('issue 11: the web app survives content it does not understand', () => {
  const env = useServerAndBrowser()

  it('a brief the editor cannot show fails alone, in the reader’s language, and “Try again” brings it back', async () => {
    const { page, context } = await newPerson(env.browser)
    const sendToPage = await relayBrief(page)
    await joinThroughLink(page, env.server.link('delegate'), 'Dora Delegate')
    const seeded = await syncedBrief(page)

    // Text straight under the brief's root: the editor's Yjs binding throws on it.
    const other = new Y.Doc()
    sendToPage(foreignEdit(other, (brief) => brief.insert(0, [text('stray text at the top level')])))

    const failed = page.getByRole('alert').filter({ hasText: 'This part could not be shown.' })
    await failed.waitFor()
    expect(await page.locator('.brief-content').count()).toBe(0)
    // The rest of the meeting goes on: the agenda, the people, the language switch.
    expect(await page.locator('.agenda-title').count()).toBeGreaterThan(0)
    expect(await page.locator('.presence-list li').count()).toBeGreaterThan(0)
    await page.screenshot({ path: screenshotPath('resilience-brief-failed.png') })
    // Translated through the i18n layer like the rest of the page.
    await page.getByRole('button', { name: 'Français' }).click()
    await page.getByRole('alert').filter({ hasText: 'Cette partie n’a pas pu être affichée.' }).waitFor()
    await page.getByRole('heading', { name: 'Ordre du jour' }).waitFor()
    await page.getByRole('button', { name: 'Réessayer' }).waitFor()
    await page.getByRole('button', { name: 'English' }).click()

    // The stray text goes (the editor's binding may already have dropped it from the page's
    // copy as it unmounted; deleting it twice is harmless). "Try again" mounts a fresh editor.
    sendToPage(foreignEdit(other, (brief) => brief.delete(0, 1)))
    await page.getByRole('button', { name: 'Try again' }).click()
    await page.locator('.brief-content').waitFor()
    expect(await failed.count()).toBe(0)
    await expect.poll(() => briefText(page)).toBe(seeded)
    await context.close()
  })

  it('the brief editor leaves out an element it does not know and shows the rest', async () => {
    const { page, context } = await newPerson(env.browser)
    const errors: string[] = []
    page.on('pageerror', (e) => {
      // Playwright's stand-in socket throws where a browser's quietly drops a send after close
      // (y-websocket's last presence message when React's development build remounts the page).
      if (!e.message.includes('already in CLOSING or CLOSED state')) errors.push(e.message)
    })
    const sendToPage = await relayBrief(page)
    await joinThroughLink(page, env.server.link('delegate'), 'Dmitri Delegate')
    const seeded = await syncedBrief(page)

    // One edit: an element of a type this editor lacks, and a paragraph it knows.
    const widget = new Y.XmlElement('voteWidget')
    widget.insert(0, [text('from a newer version')])
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.insert(0, [text('A paragraph from the same edit')])
    sendToPage(foreignEdit(new Y.Doc(), (brief) => brief.insert(0, [widget, paragraph])))

    // The known paragraph showing means the edit was rendered: without the unknown element.
    await expect.poll(() => briefText(page)).toContain('A paragraph from the same edit')
    const shown = await briefText(page)
    expect(shown).not.toContain('from a newer version')
    expect(shown).toContain(seeded)
    expect(await page.getByText('This part could not be shown.').count()).toBe(0)
    // Still an editor: typing goes in.
    await page.locator('.brief-content h1').click()
    await page.keyboard.press('End')
    await page.keyboard.type(' (draft)')
    await expect.poll(() => briefText(page)).toContain('Tips for Leaders (draft)')
    expect(errors).toEqual([])
    await context.close()
  })
})
