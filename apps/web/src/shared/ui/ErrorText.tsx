import { useTranslation } from 'react-i18next'
import type { ClientError } from '../api/http.ts'

/** The translated sentence for an error code (the server's English message is only a fallback). */
export const useErrorText = () => {
  const { t, i18n } = useTranslation()
  return (e: ClientError): string => {
    const key = `errors.${e.code}`
    return i18n.exists(key) ? t(key) : e.message
  }
}

/** An error in a live region, read out when it appears. */
export const ErrorMessage = ({ error, id }: { error: ClientError | null; id?: string }) => {
  const text = useErrorText()
  return (
    <p id={id} className="error" role="alert">
      {error ? text(error) : null}
    </p>
  )
}
