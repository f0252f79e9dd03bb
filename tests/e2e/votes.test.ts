// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), not the DOM property
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { axeViolations, pressUntil, screenshotPath, useServerAndBrowser } from './harness.ts'

const PHONE = { width: 390, height: 844 }
/** The demo meeting's priority areas, in the order the board lists them (seeds/oecd-2003.json). */
const AREAS = [
  'Central co-ordination',
  'Cross-agency collaboration',
  'E-government as a lever for public sector reform',
  'Customer-focused government',
  'Incentives and ownership for decentralised initiatives',
  'Links with other service-delivery channels',
  'Legislative and regulatory frameworks',
  'International co-operation',
]
/** Areas by their place in the seed, best first. */
const areas = (...at: number[]) => at.map((i) => AREAS[i])
const CUSTOMER = AREAS[3]

/**
 * One person per browser context, like the harness's newPerson, but with the page's Content
 * Security Policy bypassed so axe-core can be injected as an inline script (the app's own
 * scripts are unaffected either way).
 */
const newPerson = async (
  browser: Browser,
  opts: { locale?: string; viewport?: { width: number; height: number } } = {},
) => {
  const context = await browser.newContext({
    locale: opts.locale ?? 'en-GB',
    viewport: opts.viewport ?? { width: 1280, height: 900 },
    bypassCSP: true,
  })
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  return { context, page }
}

/** Joins through an invitation link and waits for the meeting's tabs (the chair lands on another tab than the brief). */
const joinThroughLink = async (page: Page, link: string, name: string) => {
  await page.goto(link)
  await page.getByLabel(/^(Your name|Votre nom)$/).fill(name)
  await page.getByRole('button', { name: /^(Join the meeting|Rejoindre la réunion)$/ }).click()
  await page.waitForURL(/\/m\/[A-Za-z0-9_-]+$/)
  try {
    await page.getByRole('tab', { name: /^Votes$/ }).waitFor()
  } catch (err) {
    await page.screenshot({ path: screenshotPath(`votes-join-failed-${name.replace(/\W+/g, '-')}.png`) })
    throw err
  }
}

const switchTo = async (page: Page, lang: 'en' | 'fr') => {
  await page.getByRole('button', { name: lang === 'en' ? 'English' : 'Français' }).click()
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(lang)
}

/** No serious or critical violation (the bar); the details in the failure message. */
const expectAxeClean = async (page: Page, where: string) => {
  const bad = (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(bad, `${where}: ${JSON.stringify(bad, null, 2)}`).toEqual([])
}

const overflow = (page: Page) =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth
    const wide = [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1 && el.getClientRects().length > 0)
      .filter((el) => !el.closest('.visually-hidden, .skip-link, .table-scroll'))
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
    return { scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 10) }
  })

/** The ranking as the ballot shows it, best first. */
const ballotOrder = (page: Page) => page.locator('.vote-rank-row .vote-rank-label').allInnerTexts()

const turnout = (page: Page) => page.locator('.vote-card .turnout-text').first().innerText()

