import { can, type CommentId, DRAFTING_LIMITS } from '@roundtable/protocol'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useMeeting } from '../../app/meeting-runtime.tsx'
import { useCommand } from '../../app/use-command.ts'
import { formatDateTime } from '../../shared/i18n/index.ts'
import { type Thread, threadsOf } from './drafting-slice.ts'
import type { Anchored } from './use-anchored.ts'
import type { DraftItems } from './drafting-slice.ts'

const ReplyForm = ({ commentId, onDone }: { commentId: CommentId; onDone: () => void }) => {
  const { t } = useTranslation()
  const send = useCommand()
  const [body, setBody] = useState('')
  const id = `reply-${commentId}`
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const r = await send('comment:reply', { commentId, body })
    if (!r.error) {
      setBody('')
      onDone()
    }
  }
  return (
    <form className="reply-form" onSubmit={submit}>
      <label htmlFor={id}>{t('drafting.comments.reply')}</label>
      <textarea
        id={id}
        rows={2}
        required
        maxLength={DRAFTING_LIMITS.comment}
        value={body}
        onChange={(e) => setBody(e.target.value)}
      />
      <div className="row">
        <button type="submit">{t('drafting.comments.sendReply')}</button>
      </div>
    </form>
  )
}

const ThreadView = ({
  thread,
  anchored,
  onShow,
}: {
  thread: Thread
  anchored: Anchored
  onShow: (id: string) => void
}) => {
  const { t, i18n } = useTranslation()
  const send = useCommand()
  const me = useMeeting((s) => s.me)
  const canWrite = me ? can(me.role, 'writeDoc') : false
  const [replying, setReplying] = useState(false)
  const { root, replies } = thread
  const where = anchored.get(root.id)
  const detached = root.detached || where?.resolved.detached === true
  const headingId = `thread-${root.id}`
  return (
    <li
      className={`thread${root.resolved ? ' resolved' : ''}${detached ? ' detached' : ''}`}
      aria-labelledby={headingId}
    >
      <p id={headingId} className="thread-head">
        <strong>{root.authorName}</strong>{' '}
        <span className="hint">{formatDateTime(root.createdAt, i18n.language)}</span>
        {root.resolved ? <span className="draft-badge">{t('drafting.comments.resolved')}</span> : null}
        {detached ? (
          <span className="draft-badge draft-badge-warn">{t('drafting.comments.detached')}</span>
        ) : null}
      </p>
      <blockquote className="quote">
        <span className="visually-hidden">{t('drafting.form.passage')} </span>
        {root.anchor.quote}
      </blockquote>
      <p className="comment-body">{root.body}</p>
      {replies.length > 0 ? (
        <ul className="replies" aria-label={t('drafting.comments.replies', { count: replies.length })}>
          {replies.map((r) => (
            <li key={r.id}>
              <strong>{r.authorName}</strong>{' '}
              <span className="hint">{formatDateTime(r.createdAt, i18n.language)}</span>
              <p className="comment-body">{r.body}</p>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="row">
        {!detached ? (
          <button type="button" onClick={() => onShow(root.id)}>
            {t('drafting.showInText')}
          </button>
        ) : null}
        {canWrite ? (
          <>
            <button type="button" aria-expanded={replying} onClick={() => setReplying((x) => !x)}>
              {t('drafting.comments.reply')}
            </button>
            <button
              type="button"
              onClick={() =>
                void send(root.resolved ? 'comment:reopen' : 'comment:resolve', { commentId: root.id })
              }
            >
              {root.resolved ? t('drafting.comments.reopen') : t('drafting.comments.resolve')}
            </button>
          </>
        ) : null}
      </div>
      {replying ? <ReplyForm commentId={root.id} onDone={() => setReplying(false)} /> : null}
    </li>
  )
}

export const Comments = ({
  items,
  anchored,
  onShow,
}: {
  items: DraftItems
  anchored: Anchored
  onShow: (id: string) => void
}) => {
  const { t } = useTranslation()
  const [showResolved, setShowResolved] = useState(false)
  const threads = threadsOf(items.comments)
  const open = threads.filter((x) => !x.root.resolved)
  const shown = showResolved ? threads : open
  return (
    <section className="draft-side-section" aria-labelledby="comments-title">
      <h3 id="comments-title">
        {t('drafting.comments.title')} <span className="count">({open.length})</span>
      </h3>
      <label className="check">
        <input type="checkbox" checked={showResolved} onChange={(e) => setShowResolved(e.target.checked)} />{' '}
        {t('drafting.comments.showResolved', { count: threads.length - open.length })}
      </label>
      {shown.length === 0 ? (
        <p className="hint">{t('drafting.comments.none')}</p>
      ) : (
        <ul className="threads">
          {shown.map((th) => (
            <ThreadView key={th.root.id} thread={th} anchored={anchored} onShow={onShow} />
          ))}
        </ul>
      )}
    </section>
  )
}
