import type { AreaTextField, PriorityId } from '@roundtable/doc-schema'
import { LIMITS } from '@roundtable/protocol'
import { useTranslation } from 'react-i18next'
import type * as Y from 'yjs'
import type { WebsocketProvider } from 'y-websocket'
import { useMeeting } from '../../app/meeting-runtime.tsx'
import { colourFor } from '../presence/colours.ts'
import { WhoLabel } from '../presence/WhoLabel.tsx'
import { presenceLabel } from '../presence/who.ts'
import type { Editor } from './editors.ts'
import { useBoundText } from './use-bound-text.ts'
import { useEditingPresence } from './use-editors.ts'

const MAX: Record<AreaTextField, number> = { title: LIMITS.title, description: LIMITS.description }

/**
 * Small badges for the people editing a field, each with their delegation or role (cut short on a
 * narrow screen, whole in its tooltip); one sentence with the same words for screen readers.
 */
export const EditorBadges = ({ editors, field }: { editors: Editor[]; field?: AreaTextField }) => {
  const { t } = useTranslation()
  const participants = useMeeting((s) => s.participants)
  if (editors.length === 0) return null
  const names = editors.map((e) => presenceLabel(e, t)).join(', ')
  return (
    <span className="editor-badges">
      <span aria-hidden="true">
        {editors.map((e) => (
          <span
            key={e.clientId}
            className="editor-badge"
            title={presenceLabel(e, t)}
            style={{ backgroundColor: colourFor(e.participantId ?? String(e.clientId), participants) }}
          >
            <span aria-hidden="true">✎ </span>
            <WhoLabel who={e} />
          </span>
        ))}
      </span>
      <span className="visually-hidden">
        {field
          ? t('priorities.editing.field', { names, count: editors.length })
          : t('priorities.editing.area', { names, count: editors.length })}
      </span>
    </span>
  )
}

/** One text field of one area, bound live to its Y.Text, with its length and who else is in it. */
export const BoundField = ({
  doc,
  provider,
  areaId,
  field,
  editedBy,
  editors,
  disabled,
  idPrefix,
}: {
  doc: Y.Doc
  provider: WebsocketProvider
  areaId: PriorityId
  field: AreaTextField
  editedBy: string
  editors: Editor[]
  disabled: boolean
  idPrefix: string
}) => {
  const { t } = useTranslation()
  const { ref, length } = useBoundText<HTMLInputElement & HTMLTextAreaElement>(doc, areaId, field, editedBy)
  const presence = useEditingPresence(provider, areaId, field)
  const id = `${idPrefix}-${field}`
  const common = {
    id,
    ref,
    maxLength: MAX[field],
    disabled,
    'aria-describedby': `${id}-count`,
    onFocus: presence.onFocus,
    onBlur: presence.onBlur,
  }
  return (
    <div className="field bound-field">
      <span className="bound-label">
        <label htmlFor={id}>
          {t(field === 'title' ? 'priorities.titleLabel' : 'priorities.descriptionLabel')}
        </label>
        <EditorBadges editors={editors} field={field} />
      </span>
      {field === 'title' ? <input type="text" {...common} /> : <textarea rows={3} {...common} />}
      <span id={`${id}-count`} className="hint char-count">
        {t('priorities.count', { count: length, max: MAX[field] })}
      </span>
    </div>
  )
}
