// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), not the DOM property
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { axeViolations, joinThroughLink, newPerson, screenshotPath, useServerAndBrowser } from './harness.ts'

const PHONE = { width: 390, height: 844 }

const switchTo = async (page: Page, lang: 'en' | 'fr') => {
  await page.getByRole('button', { name: lang === 'en' ? 'English' : 'Français' }).click()
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(lang)
}

/** Zero violations, with the details in the failure message when there are some. */
const expectAxeClean = async (page: Page, where: string) => {
  const violations = await axeViolations(page)
  expect(violations, `${where}: ${JSON.stringify(violations, null, 2)}`).toEqual([])
}

/** Nothing wider than the viewport: no sideways scrolling on a phone. */
const horizontalOverflow = (page: Page) =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth
    const wide = [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1 && el.getClientRects().length > 0)
      .filter((el) => !el.closest('.visually-hidden, .skip-link'))
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
    return { scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 10) }
  })

describe('accessibility and small screens', () => {
  const env = useServerAndBrowser()

  it('the join page has no axe violations in English and French, and follows the language', async () => {
    const { page } = await newPerson(env.browser)
    await page.goto(env.server.link('Korea'))
    await page.getByLabel('Your name').waitFor()
    await switchTo(page, 'en')
    await expectAxeClean(page, 'join page (en)')
    await switchTo(page, 'fr')
    await expect.poll(() => page.locator('h1').innerText()).toBe('Rejoindre une réunion')
    await page.getByLabel('Votre nom').waitFor()
    await expectAxeClean(page, 'join page (fr)')
  })

  it('the meeting page has no axe violations for a delegate and for the chair, in English and French', async () => {
    const delegate = await newPerson(env.browser)
    await joinThroughLink(delegate.page, env.server.link('Mexico'), 'María Delegada')
    await switchTo(delegate.page, 'en')
    await expectAxeClean(delegate.page, 'meeting page, delegate (en)')
    await switchTo(delegate.page, 'fr')
    await expect.poll(() => delegate.page.getByRole('tab', { name: 'Note' }).count()).toBe(1)
    await expectAxeClean(delegate.page, 'meeting page, delegate (fr)')
    await delegate.page.getByRole('tab', { name: 'Domaines prioritaires' }).click()
    await expectAxeClean(delegate.page, 'priorities, delegate (fr)')

    const chair = await newPerson(env.browser)
    await joinThroughLink(chair.page, env.server.link('Chair'), 'Mark Forman')
    for (const lang of ['en', 'fr'] as const) {
      await switchTo(chair.page, lang)
      await expectAxeClean(chair.page, `meeting page, chair (${lang})`)
      const tabs = chair.page.getByRole('tab')
      for (let i = 2; i < (await tabs.count()); i++) {
        await tabs.nth(i).click()
        await chair.page.waitForTimeout(300)
        await expectAxeClean(chair.page, `chair tab ${i} (${lang})`)
      }
      await tabs.first().click()
    }
  })

  it('a skip link leads to the main content and the toolbar is reachable by keyboard', async () => {
    const { page } = await newPerson(env.browser)
    await joinThroughLink(page, env.server.link('United Kingdom'), 'Keyboard User')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main')
    // The toolbar is one tab stop; arrows move inside it; a press returns to the text.
    await page.locator('.brief-content p').first().click()
    await page.keyboard.press('Shift+Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Heading 1')
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Italic')
    await page.keyboard.press('Enter')
    // Tiptap's focus() lands on the next animation frame: wait for it rather than race it.
    await expect
      .poll(() => page.getByRole('button', { name: 'Italic' }).getAttribute('aria-pressed'))
      .toBe('true')
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.classList.contains('brief-content')))
      .toBe(true)
    await page.keyboard.type('slanted')
    await expect.poll(() => page.locator('.brief-content em').allInnerTexts()).toContain('slanted')
  })

  it('on a phone-size screen nothing overflows sideways', async () => {
    const person = await newPerson(env.browser, { viewport: PHONE })
    await person.page.goto(env.server.link('United States'))
    await person.page.getByLabel('Your name').waitFor()
    const join = await horizontalOverflow(person.page)
    await person.page.screenshot({ path: screenshotPath('phone-join.png'), fullPage: true })
    expect(join.wide).toEqual([])
    expect(join.scrollWidth).toBeLessThanOrEqual(PHONE.width)

    await joinThroughLink(
      person.page,
      env.server.link('United States'),
      'Phone Delegate with a rather long name',
    )
    await person.page.waitForTimeout(500)
    const meeting = await horizontalOverflow(person.page)
    await person.page.screenshot({ path: screenshotPath('phone-meeting.png'), fullPage: true })
    expect(meeting.wide).toEqual([])
    expect(meeting.scrollWidth).toBeLessThanOrEqual(PHONE.width)

    const chair = await newPerson(env.browser, { viewport: PHONE, locale: 'fr-FR' })
    await joinThroughLink(chair.page, env.server.link('Chair'), 'Présidence')
    await expect.poll(() => chair.page.locator('html').getAttribute('lang')).toBe('fr')
    await chair.page.getByRole('tab', { name: 'Invitations' }).click()
    await chair.page.waitForTimeout(300)
    const invitations = await horizontalOverflow(chair.page)
    await chair.page.screenshot({ path: screenshotPath('phone-chair-invitations-fr.png'), fullPage: true })
    expect(invitations.wide).toEqual([])
  })
})
