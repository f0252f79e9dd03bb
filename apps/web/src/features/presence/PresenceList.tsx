import { useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useDoc, useMeeting } from '../../app/meeting-runtime.tsx'
import { delegationName } from '../access/access-slice.ts'
import { colourFor } from './colours.ts'
import { groupPeople, recentPeople } from './people.ts'
import './presence.css'

/** No key or pointer for this long counts as away, like a hidden tab (ms). */
const IDLE_MS = 5 * 60_000

/**
 * What everyone's brief awareness carries: the caret colour of those whose editor is open, and
 * an `away` flag that this page sets while its tab is hidden or idle.
 */
const useAwareness = (participantId: string | null) => {
  const brief = useDoc('brief')
  const [colours, setColours] = useState<Map<string, string>>(new Map())
  const [away, setAway] = useState<Set<string>>(new Set())
  useEffect(() => {
    const awareness = brief.provider.awareness
    const read = () => {
      const nextColours = new Map<string, string>()
      const nextAway = new Set<string>()
      for (const state of awareness.getStates().values()) {
        const user = state.user as { participantId?: string; color?: string } | undefined
        if (user?.participantId && typeof user.color === 'string')
          nextColours.set(user.participantId, user.color)
        const presence = state.presence as { participantId?: string; away?: boolean } | undefined
        if (presence?.participantId && presence.away) nextAway.add(presence.participantId)
      }
      setColours(nextColours)
      setAway(nextAway)
    }
    read()
    awareness.on('change', read)
    return () => awareness.off('change', read)
  }, [brief])
  useEffect(() => {
    if (!participantId) return
    const awareness = brief.provider.awareness
    let idle: number | undefined
    let isIdle = false
    const publish = () =>
      awareness.setLocalStateField('presence', { participantId, away: document.hidden || isIdle })
    const active = () => {
      window.clearTimeout(idle)
      if (isIdle) {
        isIdle = false
        publish()
      }
      idle = window.setTimeout(() => {
        isIdle = true
        publish()
      }, IDLE_MS)
    }
    publish()
    active()
    document.addEventListener('visibilitychange', publish)
    for (const ev of ['keydown', 'pointerdown'] as const) window.addEventListener(ev, active)
    return () => {
      window.clearTimeout(idle)
      document.removeEventListener('visibilitychange', publish)
      for (const ev of ['keydown', 'pointerdown'] as const) window.removeEventListener(ev, active)
    }
  }, [brief, participantId])
  return { colours, away }
}

/** When each session was seen to go (ms): someone gone before this page opened has no time. */
const useLeftAt = (participants: { id: string; online: boolean }[]) => {
  const left = useRef(new Map<string, number>())
  const seen = useRef(new Map<string, boolean>())
  for (const p of participants) {
    const was = seen.current.get(p.id)
    if (was === true && !p.online) left.current.set(p.id, Date.now())
    if (p.online) left.current.delete(p.id)
    seen.current.set(p.id, p.online)
  }
  return left.current
}

/** `heading` names this list apart when a page shows it twice (the console and the sidebar). */
export const PresenceList = ({ heading }: { heading?: string } = {}) => {
  const { t } = useTranslation()
  const titleId = useId()
  const participants = useMeeting((s) => s.participants)
  const delegations = useMeeting((s) => s.delegations)
  const me = useMeeting((s) => s.me)
  const { colours, away } = useAwareness(me?.id ?? null)
  const leftAt = useLeftAt(participants)
  const [all, setAll] = useState(false)
  const people = groupPeople(participants, away, leftAt)
  const shown = all ? people : recentPeople(people, Date.now())
  const hidden = people.length - shown.length
  const here = people.filter((p) => p.state === 'online').length
  return (
    <section className="presence" aria-labelledby={titleId}>
      <h2 id={titleId}>
        {heading ?? t('presence.title')} <span className="count">{t('presence.count', { count: here })}</span>
      </h2>
      <ul className="presence-list">
        {shown.map((p) => {
          const first = p.devices[0]
          const colour =
            p.devices.map((d) => colours.get(d.id)).find(Boolean) ?? colourFor(first.id, participants)
          const delegation = delegationName(delegations, p.delegationId)
          const mine = p.devices.some((d) => d.id === me?.id)
          const connected = p.devices.filter((d) => d.online).length
          return (
            <li key={p.key} className={p.state}>
              <span className="swatch" style={{ backgroundColor: colour }} aria-hidden="true" />
              <span className="presence-name">
                {p.name}
                {mine ? <span className="hint"> {t('presence.you')}</span> : null}
              </span>
              <span className="presence-meta">
                {t(`roles.${p.role}`)}
                {delegation ? ` · ${delegation}` : ''}
                {' · '}
                <span className={`status-${p.state}`}>
                  <span aria-hidden="true">
                    {p.state === 'online' ? '● ' : p.state === 'away' ? '◐ ' : '○ '}
                  </span>
                  {t(`presence.${p.state === 'online' ? 'online' : p.state === 'away' ? 'away' : 'left'}`)}
                </span>
                {p.devices.length > 1
                  ? ` · ${t('presence.devices', { count: p.devices.length, connected })}`
                  : ''}
                {p.devices.some((d) => colours.has(d.id)) ? ` · ${t('presence.inBrief')}` : ''}
              </span>
            </li>
          )
        })}
      </ul>
      {hidden > 0 || all ? (
        <button type="button" className="link-button" aria-pressed={all} onClick={() => setAll((v) => !v)}>
          {all ? t('presence.showRecent') : t('presence.showAll', { count: hidden })}
        </button>
      ) : null}
    </section>
  )
}
