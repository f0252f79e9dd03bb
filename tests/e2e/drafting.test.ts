// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), not the DOM property
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { axeViolations, newPerson, screenshotPath, useServerAndBrowser } from './harness.ts'

/** The harness's join, with room for a loaded machine (two cores shared by several browser tests). */
const joinThroughLink = async (page: Page, link: string, name: string): Promise<void> => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(String(e)))
  await page.goto(link, { timeout: 60_000 })
  await page
    .getByLabel(/^(Your name|Votre nom)$/)
    .fill(name, { timeout: 60_000 })
    .catch(async (e) => {
      await page.screenshot({ path: screenshotPath('drafting-join-failed.png') })
      throw new Error(`${e}\npage errors: ${errors.join('\n')}`)
    })
  await page.getByRole('button', { name: /^(Join the meeting|Rejoindre la réunion)$/ }).click()
  await page.waitForURL(/\/m\/[A-Za-z0-9_-]+$/, { timeout: 60_000 })
  await page.getByRole('tab', { name: /^(Drafts|Projets de texte)$/ }).waitFor({ timeout: 60_000 })
}

const PASSAGE = 'help agencies work together'

const openDrafts = async (page: Page) => {
  await page.getByRole('tab', { name: /^(Drafts|Projets de texte)$/ }).click()
  await page.locator('.drafts .brief-content').waitFor({ timeout: 60_000 })
  // Whichever test runs first, this part of the brief stays as the seed has it.
  await expect.poll(() => draftText(page)).toContain('agencies work together')
}

/** The open draft's text without the other people's caret labels. */
const draftText = (page: Page) =>
  page.evaluate(() => {
    const root = document.querySelector('.drafts .brief-content')?.cloneNode(true) as HTMLElement | undefined
    if (!root) return ''
    for (const caret of root.querySelectorAll('.collaboration-carets__caret')) caret.remove()
    return root.textContent ?? ''
  })

/** Selects a passage of the open draft as a reader would (the editor follows the DOM selection). */
const select = async (page: Page, needle: string) => {
  await page.locator('.drafts .brief-content').click()
  await page.evaluate((n) => {
    const root = document.querySelector('.drafts .brief-content') as HTMLElement
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent?.indexOf(n) ?? -1
      if (at < 0) continue
      const range = document.createRange()
      range.setStart(node, at)
      range.setEnd(node, at + n.length)
      const sel = window.getSelection()
      sel?.removeAllRanges()
      sel?.addRange(range)
      return
    }
    throw new Error(`not in the draft: ${n}`)
  }, needle)
  // ProseMirror reads the DOM selection on selectionchange: the tools say so once it has.
  await expect
    .poll(() => page.locator('.passage-tools .hint').innerText())
    .toMatch(/passage you selected|passage sélectionné/)
}

const switchTo = async (page: Page, lang: 'en' | 'fr') => {
  await page.getByRole('button', { name: lang === 'en' ? 'English' : 'Français' }).click()
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(lang)
}

const expectAxeClean = async (page: Page, where: string) => {
  const violations = (await axeViolations(page)).filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  )
  expect(violations, `${where}: ${JSON.stringify(violations, null, 2)}`).toEqual([])
}

