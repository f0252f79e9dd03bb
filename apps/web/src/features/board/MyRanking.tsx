import {
  type Announcements,
  closestCenter,
  DndContext,
  type DragEndEvent,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
} from '@dnd-kit/core'
import {
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from '@dnd-kit/sortable'
import { CSS } from '@dnd-kit/utilities'
import type { AreaView } from '@roundtable/doc-schema'
import type { BoardRanking, PriorityId } from '@roundtable/protocol'
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useConnection, useMeeting } from '../../app/meeting-runtime.tsx'
import { useCommand } from '../../app/use-command.ts'
import { useErrorText } from '../../shared/ui/ErrorText.tsx'
import { createRankingSaver, holdsEdits, LINK_ERRORS, type SaveStatus } from './ranking-saver.ts'
import {
  entriesToTiers,
  moveEntry,
  placesOf,
  type RankEntry,
  rankLast,
  reconcile,
  setTied,
  tiersToEntries,
  unrank,
} from './ranking.ts'

/** The saver for this screen, its status as React state; a change still waiting is sent on leaving. */
const useRankingSaver = () => {
  const command = useCommand()
  const [status, setStatus] = useState<SaveStatus>({ kind: 'idle' })
  const [saver] = useState(() =>
    createRankingSaver((ranking) => command('board:rank', { ranking }), setStatus),
  )
  useEffect(() => () => saver.flush(), [saver])
  return { status, save: saver.save, retry: saver.retry, dirty: holdsEdits(status) }
}

interface RowProps {
  area: AreaView | undefined
  id: PriorityId
  index: number
  total: number
  entry: RankEntry
  place: { place: number; shared: boolean }
  onMove: (from: number, to: number, via: 'up' | 'down') => void
  onTie: (index: number, tied: boolean) => void
  onUnrank: (id: PriorityId) => void
  buttonRef: (key: string, el: HTMLButtonElement | null) => void
}

const SortableRow = ({
  area,
  id,
  index,
  total,
  entry,
  place,
  onMove,
  onTie,
  onUnrank,
  buttonRef,
}: RowProps) => {
  const { t } = useTranslation()
  const title = area?.title ?? ''
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } =
    useSortable({
      id,
      attributes: { roleDescription: t('board.rank.roleDescription') },
    })
  const tieId = useId()
  return (
    <li
      ref={setNodeRef}
      className={`rank-row${isDragging ? ' dragging' : ''}${entry.tied ? ' tied' : ''}`}
      style={{ transform: CSS.Translate.toString(transform), transition }}
    >
      <span className="rank-place" aria-hidden="true">
        {place.shared ? `=${place.place}` : place.place}
      </span>
      <button
        type="button"
        className="rank-handle"
        ref={(el) => {
          setActivatorNodeRef(el)
          buttonRef(`${id}:handle`, el)
        }}
        {...attributes}
        {...listeners}
        aria-label={t(place.shared ? 'board.rank.handleShared' : 'board.rank.handle', {
          title,
          place: place.place,
        })}
      >
        <span aria-hidden="true">⠿</span>
      </button>
      <span className="rank-title">{title}</span>
      <span className="rank-move">
        <button
          type="button"
          className="icon"
          ref={(el) => buttonRef(`${id}:up`, el)}
          disabled={index === 0}
          onClick={() => onMove(index, index - 1, 'up')}
        >
          <span aria-hidden="true">↑</span>
          <span className="visually-hidden">{t('board.rank.up', { title })}</span>
        </button>
        <button
          type="button"
          className="icon"
          ref={(el) => buttonRef(`${id}:down`, el)}
          disabled={index === total - 1}
          onClick={() => onMove(index, index + 1, 'down')}
        >
          <span aria-hidden="true">↓</span>
          <span className="visually-hidden">{t('board.rank.down', { title })}</span>
        </button>
      </span>
      <span className="rank-extra">
        {index > 0 ? (
          <span className="rank-tie">
            <input
              id={tieId}
              type="checkbox"
              checked={entry.tied}
              onChange={(e) => onTie(index, e.target.checked)}
            />
            <label htmlFor={tieId}>
              {t('board.rank.tied')}
              <span className="visually-hidden"> ({title})</span>
            </label>
          </span>
        ) : (
          <span />
        )}
        <button type="button" className="rank-unrank" onClick={() => onUnrank(id)}>
          {t('board.rank.unrank')}
          <span className="visually-hidden"> {title}</span>
        </button>
      </span>
    </li>
  )
}

