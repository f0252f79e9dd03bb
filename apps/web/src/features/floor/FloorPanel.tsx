import { can, type FloorView } from '@roundtable/protocol'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useMeeting } from '../../app/meeting-runtime.tsx'
import { useCommand } from '../../app/use-command.ts'
import { delegationName } from '../access/access-slice.ts'
import { formatDuration } from '../agenda/clock.ts'
import { Field } from '../../shared/ui/Field.tsx'
import { SpeakerNow, useSpeakingSeconds } from './SpeakerNow.tsx'
import { mayRequest, spokenRows } from './timer.ts'

/** Ask for the floor, withdraw, or raise a point of order. */
export const MyRequest = ({ floor }: { floor: FloorView }) => {
  const { t } = useTranslation()
  const command = useCommand()
  const me = useMeeting((s) => s.me)
  if (!me) return null
  if (!mayRequest(me.role, floor)) return <p className="hint">{t('floor.observersClosed')}</p>
  const mine = floor.queue.findIndex((r) => r.participantId === me.id)
  const speaking = floor.speaker?.participantId === me.id
  return (
    <div className="floor-actions">
      {mine >= 0 ? (
        <>
          <p className="queue-mine">{t('floor.yourPlace', { place: mine + 1 })}</p>
          <button
            type="button"
            onClick={() => void command('floor:withdraw', {}, { key: 'floor.withdrawn' })}
          >
            {t('floor.withdraw')}
          </button>
        </>
      ) : (
        <>
          <button
            type="button"
            className="primary"
            disabled={speaking}
            onClick={() => void command('floor:request', {}, { key: 'floor.requested' })}
          >
            {t('floor.request')}
          </button>
          <button
            type="button"
            disabled={speaking}
            onClick={() => void command('floor:pointOfOrder', {}, { key: 'floor.requested' })}
          >
            {t('floor.pointOfOrder')}
          </button>
        </>
      )}
    </div>
  )
}

/** The chair's settings: speaking limit, observers may ask, a delegation may queue twice. */
const FloorConfigForm = ({ floor }: { floor: FloorView }) => {
  const { t } = useTranslation()
  const command = useCommand()
  const [limit, setLimit] = useState(
    floor.config.speakingLimitSeconds ? String(floor.config.speakingLimitSeconds / 60) : '',
  )
  useEffect(
    () => setLimit(floor.config.speakingLimitSeconds ? String(floor.config.speakingLimitSeconds / 60) : ''),
    [floor.config.speakingLimitSeconds],
  )
  return (
    <details className="floor-config">
      <summary>{t('floor.settings')}</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          const minutes = Number(limit)
          void command(
            'floor:configure',
            {
              speakingLimitSeconds:
                limit.trim() && minutes > 0 ? Math.max(10, Math.round(minutes * 60)) : null,
            },
            { key: 'floor.configured' },
          )
        }}
      >
        <Field wrap id="floor-limit" label={t('floor.limit')} hint={t('floor.limitHint')}>
          {(control) => (
            <input
              {...control}
              type="number"
              min={0}
              max={60}
              step={0.5}
              inputMode="decimal"
              value={limit}
              onChange={(e) => setLimit(e.target.value)}
            />
          )}
        </Field>
        <button type="submit">{t('floor.setLimit')}</button>
      </form>
      <label className="check">
        <input
          type="checkbox"
          checked={floor.config.observersMayRequest}
          onChange={(e) => void command('floor:configure', { observersMayRequest: e.target.checked })}
        />
        {t('floor.observersMayRequest')}
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={floor.config.delegationMayQueueTwice}
          onChange={(e) => void command('floor:configure', { delegationMayQueueTwice: e.target.checked })}
        />
        {t('floor.delegationMayQueueTwice')}
      </label>
    </details>
  )
}

/** Speaking time per delegation, for balance: a table whose bars are decoration on its numbers. */
const SpokenTable = ({ floor }: { floor: FloorView }) => {
  const { t } = useTranslation()
  const delegations = useMeeting((s) => s.delegations)
  const participants = useMeeting((s) => s.participants)
  const live = useSpeakingSeconds(floor)
  const rows = spokenRows(floor, live)
  if (rows.length === 0) return null
  const nameOf = (key: string) =>
    delegationName(delegations, key as never) ?? participants.find((p) => p.id === key)?.displayName ?? key
  return (
    <table className="spoken-table">
      <caption>{t('floor.spoken')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('floor.delegation')}</th>
          <th scope="col">{t('floor.time')}</th>
          <th scope="col">
            <span className="visually-hidden">{t('floor.share')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{nameOf(r.key)}</th>
            <td className="num">{formatDuration(r.seconds)}</td>
            <td className="bar" aria-hidden="true">
              <span className="spoken-bar" style={{ width: `${Math.round(r.share * 100)}%` }} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** The speaker queue: who speaks, who waits, and (for the chair) who speaks next. */
export const FloorPanel = ({ compact = false }: { compact?: boolean }) => {
  const { t } = useTranslation()
  const command = useCommand()
  const floor = useMeeting((s) => s.floor)
  const me = useMeeting((s) => s.me)
  const delegations = useMeeting((s) => s.delegations)
  const chair = me ? can(me.role, 'runFloor') : false
  if (!floor) return <p className="hint">{t('common.loading')}</p>
  return (
    <section className="floor" aria-labelledby="floor-title">
      <h2 id="floor-title">{t('floor.title')}</h2>
      <SpeakerNow />
      {chair ? (
        // biome-ignore lint/a11y/useSemanticElements: a labelled group of the chair's buttons
        <div className="floor-chair" role="group" aria-label={t('floor.chairControls')}>
          <button
            type="button"
            className="primary"
            disabled={floor.queue.length === 0}
            onClick={() => void command('floor:next', {})}
          >
            {t('floor.next')}
          </button>
          <button type="button" disabled={!floor.speaker} onClick={() => void command('floor:end', {})}>
            {t('floor.end')}
          </button>
        </div>
      ) : null}
      <MyRequest floor={floor} />
      <h3>{t('floor.queue', { count: floor.queue.length })}</h3>
      {floor.queue.length === 0 ? (
        <p className="hint">{t('floor.queueEmpty')}</p>
      ) : (
        <ol className="floor-queue">
          {floor.queue.map((r, i) => {
            const delegation = delegationName(delegations, r.delegationId)
            return (
              <li key={r.id}>
                <span className="queue-pos" aria-hidden="true">
                  {i + 1}
                </span>
                <span className="queue-name">
                  {r.name}
                  {delegation ? ` · ${delegation}` : ''}
                  {r.pointOfOrder ? <strong> · {t('floor.pointOfOrderTag')}</strong> : null}
                  {r.participantId === me?.id ? <span className="hint"> {t('presence.you')}</span> : null}
                </span>
                {chair ? (
                  <button
                    type="button"
                    onClick={() => void command('floor:grant', { requestId: r.id })}
                    aria-label={t('floor.grantTo', { name: r.name })}
                  >
                    {t('floor.grant')}
                  </button>
                ) : null}
              </li>
            )
          })}
        </ol>
      )}
      {chair ? <FloorConfigForm floor={floor} /> : null}
      {chair && !compact ? <SpokenTable floor={floor} /> : null}
      {chair && compact ? (
        <details>
          <summary>{t('floor.spoken')}</summary>
          <SpokenTable floor={floor} />
        </details>
      ) : null}
    </section>
  )
}
