import { useSortable } from '@dnd-kit/sortable'
import { CSS } from '@dnd-kit/utilities'
import type { AreaView, PriorityId } from '@roundtable/doc-schema'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type * as Y from 'yjs'
import type { WebsocketProvider } from 'y-websocket'
import { useMeeting } from '../../app/meeting-runtime.tsx'
import { delegationName } from '../access/access-slice.ts'
import { BoundField, EditorBadges } from './AreaFields.tsx'
import { ConfirmAction } from './ConfirmAction.tsx'
import { type Editor, fieldKey } from './editors.ts'

/** "Bob Tremblay (Canada)": the person who proposed, and the delegation the area is from. */
export const useProposerText = () => {
  const { t } = useTranslation()
  const delegations = useMeeting((s) => s.delegations)
  return (area: AreaView) => {
    const delegation = delegationName(delegations, area.proposerDelegationId)
    const name = area.proposer || t('priorities.unknown')
    return delegation && delegation !== name ? t('priorities.proposerWith', { name, delegation }) : name
  }
}

export interface CardProps {
  area: AreaView
  index: number
  total: number
  titleOf: (id: PriorityId) => string
  /** The other live areas, as merge targets. */
  others: AreaView[]
  editors: Map<string, Editor[]>
  /** Delegate or chair, list not frozen, link not refused. */
  canEdit: boolean
  canChair: boolean
  doc: Y.Doc
  provider: WebsocketProvider
  editedBy: string
  onMove: (from: number, to: number, via: 'up' | 'down') => void
  onMerge: (from: AreaView, into: PriorityId) => Promise<boolean>
  onWithdraw: (area: AreaView) => Promise<boolean>
  buttonRef: (key: string, el: HTMLButtonElement | null) => void
}

/** One area on the table: its text (live fields when open), who proposed and edited it, its actions. */
export const AreaCard = (p: CardProps) => {
  const { t } = useTranslation()
  const { area, index, total } = p
  const proposerText = useProposerText()
  const [open, setOpen] = useState(false)
  const [mergeInto, setMergeInto] = useState('')
  const uid = useId()
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } =
    useSortable({
      id: area.id,
      disabled: !p.canEdit,
      attributes: { roleDescription: t('priorities.order.roleDescription') },
    })
  const title = area.title || t('priorities.untitled')
  const titleEditors = p.editors.get(fieldKey(area.id, 'title')) ?? []
  const descriptionEditors = p.editors.get(fieldKey(area.id, 'description')) ?? []
  const anyEditors = [
    ...titleEditors,
    ...descriptionEditors.filter((d) => !titleEditors.some((e) => e.clientId === d.clientId)),
  ]
  const editing = open && p.canEdit
  return (
    <li
      ref={setNodeRef}
      className={`priority${isDragging ? ' dragging' : ''}`}
      style={{ transform: CSS.Translate.toString(transform), transition }}
    >
      <div className="priority-head">
        {p.canEdit ? (
          <button
            type="button"
            className="priority-handle"
            ref={(el) => {
              setActivatorNodeRef(el)
              p.buttonRef(`${area.id}:handle`, el)
            }}
            {...attributes}
            {...listeners}
            aria-label={t('priorities.order.handle', { title, position: index + 1, total })}
          >
            <span aria-hidden="true">⠿</span>
          </button>
        ) : null}
        <h3 className="priority-title">
          <span className="priority-number">{index + 1}.</span> {title}
        </h3>
        {!editing ? <EditorBadges editors={anyEditors} /> : null}
      </div>
      {!editing && area.description ? <p className="priority-description">{area.description}</p> : null}
      <p className="priority-meta">
        <span>{t('priorities.proposer', { name: proposerText(area) })}</span>
        <span>
          {area.lastEditedBy
            ? t('priorities.lastEdited', { name: area.lastEditedBy })
            : t('priorities.notEdited')}
        </span>
        <span className="status-badge status-proposed">{t('priorities.status.proposed')}</span>
      </p>
      {area.absorbed.length > 0 ? (
        <p className="priority-absorbed">
          {t('priorities.absorbed', {
            titles: area.absorbed.map((id) => t('priorities.quoted', { title: p.titleOf(id) })).join(', '),
          })}
        </p>
      ) : null}
      {editing ? (
        <div className="priority-fields" id={`${uid}-fields`}>
          <BoundField
            doc={p.doc}
            provider={p.provider}
            areaId={area.id}
            field="title"
            editedBy={p.editedBy}
            editors={titleEditors}
            disabled={!p.canEdit}
            idPrefix={uid}
          />
          <BoundField
            doc={p.doc}
            provider={p.provider}
            areaId={area.id}
            field="description"
            editedBy={p.editedBy}
            editors={descriptionEditors}
            disabled={!p.canEdit}
            idPrefix={uid}
          />
          <p className="hint">{t('priorities.liveHint')}</p>
        </div>
      ) : null}
      {p.canEdit ? (
        <div className="priority-actions">
          <button
            type="button"
            ref={(el) => p.buttonRef(`${area.id}:edit`, el)}
            aria-expanded={editing}
            aria-controls={editing ? `${uid}-fields` : undefined}
            aria-label={editing ? t('priorities.doneLabel', { title }) : t('priorities.editLabel', { title })}
            onClick={() => setOpen(!open)}
          >
            {editing ? t('priorities.done') : t('common.edit')}
          </button>
          <button
            type="button"
            className="icon"
            ref={(el) => p.buttonRef(`${area.id}:up`, el)}
            disabled={index === 0}
            onClick={() => p.onMove(index, index - 1, 'up')}
          >
            <span aria-hidden="true">↑</span>
            <span className="visually-hidden">{t('priorities.order.up', { title })}</span>
          </button>
          <button
            type="button"
            className="icon"
            ref={(el) => p.buttonRef(`${area.id}:down`, el)}
            disabled={index === total - 1}
            onClick={() => p.onMove(index, index + 1, 'down')}
          >
            <span aria-hidden="true">↓</span>
            <span className="visually-hidden">{t('priorities.order.down', { title })}</span>
          </button>
          {p.canChair && p.others.length > 0 ? (
            <ConfirmAction
              label={t('priorities.merge.open')}
              hiddenLabel={t('priorities.quoted', { title })}
              question={t('priorities.merge.question', { title })}
              confirmLabel={t('priorities.merge.confirm')}
              canConfirm={mergeInto !== ''}
              onConfirm={() => p.onMerge(area, mergeInto as PriorityId)}
            >
              <label className="visually-hidden" htmlFor={`${uid}-into`}>
                {t('priorities.merge.into', { title })}
              </label>
              <select id={`${uid}-into`} value={mergeInto} onChange={(e) => setMergeInto(e.target.value)}>
                <option value="">{t('priorities.merge.choose')}</option>
                {p.others.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.title || t('priorities.untitled')}
                  </option>
                ))}
              </select>
            </ConfirmAction>
          ) : null}
          {p.canChair ? (
            <ConfirmAction
              label={t('priorities.withdraw.open')}
              hiddenLabel={t('priorities.quoted', { title })}
              question={t('priorities.withdraw.question', { title })}
              confirmLabel={t('priorities.withdraw.confirm')}
              onConfirm={() => p.onWithdraw(area)}
            />
          ) : null}
        </div>
      ) : null}
    </li>
  )
}
