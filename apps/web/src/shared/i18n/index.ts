import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import boardEn from '../../features/board/i18n/en.json'
import boardFr from '../../features/board/i18n/fr.json'
import prioritiesEn from '../../features/priorities/i18n/en.json'
import prioritiesFr from '../../features/priorities/i18n/fr.json'
import draftingEn from '../../features/drafting/i18n/en.json'
import draftingFr from '../../features/drafting/i18n/fr.json'
import votesEn from '../../features/votes/i18n/en.json'
import votesFr from '../../features/votes/i18n/fr.json'
import auditEn from '../../features/audit/i18n/en.json'
import auditFr from '../../features/audit/i18n/fr.json'
import timingEn from '../../features/agenda/i18n/en.json'
import timingFr from '../../features/agenda/i18n/fr.json'
import consoleEn from '../../features/console/i18n/en.json'
import consoleFr from '../../features/console/i18n/fr.json'
import floorEn from '../../features/floor/i18n/en.json'
import floorFr from '../../features/floor/i18n/fr.json'
import followEn from '../../features/follow/i18n/en.json'
import followFr from '../../features/follow/i18n/fr.json'
import en from './en.json'
import fr from './fr.json'

/**
 * Each feature keeps its translations in its own folder; they are merged under a top-level key
 * named after the feature (`t('votes.…')`). One line per feature here.
 */
const FEATURE_TRANSLATIONS: Record<string, { en: object; fr: object }> = {
  timing: { en: timingEn, fr: timingFr },
  auditLog: { en: auditEn, fr: auditFr },
  floor: { en: floorEn, fr: floorFr },
  follow: { en: followEn, fr: followFr },
  console: { en: consoleEn, fr: consoleFr },
  votes: { en: votesEn, fr: votesFr },
  drafting: { en: draftingEn, fr: draftingFr },
  board: { en: boardEn, fr: boardFr },
  priorities: { en: prioritiesEn, fr: prioritiesFr },
}

/** All translations of one language: the shared ones and every feature's. */
export const translationsFor = (lng: 'en' | 'fr'): Record<string, unknown> => ({
  ...(lng === 'en' ? en : fr),
  ...Object.fromEntries(Object.entries(FEATURE_TRANSLATIONS).map(([k, v]) => [k, v[lng]])),
})

export const LANGUAGES = ['en', 'fr'] as const
export type Language = (typeof LANGUAGES)[number]
const STORAGE_KEY = 'roundtable.lang'

const stored = (): Language | null => {
  try {
    const v = localStorage.getItem(STORAGE_KEY)
    return v === 'en' || v === 'fr' ? v : null
  } catch {
    return null
  }
}

/** The saved choice, else the browser's first supported language, else English. */
export const initialLanguage = (): Language => {
  const saved = stored()
  if (saved) return saved
  for (const l of navigator.languages ?? [navigator.language]) {
    const base = l.slice(0, 2).toLowerCase()
    if (base === 'fr' || base === 'en') return base
  }
  return 'en'
}

export const setupI18n = async (lng: Language = initialLanguage()) => {
  i18next.on('languageChanged', (l) => {
    document.documentElement.lang = l
    try {
      localStorage.setItem(STORAGE_KEY, l)
    } catch {
      // private mode: the choice lasts for this page only
    }
  })
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: translationsFor('en') }, fr: { translation: translationsFor('fr') } },
    lng,
    fallbackLng: 'en',
    supportedLngs: LANGUAGES,
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  })
  document.documentElement.lang = lng
  return i18next
}

/** A meeting date (YYYY-MM-DD, a calendar day with no time zone) in the reader's language. */
export const formatDate = (iso: string, lng: string): string => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso)
  if (!m) return iso
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return new Intl.DateTimeFormat(lng, { dateStyle: 'long', timeZone: 'UTC' }).format(d)
}

export const formatDateTime = (iso: string, lng: string): string => {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeStyle: 'short' }).format(d)
}
