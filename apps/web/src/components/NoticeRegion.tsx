import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { useMeeting, useRuntime } from '../app/meeting-runtime.tsx'
import { useErrorText } from './ErrorText.tsx'

/** How long a success message stays (ms); errors stay until dismissed or replaced. */
const SUCCESS_MS = 6000

/** The page's one live region for command results. */
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
  return (
    <div
      className={`notice ${notice ? `notice-${notice.kind}` : 'notice-empty'}`}
      aria-live="assertive"
      role="alert"
    >
      {notice ? (
        <>
          <span>{text}</span>
          <button type="button" className="link-button" onClick={() => meeting.getState().clearNotice()}>
            {t('common.dismiss')}
          </button>
        </>
      ) : null}
    </div>
  )
}
