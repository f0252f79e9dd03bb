// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), not the DOM property
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import {
  axeViolations,
  joinThroughLink,
  newPerson,
  pressUntil,
  screenshotPath,
  useServerAndBrowser,
} from './harness.ts'

const PHONE = { width: 390, height: 844 }
/** The demo meeting's areas in the room's working order (seeds/oecd-2003.json). */
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
const CUSTOMER = AREAS[3]

/** Joins, leaving a screenshot of the page behind when it fails (the cause is then in the picture). */
const join = async (page: Page, link: string, name: string) => {
  try {
    await joinThroughLink(page, link, name)
  } catch (e) {
    await page.screenshot({ path: screenshotPath(`board-join-failed-${name.replace(/\W+/g, '-')}.png`) })
    throw e
  }
}

const openBoard = async (page: Page) => {
  await page.getByRole('tab', { name: /^(Board|Tableau)$/ }).click()
  await page.locator('.board-agreement').waitFor()
}

/** The titles of my ranking, top to bottom. */
const myOrder = (page: Page) => page.locator('.rank-list .rank-title').allInnerTexts()
/** The group order as the agreement display shows it. */
const groupOrder = (page: Page) => page.locator('.board-order .order-title').allInnerTexts()
const saveStatus = (page: Page) => page.locator('.save-status').innerText()

const switchTo = async (page: Page, lang: 'en' | 'fr') => {
  await page.getByRole('button', { name: lang === 'en' ? 'English' : 'Français' }).click()
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(lang)
}

/** No serious or critical axe violation (minor ones are listed in the message if any fails). */
const expectNoSeriousAxe = async (page: Page, where: string) => {
  const violations = await axeViolations(page)
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  // Lesser findings do not fail this test but are worth seeing (the a11y suite wants none at all).
  if (violations.length > serious.length) console.warn(where, JSON.stringify(violations, null, 2))
  expect(serious, `${where}: ${JSON.stringify(violations, null, 2)}`).toEqual([])
}

/** Presses Tab until the focused element's accessible label starts with `label` (at most `max` presses). */
const tabTo = async (page: Page, label: string, max = 80) => {
  for (let i = 0; i < max; i++) {
    // The accessible name as a reader hears it: aria-label, else the text without aria-hidden parts.
    const name = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null
      if (!el) return ''
      const label = el.getAttribute('aria-label')
      if (label) return label
      const labelled = (el as HTMLInputElement).labels?.[0]
      const copy = (labelled ?? el).cloneNode(true) as HTMLElement
      for (const hidden of copy.querySelectorAll('[aria-hidden="true"]')) hidden.remove()
      return (copy.textContent ?? '').trim()
    })
    if (name.startsWith(label)) return
    await page.keyboard.press('Tab')
  }
  throw new Error(`Tab never reached "${label}"`)
}

const dragHandle = async (page: Page, title: string, toTitle: string) => {
  const handle = page.locator('.rank-row', { hasText: title }).locator('.rank-handle')
  const target = page.locator('.rank-row', { hasText: toTitle })
  const from = await handle.boundingBox()
  const to = await target.boundingBox()
  if (!from || !to) throw new Error('no box to drag')
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2)
  await page.mouse.down()
  // Small steps: dnd-kit starts a drag after a few pixels and measures as the pointer moves.
  const steps = 12
  for (let i = 1; i <= steps; i++)
    await page.mouse.move(from.x + from.width / 2, from.y + ((to.y + 4 - from.y) * i) / steps)
  await page.waitForTimeout(150)
  await page.mouse.up()
}

