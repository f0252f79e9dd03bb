import { addPriority, listPriorities, type PriorityArea, prioritiesArray } from '@roundtable/doc-schema'
import { can, LIMITS } from '@roundtable/protocol'
import { useEffect, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type * as Y from 'yjs'
import { useDoc, useMeeting } from '../../app/meeting-runtime.tsx'

/** The priority areas, re-read whenever anyone changes one. */
const usePriorities = (doc: Y.Doc): PriorityArea[] => {
  const [items, setItems] = useState(() => listPriorities(doc))
  useEffect(() => {
    const arr = prioritiesArray(doc)
    const read = () => setItems(listPriorities(doc))
    read()
    arr.observeDeep(read)
    return () => arr.unobserveDeep(read)
  }, [doc])
  return items
}

/** getRandomValues works on plain-http origins too, where randomUUID does not exist. */
const newPriorityId = () =>
  `p-${Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('')}`

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
      <label htmlFor={`${prefix}-title`}>{t('priorities.titleLabel')}</label>
      <input
        id={`${prefix}-title`}
        type="text"
        required
        maxLength={LIMITS.title}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
      />
      <label htmlFor={`${prefix}-description`}>{t('priorities.descriptionLabel')}</label>
      <textarea
        id={`${prefix}-description`}
        rows={3}
        maxLength={LIMITS.description}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
      />
    </>
  )
}

const PriorityItem = ({
  area,
  index,
  canWrite,
}: {
  area: PriorityArea
  index: number
  canWrite: boolean
}) => {
  const { t } = useTranslation()
  const priorities = useDoc('priorities')
  const [editing, setEditing] = useState(false)
  const [title, setTitle] = useState(area.title)
  const [description, setDescription] = useState(area.description)
  const prefix = useId()
  const save = (e: React.FormEvent) => {
    e.preventDefault()
    const doc = priorities.doc
    const map = prioritiesArray(doc)
      .toArray()
      .find((m) => m.get('id') === area.id)
    if (!map) return
    doc.transact(() => {
      if (title.trim() !== area.title) map.set('title', title.trim())
      if (description.trim() !== area.description) map.set('description', description.trim())
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
    addPriority(priorities.doc, {
      id: newPriorityId(),
      title: title.trim(),
      description: description.trim(),
      proposer: me.displayName,
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
