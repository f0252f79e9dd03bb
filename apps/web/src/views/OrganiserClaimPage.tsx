import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ClientError } from '../shared/api/http.ts'
import { navigate, sessionStore } from '../app/stores.ts'
import { AppLink, Layout } from '../shared/ui/Layout.tsx'
import { ErrorMessage } from '../shared/ui/ErrorText.tsx'

/**
 * Trades the single-use organiser link for an organiser session when the button is pressed, then
 * drops the token from the URL. Not on load: a link preview, a second tab or a reload must not
 * spend it (opening the link twice used to show "not valid").
 */
export const OrganiserClaimPage = ({ token }: { token: string }) => {
  const { t } = useTranslation()
  const [error, setError] = useState<ClientError | null>(null)
  const [busy, setBusy] = useState(false)
  const claim = async () => {
    setBusy(true)
    const ok = await sessionStore.getState().claimOrganiser(token)
    setBusy(false)
    if (ok) navigate('/organise', { replace: true })
    else {
      setError(sessionStore.getState().error)
      window.history.replaceState(null, '', '/organiser')
    }
  }
  return (
    <Layout>
      <h1>{t('organiser.claimTitle')}</h1>
      {error ? (
        <>
          <ErrorMessage id="claim-error" error={error} />
          <p>{t('organiser.claimFailed')}</p>
          <p>
            <AppLink to="/">{t('common.backHome')}</AppLink>
          </p>
        </>
      ) : (
        <>
          <p>{t('organiser.claimExplain')}</p>
          <button type="button" className="primary" disabled={busy} onClick={() => void claim()}>
            {busy ? t('organiser.claiming') : t('organiser.claimButton')}
          </button>
        </>
      )}
    </Layout>
  )
}
