import { useTranslation } from 'react-i18next'
import { useMeeting } from '../../app/meeting-runtime.tsx'
import './board.css'

/**
 * The banner every screen shows while the chair has frozen the priority list for a vote. The
 * live region is always there, so a freeze that happens while someone reads is announced.
 */
export const FrozenBanner = () => {
  const { t } = useTranslation()
  const frozen = useMeeting((s) => s.board?.frozen === true)
  return (
    <div role="status" className="frozen-region">
      {frozen ? (
        <p className="frozen-banner">
          <span aria-hidden="true" className="frozen-icon">
            ❄
          </span>{' '}
          <strong>{t('board.frozen.title')}</strong> {t('board.frozen.body')}
        </p>
      ) : null}
    </div>
  )
}
