import { proposeArea } from '@roundtable/doc-schema'
import { LIMITS } from '@roundtable/protocol'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type * as Y from 'yjs'
import { Field } from '../../shared/ui/Field.tsx'

/**
 * A new area, proposed in the name of the person's delegation (proposer = their name,
 * createdBy = their participant id). Once proposed, its text is co-edited like every other's.
 */
export const ProposeForm = ({
  doc,
  me,
  onProposed,
}: {
  doc: Y.Doc
  me: { id: string; displayName: string; delegationId: string | null }
  onProposed: (title: string) => void
}) => {
  const { t } = useTranslation()
  const [title, setTitle] = useState('')
  const [description, setDescription] = useState('')
  const add = (e: React.FormEvent) => {
    e.preventDefault()
    const clean = title.trim()
    if (!clean) return
    proposeArea(doc, {
      title: clean,
      description: description.trim(),
      proposer: me.displayName,
      proposerDelegationId: me.delegationId,
      createdBy: me.id,
    })
    setTitle('')
    setDescription('')
    onProposed(clean)
  }
  return (
    <form className="card form priority-propose" aria-labelledby="priorities-add" onSubmit={add}>
      <h3 id="priorities-add">{t('priorities.add')}</h3>
      <Field
        id="priority-new-title"
        label={t('priorities.titleLabel')}
        hint={t('priorities.count', { count: title.length, max: LIMITS.title })}
      >
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
      <Field
        id="priority-new-description"
        label={t('priorities.descriptionLabel')}
        hint={t('priorities.count', { count: description.length, max: LIMITS.description })}
      >
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
      <button type="submit" className="primary" disabled={!title.trim()}>
        {t('priorities.addButton')}
      </button>
    </form>
  )
}