describe('the priority board', () => {
  const env = useServerAndBrowser()
  /** The chair's page, kept across tests: the demo's chair link joins once. */
  let chairPage: Page | null = null
  const theChair = async () => {
    if (!chairPage) {
      const chair = await newPerson(env.browser)
      await join(chair.page, env.server.link('Chair'), 'Mark Forman')
      chairPage = chair.page
    }
    return chairPage
  }

  it('a chair and two delegates rank (one by keyboard alone); an observer watches the agreement form', async () => {
    const observer = await newPerson(env.browser)
    await join(observer.page, env.server.link('Observer'), 'Olga Observer')
    await openBoard(observer.page)
    // Observers see the agreement only: no ranking of their own.
    expect(await observer.page.locator('.board-mine').count()).toBe(0)
    await expect.poll(() => observer.page.locator('.board-voters').innerText()).toBe('0 people have ranked')

    // The chair ranks the whole list in its working order.
    const chair = { page: await theChair() }
    await openBoard(chair.page)
    expect(await chair.page.locator('.unranked-row').count()).toBe(AREAS.length)
    await chair.page.getByRole('button', { name: 'Rank all the rest in list order' }).click()
    expect(await myOrder(chair.page)).toEqual(AREAS)
    await expect.poll(() => saveStatus(chair.page)).toBe('Saved')
    await expect.poll(() => observer.page.locator('.board-voters').innerText()).toBe('1 person has ranked')
    await expect.poll(() => groupOrder(observer.page)).toEqual(AREAS)

    // A delegate drags customer-focused government to the top with the mouse.
    const amelie = await newPerson(env.browser)
    await join(amelie.page, env.server.link('France'), 'Amélie Dupont')
    await openBoard(amelie.page)
    await amelie.page.getByRole('button', { name: 'Rank all the rest in list order' }).click()
    await dragHandle(amelie.page, CUSTOMER, AREAS[0])
    await expect.poll(() => myOrder(amelie.page)).toEqual([CUSTOMER, ...AREAS.filter((a) => a !== CUSTOMER)])
    await expect.poll(() => saveStatus(amelie.page)).toBe('Saved')
    await expect.poll(() => observer.page.locator('.board-voters').innerText()).toBe('2 people have ranked')

    // Another delegate uses the keyboard only: Tab to the tabs and the board, Space and arrows to move.
    const bob = await newPerson(env.browser)
    await join(bob.page, env.server.link('Canada'), 'Bob Tremblay')
    await bob.page.keyboard.press('Tab') // the skip link
    await tabTo(bob.page, 'Brief')
    await bob.page.keyboard.press('ArrowRight')
    await bob.page.keyboard.press('ArrowRight')
    await bob.page.locator('.board-agreement').waitFor()
    await tabTo(bob.page, 'Rank all the rest')
    await bob.page.keyboard.press('Enter')
    await expect.poll(() => myOrder(bob.page)).toEqual(AREAS)
    // Focus lands on the first ranked area; Tab on to customer-focused government's handle.
    await tabTo(bob.page, `Move ${CUSTOMER}`)
    // Each key waits for dnd-kit's answer (picked up, then over each place), not for a fixed time.
    const live = bob.page.locator('[id^="DndLiveRegion"]')
    await bob.page.keyboard.press('Space')
    // Picked up, and at once over its own place: either sentence may be the last one said.
    await expect
      .poll(() => live.innerText())
      .toMatch(new RegExp(`(Picked up ${CUSTOMER}, at|${CUSTOMER} is over) position 4 of 8`))
    for (const to of [3, 2, 1]) {
      const target = `${CUSTOMER} is over position ${to} of 8`
      await pressUntil(
        bob.page,
        'ArrowUp',
        () => live.innerText(),
        (t) => t.includes(target),
      )
      await expect.poll(() => live.innerText()).toContain(target)
    }
    await bob.page.keyboard.press('Space')
    await expect.poll(() => myOrder(bob.page)).toEqual([CUSTOMER, ...AREAS.filter((a) => a !== CUSTOMER)])
    // dnd-kit's own live region says where it went, in words.
    await expect.poll(() => live.innerText()).toContain(`${CUSTOMER} moved to position 1 of 8`)
    // The move buttons: international co-operation one up, then tied with the area above it.
    await tabTo(bob.page, `Move ${AREAS[7]} up`)
    await bob.page.keyboard.press('Enter')
    await expect
      .poll(() => myOrder(bob.page))
      .toEqual([CUSTOMER, ...AREAS.slice(0, 3), ...AREAS.slice(4, 6), AREAS[7], AREAS[6]])
    await expect
      .poll(() => bob.page.locator('.board-mine [aria-live="polite"]').innerText())
      .toBe(`${AREAS[7]} moved to position 7 of 8.`)
    // The checkbox's label names the area it ties.
    await tabTo(bob.page, `Same rank as above (${AREAS[6]})`)
    await bob.page.keyboard.press('Space')
    await expect
      .poll(() => bob.page.locator('.rank-row.tied .rank-title').allInnerTexts())
      .toEqual([AREAS[6]])
    await expect.poll(() => saveStatus(bob.page)).toBe('Saved')

    // The observer's display has all three; two of three put customer focus first: it leads, and beats every other.
    await expect.poll(() => observer.page.locator('.board-voters').innerText()).toBe('3 people have ranked')
    await expect
      .poll(() => groupOrder(observer.page))
      .toEqual([CUSTOMER, ...AREAS.filter((a) => a !== CUSTOMER)])
    expect(await observer.page.locator('.board-winner').innerText()).toContain(CUSTOMER)
    expect(await observer.page.locator('.board-facts').innerText()).toContain('Counted by Schulze')
    expect(await observer.page.locator('.board-w-reading').innerText()).toMatch(/W = 0\.\d\d · .*agreement/)

    // A reload restores the delegate's own saved ranking.
    await amelie.page.reload()
    await amelie.page.locator('.brief-content').waitFor()
    await openBoard(amelie.page)
    await expect.poll(() => myOrder(amelie.page)).toEqual([CUSTOMER, ...AREAS.filter((a) => a !== CUSTOMER)])

    // The chair's controls: another method, named on every screen; a freeze, shown on every screen.
    await chair.page.getByLabel('Counting method').selectOption('borda')
    await expect
      .poll(() => observer.page.locator('.board-facts').innerText())
      .toContain('Counted by Borda count')
    await chair.page.getByRole('button', { name: 'Freeze the list for a vote' }).click()
    await amelie.page.getByRole('tab', { name: 'Brief' }).click()
    await expect
      .poll(() => amelie.page.locator('.frozen-banner').innerText())
      .toContain('The priority list is frozen for a vote.')
    await expect.poll(() => observer.page.locator('.frozen-banner').count()).toBe(1)
    const href = await chair.page
      .getByRole('link', { name: 'Download the rankings (JSON)' })
      .getAttribute('href')
    const election = await chair.page.evaluate(async (url) => (await fetch(url!)).json(), href)
    expect(election.method).toBe('borda')
    expect(election.ballots).toHaveLength(3)
    await chair.page.getByRole('button', { name: 'Unfreeze the list' }).click()
    await expect.poll(() => observer.page.locator('.frozen-banner').count()).toBe(0)

    // Axe on the board: chair and observer, English and French, desktop.
    for (const [who, page] of [
      ['chair', chair.page],
      ['observer', observer.page],
    ] as const) {
      for (const lang of ['en', 'fr'] as const) {
        await switchTo(page, lang)
        await expectNoSeriousAxe(page, `board, ${who}, desktop (${lang})`)
      }
      await switchTo(page, 'en')
    }
    await chair.page.screenshot({ path: screenshotPath('board-desktop-chair.png'), fullPage: true })
    await observer.page.screenshot({ path: screenshotPath('board-desktop-observer.png'), fullPage: true })
    // Four people, a dozen round trips each, on a shared two-core machine.
  }, 120_000)

  it('on a phone (390×844) the board fits without sideways scrolling, its move buttons work, and axe finds nothing serious in English or French', async () => {
    const phone = await newPerson(env.browser, { viewport: PHONE })
    await join(phone.page, env.server.link('Korea'), 'Kim Phone')
    await openBoard(phone.page)
    await phone.page.getByRole('button', { name: 'Rank all the rest in list order' }).click()
    await phone.page.getByRole('button', { name: `Move ${AREAS[1]} up` }).click()
    await expect.poll(() => myOrder(phone.page)).toEqual([AREAS[1], AREAS[0], ...AREAS.slice(2)])
    await expect.poll(() => saveStatus(phone.page)).toBe('Saved')
    await phone.page.waitForTimeout(300)
    for (const lang of ['en', 'fr'] as const) {
      await switchTo(phone.page, lang)
      await expectNoSeriousAxe(phone.page, `board, delegate, phone (${lang})`)
      const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth)
      expect(overflow, `board on a phone (${lang})`).toBeLessThanOrEqual(PHONE.width)
    }
    await phone.page.screenshot({ path: screenshotPath('board-phone-fr.png'), fullPage: true })
    await phone.page.locator('.board-mine').screenshot({ path: screenshotPath('board-phone-fr-mine.png') })
    await phone.page
      .locator('.board-agreement')
      .screenshot({ path: screenshotPath('board-phone-fr-agreement.png') })
    await switchTo(phone.page, 'en')
    await phone.page.screenshot({ path: screenshotPath('board-phone-en.png'), fullPage: true })
  }, 60_000)

  it('an area withdrawn leaves every ranking and the group order; a new area waits under "Not ranked"', async () => {
    const chair = { page: await theChair() }
    const mexico = await newPerson(env.browser)
    await join(mexico.page, env.server.link('Mexico'), 'María Delegada')
    await openBoard(mexico.page)
    await mexico.page.getByRole('button', { name: 'Rank all the rest in list order' }).click()
    await expect.poll(() => myOrder(mexico.page)).toContain(AREAS[7])
    await expect.poll(() => saveStatus(mexico.page)).toBe('Saved')

    await chair.page.getByRole('tab', { name: 'Priority areas' }).click()
    await chair.page.getByRole('button', { name: `Withdraw “${AREAS[7]}”` }).click()
    await chair.page.getByRole('button', { name: 'Withdraw', exact: true }).click()
    await expect.poll(() => myOrder(mexico.page)).not.toContain(AREAS[7])
    expect(await mexico.page.locator('.unranked-row').allInnerTexts()).not.toContain(AREAS[7])
    await openBoard(chair.page)
    await expect.poll(() => groupOrder(chair.page)).not.toContain(AREAS[7])
    expect(await groupOrder(chair.page)).toHaveLength(AREAS.length - 1)

    await chair.page.getByRole('tab', { name: 'Priority areas' }).click()
    const form = chair.page.locator('.priority-propose')
    await form.getByLabel('Title', { exact: true }).fill('Open government data')
    await form.getByRole('button', { name: 'Propose', exact: true }).click()
    await expect
      .poll(() => mexico.page.locator('.unranked-row .rank-title').allInnerTexts())
      .toEqual(['Open government data'])
    // Not ranked until this person ranks it: the ranking they saved is unchanged.
    expect(await myOrder(mexico.page)).not.toContain('Open government data')
    await mexico.page.getByRole('button', { name: 'Rank Open government data' }).click()
    await expect.poll(() => myOrder(mexico.page)).toContain('Open government data')
    await expect.poll(() => saveStatus(mexico.page)).toBe('Saved')
  }, 90_000)
})
