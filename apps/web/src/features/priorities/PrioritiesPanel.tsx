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
import { SortableContext, sortableKeyboardCoordinates, verticalListSortingStrategy } from '@dnd-kit/sortable'
import {
  AREA_STATUS,
  type AreaView,
  liveAreas,
  listAreas,
  observeAreas,
  type PriorityId,
} from '@roundtable/doc-schema'
import { CloseCode, can } from '@roundtable/protocol'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type * as Y from 'yjs'
import { useDoc, useMeeting } from '../../app/meeting-runtime.tsx'
import { useCommand } from '../../app/use-command.ts'
import { AreaCard } from './AreaCard.tsx'
import { moveLive } from './order.ts'
import { ProposeForm } from './ProposeForm.tsx'
import { SetAside } from './SetAside.tsx'
import { useEditors } from './use-editors.ts'
import './priorities.css'

/** Every area and the live ones, re-read whenever anyone changes the list. */
const useAreas = (doc: Y.Doc): { all: AreaView[]; live: AreaView[] } => {
  const read = useCallback(() => ({ all: listAreas(doc), live: liveAreas(doc) }), [doc])
  const [areas, setAreas] = useState(read)
  useEffect(() => {
    setAreas(read())
    return observeAreas(doc, () => setAreas(read()))
  }, [doc, read])
  return areas
}

/** Whether the server refused one of our updates as out of shape (4422): the link is closed for good. */
const useShapeRefused = (provider: ReturnType<typeof useDoc>['provider']) => {
  const [refused, setRefused] = useState(false)
  useEffect(() => {
    const onClosed = (event: { code: number }) => {
      if (event.code === CloseCode.DocumentShape) setRefused(true)
    }
    provider.on('closed', onClosed)
    return () => provider.off('closed', onClosed)
  }, [provider])
  return refused
}

/**
 * The room's shared list of priority areas. Title and description are co-edited character by
 * character; the working order is co-edited by drag, keyboard or buttons; the chair merges and
 * withdraws through server commands. While the chair has frozen the list for a vote (the banner
 * above the tabs says so), it is read-only here as on the server.
 */