describe('issue 13: a chair-run Schulze vote in the browser', () => {
  const env = useServerAndBrowser()

  it('the chair opens a vote, three delegates rank (mouse, keyboard only, phone), an observer watches, everyone sees the result', async () => {
    const chair = await newPerson(env.browser)
    await joinThroughLink(chair.page, env.server.link('Chair'), 'Mark Forman')
    const observer = await newPerson(env.browser)
    await joinThroughLink(observer.page, env.server.link('Observer'), 'Remote Member')
    const mouse = await newPerson(env.browser)
    await joinThroughLink(mouse.page, env.server.link('United States'), 'US Delegate')
    const keyboard = await newPerson(env.browser)
    await joinThroughLink(keyboard.page, env.server.link('Canada'), 'Canada Delegate')
    const phone = await newPerson(env.browser, { viewport: PHONE })
    await joinThroughLink(phone.page, env.server.link('France'), 'Délégation France')
    for (const p of [chair, observer, mouse, phone]) await p.page.getByRole('tab', { name: 'Votes' }).click()
    // The keyboard delegate reaches the tab with the arrow keys of the tab list.
    await keyboard.page.getByRole('tab', { name: 'Brief' }).focus()
    for (let i = 0; i < 8; i++) {
      if ((await keyboard.page.getByRole('tab', { name: 'Votes' }).getAttribute('aria-selected')) === 'true')
        break
      await keyboard.page.keyboard.press('ArrowRight')
    }
    await expect
      .poll(() => keyboard.page.getByRole('tab', { name: 'Votes' }).getAttribute('aria-selected'))
      .toBe('true')
    await expect.poll(() => observer.page.getByText('No vote yet in this meeting.').count()).toBe(1)

    // The chair freezes the priority list on the board, then creates a secret Schulze vote on it.
    const c = chair.page
    await c.getByRole('tab', { name: 'Board' }).click()
    await c.getByRole('button', { name: 'Freeze the list for a vote' }).click()
    await c.getByRole('button', { name: 'Unfreeze the list' }).waitFor()
    await c.getByRole('tab', { name: 'Votes' }).click()
    await c.getByText('New vote').click()
    await c.getByLabel('Question').fill('Which priority area comes first?')
    await c.getByLabel('The frozen priority list').check()
    await c.getByLabel('Counting method').selectOption('schulze')
    await expect
      .poll(() => c.locator('#vote-method-hint').innerText())
      .toContain('strongest chain of majorities')
    await c.locator('.create-vote').screenshot({ path: screenshotPath('votes-chair-create.png') })
    await c.getByRole('button', { name: 'Create the vote' }).click()
    await c.getByRole('button', { name: 'Open the vote' }).click()
    await expect.poll(() => turnout(observer.page)).toBe('0 of 3 have voted')
    await expect.poll(() => observer.page.locator('.vote-card .vote-status').innerText()).toBe('Open')
    // The observer has no ballot, but sees the rules' fingerprint.
    expect(await observer.page.locator('.ballot').count()).toBe(0)
    const hash = (await observer.page.locator('.options-hash code').first().innerText()).trim()
    expect(hash).toMatch(/^[0-9a-f]{12}$/)

    // 1. Mouse: drag "Customer-focused government" (4th) above "Central co-ordination".
    const m = mouse.page
    await expect.poll(() => ballotOrder(m)).toEqual(AREAS)
    expect(await m.locator('.ballot .options-hash code').first().innerText()).toBe(hash)
    // The whole list on screen first: the drag is made with real pointer coordinates.
    await m.locator('.vote-rank-list li').last().scrollIntoViewIfNeeded()
    await m.locator('.vote-rank-list').evaluate((el) => el.scrollIntoView({ block: 'center' }))
    const from = await m
      .getByRole('button', { name: 'Drag “Customer-focused government”, now in place 4' })
      .boundingBox()
    const to = await m
      .getByRole('button', { name: 'Drag “Central co-ordination”, now in place 1' })
      .boundingBox()
    if (!from || !to) throw new Error('no handles')
    await m.mouse.move(from.x + from.width / 2, from.y + from.height / 2)
    await m.mouse.down()
    for (let i = 1; i <= 12; i++)
      await m.mouse.move(from.x + from.width / 2, from.y + from.height / 2 + ((to.y - from.y - 8) * i) / 12)
    await m.mouse.up()
    await expect.poll(() => ballotOrder(m)).toEqual(areas(3, 0, 1, 2, 4, 5, 6, 7))
    await m.screenshot({ path: screenshotPath('votes-ballot-desktop.png'), fullPage: true })
    await m.getByRole('button', { name: 'Send my ballot' }).click()
    await expect.poll(() => m.locator('.receipt-code').count()).toBe(1)
    const mouseReceipt = await m.locator('.receipt-code').innerText()
    expect(mouseReceipt).toMatch(/^[A-Z2-9]{10}$/)
    expect(await m.locator('.receipt').innerText()).toContain('the last one counts')
    await expect.poll(() => turnout(observer.page)).toBe('1 of 3 have voted')

    // 2. Keyboard only: lift the handle with Space, three steps up (each announced), drop with Space.
    const k = keyboard.page
    const dnd = () => k.locator('[id^="DndLiveRegion"]').innerText()
    await k.getByRole('button', { name: 'Drag “Customer-focused government”, now in place 4' }).focus()
    await k.keyboard.press('Space')
    await expect.poll(dnd).toContain('“Customer-focused government” over place 4')
    for (const place of [3, 2, 1]) {
      const target = `“Customer-focused government” over place ${place}.`
      await pressUntil(k, 'ArrowUp', dnd, (t) => t === target)
      await expect.poll(dnd).toBe(target)
    }
    await k.keyboard.press('Space')
    await expect.poll(() => ballotOrder(k)).toEqual(areas(3, 0, 1, 2, 4, 5, 6, 7))
    await expect.poll(dnd).toBe('“Customer-focused government” dropped in place 1.')
    // A move button by keyboard too: "International co-operation" up one, and focus stays on it.
    await k.getByRole('button', { name: 'Move “International co-operation” up' }).focus()
    await k.keyboard.press('Enter')
    await expect.poll(() => ballotOrder(k)).toEqual(areas(3, 0, 1, 2, 4, 5, 7, 6))
    await expect
      .poll(() => k.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Move “International co-operation” up')
    await expect
      .poll(() => k.locator('.vote-rank-said').innerText())
      .toBe('“International co-operation” is now in place 7 of 8.')
    await k.getByRole('button', { name: 'Send my ballot' }).focus()
    await k.keyboard.press('Enter')
    await expect.poll(() => k.locator('.receipt-code').count()).toBe(1)
    const keyboardReceipt = await k.locator('.receipt-code').innerText()
    await expect.poll(() => turnout(observer.page)).toBe('2 of 3 have voted')

    // 3. Phone: the move buttons, then a change of mind (the last ballot counts).
    const p = phone.page
    await p.getByRole('button', { name: 'Move “Cross-agency collaboration” up' }).click()
    await expect.poll(() => ballotOrder(p)).toEqual(areas(1, 0, 2, 3, 4, 5, 6, 7))
    const phoneOverflow = await overflow(p)
    await p.screenshot({ path: screenshotPath('votes-ballot-phone.png'), fullPage: true })
    expect(phoneOverflow.wide).toEqual([])
    expect(phoneOverflow.scrollWidth).toBeLessThanOrEqual(PHONE.width)
    await p.getByRole('button', { name: 'Send my ballot' }).click()
    await expect.poll(() => p.locator('.receipt-code').count()).toBe(1)
    const firstPhoneReceipt = await p.locator('.receipt-code').innerText()
    await p.getByRole('button', { name: 'Move “International co-operation” up' }).click()
    await p.getByRole('button', { name: 'Send my new ballot' }).click()
    await expect.poll(() => p.locator('.receipt-code').innerText()).not.toBe(firstPhoneReceipt)
    const phoneReceipt = await p.locator('.receipt-code').innerText()
    // The receipt is kept in this browser for later.
    expect(await p.evaluate(() => JSON.stringify(localStorage))).toContain(phoneReceipt)
    await expect.poll(() => turnout(observer.page)).toBe('3 of 3 have voted')
    await c
      .locator('.vote-card')
      .first()
      .screenshot({ path: screenshotPath('votes-chair-open.png') })
    // Secret: the observer and the chair see how many, never who or how.
    expect(await observer.page.locator('.who-voted').count()).toBe(0)
    expect(await c.getByRole('button', { name: 'Show the live count' }).count()).toBe(0)

    // The ballot passes axe in English and French.
    await expectAxeClean(k, 'ballot (en)')
    await switchTo(k, 'fr')
    await expect.poll(() => k.getByRole('button', { name: 'Envoyer mon nouveau bulletin' }).count()).toBe(1)
    await expectAxeClean(k, 'ballot (fr)')
    await switchTo(k, 'en')

    // The chair closes; everyone sees the result and its working.
    await c.getByRole('button', { name: 'Close the vote' }).click()
    await c.getByRole('button', { name: 'Confirm' }).click()
    for (const who of [observer.page, c, m, k, p]) {
      await expect.poll(() => who.locator('.vote-card .vote-status').innerText()).toBe('Closed')
      await expect.poll(() => who.locator('.winners').innerText()).toBe('Winner: Customer-focused government')
    }
    const o = observer.page
    // Ballots: 3>0>1>2>4>5>6>7, 3>0>1>2>4>5>7>6, 1>0>2>3>4>5>7>6 (by place in the seed): Customer-focused
    // government beats the first three 2–1 and the rest 3–0; 0 beats 1 2–1; 7 beats 6 2–1.
    expect(await o.locator('.result-order li').allInnerTexts()).toEqual(areas(3, 0, 1, 2, 4, 5, 7, 6))
    const pairwise = o.locator('table.vote-matrix').first()
    expect(await pairwise.locator('caption').textContent()).toContain('Head to head')
    const row = pairwise.locator('tbody tr', { hasText: CUSTOMER })
    // Columns in the result's order: its own cell first, then 2–1 and 3–0 wins over every other.
    const cells = await row.locator('td').allInnerTexts()
    expect(cells[0]).toContain('same option')
    expect(cells.slice(1)).toEqual(['2 ▲', '2 ▲', '2 ▲', '3 ▲', '3 ▲', '3 ▲', '3 ▲'])
    expect(await o.locator('table.vote-matrix caption').nth(1).textContent()).toContain('Strongest paths')
    expect(await o.locator('.explanation').innerText()).toContain('Customer-focused government')
    expect(await o.locator('.verdict').innerText()).toMatch(/Customer-focused government wins under/)
    expect(await o.locator('.comparison tbody tr').count()).toBeGreaterThan(5)
    expect(await o.locator('.quorum').innerText()).toBe('3 ballots counted; no quorum was set.')
    expect(
      await o.locator('.result .options-hash code, .vote-card > .options-hash code').first().innerText(),
    ).toBe(hash)

    await o.screenshot({ path: screenshotPath('votes-result-desktop.png'), fullPage: true })
    await p.screenshot({ path: screenshotPath('votes-result-phone.png'), fullPage: true })
    // The result in parts, at the phone's real size, to read them one by one.
    await p.locator('.vote-card .result').scrollIntoViewIfNeeded()
    await p.screenshot({ path: screenshotPath('votes-result-phone-top.png') })
    await p
      .locator('.vote-card .working')
      .screenshot({ path: screenshotPath('votes-result-phone-working.png') })
    await p
      .locator('.vote-card .comparison')
      .screenshot({ path: screenshotPath('votes-result-phone-comparison.png') })
    const resultOverflow = await overflow(p)
    expect(resultOverflow.wide).toEqual([])
    expect(resultOverflow.scrollWidth).toBeLessThanOrEqual(PHONE.width)
    await expectAxeClean(o, 'result (en)')
    await switchTo(o, 'fr')
    await expect
      .poll(() => o.locator('.winners').innerText())
      .toBe('Option retenue\u00a0: Customer-focused government')
    await expectAxeClean(o, 'result (fr)')
    await o.screenshot({ path: screenshotPath('votes-result-desktop-fr.png'), fullPage: true })

    // Find my receipt: the phone delegate's last receipt is among the published ballots, the first is not.
    expect(await p.getByLabel('Your receipt').inputValue()).toBe(phoneReceipt)
    await p.getByRole('button', { name: 'Find my receipt' }).click()
    await expect
      .poll(() => p.locator('.receipt-outcome').innerText())
      .toBe(
        `Found: ballot ${await p.evaluate(async (r) => {
          const res = await fetch(document.querySelector<HTMLAnchorElement>('.published a')!.href)
          const e = (await res.json()) as { ballots: { receipt: string }[] }
          return e.ballots.findIndex((b) => b.receipt === r) + 1
        }, phoneReceipt)} of 3 is yours: ${areas(1, 0, 2, 3, 4, 5, 7, 6).join(' › ')}.`,
      )
    await p.getByLabel('Your receipt').fill(firstPhoneReceipt)
    await p.getByRole('button', { name: 'Find my receipt' }).click()
    await expect
      .poll(() => p.locator('.receipt-outcome').innerText())
      .toBe('This receipt is not among the 3 published ballots.')
    // The download is the recount input: every receipt given last is in it.
    const published = await m.evaluate(async () => {
      const res = await fetch(document.querySelector<HTMLAnchorElement>('.published a')!.href)
      return (await res.json()) as { method: string; ballots: { receipt: string }[] }
    })
    expect(published.method).toBe('schulze')
    expect(published.ballots.map((b) => b.receipt).sort()).toEqual(
      [mouseReceipt, keyboardReceipt, phoneReceipt].sort(),
    )
  }, 180_000)
})

// A server of its own: the demo's invitation links are spent by the first test's people.
describe('issue 13: open votes, ties, timers and refusals in the browser', () => {
  const env = useServerAndBrowser()

  it('an open vote by delegation: names and live count; a tie broken by lot; a timed motion closes itself; the unfrozen board is refused', async () => {
    const chair = await newPerson(env.browser, { locale: 'fr-FR' })
    await joinThroughLink(chair.page, env.server.link('Chair'), 'Présidence')
    await switchTo(chair.page, 'en')
    const uk = await newPerson(env.browser)
    await joinThroughLink(uk.page, env.server.link('United Kingdom'), 'UK Delegate')
    const korea = await newPerson(env.browser, { viewport: PHONE })
    await joinThroughLink(korea.page, env.server.link('Korea'), 'Korea Delegate')
    for (const p of [chair, uk, korea]) await p.page.getByRole('tab', { name: 'Votes' }).click()
    const c = chair.page

    // Options "board" before the list is frozen: the server refuses, and says why.
    await c.getByText('New vote').click()
    await c.getByLabel('Question').fill('Rank the frozen list')
    await c.getByLabel('The frozen priority list').check()
    await c.getByRole('button', { name: 'Create the vote' }).click()
    await expect
      .poll(() => c.locator('.create-vote .error').innerText())
      .toContain('Freeze the priority list first')

    // An open approval vote, one voice per delegation.
    await c.getByLabel('Options written here').check()
    await c.getByLabel('Question').fill('Which themes for the next thematic papers?')
    await c.getByLabel('Options, one per line').fill('Customer focus\nInternational co-operation')
    await c.getByLabel('Counting method').selectOption('approval')
    await c.getByLabel(/^Open: who voted is shown/).check()
    await c.getByLabel(/^One voice per delegation/).check()
    await c.getByRole('button', { name: 'Create the vote' }).click()
    await c.getByRole('button', { name: 'Open the vote' }).click()
    const card = (p: Page) => p.locator('.vote-card').first()
    await expect.poll(() => card(c).locator('.turnout-text').innerText()).toBe('0 of 6 have voted')
    await uk.page.getByLabel('Customer focus').check()
    await uk.page.getByRole('button', { name: 'Send my ballot' }).click()
    await expect.poll(() => card(c).locator('.who-voted').innerText()).toBe('Voted: United Kingdom')
    await c.getByRole('button', { name: 'Show the live count' }).click()
    await expect.poll(() => card(c).locator('.live-result').innerText()).toContain('So far, from 1 ballot:')
    expect(await card(c).locator('.live-result li').first().innerText()).toBe('Customer focus')
    await korea.page.getByLabel('International co-operation').check()
    await korea.page.getByRole('button', { name: 'Send my ballot' }).click()
    await expect.poll(() => card(c).locator('.who-voted').innerText()).toBe('Voted: United Kingdom, Korea')
    // The live count follows the new ballot.
    await expect.poll(() => card(c).locator('.live-result').innerText()).toContain('So far, from 2 ballots:')
    await c.getByRole('button', { name: 'Close the vote' }).click()
    await c.getByRole('button', { name: 'Confirm' }).click()
    await expect.poll(() => card(korea.page).locator('.tie-notice').innerText()).toContain('Tie.')
    expect(await card(korea.page).locator('.result-order li').first().innerText()).toContain('tied')
    expect(await card(korea.page).locator('.tie-break').count()).toBe(0)
    await card(c).getByLabel('Seed').fill('2003')
    await card(c).getByRole('button', { name: 'Draw lots' }).click()
    for (const p of [c, korea.page]) {
      await expect
        .poll(() => card(p).locator('.result').innerText())
        .toContain('Tie broken by lot (seed 2003).')
      expect(await card(p).locator('.tie-notice').count()).toBe(0)
      expect(await card(p).locator('.winners').innerText()).toMatch(
        /^Winner: (Customer focus|International co-operation)$/,
      )
    }
    await card(korea.page).screenshot({ path: screenshotPath('votes-tie-broken-phone.png') })

    // A timed motion: the countdown runs from the server's closesAt, and the server closes it.
    await c.getByText('New vote').click()
    await c.getByLabel('Question').fill('Adopt the outline of the brief?')
    await c.getByLabel('Options, one per line').fill('Adopt the outline')
    await c.getByLabel('Counting method').selectOption('motion')
    await c.getByLabel('Threshold').selectOption('two_thirds')
    await c.getByLabel('Timer (minutes)').fill('0.25')
    await c.getByRole('button', { name: 'Create the vote' }).click()
    await c.getByRole('button', { name: 'Open the vote' }).click()
    await expect.poll(() => card(uk.page).locator('.countdown').innerText()).toMatch(/^Closes in 0:1\d$/)
    await card(uk.page).getByLabel('Yes').check()
    await card(uk.page).getByRole('button', { name: 'Send my ballot' }).click()
    await expect.poll(() => card(uk.page).locator('.receipt-code').count()).toBe(1)
    await expect
      .poll(() => card(uk.page).locator('.vote-status').innerText(), { timeout: 30_000 })
      .toBe('Closed')
    expect(await card(uk.page).locator('.winners').innerText()).toBe('Winner: Yes')
  }, 180_000)
})