/** The person's own ranking: drag, keyboard or buttons; ties; areas left out are "not ranked". */
export const MyRanking = ({ areas }: { areas: AreaView[] }) => {
  const { t } = useTranslation()
  const errorText = useErrorText()
  const saved = useMeeting((s) => s.savedRanking)
  const channel = useConnection((s) => s.channel)
  const { status, save, retry, dirty } = useRankingSaver()
  const [entries, setEntries] = useState<RankEntry[] | null>(null)
  const [said, setSaid] = useState('')
  const byId = useMemo(() => new Map(areas.map((a) => [a.id as string, a])), [areas])
  const live = useMemo(() => areas.map((a) => a.id as unknown as PriorityId), [areas])
  const { ranked, unranked } = useMemo(() => reconcile(entries ?? [], live), [entries, live])
  const titleOf = (id: PriorityId | string) => byId.get(id)?.title ?? ''

  // The saved ranking, on first load and after each reconnect (each read is a new value), unless
  // this screen holds edits the server has not taken yet: those win and are sent again.
  const dirtyNow = useRef(dirty)
  dirtyNow.current = dirty
  const adopted = useRef<BoardRanking | null | undefined>(undefined)
  useEffect(() => {
    if (saved === undefined || saved === adopted.current) return
    adopted.current = saved
    if (!dirtyNow.current) setEntries(tiersToEntries(saved ?? []))
  }, [saved])
  // A ranking lost because the link was down goes again once the link is back (a refusal does not).
  const wasConnected = useRef(channel === 'connected')
  useEffect(() => {
    const back = channel === 'connected' && !wasConnected.current
    wasConnected.current = channel === 'connected'
    if (back && status.kind === 'failed' && LINK_ERRORS.has(status.error.code)) void retry()
  }, [channel, status, retry])

  const buttons = useRef(new Map<string, HTMLButtonElement>())
  const focusNext = useRef<{ key: string; fallback: string } | null>(null)
  useEffect(() => {
    const f = focusNext.current
    if (!f) return
    focusNext.current = null
    const el = buttons.current.get(f.key)
    ;(el && !el.disabled ? el : buttons.current.get(f.fallback))?.focus()
  })
  const buttonRef = useCallback((key: string, el: HTMLButtonElement | null) => {
    if (el) buttons.current.set(key, el)
    else buttons.current.delete(key)
  }, [])

  const change = (next: RankEntry[], announcement: string) => {
    setEntries(next)
    setSaid(announcement)
    save(entriesToTiers(next))
  }
  const position = (id: PriorityId, list: RankEntry[]) => ({
    title: titleOf(id),
    position: list.findIndex((e) => e.id === id) + 1,
    total: list.length,
  })
  const move = (from: number, to: number, via?: 'up' | 'down') => {
    const next = moveEntry(ranked, from, to)
    const id = ranked[from].id
    if (via) focusNext.current = { key: `${id}:${via}`, fallback: `${id}:${via === 'up' ? 'down' : 'up'}` }
    // A drag is announced by dnd-kit itself; buttons announce here.
    change(next, via ? t('board.rank.announce.moved', position(id, next)) : '')
  }
  const tie = (index: number, tied: boolean) => {
    const next = setTied(ranked, index, tied)
    const place = placesOf(next)[index].place
    const title = titleOf(ranked[index].id)
    change(next, t(tied ? 'board.rank.announce.tied' : 'board.rank.announce.untied', { title, place }))
  }
  const remove = (id: PriorityId) => {
    const i = ranked.findIndex((e) => e.id === id)
    const neighbour = ranked[i + 1] ?? ranked[i - 1]
    focusNext.current = neighbour
      ? { key: `${neighbour.id}:handle`, fallback: `${neighbour.id}:up` }
      : { key: `rank:${id}`, fallback: `rank:${id}` }
    change(unrank(ranked, id), t('board.rank.announce.unranked', { title: titleOf(id) }))
  }
  const add = (id: PriorityId) => {
    const next = rankLast(ranked, id)
    focusNext.current = { key: `${id}:up`, fallback: `${id}:down` }
    change(next, t('board.rank.announce.ranked', position(id, next)))
  }
  const addAll = () => {
    const next = unranked.reduce(rankLast, ranked)
    // The button goes away with the last unranked area: focus the first area it ranked.
    const first = unranked[0]
    focusNext.current = { key: `${first}:handle`, fallback: `${first}:up` }
    change(next, t('board.rank.announce.rankedAll', { count: unranked.length }))
  }

  const sensors = useSensors(
    // A handle drags after a small movement, so a tap on a phone still scrolls and clicks.
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  )
  const ids = ranked.map((e) => e.id)
  const at = (id: string | number | undefined) => ({
    title: titleOf(String(id)),
    position: ids.indexOf(String(id) as PriorityId) + 1,
    total: ids.length,
  })
  const announcements: Announcements = {
    onDragStart: ({ active }) => t('board.rank.announce.picked', at(active.id)),
    onDragOver: ({ active, over }) =>
      over ? t('board.rank.announce.over', { ...at(over.id), title: titleOf(String(active.id)) }) : undefined,
    onDragEnd: ({ active, over }) =>
      over
        ? t('board.rank.announce.moved', { ...at(over.id), title: titleOf(String(active.id)) })
        : undefined,
    onDragCancel: ({ active }) => t('board.rank.announce.cancelled', at(active.id)),
  }
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return
    move(ids.indexOf(String(active.id) as PriorityId), ids.indexOf(String(over.id) as PriorityId))
  }
  const places = placesOf(ranked)

  const statusText =
    status.kind === 'saved'
      ? t('board.rank.status.saved')
      : status.kind === 'saving'
        ? t('board.rank.status.saving')
        : status.kind === 'pending'
          ? t('board.rank.status.pending')
          : status.kind === 'failed'
            ? t('board.rank.status.failed', { reason: errorText(status.error) })
            : ''

  if (areas.length === 0)
    return (
      <section className="card board-mine" aria-labelledby="board-mine-title">
        <h3 id="board-mine-title">{t('board.rank.title')}</h3>
        <p className="hint">{t('board.rank.noAreas')}</p>
      </section>
    )
  return (
    <section className="card board-mine" aria-labelledby="board-mine-title">
      <div className="board-mine-head">
        <h3 id="board-mine-title">{t('board.rank.title')}</h3>
        <p className={`save-status save-${status.kind}`} role="status">
          {statusText}
          {status.kind === 'failed' ? (
            <>
              {' '}
              <button type="button" className="link-button" onClick={() => void retry()}>
                {t('board.rank.retry')}
              </button>
            </>
          ) : null}
        </p>
      </div>
      <p className="hint" id="board-mine-hint">
        {t('board.rank.hint')}
      </p>
      {entries === null ? <p className="hint">{t('common.loading')}</p> : null}
      {ranked.length === 0 && entries !== null ? <p className="hint">{t('board.rank.empty')}</p> : null}
      <DndContext
        sensors={sensors}
        collisionDetection={closestCenter}
        onDragEnd={onDragEnd}
        accessibility={{
          announcements,
          screenReaderInstructions: { draggable: t('board.rank.instructions') },
        }}
      >
        <SortableContext items={ids} strategy={verticalListSortingStrategy}>
          <ol className="rank-list" aria-describedby="board-mine-hint">
            {ranked.map((e, i) => (
              <SortableRow
                key={e.id}
                id={e.id}
                area={byId.get(e.id)}
                index={i}
                total={ranked.length}
                entry={e}
                place={places[i]}
                onMove={move}
                onTie={tie}
                onUnrank={remove}
                buttonRef={buttonRef}
              />
            ))}
          </ol>
        </SortableContext>
      </DndContext>
      <h4 id="board-unranked-title">{t('board.rank.unrankedTitle')}</h4>
      {unranked.length === 0 ? (
        <p className="hint">{t('board.rank.unrankedEmpty')}</p>
      ) : (
        <>
          <ul className="unranked-list" aria-labelledby="board-unranked-title">
            {unranked.map((id) => (
              <li key={id} className="unranked-row">
                <span className="rank-title">{titleOf(id)}</span>
                <button type="button" ref={(el) => buttonRef(`rank:${id}`, el)} onClick={() => add(id)}>
                  {t('board.rank.rankThis')}
                  <span className="visually-hidden"> {titleOf(id)}</span>
                </button>
              </li>
            ))}
          </ul>
          {unranked.length > 1 ? (
            <button type="button" onClick={addAll}>
              {t('board.rank.rankAll')}
            </button>
          ) : null}
        </>
      )}
      <p className="visually-hidden" aria-live="polite">
        {said}
      </p>
    </section>
  )
}
