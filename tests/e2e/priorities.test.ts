// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), not the DOM property
import axe from 'axe-core'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { joinThroughLink, newPerson, screenshotPath, useServerAndBrowser } from './harness.ts'

const PHONE = { width: 390, height: 844 }
/** Several browsers on a shared two-core machine: each step is slow, the whole test more so (ms). */
const TIMEOUT_MS = 120_000
/** The demo meeting's areas in the room's working order (seeds/oecd-2003.json). */
const CENTRAL = 'Central co-ordination'
const INCENTIVES = 'Incentives and ownership for decentralised initiatives'
const CUSTOMER = 'Customer-focused government'
const LINKS = 'Links with other service-delivery channels'
const INTERNATIONAL = 'International co-operation'

const openList = async (page: Page) => {
  await page.getByRole('tab', { name: /^(Priority areas|Domaines prioritaires)$/ }).click()
  await page.locator('.priorities .priority-list').first().waitFor()
}
/** The live list's titles, top to bottom, without their numbers. */
const order = async (page: Page) =>
  (await page.locator('ol.priority-list > .priority .priority-title').allInnerTexts()).map((s) =>
    s.replace(/^\d+\.\s*/, ''),
  )
const card = (page: Page, title: string) =>
  page
    .locator('ol.priority-list > .priority')
    .filter({ has: page.locator('.priority-title', { hasText: title }) })
const titleField = (page: Page, title: string) => card(page, title).getByLabel('Title', { exact: true })

const switchTo = async (page: Page, lang: 'en' | 'fr') => {
  await page.getByRole('button', { name: lang === 'en' ? 'English' : 'Français' }).click()
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(lang)
}

/** axe-core on the priorities panel only: no serious or critical violation. */
const expectPanelAxeClean = async (page: Page, where: string) => {
  // Through the debugging protocol, not an inline <script>: the app's CSP forbids those.
  await page.evaluate(axe.source)
  const violations = await page.evaluate(async () => {
    const w = window as unknown as { axe: typeof axe }
    const r = await w.axe.run('.priorities', { resultTypes: ['violations'] })
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }))
  })
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  // Lesser findings do not fail this test but are worth seeing.
  if (violations.length > serious.length) console.warn(where, JSON.stringify(violations, null, 2))
  expect(serious, `${where}: ${JSON.stringify(violations, null, 2)}`).toEqual([])
}

/**
 * Presses Tab until the focused element's accessible name starts with `label`, starting from the
 * panel's heading (focusable, like a skip link's target), as a keyboard user moving through the list.
 */
const tabTo = async (page: Page, label: string, max = 150) => {
  await page.locator('#priorities-title').focus()
  for (let i = 0; i < max; i++) {
    const name = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null
      if (!el) return ''
      const aria = el.getAttribute('aria-label')
      if (aria) return aria
      const copy = el.cloneNode(true) as HTMLElement
      for (const hidden of copy.querySelectorAll('[aria-hidden="true"]')) hidden.remove()
      return (copy.textContent ?? '').replace(/\s+/g, ' ').trim()
    })
    if (name.startsWith(label)) return
    await page.keyboard.press('Tab')
  }
  throw new Error(`Tab never reached "${label}"`)
}
const focusedName = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    return el?.getAttribute('aria-label') ?? el?.textContent?.replace(/\s+/g, ' ').trim() ?? ''
  })

