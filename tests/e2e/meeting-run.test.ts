// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), not the DOM property
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { axeViolations, joinThroughLink, newPerson, screenshotPath, useServerAndBrowser } from './harness.ts'

const PHONE = { width: 390, height: 844 }
const DESKTOP = { width: 1280, height: 900 }
const OPENING = 'Opening by Deputy Secretary-General'
const RANKING_ITEM = 'Identifying priority areas'

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
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)

const selectedTab = (page: Page) => page.locator('[role="tab"][aria-selected="true"]').innerText()
const currentTitle = (page: Page) => page.locator('.current-item .current-title').first().innerText()
const speakerName = (page: Page) => page.locator('.speaker-now .speaker-name').first().innerText()

describe('issue 14: running the meeting in the browser', () => {
  const env = useServerAndBrowser()

  it('the chair advances the agenda and gives the floor; a delegate and an observer follow; the projector shows the speaker', async () => {
    const chair = await newPerson(env.browser)
    await joinThroughLink(chair.page, env.server.link('Chair'), 'Mark Forman')
    // The chair lands on the console.
    expect(await selectedTab(chair.page)).toBe('Console')
    const delegate = await newPerson(env.browser)
    await joinThroughLink(delegate.page, env.server.link('France'), 'Amélie Durand')
    const observer = await newPerson(env.browser)
    await joinThroughLink(observer.page, env.server.link('Observer'), 'Olga Observer')
    const meetingPath = new URL(observer.page.url()).pathname
    await observer.page.goto(`${env.server.url}${meetingPath}/follow`)
    await observer.page.locator('.follow-page').waitFor()

    // Advancing the agenda opens the item's clock and takes everyone to its tool (a discussion: the speakers).
    await chair.page.getByRole('button', { name: `Start: ${OPENING}`, exact: false }).click()
    for (const p of [chair.page, delegate.page, observer.page])
      await expect.poll(() => currentTitle(p)).toContain(OPENING)
    await expect.poll(() => selectedTab(delegate.page)).toBe('Speakers')
    await expect.poll(() => selectedTab(observer.page)).toBe('Speakers')
    await expect
      .poll(() => chair.page.locator('.current-item .item-clock').first().innerText())
      .toMatch(/Time used\s+0:0\d/)

    // The delegate asks for the floor; the observer may not until the chair allows it.
    await delegate.page.getByRole('button', { name: 'Ask for the floor' }).first().click()
    await expect.poll(() => delegate.page.locator('.queue-mine').first().innerText()).toContain('number 1')
    expect(await observer.page.getByRole('button', { name: 'Ask for the floor' }).count()).toBe(0)
    expect(await observer.page.getByText('Observers may not ask for the floor').count()).toBeGreaterThan(0)

    // The chair gives the floor from the console: every screen shows the speaker and a running timer.
    await chair.page.getByRole('button', { name: 'Give the floor to Amélie Durand' }).click()
    for (const p of [chair.page, delegate.page, observer.page])
      await expect.poll(() => speakerName(p)).toContain('Amélie Durand')
    const projector = await chair.context.newPage()
    await projector.goto(`${env.server.url}${meetingPath}/projector`)
    await expect.poll(() => speakerName(projector)).toContain('Amélie Durand')
    await expect.poll(() => projector.locator('.current-item .current-title').innerText()).toContain(OPENING)
    const t0 = await projector.locator('.timer-value').innerText()
    await expect.poll(() => projector.locator('.timer-value').innerText(), { timeout: 5000 }).not.toBe(t0)
    expect(await projector.locator('button, input, select, textarea').count()).toBe(0)

    // The chair opens the queue to observers: now the observer can ask, and the chair sees them queued.
    await chair.page.getByText('Queue settings').click()
    // The box shows the server's setting: it turns checked once the server has it.
    await chair.page.getByLabel('Observers may ask for the floor').click()
    await expect.poll(() => chair.page.getByLabel('Observers may ask for the floor').isChecked()).toBe(true)
    await observer.page.getByRole('button', { name: 'Ask for the floor' }).first().click()
    await expect.poll(() => chair.page.locator('.floor-queue').innerText()).toContain('Olga Observer')

    // The next item is a ranking: followers go to the board.
    await chair.page.getByRole('button', { name: `Next item: ${RANKING_ITEM}`, exact: false }).click()
    await expect.poll(() => selectedTab(delegate.page)).toBe('Board')
    await expect.poll(() => selectedTab(observer.page)).toBe('Board')
    for (const p of [delegate.page, observer.page])
      await expect.poll(() => currentTitle(p)).toContain(RANKING_ITEM)

    // Looking elsewhere stops following; one click goes back to the chair's view.
    await delegate.page.getByRole('tab', { name: 'Brief' }).click()
    expect(await delegate.page.getByLabel('Follow the chair').isChecked()).toBe(false)
    await delegate.page.getByRole('button', { name: /Back to the chair’s view/ }).click()
    await expect.poll(() => selectedTab(delegate.page)).toBe('Board')
    expect(await delegate.page.getByLabel('Follow the chair').isChecked()).toBe(true)

    // Projector, console and follow view: axe-clean in English and French, desktop and phone; screenshots.
    await chair.page.getByRole('tab', { name: 'Console' }).click()
    const views: [string, Page][] = [
      ['console', chair.page],
      ['follow', observer.page],
      ['projector', projector],
    ]
    for (const size of [DESKTOP, PHONE]) {
      const tag = size === PHONE ? 'phone' : 'desktop'
      for (const [name, page] of views) {
        await page.setViewportSize(size)
        for (const lang of ['en', 'fr'] as const) {
          if (name === 'projector') {
            // No controls on the projector: its language follows the chair's choice, saved for this browser.
            await projector.reload()
            await projector
              .locator('.projector')
              .waitFor()
              .catch(async (e) => {
                throw new Error(`${e}\n${await projector.locator('body').innerText()}`)
              })
          } else await switchTo(page, lang)
          await page.waitForTimeout(300)
          await expectAxeClean(page, `${name} ${tag} (${lang})`)
        }
        if (size === PHONE)
          expect(await overflow(page), `${name} scrolls sideways on a phone`).toBeLessThanOrEqual(0)
        await page.screenshot({
          path: screenshotPath(`meeting-run-${name}-${tag}.png`),
          fullPage: name !== 'projector',
        })
      }
      for (const [, page] of views) if (page !== projector) await switchTo(page, 'en')
    }
  }, 240_000)

  it('first-time stumbles: the join form starts from the label, the organiser link survives opening twice, Escape cancels a confirmation, the skip link reaches the work', async () => {
    const { page } = await newPerson(env.browser)
    await page.goto(env.server.link('Chair'))
    await page
      .getByLabel('Your name')
      .waitFor()
      .catch(async (e) => {
        throw new Error(`${e}\n${page.url()}\n${await page.locator('body').innerText()}`)
      })
    await expect.poll(() => page.getByLabel('Your name').inputValue()).toBe('Mark Forman')

    const organiser = await newPerson(env.browser)
    const link = env.server.organiserLink ?? ''
    await organiser.page.goto(link)
    await organiser.page.getByRole('button', { name: 'Sign in as organiser' }).waitFor()
    await organiser.page.goto(link)
    await organiser.page.getByRole('button', { name: 'Sign in as organiser' }).click()
    await organiser.page.waitForURL(`${env.server.url}/organise`)

    // The first test's chair already has that name (names are unique in a meeting): a second device.
    await page.getByLabel('Your name').fill('Mark Forman, tablet')
    await page.getByRole('button', { name: 'Join the meeting' }).click()
    await page
      .locator('.console')
      .waitFor()
      .catch(async (e) => {
        throw new Error(`${e}\n${page.url()}\n${await page.locator('body').innerText()}`)
      })
    const remove = page.locator('.agenda-item').last().getByRole('button', { name: 'Remove' })
    const items = await page.locator('.agenda-item').count()
    await remove.click()
    await page.keyboard.press('Escape')
    await expect.poll(() => remove.evaluate((el) => el === document.activeElement)).toBe(true)
    expect(await page.locator('.agenda-item').count()).toBe(items)

    // Skip link, then one Tab: inside the workspace, not the agenda.
    await page.reload()
    await page.locator('.console').waitFor()
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest('.workspace')))).toBe(true)
  }, 120_000)

  it('the follow view reconnects by itself, says so, and catches up without a reload', async () => {
    const observer = await newPerson(env.browser, { viewport: PHONE })
    await joinThroughLink(observer.page, env.server.link('Observer'), 'Remote Member')
    const path = new URL(observer.page.url()).pathname
    await observer.page.goto(`${env.server.url}${path}/follow`)
    await observer.page.locator('.follow-page').waitFor()
    await observer.page.evaluate(() => {
      ;(window as unknown as { notReloaded: boolean }).notReloaded = true
    })
    await env.server.restart(1500)
    await expect.poll(() => observer.page.locator('.reconnected').count(), { timeout: 30_000 }).toBe(1)
    expect(await observer.page.locator('.reconnected').innerText()).toBe('Reconnected: you are up to date.')
    // Caught up: the chair's next step after the restart reaches the same page.
    const before = await currentTitle(observer.page)
    const chair = await newPerson(env.browser)
    await joinThroughLink(chair.page, env.server.link('Chair'), 'Mark Forman, phone')
    await chair.page.getByRole('button', { name: /^(Start|Next item): / }).click()
    await expect.poll(() => currentTitle(observer.page)).not.toBe(before)
    expect(
      await observer.page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
    ).toBe(true)
  }, 120_000)
})
