import { AGENDA_KINDS, type AgendaItem, type AgendaKind, can, LIMITS } from '@roundtable/protocol'
import { useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useMeeting } from '../../app/meeting-runtime.tsx'
import { useCommand } from '../../app/use-command.ts'
import { ConfirmButton } from '../../shared/ui/ConfirmButton.tsx'
import { Field } from '../../shared/ui/Field.tsx'
import { TOOL_FOR_KIND } from '../follow/follow.ts'
import { formatClock, planAgenda } from './clock.ts'
import './timing.css'

/** Opens an item and takes everyone to its tool: the item's clock starts on the server. */
export const useOpenItem = () => {
  const command = useCommand()
  return async (item: AgendaItem | null) => {
    const r = await command('agenda:setCurrent', { itemId: item?.id ?? null })
    if (!r.error && item) await command('agenda:focus', { tool: TOOL_FOR_KIND[item.kind] })
    return r
  }
}

/** The meeting's planned start and end (the chair's), from which the items' start times follow. */
const ScheduleForm = ({ startTime, endTime }: { startTime: string | null; endTime: string | null }) => {
  const { t } = useTranslation()
  const command = useCommand()
  const [start, setStart] = useState(startTime ?? '')
  const [end, setEnd] = useState(endTime ?? '')
  useEffect(() => setStart(startTime ?? ''), [startTime])
  useEffect(() => setEnd(endTime ?? ''), [endTime])
  return (
    <form
      className="schedule-form"
      aria-label={t('timing.schedule')}
      onSubmit={(e) => {
        e.preventDefault()
        void command(
          'agenda:schedule',
          { startTime: start || null, endTime: end || null },
          { key: 'timing.scheduled' },
        )
      }}
    >
      <Field wrap id="meeting-start" label={t('timing.meetingStart')}>
        {(control) => (
          <input {...control} type="time" value={start} onChange={(e) => setStart(e.target.value)} />
        )}
      </Field>
      <Field wrap id="meeting-end" label={t('timing.meetingEnd')}>
        {(control) => <input {...control} type="time" value={end} onChange={(e) => setEnd(e.target.value)} />}
      </Field>
      <button type="submit">{t('timing.setSchedule')}</button>
    </form>
  )
}

/** The running total against the meeting's end; an agenda that does not fit says so in words. */
const PlanSummary = ({ plan, endTime }: { plan: ReturnType<typeof planAgenda>; endTime: string | null }) => {
  const { t } = useTranslation()
  const over = plan.overMinutes !== null && plan.overMinutes > 0
  return (
    <p className={over ? 'agenda-plan over' : 'agenda-plan'}>
      {t('timing.total', { count: plan.totalMinutes })}
      {plan.plannedEnd !== null ? ` · ${t('timing.plannedEnd', { time: formatClock(plan.plannedEnd) })}` : ''}
      {endTime ? ` · ${t('timing.meetingEnds', { time: endTime })}` : ''}
      {plan.overMinutes !== null
        ? ` · ${over ? `⚠ ${t('timing.overBy', { count: plan.overMinutes })}` : t('timing.fits', { count: -plan.overMinutes })}`
        : ''}
    </p>
  )
}

interface ItemDraft {
  title: string
  kind: AgendaKind
  duration: string
}

/** The add and edit forms' state, and the command payload it makes. */
const useItemDraft = (initial: ItemDraft) => {
  const [draft, setDraft] = useState(initial)
  const update = (patch: Partial<ItemDraft>) => setDraft((d) => ({ ...d, ...patch }))
  const payload = () => ({
    title: draft.title.trim(),
    kind: draft.kind,
    durationMinutes: Math.max(0, Math.round(Number(draft.duration)) || 0),
  })
  return { draft, update, payload, reset: () => setDraft(initial) }
}