export const PrioritiesPanel = () => {
  const { t } = useTranslation()
  const priorities = useDoc('priorities')
  const { doc, provider } = priorities
  const me = useMeeting((s) => s.me)
  const frozen = useMeeting((s) => s.board?.frozen === true)
  const notify = useMeeting((s) => s.notify)
  const command = useCommand()
  const refused = useShapeRefused(provider)
  const writer = me ? can(me.role, 'writeDoc') : false
  const canEdit = writer && !frozen && !refused
  const canChair = (me ? can(me.role, 'runBoard') : false) && !frozen && !refused
  const { all, live } = useAreas(doc)
  const editors = useEditors(provider)
  const [said, setSaid] = useState('')
  const byId = useMemo(() => new Map(all.map((a) => [a.id as string, a])), [all])
  const titleOf = useCallback(
    (id: PriorityId | string) => byId.get(id)?.title || t('priorities.untitled'),
    [byId, t],
  )
  const merged = all.filter((a) => a.status === AREA_STATUS.merged && !live.includes(a))
  const withdrawn = all.filter((a) => a.status === AREA_STATUS.withdrawn)

  // Focus after a move or a removal: the same button on the moved area, or a neighbour's.
  const buttons = useRef(new Map<string, HTMLButtonElement>())
  const focusNext = useRef<string[] | null>(null)
  const heading = useRef<HTMLHeadingElement>(null)
  /** `final`: when none of the buttons is there, focus the heading rather than wait for them. */
  const applyFocus = useCallback((final: boolean) => {
    const keys = focusNext.current
    if (!keys) return
    for (const k of keys) {
      const el = buttons.current.get(k)
      if (el?.isConnected && !el.disabled) {
        focusNext.current = null
        return el.focus()
      }
    }
    if (!final) return
    focusNext.current = null
    heading.current?.focus()
  }, [])
  useEffect(() => applyFocus(true))
  /**
   * For the chair's commands: the server's write to the list may come before or after the ack, so
   * focus moves now if the button is there, else after the render that brings it.
   */
  const focusAfterCommand = (keys: string[]) => {
    focusNext.current = keys
    setTimeout(() => applyFocus(false), 0)
  }
  const buttonRef = useCallback((key: string, el: HTMLButtonElement | null) => {
    if (el) buttons.current.set(key, el)
    else buttons.current.delete(key)
  }, [])

  const positionText = (id: PriorityId, list: AreaView[]) => ({
    title: titleOf(id),
    position: list.findIndex((a) => a.id === id) + 1,
    total: list.length,
  })
  const move = (from: number, to: number, via?: 'up' | 'down') => {
    const id = live[from]?.id
    if (!id || !moveLive(doc, live, from, to)) return
    if (via) {
      focusNext.current = [`${id}:${via}`, `${id}:${via === 'up' ? 'down' : 'up'}`]
      // A drag is announced by dnd-kit itself; the buttons announce here.
      setSaid(t('priorities.order.moved', positionText(id, liveAreas(doc))))
    }
  }

  const neighbourKeys = (id: PriorityId) => {
    const i = live.findIndex((a) => a.id === id)
    const n = live[i + 1] ?? live[i - 1]
    return n ? [`${n.id}:edit`] : []
  }
  const mergeArea = async (from: AreaView, into: PriorityId) => {
    const r = await command(
      'board:merge',
      { from: from.id, into },
      { key: 'priorities.merge.done', values: { from: titleOf(from.id), into: titleOf(into) } },
    )
    if (r.error) return false
    focusAfterCommand([`${into}:edit`, ...neighbourKeys(from.id)])
    return true
  }
  const withdrawArea = async (area: AreaView) => {
    const keys = neighbourKeys(area.id)
    const r = await command(
      'board:withdraw',
      { areaId: area.id },
      { key: 'priorities.withdraw.done', values: { title: titleOf(area.id) } },
    )
    if (r.error) return false
    focusAfterCommand(keys)
    return true
  }
  const restoreArea = async (area: AreaView) => {
    const r = await command(
      'board:restore',
      { areaId: area.id },
      { key: 'priorities.restore.done', values: { title: titleOf(area.id) } },
    )
    if (!r.error) focusAfterCommand([`${area.id}:edit`])
  }

  const sensors = useSensors(
    // A handle drags after a small movement, so a tap still clicks. Touch goes through pointer
    // events too: the handle alone has `touch-action: none`, so the page still scrolls elsewhere.
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  )
  const ids = live.map((a) => a.id)
  const at = (id: string | number | undefined) => positionText(String(id) as PriorityId, live)
  const announcements: Announcements = {
    onDragStart: ({ active }) => t('priorities.order.picked', at(active.id)),
    onDragOver: ({ active, over }) =>
      over ? t('priorities.order.over', { ...at(over.id), title: titleOf(String(active.id)) }) : undefined,
    onDragEnd: ({ active, over }) =>
      over ? t('priorities.order.moved', { ...at(over.id), title: titleOf(String(active.id)) }) : undefined,
    onDragCancel: ({ active }) => t('priorities.order.cancelled', at(active.id)),
  }
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return
    move(ids.indexOf(active.id as PriorityId), ids.indexOf(over.id as PriorityId))
  }

  return (
    <section className="priorities" aria-labelledby="priorities-title">
      <h2 id="priorities-title" ref={heading} tabIndex={-1}>
        {t('priorities.title')}
      </h2>
      {refused ? (
        <div className="notice notice-error priority-refused" role="alert">
          <p>{t('priorities.refused')}</p>
          <button type="button" onClick={() => window.location.reload()}>
            {t('priorities.reload')}
          </button>
        </div>
      ) : null}
      {!writer ? <p className="readonly-notice">{t('priorities.readOnly')}</p> : null}
      {writer && frozen ? <p className="readonly-notice">{t('priorities.frozenNote')}</p> : null}
      {live.length === 0 ? (
        <p className="hint">{t('priorities.empty')}</p>
      ) : (
        <p className="hint" id="priorities-order-hint">
          {canEdit ? t('priorities.order.hint') : t('priorities.order.readHint')}
        </p>
      )}
      <DndContext
        sensors={sensors}
        collisionDetection={closestCenter}
        onDragEnd={onDragEnd}
        accessibility={{
          announcements,
          screenReaderInstructions: { draggable: t('priorities.order.instructions') },
        }}
      >
        <SortableContext items={ids} strategy={verticalListSortingStrategy}>
          <ol
            className="priority-list"
            aria-labelledby="priorities-title"
            aria-describedby="priorities-order-hint"
          >
            {live.map((a, i) => (
              <AreaCard
                key={a.id}
                area={a}
                index={i}
                total={live.length}
                titleOf={titleOf}
                others={live.filter((o) => o.id !== a.id)}
                editors={editors}
                canEdit={canEdit}
                canChair={canChair}
                doc={doc}
                provider={provider}
                editedBy={me?.displayName ?? ''}
                onMove={move}
                onMerge={mergeArea}
                onWithdraw={withdrawArea}
                buttonRef={buttonRef}
              />
            ))}
          </ol>
        </SortableContext>
      </DndContext>
      <p className="visually-hidden" aria-live="polite">
        {said}
      </p>
      <SetAside
        kind="merged"
        areas={merged}
        titleOf={titleOf}
        canRestore={canChair}
        onRestore={restoreArea}
      />
      <SetAside
        kind="withdrawn"
        areas={withdrawn}
        titleOf={titleOf}
        canRestore={canChair}
        onRestore={restoreArea}
      />
      {canEdit && me ? (
        <ProposeForm
          doc={doc}
          me={me}
          onProposed={(title) => notify({ kind: 'success', key: 'priorities.proposed', values: { title } })}
        />
      ) : null}
    </section>
  )
}
