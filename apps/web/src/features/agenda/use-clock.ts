import { useEffect, useState } from 'react'
import { useMeeting } from '../../app/meeting-runtime.tsx'
import { clockOffset } from './clock.ts'

/** Ticks once a second while mounted: every timer on the page reads the same second. */
const useTick = (): number => {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), 1000)
    return () => window.clearInterval(id)
  }, [])
  return now
}

/** The local time of this tick and the server clock's offset from it. */
export const useServerClock = (): { localNow: number; offset: number } => {
  const localNow = useTick()
  const offset = useMeeting((s) => clockOffset(s.clock))
  return { localNow, offset }
}