describe('drafting in the browser', () => {
  const env = useServerAndBrowser()

  it('two delegates comment and propose an amendment; the chair puts it to the vote; it is applied in both browsers; the minutes list it', async () => {
    const mexico = await newPerson(env.browser)
    const korea = await newPerson(env.browser)
    const chair = await newPerson(env.browser)
    await joinThroughLink(mexico.page, env.server.link('Mexico'), 'María Delegada')
    await joinThroughLink(korea.page, env.server.link('Korea'), 'Kim Delegate')
    await joinThroughLink(chair.page, env.server.link('Chair'), 'Mark Forman')
    const m = mexico.page
    const k = korea.page
    const c = chair.page
    for (const p of [m, k, c]) await openDrafts(p)
    // The chair names the opening text as a version, to compare with later.
    await c.getByLabel('Name of the version').fill('Opening text')
    await c.getByRole('button', { name: 'Save a named version' }).click()
    await expect.poll(() => c.locator('.versions').innerText()).toContain('Opening text')
    // The brief is the first draft.
    expect(await m.locator('.drafts-list .draft-link').first().innerText()).toContain('Policy brief')

    // Mexico comments on the passage, from the keyboard shortcut's button.
    await select(m, PASSAGE)
    await m.getByRole('button', { name: 'Comment', exact: true }).click()
    await m.getByLabel('Your comment').fill('Say who co-ordinates.')
    await m.getByRole('button', { name: 'Post the comment' }).click()
    for (const p of [m, k])
      await expect.poll(() => p.locator('.threads').innerText()).toContain('Say who co-ordinates.')
    // The passage is highlighted in the other browser too.
    await expect.poll(() => k.locator('.anchored-comment').first().innerText()).toBe(PASSAGE)

    // Korea replies in the thread.
    await k.locator('.thread').getByRole('button', { name: 'Reply', exact: true }).click()
    await k.getByLabel('Reply').last().fill('The centre, with incentives.')
    await k.getByRole('button', { name: 'Send the reply' }).click()
    await expect.poll(() => m.locator('.replies').innerText()).toContain('The centre, with incentives.')

    // Korea proposes to replace "help" with "enable".
    await select(k, 'help')
    await k.getByRole('button', { name: 'Propose an amendment' }).click()
    await k.getByLabel('Kind of amendment').selectOption('replace')
    await k.getByLabel('New wording').fill('enable')
    await k.getByLabel('Reason (optional)').fill('Stronger.')
    await k.getByRole('button', { name: 'Propose the amendment' }).click()
    for (const p of [m, k, c]) {
      await expect.poll(() => p.locator('.amendment del').first().innerText()).toContain('help')
      await expect.poll(() => p.locator('.amendment ins').first().innerText()).toContain('enable')
    }
    // Not applied yet.
    expect(await draftText(m)).toContain('incentives help agencies')
    await k.locator('.drafts').screenshot({ path: screenshotPath('drafting-delegate.png') })

    // The chair puts it to a yes/no/abstain motion.
    await c.getByRole('button', { name: 'Put to the vote' }).click()
    await expect.poll(() => c.locator('.amendment .draft-badge').first().innerText()).toBe('Being voted on')
    await c.locator('.drafts').screenshot({ path: screenshotPath('drafting-chair.png') })
    for (const p of [m, k]) {
      await p.getByRole('button', { name: 'Go to the vote (Votes tab)' }).first().click()
      await p.getByLabel('Yes').check()
      await p.getByRole('button', { name: 'Send my ballot' }).click()
      await p.getByText('Ballot received.').waitFor()
    }
    await c.getByRole('button', { name: 'Go to the vote (Votes tab)' }).first().click()
    await c.getByRole('button', { name: 'Close the vote' }).click()
    // Not everyone has voted: the chair is asked to confirm closing early.
    await c
      .getByRole('group', { name: /Close now/ })
      .getByRole('button', { name: 'Confirm' })
      .click()
    await expect.poll(() => c.locator('.vote-card.status-closed').count()).toBe(1)
    await c.getByRole('tab', { name: 'Drafts' }).click()
    await c.getByLabel(/Show the decided/).check()
    await expect.poll(() => c.locator('.amendment .draft-badge').first().innerText()).toBe('Adopted')

    // Applied by the server: both delegates' editors read the new wording.
    for (const p of [m, k]) await openDrafts(p).catch(() => undefined)
    await Promise.all(
      [m, k].map((p) =>
        expect.poll(() => draftText(p), { timeout: 10_000 }).toContain('incentives enable agencies'),
      ),
    )

    // Versions: the one after the vote compared with the opening text marks the change; the opening text reads as it was.
    await expect.poll(() => c.locator('.versions > li').count()).toBeGreaterThanOrEqual(2)
    await c.getByLabel('Compare from').selectOption({ label: 'Version 1: Opening text' })
    await c.getByRole('button', { name: 'Compare', exact: true }).click()
    await expect
      .poll(() => c.locator('.diff del').allInnerTexts())
      .toContainEqual(expect.stringContaining('help'))
    await expect
      .poll(() => c.locator('.diff ins').allInnerTexts())
      .toContainEqual(expect.stringContaining('enable'))
    await c.getByRole('button', { name: 'View Version 1: Opening text' }).click()
    await expect.poll(() => c.locator('.version-view').innerText()).toContain('incentives help agencies')
    await c.locator('.draft-below').screenshot({ path: screenshotPath('drafting-versions.png') })
    await expectAxeClean(c, 'versions, compare and a version read-only (en)')

    // The minutes, downloaded as Markdown from the route, list it.
    const meetingId = new URL(m.url()).pathname.split('/').at(-1) ?? ''
    const minutes = await c.request.get(`${env.server.url}/api/meetings/${meetingId}/minutes?format=md`)
    expect(minutes.status()).toBe(200)
    const md = await minutes.text()
    expect(md).toContain('enable')
    expect(md).toMatch(/[Aa]dopted/)
    // The download link is on the page, to the same route, with the browser's time zone.
    await c.getByRole('tab', { name: 'Drafts' }).click()
    const zone = await c.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)
    expect(await c.locator('a.download', { hasText: 'Markdown' }).nth(1).getAttribute('href')).toBe(
      `/api/meetings/${meetingId}/minutes?format=md&tz=${encodeURIComponent(zone)}`,
    )
    for (const p of [mexico, korea, chair]) await p.context.close()
  }, 180_000)

  it('the drafting views have no serious or critical axe violation (EN, FR) and fit a phone; a new country report is co-edited; a comment from the keyboard shortcut is kept as detached when its passage is deleted', async () => {
    const delegate = await newPerson(env.browser)
    await joinThroughLink(delegate.page, env.server.link('Canada'), 'Claire Délégée')
    const chair = await newPerson(env.browser, { viewport: { width: 390, height: 844 } })
    await joinThroughLink(chair.page, env.server.link('Chair'), 'Mark Forman (phone)')
    for (const p of [delegate.page, chair.page]) {
      await openDrafts(p)
      for (const lang of ['en', 'fr'] as const) {
        await switchTo(p, lang)
        await expectAxeClean(p, `drafts (${lang})`)
        await select(p, 'agencies work')
        await p.getByRole('button', { name: /^(Comment|Commenter)$/ }).click()
        await expectAxeClean(p, `comment form (${lang})`)
        await p.keyboard.press('Escape')
        await expect.poll(() => p.locator('.passage-form').count()).toBe(0)
      }
      await switchTo(p, 'en')
    }
    // A new draft, a country report with its delegation: a document of its own, co-edited live.
    const d = delegate.page
    await d.getByText('New draft').click()
    await d.getByLabel('Title').fill('Canada: country report')
    await d.getByLabel('Kind').selectOption('country_report')
    await d.getByLabel('Delegation reporting').selectOption({ label: 'Canada' })
    await d.getByRole('button', { name: 'Create the draft' }).click()
    await expect
      .poll(() => d.locator('.drafts h2.brief + *, .drafts .brief h2').first().innerText())
      .toBe('Canada: country report')
    await d.locator('.drafts .brief-content').click()
    await d.keyboard.type('Canada reports on its single window.')
    // From the keyboard: select, then the shortcut opens the comment form on the selection.
    await select(d, 'single window')
    await d.keyboard.press('Control+Alt+KeyM')
    await d.getByLabel('Your comment').fill('Which one?')
    await d.keyboard.press('Enter')
    await d.getByRole('button', { name: 'Post the comment' }).click()
    await expect.poll(() => d.locator('.thread').count()).toBe(1)
    const c = chair.page
    await c.getByRole('button', { name: /^Canada: country report/ }).click()
    await expect
      .poll(() => draftText(c), { timeout: 15_000 })
      .toContain('Canada reports on its single window.')
    expect(await c.locator('.draft-link[aria-current="true"]').innerText()).toContain(
      'Country report · Canada',
    )
    // The passage is deleted: the comment is kept, shown as detached, in both browsers.
    await select(d, 'single window')
    await d.keyboard.press('Backspace')
    for (const p of [d, c])
      await expect
        .poll(() => p.locator('.thread .draft-badge-warn').allInnerTexts())
        .toEqual(['Passage deleted'])
    // The chair may seed the empty draft's outline from a closed vote (none has closed here).
    await expectAxeClean(c, 'a new draft (en)')
    const wide = await c.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.drafts *')]
        .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        // A caret's name label is cut at the editor frame's side (overflow-x: clip): it widens nothing.
        .filter((el) => !el.closest('.visually-hidden, .collaboration-carets__caret'))
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
        .slice(0, 8),
    )
    expect(wide).toEqual([])
    const width = await c.evaluate(() => document.documentElement.scrollWidth)
    expect(width).toBeLessThanOrEqual(390)
    await c.screenshot({ path: screenshotPath('drafting-phone.png'), fullPage: true })
    await delegate.context.close()
    await chair.context.close()
  }, 180_000)
})
