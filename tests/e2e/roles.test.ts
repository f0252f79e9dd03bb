// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), not the DOM property
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { briefText, joinThroughLink, newPerson, screenshotPath, useServerAndBrowser } from './harness.ts'

/** Creates an invitation in the chair's Invitations tab and returns the link shown once. */
const createInvitation = async (chair: Page, role: 'Delegate' | 'Observer', delegation?: string) => {
  await chair.getByLabel('Role', { exact: true }).selectOption({ label: role })
  if (delegation) await chair.getByLabel('Delegation', { exact: true }).selectOption({ label: delegation })
  const link = chair.getByLabel('Invitation link', { exact: true })
  const previous = (await link.count()) > 0 ? await link.inputValue() : ''
  await chair.getByRole('button', { name: 'Create the link' }).click()
  await expect.poll(async () => ((await link.count()) > 0 ? link.inputValue() : '')).not.toBe(previous)
  const url = await link.inputValue()
  expect(url).toMatch(/\/join\/[A-Za-z0-9_-]+$/)
  return url
}

describe('issue 5: meetings, invitations and roles in the browser', () => {
  const env = useServerAndBrowser()

  it('the organiser creates a meeting; the chair invites; the observer cannot change the brief', async () => {
    // Organiser: the single-use link becomes a session and leaves the address bar.
    const organiser = await newPerson(env.browser)
    expect(env.server.organiserLink).toBeTruthy()
    await organiser.page.goto(env.server.organiserLink!)
    // Opening the link spends nothing: the button does.
    await organiser.page.getByRole('button', { name: 'Sign in as organiser' }).click()
    await organiser.page.waitForURL(`${env.server.url}/organise`)
    await organiser.page.getByLabel('Title').fill('Thematic paper: customer-focused government')
    await organiser.page.getByLabel('Date').fill('2003-11-20')
    await organiser.page.getByLabel('Place').fill('OECD, Paris')
    await organiser.page.getByLabel("Chair's name").fill('Chair of the network')
    await organiser.page.getByRole('button', { name: 'Create the meeting' }).click()
    const chairLinkField = organiser.page.getByLabel("Chair's invitation link")
    await expect.poll(() => chairLinkField.inputValue()).toMatch(/\/join\//)
    const chairLink = await chairLinkField.inputValue()
    await expect
      .poll(() => organiser.page.locator('.meeting-list').innerText())
      .toContain('Thematic paper: customer-focused government')

    // Chair joins and builds the agenda with the keyboard-usable controls.
    const chair = await newPerson(env.browser)
    await chair.page.goto(chairLink)
    await expect.poll(() => chair.page.locator('.facts').innerText()).toContain('Chair')
    await joinThroughLink(chair.page, chairLink, 'Claire Chair')
    const agendaTitles = () => chair.page.locator('.agenda-title').allInnerTexts()
    await chair.page.getByText('Add an agenda item').click()
    for (const title of ['Opening', 'Customer focus']) {
      await chair.page.getByLabel('Title', { exact: true }).fill(title)
      await chair.page.getByRole('button', { name: 'Add the item' }).click()
      await expect.poll(agendaTitles).toContain(title)
    }
    await chair.page.getByRole('button', { name: 'Move “Customer focus” up' }).click()
    await expect.poll(agendaTitles).toEqual(['Customer focus', 'Opening'])
    // Focus stays on the moved item's control.
    await expect
      .poll(() => chair.page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Move “Customer focus” down')
    await chair.page
      .getByRole('group', { name: 'Actions for “Opening”' })
      .getByRole('button', { name: 'Make current' })
      .click()
    await expect
      .poll(() => chair.page.locator('[aria-current="step"] .agenda-title').innerText())
      .toBe('Opening')

    const openingActions = chair.page.getByRole('group', { name: 'Actions for “Opening”' })
    await openingActions.getByRole('button', { name: 'Edit' }).click()
    const editForm = chair.page.getByRole('form', { name: 'Edit “Opening”' })
    await editForm.getByLabel('Duration (minutes)').fill('30')
    await editForm.getByLabel('Kind').selectOption({ label: 'Drafting' })
    await editForm.getByRole('button', { name: 'Save' }).click()
    await expect
      .poll(() => chair.page.locator('.agenda-item', { hasText: 'Opening' }).innerText())
      .toContain('Drafting · 30 minutes')
    await chair.page
      .getByRole('group', { name: 'Actions for “Customer focus”' })
      .getByRole('button', { name: 'Remove' })
      .click()
    await chair.page.getByRole('button', { name: 'Confirm' }).click()
    await expect.poll(agendaTitles).toEqual(['Opening'])

    // The chair adds a delegation and creates delegate and observer links.
    const meetingUrl = chair.page.url()
    expect(meetingUrl).not.toContain('/join/')
    await chair.page.getByRole('tab', { name: 'Invitations' }).click()
    await chair.page.getByLabel('Delegation name (e.g. a country)').fill('Norway')
    await chair.page.getByRole('button', { name: 'Add', exact: true }).click()
    await expect
      .poll(() => chair.page.locator('#invite-delegation option').allInnerTexts())
      .toContain('Norway')
    const delegateLink = await createInvitation(chair.page, 'Delegate', 'Norway')
    const observerLink = await createInvitation(chair.page, 'Observer')
    expect(observerLink).not.toBe(delegateLink)
    await expect.poll(() => chair.page.locator('.invitation-list li').count()).toBeGreaterThanOrEqual(3)

    // A delegate and an observer join through their links.
    const delegate = await newPerson(env.browser)
    const observer = await newPerson(env.browser)
    await joinThroughLink(delegate.page, delegateLink, 'Nils Nordmann')
    await joinThroughLink(observer.page, observerLink, 'Olga Observer')
    expect(await delegate.page.locator('.me').innerText()).toMatch(/Nils Nordmann.*Delegate.*Norway/)

    // Everyone sees the agenda with its current item.
    await expect
      .poll(() => observer.page.locator('[aria-current="step"] .agenda-title').innerText())
      .toBe('Opening')

    // The delegate writes; the observer sees it.
    await delegate.page.locator('.brief-content').click()
    await delegate.page.keyboard.type('Draft by Norway.')
    await expect.poll(() => briefText(observer.page)).toContain('Draft by Norway.')

    // The observer's editor is read-only, says so, and typing changes nothing anywhere.
    await expect(observer.page.locator('.readonly-notice').first().isVisible()).resolves.toBe(true)
    expect(await observer.page.locator('.brief-content').getAttribute('contenteditable')).toBe('false')
    expect(await observer.page.locator('[role="toolbar"]').count()).toBe(0)
    await observer.page.locator('.brief-content').click()
    await observer.page.keyboard.type('Observer was here')
    await observer.page.keyboard.press('Enter')
    // Force a write through the editor API as well, as a modified client could.
    const forced = await observer.page.evaluate(() => {
      const el = document.querySelector('.brief-content') as HTMLElement & {
        editor?: { commands: { insertContent: (s: string) => boolean } }
      }
      return el.editor?.commands.insertContent('Forced by observer') ?? false
    })
    expect(forced).toBe(true)
    // The forced text exists only in the observer's own copy: the server dropped it.
    await expect.poll(() => briefText(observer.page)).toContain('Forced by observer')
    await observer.page.waitForTimeout(1500)
    expect(await briefText(delegate.page)).not.toMatch(/Observer was here|Forced by observer/)
    expect(await briefText(delegate.page)).toContain('Draft by Norway.')
    // A fresh reader sees the server's copy: unchanged too.
    const reader = await newPerson(env.browser)
    const readerLink = await createInvitation(chair.page, 'Delegate', 'Norway')
    await joinThroughLink(reader.page, readerLink, 'Ragna Reader')
    await expect.poll(() => briefText(reader.page)).toContain('Draft by Norway.')
    expect(await briefText(reader.page)).not.toMatch(/Observer was here|Forced by observer/)
    await observer.page.screenshot({ path: screenshotPath('roles-observer.png'), fullPage: true })

    // A refused command is announced, translated, in the alert region.
    await chair.page.getByRole('tab', { name: 'Invitations' }).click()
    await chair.page.getByLabel('Delegation name (e.g. a country)').fill('norway')
    await chair.page.getByRole('button', { name: 'Add', exact: true }).click()
    await expect
      .poll(() => chair.page.locator('.notice-error').innerText())
      .toContain('That conflicts with the current state of the meeting.')
    await chair.page.getByRole('button', { name: 'Français' }).click()
    await chair.page.getByRole('button', { name: 'Ajouter', exact: true }).click()
    await expect
      .poll(() => chair.page.locator('.notice-error').innerText())
      .toContain('Cette action est en conflit avec l’état actuel de la réunion.')
    await chair.page.getByRole('button', { name: 'English' }).click()

    // The chair revokes the observer's link: it no longer opens.
    const observerRow = chair.page.locator('.invitation', { hasText: 'Observer' }).first()
    await observerRow.getByRole('button', { name: 'Revoke' }).click()
    await chair.page.getByRole('button', { name: 'Confirm' }).click()
    await expect.poll(() => observerRow.innerText()).toContain('Revoked')
    const latecomer = await newPerson(env.browser)
    await latecomer.page.goto(observerLink)
    await expect
      .poll(() => latecomer.page.locator('[role="alert"]').first().innerText())
      .toBe('This invitation link has been revoked.')

    // The chair sees everyone in the participants tab and promotes the observer.
    await chair.page.getByRole('tab', { name: 'Participants' }).click()
    await chair.page.getByLabel('Role for Olga Observer').selectOption({ label: 'Delegate' })
    await chair.page.getByLabel('Delegation for Olga Observer').selectOption({ label: 'Norway' })
    await chair.page
      .locator('.participant', { hasText: 'Olga Observer' })
      .getByRole('button', { name: 'Change role' })
      .click()
    await chair.page.getByRole('button', { name: 'Confirm' }).click()
    await expect.poll(() => observer.page.locator('.me').innerText(), { timeout: 5000 }).toMatch(/Delegate/)
    await expect
      .poll(() => observer.page.locator('.brief-content').getAttribute('contenteditable'), { timeout: 5000 })
      .toBe('true')
    await chair.page.screenshot({ path: screenshotPath('roles-chair-participants.png'), fullPage: true })

    // Removing a participant ends their session on their open page.
    await chair.page
      .locator('.participant', { hasText: 'Ragna Reader' })
      .getByRole('button', { name: 'Remove' })
      .click()
    await chair.page.getByRole('button', { name: 'Confirm' }).click()
    await expect
      .poll(() => reader.page.locator('h1').innerText(), { timeout: 5000 })
      .toBe('You have left the meeting')
    await expect
      .poll(() => chair.page.locator('.participant').allInnerTexts())
      .not.toEqual(expect.arrayContaining([expect.stringContaining('Ragna Reader')]))

    // The audit log lists what happened.
    await chair.page.getByRole('tab', { name: 'Audit log' }).click()
    await expect
      .poll(() => chair.page.locator('.audit-table').innerText())
      .toContain('Claire Chair: changed a role')
    expect(await chair.page.getByRole('link', { name: 'Export as CSV' }).getAttribute('href')).toMatch(
      /\/audit\?format=csv$/,
    )
  })
})
