import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { colourFor } from './colours.ts'
import { useDoc, useMeeting } from '../../app/meeting-runtime.tsx'
import { delegationName } from '../access/access-slice.ts'

/** participantId → caret colour, for everyone whose editor is open on the brief right now. */
const useEditingColours = (): Map<string, string> => {
  const brief = useDoc('brief')
  const [colours, setColours] = useState<Map<string, string>>(new Map())
  useEffect(() => {
    const awareness = brief.provider.awareness
    const read = () => {
      const next = new Map<string, string>()
      for (const state of awareness.getStates().values()) {
        const user = state.user as { participantId?: string; color?: string } | undefined
        if (user?.participantId && typeof user.color === 'string') next.set(user.participantId, user.color)
      }
      setColours(next)
    }
    read()
    awareness.on('change', read)
    return () => awareness.off('change', read)
  }, [brief])
  return colours
}

export const PresenceList = () => {
  const { t } = useTranslation()
  const participants = useMeeting((s) => s.participants)
  const delegations = useMeeting((s) => s.delegations)
  const me = useMeeting((s) => s.me)
  const editing = useEditingColours()
  const sorted = [...participants].sort(
    (a, b) => Number(b.online) - Number(a.online) || a.displayName.localeCompare(b.displayName),
  )
  const onlineCount = participants.filter((p) => p.online).length
  return (
    <section className="presence" aria-labelledby="presence-title">
      <h2 id="presence-title">
        {t('presence.title')} <span className="count">{t('presence.count', { count: onlineCount })}</span>
      </h2>
      <ul className="presence-list">
        {sorted.map((p) => {
          const colour = editing.get(p.id) ?? colourFor(p.id, participants)
          const delegation = delegationName(delegations, p.delegationId)
          return (
            <li key={p.id} className={p.online ? 'online' : 'away'}>
              <span className="swatch" style={{ backgroundColor: colour }} aria-hidden="true" />
              <span className="presence-name">
                {p.displayName}
                {p.id === me?.id ? <span className="hint"> {t('presence.you')}</span> : null}
              </span>
              <span className="presence-meta">
                {t(`roles.${p.role}`)}
                {delegation ? ` · ${delegation}` : ''}
                {' · '}
                <span className={p.online ? 'status-online' : 'status-away'}>
                  {p.online ? t('presence.online') : t('presence.away')}
                </span>
                {editing.has(p.id) ? ` · ${t('presence.inBrief')}` : ''}
              </span>
            </li>
          )
        })}
      </ul>
    </section>
  )
}
