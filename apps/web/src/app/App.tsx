import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { HomePage } from '../pages/HomePage.tsx'
import { JoinPage } from '../pages/JoinPage.tsx'
import { MeetingPage } from '../pages/MeetingPage.tsx'
import { NotFoundPage } from '../pages/NotFoundPage.tsx'
import { OrganisePage } from '../pages/OrganisePage.tsx'
import { OrganiserClaimPage } from '../pages/OrganiserClaimPage.tsx'
import type { Route } from '../stores/router.ts'
import { useRouter } from './stores.ts'

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
      return <MeetingPage meetingId={route.meetingId} />
    case 'organiserClaim':
      return <OrganiserClaimPage token={route.token} />
    case 'organise':
      return <OrganisePage />
    case 'notFound':
      return <NotFoundPage />
    default: {
      const never: never = route
      return never
    }
  }
}
