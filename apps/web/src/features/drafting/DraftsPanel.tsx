import { can, DRAFT_KINDS, type DraftKind, type DraftView, LIMITS } from '@roundtable/protocol'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useMeeting } from '../../app/meeting-runtime.tsx'
import { useCommand } from '../../app/use-command.ts'
import { delegationName } from '../access/access-slice.ts'
import { DraftWorkspace } from './DraftWorkspace.tsx'
import './drafting.css'

const CreateDraft = ({ onCreated }: { onCreated: (d: DraftView) => void }) => {
  const { t } = useTranslation()
  const send = useCommand()
  const delegations = useMeeting((s) => s.delegations)
  const me = useMeeting((s) => s.me)
  const [title, setTitle] = useState('')
  const [kind, setKind] = useState<DraftKind>('thematic_paper')
  const [delegationId, setDelegationId] = useState('')
  const chosenDelegation = delegationId || me?.delegationId || delegations[0]?.id || ''
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const r = await send(
      'draft:create',
      { title, kind, ...(kind === 'country_report' ? { delegationId: chosenDelegation } : {}) },
      { key: 'drafting.sent.created', values: { title } },
    )
    if (r.data) {
      setTitle('')
      onCreated(r.data.draft)
    }
  }
  return (
    <details className="create-draft-box">
      <summary>{t('drafting.create.title')}</summary>
      <form className="create-draft" onSubmit={submit} aria-label={t('drafting.create.title')}>
        <div className="field">
          <label htmlFor="draft-title">{t('drafting.create.name')}</label>
          <input
            id="draft-title"
            required
            maxLength={LIMITS.title}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="draft-kind">{t('drafting.create.kind')}</label>
          <select id="draft-kind" value={kind} onChange={(e) => setKind(e.target.value as DraftKind)}>
            {DRAFT_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`drafting.kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        {kind === 'country_report' ? (
          <div className="field">
            <label htmlFor="draft-delegation">{t('drafting.create.delegation')}</label>
            <select
              id="draft-delegation"
              value={chosenDelegation}
              onChange={(e) => setDelegationId(e.target.value)}
            >
              {delegations.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <button type="submit" className="primary">
          {t('drafting.create.send')}
        </button>
      </form>
    </details>
  )
}

const Rename = ({ draft, onDone }: { draft: DraftView; onDone: () => void }) => {
  const { t } = useTranslation()
  const send = useCommand()
  const [title, setTitle] = useState(draft.title)
  const id = `rename-${draft.id}`
  return (
    <form
      className="row"
      onSubmit={async (e) => {
        e.preventDefault()
        const r = await send('draft:rename', { draftId: draft.id, title })
        if (!r.error) onDone()
      }}
    >
      <div className="field">
        <label htmlFor={id}>{t('drafting.rename.label')}</label>
        <input
          id={id}
          required
          maxLength={LIMITS.title}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
        />
      </div>
      <button type="submit">{t('drafting.rename.send')}</button>
      <button type="button" onClick={onDone}>
        {t('common.cancel')}
      </button>
    </form>
  )
}

/** The meeting's drafts: the list (brief first), a new draft, and the open one. */
export const DraftsPanel = ({ onOpenVotes }: { onOpenVotes: () => void }) => {
  const { t } = useTranslation()
  const drafts = useMeeting((s) => s.drafts)
  const delegations = useMeeting((s) => s.delegations)
  const me = useMeeting((s) => s.me)
  const canWrite = me ? can(me.role, 'writeDoc') : false
  const [openId, setOpenId] = useState<string>('brief')
  const [renaming, setRenaming] = useState<string | null>(null)
  const current = drafts.find((d) => d.id === openId) ?? drafts[0] ?? null
  return (
    <section className="drafts" aria-labelledby="drafts-title">
      <h2 id="drafts-title">{t('drafting.title')}</h2>
      <div className="drafts-layout">
        <nav className="drafts-list" aria-labelledby="drafts-list-title">
          <h3 id="drafts-list-title">{t('drafting.list')}</h3>
          {drafts.length === 0 ? <p className="hint">{t('common.loading')}</p> : null}
          <ul>
            {drafts.map((d) => {
              const who = d.kind === 'country_report' ? delegationName(delegations, d.delegationId) : null
              return (
                <li key={d.id}>
                  <button
                    type="button"
                    className="draft-link"
                    aria-current={d.id === current?.id ? 'true' : undefined}
                    onClick={() => setOpenId(d.id)}
                  >
                    <span className="draft-name">{d.title}</span>
                    <span className="hint">
                      {t(`drafting.kind.${d.kind}`)}
                      {who ? ` · ${who}` : ''}
                    </span>
                  </button>
                  {canWrite && renaming !== d.id ? (
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => setRenaming(d.id)}
                      aria-label={t('drafting.rename.open', { title: d.title })}
                    >
                      {t('drafting.rename.button')}
                    </button>
                  ) : null}
                  {renaming === d.id ? <Rename draft={d} onDone={() => setRenaming(null)} /> : null}
                </li>
              )
            })}
          </ul>
          {canWrite ? <CreateDraft onCreated={(d) => setOpenId(d.id)} /> : null}
        </nav>
        <div className="drafts-open">
          {current ? <DraftWorkspace key={current.id} draft={current} onOpenVotes={onOpenVotes} /> : null}
        </div>
      </div>
    </section>
  )
}
