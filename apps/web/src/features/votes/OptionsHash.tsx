import { useTranslation } from 'react-i18next'
import { shortHash } from './ballot.ts'

/** The hash of the rules as opened: 12 hex digits to compare aloud, the whole of it on request. */
export const OptionsHash = ({ hash }: { hash: string | null }) => {
  const { t } = useTranslation()
  if (!hash) return null
  return (
    <details className="options-hash">
      <summary>
        {t('votes.hash.label')} <code title={hash}>{shortHash(hash)}</code>
      </summary>
      <p className="hint">{t('votes.hash.explain')}</p>
      <code className="hash-full">{hash}</code>
    </details>
  )
}
