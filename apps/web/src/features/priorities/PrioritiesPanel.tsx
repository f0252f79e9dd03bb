import { type AreaView, liveAreas, observeAreas, proposeArea, setAreaText } from '@roundtable/doc-schema'
import { can, LIMITS } from '@roundtable/protocol'
import { useEffect, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type * as Y from 'yjs'
import { useDoc, useMeeting } from '../../app/meeting-runtime.tsx'
import { Field } from '../../shared/ui/Field.tsx'

/** The areas on the table (not withdrawn or merged away), re-read whenever anyone changes one. */
const usePriorities = (doc: Y.Doc): AreaView[] => {
  const [items, setItems] = useState(() => liveAreas(doc))
  useEffect(() => {
    setItems(liveAreas(doc))
    return observeAreas(doc, () => setItems(liveAreas(doc)))
  }, [doc])
  return items
}

const PriorityFields = ({
  prefix,
  title,
  description,
  setTitle,
  setDescription,
}: {
  prefix: string
  title: string
  description: string
  setTitle: (s: string) => void
  setDescription: (s: string) => void
}) => {
  const { t } = useTranslation()
  return (
    <>
      <Field id={`${prefix}-title`} label={t('priorities.titleLabel')}>
        {(control) => (
          <input
            {...control}
            type="text"
            required
            maxLength={LIMITS.title}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
          />
        )}
      </Field>
      <Field id={`${prefix}-description`} label={t('priorities.descriptionLabel')}>
        {(control) => (
          <textarea
            {...control}
            rows={3}
            maxLength={LIMITS.description}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        )}
      </Field>
    </>
  )
}

const PriorityItem = ({ area, index, canWrite }: { area: AreaView; index: number; canWrite: boolean }) => {
  const { t } = useTranslation()
  const priorities = useDoc('priorities')
  const me = useMeeting((s) => s.me)
  const [editing, setEditing] = useState(false)
  const [title, setTitle] = useState(area.title)
  const [description, setDescription] = useState(area.description)
  const prefix = useId()
  const save = (e: React.FormEvent) => {
    e.preventDefault()
    const doc = priorities.doc
    const editedBy = me?.displayName ?? ''
    // One update for both fields; each is spliced, not overwritten, so a concurrent edit survives.
    doc.transact(() => {
      setAreaText(doc, area.id, 'title', title.trim(), editedBy)
      setAreaText(doc, area.id, 'description', description.trim(), editedBy)
    })
    setEditing(false)
  }
  // A role change to observer closes an open form: its save would be dropped.
  if (editing && canWrite)
    return (
      <li className="priority">
        <form className="form" aria-label={t('priorities.editLabel', { title: area.title })} onSubmit={save}>
          <PriorityFields
            prefix={prefix}
            title={title}
            description={description}
            setTitle={setTitle}
            setDescription={setDescription}
          />
          <div className="row">
            <button type="submit" className="primary" disabled={!title.trim()}>
              {t('common.save')}
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      </li>
    )
  return (
    <li className="priority">
      <h3>
        <span className="priority-number">{index + 1}.</span> {area.title}
      </h3>
      {area.description ? <p>{area.description}</p> : null}
      <p className="hint">{t('priorities.proposer', { name: area.proposer || t('priorities.unknown') })}</p>
      {canWrite ? (
        <button
          type="button"
          aria-label={t('priorities.editLabel', { title: area.title })}
          onClick={() => {
            setTitle(area.title)
            setDescription(area.description)
            setEditing(true)
          }}
        >
          {t('common.edit')}
        </button>
      ) : null}
    </li>
  )
}

export const PrioritiesPanel = () => {
  const { t } = useTranslation()
  const priorities = useDoc('priorities')
  const me = useMeeting((s) => s.me)
  const canWrite = me ? can(me.role, 'writeDoc') : false
  const items = usePriorities(priorities.doc)
  const [title, setTitle] = useState('')
  const [description, setDescription] = useState('')
  const add = (e: React.FormEvent) => {
    e.preventDefault()
    if (!title.trim() || !me) return
    proposeArea(priorities.doc, {
      title: title.trim(),
      description: description.trim(),
      proposer: me.displayName,
      proposerDelegationId: me.delegationId,
      createdBy: me.id,
    })
    setTitle('')
    setDescription('')
  }
  return (
    <section className="priorities" aria-labelledby="priorities-title">
      <h2 id="priorities-title">{t('priorities.title')}</h2>
      {!canWrite ? <p className="readonly-notice">{t('priorities.readOnly')}</p> : null}
      {items.length === 0 ? <p className="hint">{t('priorities.empty')}</p> : null}
      <ul className="priority-list">
        {items.map((a, i) => (
          <PriorityItem key={a.id} area={a} index={i} canWrite={canWrite} />
        ))}
      </ul>
      {canWrite ? (
        <form className="card form" aria-labelledby="priorities-add" onSubmit={add}>
          <h3 id="priorities-add">{t('priorities.add')}</h3>
          <PriorityFields
            prefix="priority-new"
            title={title}
            description={description}
            setTitle={setTitle}
            setDescription={setDescription}
          />
          <button type="submit" className="primary" disabled={!title.trim()}>
            {t('priorities.addButton')}
          </button>
        </form>
      ) : null}
    </section>
  )
}