/** Fields shared by the add and edit forms. */
const ItemFields = ({
  idPrefix,
  draft: { title, kind, duration },
  onChange,
}: {
  idPrefix: string
  draft: ItemDraft
  onChange: (patch: Partial<ItemDraft>) => void
}) => {
  const { t } = useTranslation()
  return (
    <>
      <Field id={`${idPrefix}-title`} label={t('agenda.itemTitle')}>
        {(control) => (
          <input
            {...control}
            type="text"
            required
            maxLength={LIMITS.title}
            value={title}
            onChange={(e) => onChange({ title: e.target.value })}
          />
        )}
      </Field>
      <div className="row">
        <Field wrap id={`${idPrefix}-kind`} label={t('agenda.kind')}>
          {(control) => (
            <select
              {...control}
              value={kind}
              onChange={(e) => onChange({ kind: e.target.value as AgendaKind })}
            >
              {AGENDA_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`kinds.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field wrap id={`${idPrefix}-duration`} label={t('agenda.duration')}>
          {(control) => (
            <input
              {...control}
              type="number"
              min={0}
              max={1440}
              inputMode="numeric"
              value={duration}
              onChange={(e) => onChange({ duration: e.target.value })}
            />
          )}
        </Field>
      </div>
    </>
  )
}

const EditItem = ({ item, onDone }: { item: AgendaItem; onDone: () => void }) => {
  const { t } = useTranslation()
  const command = useCommand()
  const { draft, update, payload } = useItemDraft({
    title: item.title,
    kind: item.kind,
    duration: String(item.durationMinutes),
  })
  const prefix = useId()
  return (
    <form
      className="form inline-form"
      aria-label={t('agenda.editItem', { title: item.title })}
      onSubmit={async (e) => {
        e.preventDefault()
        const r = await command('agenda:update', { itemId: item.id, ...payload() })
        if (!r.error) onDone()
      }}
    >
      <ItemFields idPrefix={prefix} draft={draft} onChange={update} />
      <div className="row">
        <button type="submit" className="primary" disabled={!draft.title.trim()}>
          {t('common.save')}
        </button>
        <button type="button" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  )
}

const AddItem = () => {
  const { t } = useTranslation()
  const command = useCommand()
  const { draft, update, payload, reset } = useItemDraft({ title: '', kind: 'discussion', duration: '15' })
  return (
    <details className="add-item">
      <summary>{t('agenda.add')}</summary>
      <form
        className="form"
        aria-label={t('agenda.add')}
        onSubmit={async (e) => {
          e.preventDefault()
          const r = await command('agenda:add', payload(), {
            key: 'agenda.added',
            values: { title: payload().title },
          })
          if (!r.error) reset()
        }}
      >
        <ItemFields idPrefix="agenda-new" draft={draft} onChange={update} />
        <button type="submit" className="primary" disabled={!draft.title.trim()}>
          {t('agenda.addButton')}
        </button>
      </form>
    </details>
  )
}

export const AgendaPanel = () => {
  const { t } = useTranslation()
  const agenda = useMeeting((s) => s.agenda)
  const currentItemId = useMeeting((s) => s.currentItemId)
  const me = useMeeting((s) => s.me)
  const timing = useMeeting((s) => s.timing)
  const command = useCommand()
  const openItem = useOpenItem()
  const plan = planAgenda(agenda, timing?.startTime ?? null, timing?.endTime ?? null)
  const chair = me ? can(me.role, 'changeAgenda') : false
  const [editing, setEditing] = useState<string | null>(null)
  const listRef = useRef<HTMLOListElement>(null)
  // After a move the item's DOM node moves and loses focus; put it back on the same button.
  const refocus = useRef<string | null>(null)
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the server's new order arrives
  useEffect(() => {
    if (!refocus.current || !listRef.current) return
    const el = listRef.current.querySelector<HTMLElement>(refocus.current)
    refocus.current = null
    el?.focus()
  }, [agenda])

  const move = (index: number, delta: -1 | 1, which: 'up' | 'down') => {
    const ids = agenda.map((i) => i.id as string)
    const j = index + delta
    if (j < 0 || j >= ids.length) return
    ;[ids[index], ids[j]] = [ids[j], ids[index]]
    const target = ids[j]
    // At the edge the button in that direction disappears; fall back to the other one.
    const edge = (which === 'up' && j === 0) || (which === 'down' && j === ids.length - 1)
    refocus.current = `[data-item="${target}"] .move-${edge ? (which === 'up' ? 'down' : 'up') : which}`
    void command('agenda:reorder', { itemIds: ids })
  }

  return (
    <nav className="agenda" aria-labelledby="agenda-title">
      <h2 id="agenda-title">{t('agenda.title')}</h2>
      {agenda.length === 0 ? <p className="hint">{t('agenda.empty')}</p> : null}
      {agenda.length > 0 ? <PlanSummary plan={plan} endTime={timing?.endTime ?? null} /> : null}
      {chair ? (
        <ScheduleForm startTime={timing?.startTime ?? null} endTime={timing?.endTime ?? null} />
      ) : null}
      <ol ref={listRef} className="agenda-list">
        {agenda.map((item, index) => {
          const current = item.id === currentItemId
          return (
            <li
              key={item.id}
              data-item={item.id}
              className={current ? 'agenda-item current' : 'agenda-item'}
              aria-current={current ? 'step' : undefined}
            >
              {editing === item.id && chair ? (
                <EditItem item={item} onDone={() => setEditing(null)} />
              ) : (
                <>
                  <div className="agenda-text">
                    {current ? <span className="now-badge">{t('agenda.current')}</span> : null}
                    <span className="agenda-title">
                      {plan.starts.get(item.id) != null ? (
                        <span className="agenda-start">{formatClock(plan.starts.get(item.id) ?? 0)}</span>
                      ) : null}
                      {item.title}
                    </span>
                    <span className="hint">
                      {t(`kinds.${item.kind}`)} · {t('agenda.minutes', { count: item.durationMinutes })}
                    </span>
                  </div>
                  {chair ? (
                    // biome-ignore lint/a11y/useSemanticElements: a labelled group of buttons for one item
                    <div
                      className="agenda-actions"
                      role="group"
                      aria-label={t('agenda.actionsFor', { title: item.title })}
                    >
                      {current ? (
                        <button type="button" onClick={() => void openItem(null)}>
                          {t('agenda.clearCurrent')}
                        </button>
                      ) : (
                        <button type="button" onClick={() => void openItem(item)}>
                          {t('agenda.setCurrent')}
                        </button>
                      )}
                      {index > 0 ? (
                        <button
                          type="button"
                          className="icon move-up"
                          aria-label={t('agenda.moveUp', { title: item.title })}
                          title={t('agenda.moveUp', { title: item.title })}
                          onClick={() => move(index, -1, 'up')}
                        >
                          <span aria-hidden="true">↑</span>
                        </button>
                      ) : null}
                      {index < agenda.length - 1 ? (
                        <button
                          type="button"
                          className="icon move-down"
                          aria-label={t('agenda.moveDown', { title: item.title })}
                          title={t('agenda.moveDown', { title: item.title })}
                          onClick={() => move(index, 1, 'down')}
                        >
                          <span aria-hidden="true">↓</span>
                        </button>
                      ) : null}
                      <button type="button" onClick={() => setEditing(item.id)}>
                        {t('common.edit')}
                      </button>
                      <ConfirmButton
                        label={t('common.remove')}
                        question={t('agenda.confirmRemove', { title: item.title })}
                        onConfirm={async () => {
                          await command('agenda:remove', { itemId: item.id })
                        }}
                      />
                    </div>
                  ) : null}
                </>
              )}
            </li>
          )
        })}
      </ol>
      {chair ? <AddItem /> : null}
    </nav>
  )
}
