import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { navigate } from '../../app/stores.ts'
import { LanguageSwitch } from './LanguageSwitch.tsx'

/** Skip link, banner with the app name and language switch, then the page's main content. */
export const Layout = ({
  children,
  headerContent,
  wide = false,
}: {
  children: ReactNode
  headerContent?: ReactNode
  wide?: boolean
}) => {
  const { t } = useTranslation()
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipLink')}
      </a>
      <header className="app-header">
        <a
          className="brand"
          href="/"
          onClick={(e) => {
            if (e.metaKey || e.ctrlKey || e.shiftKey) return
            e.preventDefault()
            navigate('/')
          }}
        >
          {t('app.name')}
        </a>
        {headerContent}
        <LanguageSwitch />
      </header>
      <main id="main" tabIndex={-1} className={wide ? 'main main-wide' : 'main'}>
        {children}
      </main>
    </>
  )
}

/** An in-app link that changes the route without reloading the page. */
export const AppLink = ({
  to,
  children,
  className,
}: {
  to: string
  children: ReactNode
  className?: string
}) => (
  <a
    href={to}
    className={className}
    onClick={(e) => {
      if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return
      e.preventDefault()
      navigate(to)
    }}
  >
    {children}
  </a>
)
