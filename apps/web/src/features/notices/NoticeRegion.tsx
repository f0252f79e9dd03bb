import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { useMeeting, useRuntime } from '../../app/meeting-runtime.tsx'
import { useErrorText } from '../../shared/ui/ErrorText.tsx'

/** How long a success message stays (ms); errors stay until dismissed or replaced. */
const SUCCESS_MS = 6000

/**
 * Command results, announced: errors in an alert (read at once), confirmations in a polite
 * status region. Both regions are always in the page so screen readers track them.
 */
export const NoticeRegion = () => {
  const { t } = useTranslation()
  const errorText = useErrorText()
  const notice = useMeeting((s) => s.notice)
  const { meeting } = useRuntime()
  useEffect(() => {
    if (notice?.kind !== 'success') return
    const id = setTimeout(() => meeting.getState().clearNotice(), SUCCESS_MS)
    return () => clearTimeout(id)
  }, [notice, meeting])
  const text = notice ? (notice.error ? errorText(notice.error) : t(notice.key ?? '', notice.values)) : ''
  const body = (
    <>
      <span>{text}</span>
      <button type="button" className="link-button" onClick={() => meeting.getState().clearNotice()}>
        {t('common.dismiss')}
      </button>
    </>
  )
  return (
    <>
      <div className={notice?.kind === 'error' ? 'notice notice-error' : 'notice notice-empty'} role="alert">
        {notice?.kind === 'error' ? body : null}
      </div>
      <div
        className={notice?.kind === 'success' ? 'notice notice-success' : 'notice notice-empty'}
        role="status"
      >
        {notice?.kind === 'success' ? body : null}
      </div>
    </>
  )
}
