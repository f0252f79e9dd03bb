import { lazy, Suspense, useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { Layout } from '../components/Layout.tsx'
import { HomePage } from '../pages/HomePage.tsx'
import { JoinPage } from '../pages/JoinPage.tsx'
import { NotFoundPage } from '../pages/NotFoundPage.tsx'
import { OrganiserClaimPage } from '../pages/OrganiserClaimPage.tsx'
import type { Route } from '../stores/router.ts'
import { useRouter } from './stores.ts'

// The editor and the socket clients load only with the pages that use them: the join page stays light on a phone.
const MeetingPage = lazy(() => import('../pages/MeetingPage.tsx').then((m) => ({ default: m.MeetingPage })))
const OrganisePage = lazy(() =>
  import('../pages/OrganisePage.tsx').then((m) => ({ default: m.OrganisePage })),
)

const Loading = () => {
  const { t } = useTranslation()
  return (
    <Layout>
      <p role="status">{t('common.loading')}</p>
    </Layout>
  )
}

const titleKey = (r: Route): string => `titles.${r.name}`

export const App = () => {
  const route = useRouter((s) => s.route)
  const { t } = useTranslation()
  useEffect(() => {
    document.title = `${t(titleKey(route))} · ${t('app.name')}`
  }, [route, t])
  switch (route.name) {
    case 'home':
      return <HomePage />
    case 'join':
      return <JoinPage token={route.token} />
    case 'meeting':
      return (
        <Suspense fallback={<Loading />}>
          <MeetingPage meetingId={route.meetingId} />
        </Suspense>
      )
    case 'organiserClaim':
      return <OrganiserClaimPage token={route.token} />
    case 'organise':
      return (
        <Suspense fallback={<Loading />}>
          <OrganisePage />
        </Suspense>
      )
    case 'notFound':
      return <NotFoundPage />
    default: {
      const never: never = route
      return never
    }
  }
}
