import { useTranslation } from 'react-i18next'
import { useConnection } from '../../app/meeting-runtime.tsx'
import { connectionView } from './connection.ts'

/** Always visible; polite so a screen reader hears a change without losing its place. */
export const ConnectionStatus = () => {
  const { t } = useTranslation()
  // A string selector: a fresh object per call would re-render forever.
  const key = useConnection((s) => {
    const view = connectionView(s)
    return view.kind === 'reconnecting' || view.kind === 'offline'
      ? `connection.${view.kind}${view.unsaved ? 'Unsaved' : ''}`
      : `connection.${view.kind}`
  })
  const kind = key.slice('connection.'.length).replace('Unsaved', '')
  return (
    <p className={`connection connection-${kind}`} role="status" aria-live="polite" data-state={kind}>
      <span className="dot" aria-hidden="true" />
      <span>{t(key)}</span>
    </p>
  )
}