describe('the shared list of priority areas', () => {
  const env = useServerAndBrowser()
  const people = {} as Record<'amelie' | 'bob' | 'chair', { page: Page }>

  it(
    'two delegates typing in one title at once both keep their characters, and their carets',
    async () => {
      people.amelie = await newPerson(env.browser)
      people.bob = await newPerson(env.browser)
      const { amelie, bob } = people
      await joinThroughLink(amelie.page, env.server.link('France'), 'Amélie Dupont')
      await joinThroughLink(bob.page, env.server.link('Canada'), 'Bob Tremblay')
      await openList(amelie.page)
      await openList(bob.page)
      await amelie.page.getByRole('button', { name: `Edit “${CENTRAL}”` }).click()
      await bob.page.getByRole('button', { name: `Edit “${CENTRAL}”` }).click()
      // By place, not by text: the title changes under the test.
      const first = (page: Page) => page.locator('ol.priority-list > .priority').first()
      const a = first(amelie.page).getByLabel('Title', { exact: true })
      const b = first(bob.page).getByLabel('Title', { exact: true })
      await a.focus()
      await amelie.page.keyboard.press('Home')
      for (let i = 0; i < 'Central'.length; i++) await amelie.page.keyboard.press('ArrowRight')
      await b.focus()
      await bob.page.keyboard.press('End')
      // Each sees a badge with the other's name and delegation beside the title they are both in,
      // and a screen reader is told the same.
      const titleBadges = (page: Page) =>
        first(page).locator('.bound-field').first().locator('.editor-badges')
      await expect
        .poll(() => titleBadges(bob.page).locator('.editor-badge').innerText())
        .toContain('Amélie Dupont · France')
      expect(await titleBadges(bob.page).locator('.visually-hidden').innerText()).toBe(
        'Amélie Dupont · France is editing this field.',
      )
      await expect
        .poll(() => first(amelie.page).locator('.editor-badge').allInnerTexts())
        .toEqual([expect.stringContaining('Bob Tremblay · Canada')])
      // At the same time, one character every 40 ms each.
      await Promise.all([
        amelie.page.keyboard.type(' government', { delay: 40 }),
        bob.page.keyboard.type(' today', { delay: 40 }),
      ])
      const expected = 'Central government co-ordination today'
      await expect.poll(() => a.inputValue()).toBe(expected)
      await expect.poll(() => b.inputValue()).toBe(expected)
      // Remote characters did not move anyone's caret off their own typing.
      expect(await a.evaluate((el: HTMLInputElement) => el.selectionStart)).toBe('Central government'.length)
      expect(await b.evaluate((el: HTMLInputElement) => el.selectionStart)).toBe(expected.length)
      // Who edited last is shown to the other; the live count too.
      await amelie.page.getByRole('button', { name: `Done editing “${expected}”` }).click()
      await expect
        .poll(() => card(amelie.page, expected).locator('.priority-meta').innerText())
        .toMatch(/Last edited by (Amélie Dupont|Bob Tremblay)/)
      expect(await card(bob.page, expected).locator('.char-count').first().innerText()).toBe(
        `${expected.length} / 200 characters`,
      )
      await bob.page.getByRole('button', { name: `Done editing “${expected}”` }).click()
    },
    TIMEOUT_MS,
  )

  it(
    'a delegate proposes an area and the other sees it, with the delegation that proposed it',
    async () => {
      const { amelie, bob } = people
      const form = bob.page.locator('.priority-propose')
      await form.getByLabel('Title', { exact: true }).fill('Open government data')
      await form.getByLabel('Description', { exact: true }).fill('Publish what government knows.')
      await form.getByRole('button', { name: 'Propose', exact: true }).click()
      await expect.poll(() => order(amelie.page)).toContain('Open government data')
      const meta = await card(amelie.page, 'Open government data').locator('.priority-meta').innerText()
      expect(meta).toContain('Proposed by Bob Tremblay (Canada)')
      expect(meta).toContain('Not edited since proposed')
    },
    TIMEOUT_MS,
  )

  it(
    'the chair withdraws and merges with the keyboard only; Escape cancels; the others see it',
    async () => {
      people.chair = await newPerson(env.browser)
      const { chair, amelie } = people
      await joinThroughLink(chair.page, env.server.link('Chair'), 'Mark Forman')
      await openList(chair.page)
      const before = await order(chair.page)

      // Escape closes the question and gives focus back; nothing changes.
      await tabTo(chair.page, `Withdraw “${LINKS}”`)
      await chair.page.keyboard.press('Enter')
      expect(await focusedName(chair.page)).toBe('Withdraw')
      await chair.page.keyboard.press('Escape')
      expect(await focusedName(chair.page)).toBe(`Withdraw “${LINKS}”`)
      expect(await order(chair.page)).toEqual(before)

      // Withdraw: Enter opens, Enter confirms.
      await chair.page.keyboard.press('Enter')
      await chair.page.keyboard.press('Enter')
      await expect
        .poll(() => chair.page.locator('.notice-success').innerText())
        .toContain(`“${LINKS}” withdrawn.`)
      await expect.poll(() => order(amelie.page)).not.toContain(LINKS)
      const withdrawn = amelie.page.locator('.set-aside-withdrawn')
      expect(await withdrawn.locator('summary').innerText()).toBe('Withdrawn (1)')
      await withdrawn.locator('summary').click()
      expect(await withdrawn.locator('.priority-title').allInnerTexts()).toEqual([LINKS])
      // Focus did not fall to the page: it is on a neighbour's button.
      expect(await chair.page.evaluate(() => document.activeElement?.tagName)).toBe('BUTTON')

      // Merge: Enter opens the question with the choice focused; arrows choose; Tab, Enter confirm.
      await tabTo(chair.page, `Merge into… “${INCENTIVES}”`)
      await chair.page.keyboard.press('Enter')
      const options = await chair.page.locator('.priority-confirm select option').allInnerTexts()
      const steps = options.indexOf(CUSTOMER)
      expect(steps).toBeGreaterThan(0)
      for (let i = 0; i < steps; i++) await chair.page.keyboard.press('ArrowDown')
      await chair.page.keyboard.press('Tab')
      expect(await focusedName(chair.page)).toBe('Merge')
      await chair.page.keyboard.press('Enter')
      await expect
        .poll(() => chair.page.locator('.notice-success').innerText())
        .toContain(`“${INCENTIVES}” merged into “${CUSTOMER}”.`)
      await expect.poll(() => order(amelie.page)).not.toContain(INCENTIVES)
      await expect
        .poll(() => card(amelie.page, CUSTOMER).locator('.priority-absorbed').innerText())
        .toBe(`Absorbed: “${INCENTIVES}”`)
      const merged = amelie.page.locator('.set-aside-merged')
      await merged.locator('summary').click()
      expect(await merged.locator('.priority-meta').innerText()).toContain(`Merged into “${CUSTOMER}”`)
      // Delegates have no chair actions.
      expect(await amelie.page.getByRole('button', { name: /^Withdraw/ }).count()).toBe(0)
      expect(await amelie.page.getByRole('button', { name: /^Restore/ }).count()).toBe(0)
    },
    TIMEOUT_MS,
  )

  it(
    'the working order moved by keyboard is seen in the other browser, and announced',
    async () => {
      const { amelie, bob } = people
      const start = await order(bob.page)
      const from = start.indexOf(INTERNATIONAL)
      // Buttons: focus stays on the moved area's button, so Enter twice moves it up twice.
      await tabTo(amelie.page, `Move “${INTERNATIONAL}” up`)
      await amelie.page.keyboard.press('Enter')
      await amelie.page.keyboard.press('Enter')
      const afterButtons = [...start]
      afterButtons.splice(from, 1)
      afterButtons.splice(from - 2, 0, INTERNATIONAL)
      await expect.poll(() => order(bob.page)).toEqual(afterButtons)
      expect(await amelie.page.locator('.priorities [aria-live="polite"]').innerText()).toBe(
        `${INTERNATIONAL} moved to position ${from - 1} of ${start.length}.`,
      )
      // dnd-kit's keyboard drag: Space picks up, arrows move, Space drops.
      await tabTo(amelie.page, `Move “${INTERNATIONAL}”, position`)
      const dndSays = () => amelie.page.locator('[id^="DndLiveRegion"]').innerText()
      await amelie.page.keyboard.press('Space')
      await expect.poll(dndSays).toContain(`${INTERNATIONAL} is over position ${from - 1} of`)
      // A key pressed in the frame dnd-kit is still attaching its listeners is lost on a busy machine:
      // press again only if the first did nothing within two seconds.
      const target = `${INTERNATIONAL} is over position ${from - 2} of`
      for (let attempt = 0; attempt < 3 && !(await dndSays()).includes(target); attempt++) {
        await amelie.page.keyboard.press('ArrowUp')
        await expect
          .poll(dndSays, { timeout: 2_000 })
          .toContain(target)
          .catch(() => {})
      }
      await expect.poll(dndSays).toContain(target)
      await amelie.page.keyboard.press('Space')
      await expect.poll(dndSays).toContain(`${INTERNATIONAL} moved to position ${from - 2} of`)
      const afterDrag = [...afterButtons]
      afterDrag.splice(from - 2, 1)
      afterDrag.splice(from - 3, 0, INTERNATIONAL)
      await expect.poll(() => order(bob.page)).toEqual(afterDrag)
      await expect.poll(() => order(amelie.page)).toEqual(afterDrag)
    },
    TIMEOUT_MS,
  )

  it(
    'a frozen list is read-only with the banner, and editable again when thawed',
    async () => {
      const { chair, amelie } = people
      await amelie.page.getByRole('button', { name: `Edit “${CUSTOMER}”` }).click()
      await chair.page.getByRole('tab', { name: 'Board' }).click()
      await chair.page.getByRole('button', { name: 'Freeze the list for a vote' }).click()
      await expect.poll(() => amelie.page.locator('.frozen-banner').count()).toBe(1)
      // The chair's tab leads everyone's (follow): back to the list, as a delegate may.
      await openList(amelie.page)
      await expect.poll(() => amelie.page.locator('.priority-handle').count()).toBe(0)
      expect(await amelie.page.getByRole('button', { name: /^Edit “/ }).count()).toBe(0)
      expect(await amelie.page.locator('.priority-propose').count()).toBe(0)
      expect(await amelie.page.locator('.priority-fields').count()).toBe(0)
      expect(await amelie.page.locator('.priorities .readonly-notice').innerText()).toContain(
        'frozen for a vote',
      )
      await amelie.page.screenshot({ path: screenshotPath('priorities-frozen.png'), fullPage: true })

      await chair.page.getByRole('button', { name: 'Unfreeze the list' }).click()
      await expect.poll(() => amelie.page.locator('.frozen-banner').count()).toBe(0)
      await openList(amelie.page)
      await expect.poll(() => amelie.page.locator('.priority-handle').count()).toBeGreaterThan(0)
      expect(await amelie.page.locator('.priority-propose').count()).toBe(1)
      await openList(chair.page)
    },
    TIMEOUT_MS,
  )

  it(
    'has no serious axe violation in English and French, on a desktop and a phone',
    async () => {
      const { amelie, chair } = people
      // The busiest state: fields open, someone else in one, a chair question open, set-aside lists open.
      await amelie.page.getByRole('button', { name: 'Edit “Central' }).click()
      await titleField(amelie.page, 'Central').focus()
      await chair.page.getByRole('button', { name: 'Edit “Central' }).click()
      await chair.page.getByRole('button', { name: /^Merge into… “Cross-agency/ }).click()
      for (const s of await chair.page.locator('.set-aside summary').all()) await s.click()
      await expect.poll(() => chair.page.locator('.editor-badge').count()).toBeGreaterThan(0)
      const spoken = (page: Page) =>
        card(page, 'Central')
          .locator('.bound-field')
          .first()
          .locator('.editor-badges .visually-hidden')
          .innerText()
      for (const lang of ['en', 'fr'] as const) {
        await switchTo(chair.page, lang)
        await expect
          .poll(() => spoken(chair.page))
          .toBe(
            lang === 'en'
              ? 'Amélie Dupont · France is editing this field.'
              : 'Amélie Dupont · France modifie ce champ.',
          )
        await expectPanelAxeClean(chair.page, `priorities, chair, desktop (${lang})`)
        await chair.page.screenshot({
          path: screenshotPath(`priorities-desktop-${lang}.png`),
          fullPage: true,
        })
      }
      await switchTo(chair.page, 'en')

      const phone = await newPerson(env.browser, { viewport: PHONE, locale: 'fr-FR' })
      await joinThroughLink(phone.page, env.server.link('Mexico'), 'María Delegada con un nombre largo')
      await openList(phone.page)
      await phone.page.getByRole('button', { name: /^Modifier «\s*Central/ }).click()
      for (const s of await phone.page.locator('.set-aside summary').all()) await s.click()
      for (const lang of ['fr', 'en'] as const) {
        await switchTo(phone.page, lang)
        await expectPanelAxeClean(phone.page, `priorities, delegate, phone (${lang})`)
        await phone.page.screenshot({ path: screenshotPath(`priorities-phone-${lang}.png`), fullPage: true })
      }
      const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth)
      expect(overflow).toBeLessThanOrEqual(PHONE.width)

      // The chair in a field is badged as the chair, in the reader's language; on a phone a long
      // name gives way, never the delegation or role after it.
      await titleField(chair.page, 'Central').focus()
      const badges = () =>
        card(phone.page, 'Central').locator('.bound-field').first().locator('.editor-badge')
      await expect
        .poll(() => badges().allInnerTexts())
        .toEqual(
          expect.arrayContaining([
            expect.stringContaining('Amélie Dupont · France'),
            expect.stringContaining('Mark Forman · Chair'),
          ]),
        )
      await switchTo(phone.page, 'fr')
      await expect
        .poll(() => badges().allInnerTexts())
        .toEqual(expect.arrayContaining([expect.stringContaining('Mark Forman · Président·e')]))
      await expect.poll(() => spoken(phone.page)).toContain('Mark Forman · Président·e')
      await expectPanelAxeClean(phone.page, 'priorities, delegate, phone, chair in a field (fr)')
      for (const b of await badges().all())
        expect(await b.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true)
    },
    TIMEOUT_MS,
  )
})
