import { useTranslation } from 'react-i18next'
import { useMeeting } from '../../app/meeting-runtime.tsx'
import { formatDuration, itemClock, secondsSince } from './clock.ts'
import { useServerClock } from './use-clock.ts'
import './timing.css'

const timeOfDay = (iso: string, lng: string) =>
  new Intl.DateTimeFormat(lng, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso))

/**
 * The item under discussion with its clock: started at, time used, time left — or how far it
 * has run over, in words and with a mark, never by colour alone.
 */
export const CurrentItem = ({ large = false }: { large?: boolean }) => {
  const { t, i18n } = useTranslation()
  const agenda = useMeeting((s) => s.agenda)
  const currentItemId = useMeeting((s) => s.currentItemId)
  const startedAt = useMeeting((s) => s.timing?.currentStartedAt ?? null)
  const { localNow, offset } = useServerClock()
  const item = agenda.find((i) => i.id === currentItemId)
  const Heading = large ? 'h1' : 'h2'
  if (!item)
    return (
      <section className={large ? 'current-item large' : 'current-item'} aria-label={t('timing.current')}>
        <Heading className="current-title">{t('timing.noCurrent')}</Heading>
      </section>
    )
  const clock = startedAt ? itemClock(item.durationMinutes, secondsSince(startedAt, localNow, offset)) : null
  return (
    <section
      className={`${large ? 'current-item large' : 'current-item'}${clock?.overrun ? ' overrun' : ''}`}
      aria-label={t('timing.current')}
    >
      <p className="current-kicker">
        <span className="now-badge">{t('timing.now')}</span> {t(`kinds.${item.kind}`)}
      </p>
      <Heading className="current-title">{item.title}</Heading>
      {clock && startedAt ? (
        <dl className="item-clock">
          <div>
            <dt>{t('timing.started')}</dt>
            <dd>{timeOfDay(startedAt, i18n.language)}</dd>
          </div>
          <div>
            <dt>{t('timing.used')}</dt>
            <dd className="tabular">{formatDuration(clock.usedSeconds)}</dd>
          </div>
          <div>
            <dt>{clock.overrun ? t('timing.over') : t('timing.left')}</dt>
            <dd className="tabular">
              {clock.overrun ? <span aria-hidden="true">⚠ +</span> : null}
              {formatDuration(clock.leftSeconds)}
              <span className="hint"> / {t('agenda.minutes', { count: item.durationMinutes })}</span>
            </dd>
          </div>
        </dl>
      ) : (
        <p className="hint">{t('agenda.minutes', { count: item.durationMinutes })}</p>
      )}
    </section>
  )
}
