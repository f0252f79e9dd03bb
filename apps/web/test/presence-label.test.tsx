import i18next from 'i18next'
import { renderToStaticMarkup } from 'react-dom/server'
import { initReactI18next } from 'react-i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { editorsByField, fieldKey } from '../src/features/priorities/editors.ts'
import { WhoLabel } from '../src/features/presence/WhoLabel.tsx'
import { identityOf, type PresenceIdentity, presenceLabel } from '../src/features/presence/who.ts'
import { translationsFor } from '../src/shared/i18n/index.ts'

beforeAll(async () => {
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: translationsFor('en') }, fr: { translation: translationsFor('fr') } },
    lng: 'en',
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  })
})

const who = (patch: Partial<PresenceIdentity>): PresenceIdentity => ({
  name: 'Ana Silva',
  role: 'delegate',
  delegation: 'Portugal',
  participantId: 'p1',
  ...patch,
})
const en = () => i18next.getFixedT('en')
const fr = () => i18next.getFixedT('fr')

describe('how a live editor names someone', () => {
  it('names a delegate with their delegation', () => {
    expect(presenceLabel(who({}), en())).toBe('Ana Silva · Portugal')
    // A delegation's name is not translated: it is the meeting's own.
    expect(presenceLabel(who({}), fr())).toBe('Ana Silva · Portugal')
  })

  it('names the chair by the role, in the reader’s language, whatever delegation they have', () => {
    expect(presenceLabel(who({ role: 'chair', delegation: null }), en())).toBe('Ana Silva · Chair')
    expect(presenceLabel(who({ role: 'chair', delegation: 'Portugal' }), fr())).toBe(
      'Ana Silva · Président·e',
    )
  })

  it('falls back to the role for a delegate without a delegation, and to the name alone', () => {
    expect(presenceLabel(who({ delegation: null }), en())).toBe('Ana Silva · Delegate')
    expect(presenceLabel(who({ delegation: null }), fr())).toBe('Ana Silva · Délégué·e')
    expect(presenceLabel(who({ role: 'observer', delegation: null }), en())).toBe('Ana Silva · Observer')
    expect(presenceLabel(who({ role: null, delegation: null }), en())).toBe('Ana Silva')
    expect(presenceLabel(who({ name: '', role: 'chair' }), en())).toBe('Chair')
  })

  it('reads the identity from the fields the server stamps, checking each (states come from anyone)', () => {
    expect(
      identityOf({
        user: {
          name: 'Ana Silva',
          role: 'delegate',
          delegation: 'Portugal',
          participantId: 'p1',
          color: '#123456',
        },
      }),
    ).toEqual(who({}))
    expect(identityOf({ user: { name: 7, role: 'president', delegation: ' ', participantId: {} } })).toEqual({
      name: '',
      role: null,
      delegation: null,
      participantId: null,
    })
    expect(identityOf({ user: 'Ana' })).toEqual({
      name: '',
      role: null,
      delegation: null,
      participantId: null,
    })
    expect(identityOf(undefined).name).toBe('')
  })

  it('badges who is editing with their delegation or role', () => {
    const states = new Map<number, Record<string, unknown>>([
      [
        2,
        {
          user: { name: 'Bob', role: 'delegate', delegation: 'Canada' },
          editing: { areaId: 'x', field: 'title' },
        },
      ],
      [
        3,
        { user: { name: 'Chen', role: 'chair', delegation: null }, editing: { areaId: 'x', field: 'title' } },
      ],
    ])
    const labels = editorsByField(states, 1)
      .get(fieldKey('x', 'title'))
      ?.map((e) => presenceLabel(e, en()))
    expect(labels).toEqual(['Bob · Canada', 'Chen · Chair'])
  })

  it('shows the same words as the label, the name in its own part so a narrow screen cuts it first', async () => {
    await i18next.changeLanguage('en')
    expect(
      renderToStaticMarkup(
        <WhoLabel who={who({ name: 'María Delegada con un nombre largo', delegation: 'Mexico' })} />,
      ),
    ).toBe('<span class="who-name">María Delegada con un nombre largo</span> · Mexico')
    await i18next.changeLanguage('fr')
    expect(renderToStaticMarkup(<WhoLabel who={who({ role: 'chair' })} />)).toBe(
      '<span class="who-name">Ana Silva</span> · Président·e',
    )
    expect(renderToStaticMarkup(<WhoLabel who={who({ name: '', role: 'chair' })} />)).toBe('Président·e')
    await i18next.changeLanguage('en')
  })
})
