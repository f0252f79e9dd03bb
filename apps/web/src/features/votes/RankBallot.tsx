import {
  closestCenter,
  DndContext,
  type DragEndEvent,
  KeyboardSensor,
  PointerSensor,
  TouchSensor,
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
import { useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { moveItem } from './ballot.ts'

interface Option {
  id: string
  label: string
}

const Row = ({
  option,
  index,
  total,
  tied,
  disabled,
  onMove,
  onTie,
  describedBy,
}: {
  describedBy: string
  option: Option
  index: number
  total: number
  tied: boolean
  disabled: boolean
  onMove: (from: number, to: number, focus: 'up' | 'down') => void
  onTie: (tied: boolean) => void
}) => {
  const { t } = useTranslation()
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({
    id: option.id,
    disabled,
  })
  return (
    <li
      ref={setNodeRef}
      data-option={option.id}
      className={isDragging ? 'vote-rank-row dragging' : 'vote-rank-row'}
      style={{ transform: CSS.Transform.toString(transform), transition }}
    >
      <button
        type="button"
        className="vote-rank-handle"
        {...attributes}
        {...listeners}
        aria-label={t('votes.rank.handle', { label: option.label, position: index + 1 })}
        aria-describedby={describedBy}
      >
        <span aria-hidden="true">⠿</span>
      </button>
      <span className="vote-rank-position" aria-hidden="true">
        {tied && index > 0 ? '=' : index + 1}
      </span>
      <span className="vote-rank-label">{option.label}</span>
      <span className="vote-rank-actions">
        {index > 0 ? (
          <label className="vote-rank-tie">
            <input
              type="checkbox"
              checked={tied}
              disabled={disabled}
              onChange={(e) => onTie(e.target.checked)}
            />
            <span>{t('votes.rank.tie')}</span>
            <span className="visually-hidden">{t('votes.rank.tieWith', { label: option.label })}</span>
          </label>
        ) : null}
        <button
          type="button"
          className="icon move-up"
          disabled={disabled || index === 0}
          aria-label={t('votes.rank.up', { label: option.label })}
          title={t('votes.rank.up', { label: option.label })}
          onClick={() => onMove(index, index - 1, 'up')}
        >
          <span aria-hidden="true">↑</span>
        </button>
        <button
          type="button"
          className="icon move-down"
          disabled={disabled || index === total - 1}
          aria-label={t('votes.rank.down', { label: option.label })}
          title={t('votes.rank.down', { label: option.label })}
          onClick={() => onMove(index, index + 1, 'down')}
        >
          <span aria-hidden="true">↓</span>
        </button>
      </span>
    </li>
  )
}

/**
 * A ranking by drag and drop (pointer, touch, or keyboard: Space to lift, arrows, Space to drop)
 * and by move buttons; every move is announced with the option's new place.
 */
export const RankBallot = ({
  options,
  order,
  tiedWithAbove,
  disabled,
  onChange,
}: {
  options: Option[]
  order: string[]
  tiedWithAbove: string[]
  disabled: boolean
  onChange: (order: string[], tiedWithAbove: string[]) => void
}) => {
  const { t } = useTranslation()
  const [said, setSaid] = useState('')
  const instructions = useId()
  const listRef = useRef<HTMLOListElement>(null)
  const refocus = useRef<string | null>(null)
  const labelOf = (id: string | number) => options.find((o) => o.id === id)?.label ?? String(id)
  const placeOf = (id: string | number) => order.indexOf(String(id)) + 1
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    // On a phone a short press-and-hold starts a drag, so scrolling over the list still scrolls.
    useSensor(TouchSensor, { activationConstraint: { delay: 200, tolerance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  )
  // After a button move the row moves in the DOM and the pressed button loses focus: put it back.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the order changes
  useEffect(() => {
    if (!refocus.current || !listRef.current) return
    listRef.current.querySelector<HTMLElement>(refocus.current)?.focus()
    refocus.current = null
  }, [order])

  const move = (from: number, to: number, which: 'up' | 'down') => {
    const next = moveItem(order, from, to)
    if (next.join() === order.join()) return
    const id = order[from]
    const edge = (which === 'up' && to === 0) || (which === 'down' && to === order.length - 1)
    refocus.current = `[data-option="${id}"] .move-${edge ? (which === 'up' ? 'down' : 'up') : which}`
    onChange(next, tiedWithAbove)
    setSaid(t('votes.rank.moved', { label: labelOf(id), position: to + 1, total: order.length }))
  }
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return
    onChange(moveItem(order, order.indexOf(String(active.id)), order.indexOf(String(over.id))), tiedWithAbove)
  }
  const byId = new Map(options.map((o) => [o.id, o]))
  return (
    <div className="vote-rank-ballot">
      <p id={instructions} className="hint vote-rank-instructions">
        {t('votes.rank.instructions')}
      </p>
      <DndContext
        sensors={sensors}
        collisionDetection={closestCenter}
        onDragEnd={onDragEnd}
        accessibility={{
          screenReaderInstructions: { draggable: t('votes.rank.instructions') },
          announcements: {
            onDragStart: ({ active }) =>
              t('votes.rank.picked', { label: labelOf(active.id), position: placeOf(active.id) }),
            onDragOver: ({ active, over }) =>
              over
                ? t('votes.rank.over', { label: labelOf(active.id), position: placeOf(over.id) })
                : undefined,
            onDragEnd: ({ active, over }) =>
              over
                ? t('votes.rank.dropped', { label: labelOf(active.id), position: placeOf(over.id) })
                : undefined,
            onDragCancel: ({ active }) =>
              t('votes.rank.cancelled', { label: labelOf(active.id), position: placeOf(active.id) }),
          },
        }}
      >
        <SortableContext items={order} strategy={verticalListSortingStrategy}>
          <ol ref={listRef} className="vote-rank-list" aria-label={t('votes.rank.listLabel')}>
            {order.map((id, index) => {
              const option = byId.get(id)
              if (!option) return null
              return (
                <Row
                  key={id}
                  option={option}
                  index={index}
                  total={order.length}
                  tied={tiedWithAbove.includes(id)}
                  disabled={disabled}
                  describedBy={instructions}
                  onMove={move}
                  onTie={(tied) =>
                    onChange(order, tied ? [...tiedWithAbove, id] : tiedWithAbove.filter((x) => x !== id))
                  }
                />
              )
            })}
          </ol>
        </SortableContext>
      </DndContext>
      <p className="visually-hidden vote-rank-said" role="status">
        {said}
      </p>
    </div>
  )
}
