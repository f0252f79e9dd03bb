import { useTranslation } from 'react-i18next'
import { AppLink, Layout } from '../shared/ui/Layout.tsx'

export const NotFoundPage = () => {
  const { t } = useTranslation()
  return (
    <Layout>
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.text')}</p>
      <p>
        <AppLink to="/">{t('common.backHome')}</AppLink>
      </p>
    </Layout>
  )
}
