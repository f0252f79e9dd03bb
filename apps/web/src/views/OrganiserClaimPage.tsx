import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ClientError } from '../shared/api/http.ts'
import { navigate, sessionStore } from '../app/stores.ts'
import { AppLink, Layout } from '../shared/ui/Layout.tsx'
import { LoadState } from '../shared/ui/LoadState.tsx'

/** Trades the single-use organiser link for an organiser session, then drops the token from the URL. */
export const OrganiserClaimPage = ({ token }: { token: string }) => {
  const { t } = useTranslation()
  const [error, setError] = useState<ClientError | null>(null)
  const started = useRef(false)
  useEffect(() => {
    // The link works once: a second effect run (React's dev double-invoke) must not spend it twice.
    if (started.current) return
    started.current = true
    void sessionStore
      .getState()
      .claimOrganiser(token)
      .then((ok) => {
        if (ok) navigate('/organise', { replace: true })
        else {
          setError(sessionStore.getState().error)
          window.history.replaceState(null, '', '/organiser')
        }
      })
  }, [token])
  return (
    <Layout>
      <h1>{t('organiser.claimTitle')}</h1>
      {/* Nothing to show on success: the page moves on to /organise. */}
      <LoadState
        error={error}
        loadingText={t('organiser.claiming')}
        failed={
          <>
            <p>{t('organiser.claimFailed')}</p>
            <p>
              <AppLink to="/">{t('common.backHome')}</AppLink>
            </p>
          </>
        }
      />
    </Layout>
  )
}
