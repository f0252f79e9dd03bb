import {
  AMENDMENT_TYPES,
  type AmendmentType,
  type Anchor,
  DRAFTING_LIMITS,
  type DraftId,
} from '@roundtable/protocol'
import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useCommand } from '../../app/use-command.ts'

/** What a toolbar action captured: the passage as it was when the button was pressed. */
export interface Captured {
  anchor: Anchor
  /** Editor positions, to put the selection back when the form closes. */
  from: number
  to: number
}

export type PassageAction = 'comment' | 'amend' | 'bracket'

/**
 * The form a toolbar action opens on the captured passage: a comment, an amendment (replace,
 * insert or delete, with a reason) or bracketed alternatives. Focus moves into it; Escape closes it.
 */
export const PassageForm = ({
  draftId,
  action,
  captured,
  onDone,
}: {
  draftId: DraftId
  action: PassageAction
  captured: Captured
  onDone: (sent: boolean) => void
}) => {
  const { t } = useTranslation()
  const send = useCommand()
  const empty = captured.anchor.quote === ''
  const [type, setType] = useState<AmendmentType>(empty ? 'insert' : 'replace')
  const [body, setBody] = useState('')
  const [newText, setNewText] = useState('')
  const [reason, setReason] = useState('')
  const [alternatives, setAlternatives] = useState(empty ? '' : `${captured.anchor.quote}\n`)
  const [busy, setBusy] = useState(false)
  const first = useRef<HTMLTextAreaElement & HTMLSelectElement>(null)
  useEffect(() => first.current?.focus(), [])

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault()
      onDone(false)
    }
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    const anchor =
      type === 'insert' && action === 'amend' ? { ...captured.anchor, quote: '' } : captured.anchor
    const r =
      action === 'comment'
        ? await send('comment:add', { draftId, anchor, body }, { key: 'drafting.sent.comment' })
        : action === 'amend'
          ? await send(
              'amendment:propose',
              {
                draftId,
                type,
                anchor: type === 'insert' ? { ...anchor, end: anchor.start } : anchor,
                oldText: type === 'insert' ? '' : anchor.quote,
                newText: type === 'delete' ? '' : newText,
                reason,
              },
              { key: 'drafting.sent.amendment' },
            )
          : await send(
              'bracket:open',
              {
                draftId,
                anchor,
                alternatives: alternatives
                  .split('\n')
                  .map((a) => a.trim())
                  .filter(Boolean),
              },
              { key: 'drafting.sent.bracket' },
            )
    setBusy(false)
    if (!r.error) onDone(true)
  }

  const id = `passage-${action}`
  const alternativeCount = alternatives.split('\n').filter((a) => a.trim()).length
  return (
    <form
      className="passage-form card"
      aria-labelledby={`${id}-title`}
      onSubmit={submit}
      onKeyDown={onKeyDown}
    >
      <h3 id={`${id}-title`}>{t(`drafting.form.${action}Title`)}</h3>
      {empty ? (
        <p className="hint">{t('drafting.form.insertionPoint')}</p>
      ) : (
        <blockquote className="quote">
          <span className="visually-hidden">{t('drafting.form.passage')} </span>
          {captured.anchor.quote}
        </blockquote>
      )}
      {action === 'comment' ? (
        <div className="field">
          <label htmlFor={`${id}-body`}>{t('drafting.form.comment')}</label>
          <textarea
            id={`${id}-body`}
            ref={first}
            required
            rows={3}
            maxLength={DRAFTING_LIMITS.comment}
            value={body}
            onChange={(e) => setBody(e.target.value)}
          />
        </div>
      ) : null}
      {action === 'amend' ? (
        <>
          <div className="field">
            <label htmlFor={`${id}-type`}>{t('drafting.form.type')}</label>
            <select
              id={`${id}-type`}
              ref={first}
              value={type}
              onChange={(e) => setType(e.target.value as AmendmentType)}
            >
              {AMENDMENT_TYPES.filter((x) => (empty ? x === 'insert' : true)).map((x) => (
                <option key={x} value={x}>
                  {t(`drafting.amendmentType.${x}`)}
                </option>
              ))}
            </select>
          </div>
          {type !== 'delete' ? (
            <div className="field">
              <label htmlFor={`${id}-new`}>
                {t(type === 'insert' ? 'drafting.form.inserted' : 'drafting.form.newText')}
              </label>
              <textarea
                id={`${id}-new`}
                required
                rows={3}
                maxLength={DRAFTING_LIMITS.passage}
                value={newText}
                onChange={(e) => setNewText(e.target.value)}
              />
            </div>
          ) : null}
          <div className="field">
            <label htmlFor={`${id}-reason`}>{t('drafting.form.reason')}</label>
            <textarea
              id={`${id}-reason`}
              rows={2}
              maxLength={DRAFTING_LIMITS.reason}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </div>
        </>
      ) : null}
      {action === 'bracket' ? (
        <div className="field">
          <label htmlFor={`${id}-alternatives`}>{t('drafting.form.alternatives')}</label>
          <textarea
            id={`${id}-alternatives`}
            ref={first}
            required
            rows={3}
            aria-describedby={`${id}-alternatives-hint`}
            value={alternatives}
            onChange={(e) => setAlternatives(e.target.value)}
          />
          <p id={`${id}-alternatives-hint`} className="hint">
            {t('drafting.form.alternativesHint', { count: alternativeCount })}
          </p>
        </div>
      ) : null}
      <div className="row">
        <button
          type="submit"
          className="primary"
          disabled={busy || (action === 'bracket' && alternativeCount < 2)}
        >
          {t(`drafting.form.${action}Send`)}
        </button>
        <button type="button" onClick={() => onDone(false)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  )
}
