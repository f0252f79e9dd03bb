import { lazy, Suspense, useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { Layout } from '../shared/ui/Layout.tsx'
import { Loading } from '../shared/ui/LoadState.tsx'
import { HomePage } from '../views/HomePage.tsx'
import { JoinPage } from '../views/JoinPage.tsx'
import { NotFoundPage } from '../views/NotFoundPage.tsx'
import { OrganiserClaimPage } from '../views/OrganiserClaimPage.tsx'
import type { Route } from './router.ts'
import { useRouter } from './stores.ts'

// The editor and the socket clients load only with the pages that use them: the join page stays light on a phone.
const MeetingPage = lazy(() => import('../views/MeetingPage.tsx').then((m) => ({ default: m.MeetingPage })))
const FollowPage = lazy(() => import('../views/FollowPage.tsx').then((m) => ({ default: m.FollowPage })))
const ProjectorPage = lazy(() =>
  import('../views/ProjectorPage.tsx').then((m) => ({ default: m.ProjectorPage })),
)
const OrganisePage = lazy(() =>
  import('../views/OrganisePage.tsx').then((m) => ({ default: m.OrganisePage })),
)

const PageLoading = () => (
  <Layout>
    <Loading />
  </Layout>
)

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
        <Suspense fallback={<PageLoading />}>
          <MeetingPage meetingId={route.meetingId} />
        </Suspense>
      )
    case 'follow':
      return (
        <Suspense fallback={<PageLoading />}>
          <FollowPage meetingId={route.meetingId} />
        </Suspense>
      )
    case 'projector':
      return (
        <Suspense fallback={<PageLoading />}>
          <ProjectorPage meetingId={route.meetingId} />
        </Suspense>
      )
    case 'organiserClaim':
      return <OrganiserClaimPage token={route.token} />
    case 'organise':
      return (
        <Suspense fallback={<PageLoading />}>
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
