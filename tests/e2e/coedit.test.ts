// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), not the DOM property
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { briefText, joinThroughLink, newPerson, screenshotPath, useServerAndBrowser } from './harness.ts'

const connectionState = (page: Page) => page.locator('.connection').getAttribute('data-state')

/** Puts the caret at the end of a one-line block (End goes to the end of the visual line). */
const caretAtEndOf = async (page: Page, selector: string) => {
  await page.locator(`.brief-content ${selector}`).click()
  await page.keyboard.press('End')
}

describe('issue 2: delegates co-edit the demo brief live', () => {
  const env = useServerAndBrowser()

  it('opening the brief writes nothing to it: an observer stays “all changes saved”', async () => {
    // The demo brief ends with a heading: an editor that "fixes" that (a trailing paragraph)
    // would write on open, and an observer's dropped write would never be saved.
    const observer = await newPerson(env.browser)
    await joinThroughLink(observer.page, env.server.link('Observer'), 'Olga Observer')
    await expect.poll(() => connectionState(observer.page)).toBe('connected')
    await observer.page.waitForTimeout(1000)
    expect(await connectionState(observer.page)).toBe('connected')
    expect(
      await observer.page
        .locator('.brief-content > *')
        .last()
        .evaluate((el) => el.tagName),
    ).toBe('H2')
    await observer.context.close()
  })

  it('two delegates see each other’s text and named carets, undo only their own edits, and offline edits merge', async () => {
    const amelie = await newPerson(env.browser)
    const bob = await newPerson(env.browser)
    await joinThroughLink(amelie.page, env.server.link('France'), 'Amélie Dupont')
    await joinThroughLink(bob.page, env.server.link('Canada'), 'Bob Tremblay')
    // The invitation token is gone from the address bar once joined.
    expect(amelie.page.url()).toBe(`${env.server.url}/m/${env.server.meetingId}`)

    await expect.poll(() => connectionState(amelie.page)).toBe('connected')
    await expect.poll(() => connectionState(bob.page)).toBe('connected')
    // Nothing of Amélie's to undo yet.
    expect(await amelie.page.getByRole('button', { name: 'Undo' }).getAttribute('aria-disabled')).toBe('true')

    await caretAtEndOf(amelie.page, 'h2 >> nth=-1')
    await amelie.page.keyboard.type(' Amélie was here.')
    await caretAtEndOf(bob.page, 'h2 >> nth=0')
    await bob.page.keyboard.type(' (Bob agrees)')

    for (const page of [amelie.page, bob.page]) {
      await expect.poll(() => briefText(page)).toContain('Amélie was here.')
      await expect.poll(() => briefText(page)).toContain('(Bob agrees)')
    }
    // Each sees the other's caret, labelled with the other's name and delegation (as the server
    // stamped them into presence).
    await expect
      .poll(() => amelie.page.locator('.collaboration-carets__label').allInnerTexts())
      .toContain('Bob Tremblay · Canada')
    await expect
      .poll(() => bob.page.locator('.collaboration-carets__label').allInnerTexts())
      .toContain('Amélie Dupont · France')
    // …and both in the presence list, online.
    await expect
      .poll(() => amelie.page.locator('.presence-list .online').allInnerTexts())
      .toEqual(expect.arrayContaining([expect.stringContaining('Bob Tremblay')]))
    await expect.poll(() => connectionState(amelie.page)).toBe('connected')

    await amelie.page.screenshot({ path: screenshotPath('coedit-amelie.png'), fullPage: true })
    await bob.page.screenshot({ path: screenshotPath('coedit-bob.png'), fullPage: true })

    // Undo removes Amélie's words and leaves Bob's.
    await amelie.page.locator('.brief-content').focus()
    await amelie.page.keyboard.press('Control+z')
    await expect.poll(() => briefText(bob.page)).not.toContain('Amélie was here.')
    expect(await briefText(bob.page)).toContain('(Bob agrees)')
    expect(await briefText(amelie.page)).toContain('(Bob agrees)')

    // Priority areas: Bob proposes one, Amélie edits it inline, both see the result.
    await bob.page.getByRole('tab', { name: 'Priority areas' }).click()
    await amelie.page.getByRole('tab', { name: 'Priority areas' }).click()
    await bob.page.getByLabel('Title', { exact: true }).fill('Open data')
    await bob.page.getByLabel('Description', { exact: true }).fill('Publish what government knows.')
    await bob.page.getByRole('button', { name: 'Propose', exact: true }).click()
    const openData = amelie.page.locator('.priority', { hasText: 'Open data' })
    await expect.poll(() => openData.innerText()).toContain('Proposed by Bob Tremblay')
    await amelie.page.getByRole('button', { name: 'Edit “Open data”' }).click()
    await amelie.page.getByLabel('Title', { exact: true }).first().fill('Open government data')
    // The fields are live (no save): Done closes them.
    await amelie.page.getByRole('button', { name: /^Done editing/ }).click()
    await expect
      .poll(() => bob.page.locator('.priority h3').allInnerTexts())
      .toEqual(expect.arrayContaining([expect.stringContaining('Open government data')]))
    await bob.page.getByRole('tab', { name: 'Brief' }).click()
    await amelie.page.getByRole('tab', { name: 'Brief' }).click()
    await amelie.page.locator('.brief-content').waitFor()

    // Offline: the header says so and keeps the edit; back online it reaches Bob.
    await amelie.context.setOffline(true)
    await expect.poll(() => connectionState(amelie.page)).toBe('offline')
    await caretAtEndOf(amelie.page, 'h2 >> nth=-1')
    await amelie.page.keyboard.type(' Written offline.')
    await expect
      .poll(() => amelie.page.locator('.connection').innerText())
      .toMatch(/unsaved changes will be sent/)
    await amelie.page.screenshot({ path: screenshotPath('coedit-offline.png') })
    expect(await briefText(bob.page)).not.toContain('Written offline.')
    await amelie.context.setOffline(false)
    await expect.poll(() => briefText(bob.page), { timeout: 20_000 }).toContain('Written offline.')
    await expect.poll(() => connectionState(amelie.page), { timeout: 20_000 }).toBe('connected')
  })

  it('an edit made while the server restarts is kept, shown as unsaved, and reaches the others', async () => {
    const writer = await newPerson(env.browser)
    const reader = await newPerson(env.browser)
    await joinThroughLink(writer.page, env.server.link('Korea'), 'Kim Writer')
    await joinThroughLink(reader.page, env.server.link('Mexico'), 'Rosa Reader')
    await expect.poll(() => connectionState(writer.page)).toBe('connected')

    const restarting = env.server.restart(4000)
    await expect.poll(() => connectionState(writer.page)).toBe('reconnecting')
    await caretAtEndOf(writer.page, 'h1')
    await writer.page.keyboard.type(' (draft 2)')
    await expect
      .poll(() => writer.page.locator('.connection').innerText())
      .toBe('Reconnecting · unsaved changes are kept and will be sent')
    await writer.page.screenshot({ path: screenshotPath('restart-reconnecting.png') })
    await restarting

    await expect
      .poll(() => briefText(reader.page), { timeout: 20_000 })
      .toContain('Tips for Leaders (draft 2)')
    await expect.poll(() => connectionState(writer.page), { timeout: 20_000 }).toBe('connected')
    await writer.context.close()
    await reader.context.close()
  })
})
