import type { FloorView } from '@roundtable/protocol'
import { useTranslation } from 'react-i18next'
import { useMeeting } from '../../app/meeting-runtime.tsx'
import { delegationName } from '../access/access-slice.ts'
import { formatDuration, secondsSince } from '../agenda/clock.ts'
import { useServerClock } from '../agenda/use-clock.ts'
import { timerState } from './timer.ts'
import './floor.css'

/** Seconds the current speaker has spoken, on the server's clock (0 with nobody speaking). */
export const useSpeakingSeconds = (floor: FloorView | null): number => {
  const { localNow, offset } = useServerClock()
  return floor?.speaker ? secondsSince(floor.speaker.startedAt, localNow, offset) : 0
}

/**
 * Who has the floor and for how long, against the limit. The state is written out ("warning",
 * "over time") and marked, so it does not rest on colour.
 */
export const SpeakerNow = ({ large = false }: { large?: boolean }) => {
  const { t } = useTranslation()
  const floor = useMeeting((s) => s.floor)
  const delegations = useMeeting((s) => s.delegations)
  const seconds = useSpeakingSeconds(floor)
  const speaker = floor?.speaker ?? null
  const cls = large ? 'speaker-now large' : 'speaker-now'
  if (!speaker)
    return (
      <section className={cls} aria-label={t('floor.speaker')}>
        <p className="speaker-none">{t('floor.nobody')}</p>
      </section>
    )
  const state = timerState(seconds, speaker.limitSeconds)
  const delegation = delegationName(delegations, speaker.delegationId)
  const limit = speaker.limitSeconds
  return (
    <section className={`${cls} timer-${state}`} aria-label={t('floor.speaker')}>
      <p className="speaker-label">
        {speaker.pointOfOrder ? t('floor.pointOfOrderSpeaking') : t('floor.hasTheFloor')}
      </p>
      <p className="speaker-name">
        {speaker.name}
        {delegation ? <span className="speaker-delegation"> · {delegation}</span> : null}
      </p>
      <p className="speaker-timer">
        <span className="tabular timer-value">{formatDuration(seconds)}</span>
        {limit !== null ? <span className="timer-limit"> / {formatDuration(limit)}</span> : null}
        {state === 'warning' ? (
          <span className="timer-state">
            <span aria-hidden="true">◔ </span>
            {t('floor.warning', { left: formatDuration(Math.max(0, (limit ?? 0) - seconds)) })}
          </span>
        ) : null}
        {state === 'overrun' ? (
          <span className="timer-state">
            <span aria-hidden="true">⚠ </span>
            {t('floor.overrun', { over: formatDuration(seconds - (limit ?? 0)) })}
          </span>
        ) : null}
      </p>
      {limit !== null ? (
        <div className="timer-bar" aria-hidden="true">
          <span style={{ width: `${Math.min(100, (seconds / limit) * 100)}%` }} />
        </div>
      ) : null}
    </section>
  )
}
