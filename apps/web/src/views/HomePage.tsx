import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { sessionStore, useSession } from '../app/stores.ts'
import { AppLink, Layout } from '../shared/ui/Layout.tsx'

export const HomePage = () => {
  const { t } = useTranslation()
  const status = useSession((s) => s.status)
  const participant = useSession((s) => s.participant)
  const organiser = useSession((s) => s.organiser)
  useEffect(() => {
    if (sessionStore.getState().status === 'unknown') void sessionStore.getState().load()
  }, [])
  return (
    <Layout>
      <h1>{t('home.title')}</h1>
      <p className="lead">{t('home.intro')}</p>
      {status === 'ready' && (participant || organiser) ? (
        <section aria-labelledby="home-session" className="card">
          <h2 id="home-session">{t('home.yourSession')}</h2>
          <ul className="link-list">
            {participant ? (
              <li>
                <AppLink to={`/m/${participant.meetingId}`}>
                  {t('home.openMeeting', { name: participant.displayName })}
                </AppLink>
              </li>
            ) : null}
            {organiser ? (
              <li>
                <AppLink to="/organise">{t('home.openOrganise')}</AppLink>
              </li>
            ) : null}
          </ul>
          <button type="button" onClick={() => void sessionStore.getState().logout()}>
            {t('app.logout')}
          </button>
        </section>
      ) : null}
      <section aria-labelledby="home-how" className="card">
        <h2 id="home-how">{t('home.howTitle')}</h2>
        <ol>
          <li>{t('home.step1')}</li>
          <li>{t('home.step2')}</li>
          <li>{t('home.step3')}</li>
        </ol>
        <p>{t('home.roles')}</p>
        <p>{t('home.organisers')}</p>
      </section>
    </Layout>
  )
}
