import { useTranslation } from 'react-i18next'
import { LANGUAGES } from '../i18n/index.ts'

const NATIVE_NAMES = { en: 'English', fr: 'Français' } as const

/** Two buttons, each labelled in its own language so either reader can find theirs. */
export const LanguageSwitch = () => {
  const { t, i18n } = useTranslation()
  return (
    <fieldset className="lang-switch">
      <legend className="visually-hidden">{t('app.language')}</legend>
      {LANGUAGES.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          aria-pressed={i18n.resolvedLanguage === l}
          onClick={() => void i18n.changeLanguage(l)}
        >
          {NATIVE_NAMES[l]}
        </button>
      ))}
    </fieldset>
  )
}
