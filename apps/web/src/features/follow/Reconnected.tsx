import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useConnection } from '../../app/meeting-runtime.tsx'

/** How long "reconnected" stays up (ms): long enough to be read, then out of the way. */
const SHOWN_MS = 8000

/**
 * Says the connection dropped and, once it is back, that it is back and caught up: the runtime
 * reconnects and re-reads every `*:state` by itself, this only makes it visible.
 */
export const Reconnected = () => {
  const { t } = useTranslation()
  const channel = useConnection((s) => s.channel)
  const was = useRef(channel)
  const lost = useRef(false)
  const [back, setBack] = useState(false)
  useEffect(() => {
    if (channel === 'disconnected') lost.current = true
    if (channel === 'connected' && was.current !== 'connected' && lost.current) {
      lost.current = false
      setBack(true)
      const id = window.setTimeout(() => setBack(false), SHOWN_MS)
      was.current = channel
      return () => window.clearTimeout(id)
    }
    was.current = channel
  }, [channel])
  return (
    <div role="status" className="reconnect-status">
      {channel === 'disconnected' ? <p className="reconnecting">{t('follow.reconnecting')}</p> : null}
      {back && channel === 'connected' ? <p className="reconnected">{t('follow.reconnected')}</p> : null}
    </div>
  )
}
