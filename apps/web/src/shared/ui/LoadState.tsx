import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { ClientError } from '../api/http.ts'
import { ErrorMessage } from './ErrorText.tsx'

/** "Loading…" (or another word for the wait) in a polite status region. */
export const Loading = ({ text }: { text?: string }) => {
  const { t } = useTranslation()
  return <p role="status">{text ?? t('common.loading')}</p>
}

/**
 * Something a page or panel waits for: until `data` arrives, a loading status; on `error`,
 * the translated error (read out at once) and `failed`, what the reader can do next. An error
 * after data arrived (a failed refresh) shows above the data it could not replace.
 */
export const LoadState = <T,>({
  data,
  error,
  loadingText,
  failed,
  children,
}: {
  data?: T | null
  error?: ClientError | null
  loadingText?: string
  failed?: ReactNode
  children?: (data: T) => ReactNode
}) => {
  const ready = data !== null && data !== undefined
  if (error)
    return (
      <>
        <ErrorMessage error={error} />
        {ready ? children?.(data) : failed}
      </>
    )
  if (!ready) return <Loading text={loadingText} />
  return <>{children?.(data)}</>
}
