import {
  can,
  type DraftView,
  type VersionChange,
  type VersionContent,
  type VersionView,
} from '@roundtable/protocol'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useMeeting, useRuntime } from '../../app/meeting-runtime.tsx'
import { useCommand } from '../../app/use-command.ts'
import { type ClientError, request } from '../../shared/api/http.ts'
import { formatDateTime } from '../../shared/i18n/index.ts'
import { ConfirmButton } from '../../shared/ui/ConfirmButton.tsx'
import { ErrorMessage } from '../../shared/ui/ErrorText.tsx'
import { Field } from '../../shared/ui/Field.tsx'
import { Blocks } from './Blocks.tsx'
import { versionUrl } from './links.ts'

const versionLabel = (v: VersionView, t: (k: string, o?: Record<string, unknown>) => string) =>
  t('drafting.versions.label', { number: v.number, name: v.name || t(`drafting.versionReason.${v.reason}`) })

/** Insertions and deletions marked, as text and not by colour alone (ins/del, and named for screen readers). */
export const Changes = ({ changes }: { changes: VersionChange[] }) => {
  const { t } = useTranslation()
  return (
    <div className="diff">
      {changes.map((c, i) => {
        // A comparison's runs never reorder: their index is their identity.
        const key = `${i}`
        if (c.kind === 'equal') return <span key={key}>{c.text}</span>
        if (c.kind === 'insert')
          return (
            <ins key={key}>
              <span className="visually-hidden">{t('drafting.amendments.inserted')} </span>
              {c.text}
            </ins>
          )
        return (
          <del key={key}>
            <span className="visually-hidden">{t('drafting.amendments.struck')} </span>
            {c.text}
          </del>
        )
      })}
    </div>
  )
}

/** One end of a comparison: a choice among the draft's versions. */
const VersionPicker = ({
  id,
  label,
  versions,
  value,
  onChange,
}: {
  id: string
  label: string
  versions: VersionView[]
  value: string
  onChange: (versionId: string) => void
}) => {
  const { t } = useTranslation()
  return (
    <Field wrap id={id} label={label}>
      {(c) => (
        <select {...c} value={value} onChange={(e) => onChange(e.target.value)}>
          {versions.map((v) => (
            <option key={v.id} value={v.id}>
              {versionLabel(v, t)}
            </option>
          ))}
        </select>
      )}
    </Field>
  )
}

export const Versions = ({ draft, versions }: { draft: DraftView; versions: VersionView[] }) => {
  const { t, i18n } = useTranslation()
  const rt = useRuntime()
  const send = useCommand()
  const me = useMeeting((s) => s.me)
  const chair = me ? can(me.role, 'runDrafting') : false
  const [name, setName] = useState('')
  const [viewing, setViewing] = useState<VersionContent | null>(null)
  const [error, setError] = useState<ClientError | null>(null)
  const newest = versions.at(-1)
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [compared, setCompared] = useState<{
    from: VersionView
    to: VersionView
    changes: VersionChange[]
  } | null>(null)
  const fromId = from || versions.at(-2)?.id || ''
  const toId = to || newest?.id || ''

  const create = async (e: FormEvent) => {
    e.preventDefault()
    const r = await send('version:create', { draftId: draft.id, name }, { key: 'drafting.sent.version' })
    if (!r.error) setName('')
  }
  const view = async (v: VersionView) => {
    setError(null)
    const r = await request<VersionContent>('GET', versionUrl(rt.meetingId, draft.id, v.id))
    if (r.error) setError(r.error)
    else setViewing(r.data)
  }
  const compare = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    const r = await send('version:compare', { draftId: draft.id, from: fromId, to: toId })
    if (r.data) setCompared(r.data)
  }

  return (
    <section className="draft-section" aria-labelledby="versions-title">
      <h3 id="versions-title">{t('drafting.versions.title')}</h3>
      {chair ? (
        <form className="row" onSubmit={create}>
          <div className="field">
            <label htmlFor="version-name">{t('drafting.versions.name')}</label>
            <input
              id="version-name"
              required
              maxLength={200}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </div>
          <button type="submit">{t('drafting.versions.create')}</button>
        </form>
      ) : null}
      {versions.length === 0 ? (
        <p className="hint">{t('drafting.versions.none')}</p>
      ) : (
        <ol className="versions">
          {[...versions].reverse().map((v) => (
            <li key={v.id}>
              <span>
                <strong>{versionLabel(v, t)}</strong>{' '}
                <span className="hint">
                  {formatDateTime(v.createdAt, i18n.language)} · {t(`drafting.versionReason.${v.reason}`)}
                </span>
              </span>
              <span className="row">
                <button
                  type="button"
                  onClick={() => void view(v)}
                  aria-label={t('drafting.versions.viewOne', { label: versionLabel(v, t) })}
                >
                  {t('drafting.versions.view')}
                </button>
                {chair ? (
                  <ConfirmButton
                    danger={false}
                    label={t('drafting.versions.restore')}
                    question={t('drafting.versions.restoreQuestion', { label: versionLabel(v, t) })}
                    onConfirm={async () => {
                      await send(
                        'version:restore',
                        { draftId: draft.id, versionId: v.id },
                        { key: 'drafting.sent.restored' },
                      )
                    }}
                  />
                ) : null}
              </span>
            </li>
          ))}
        </ol>
      )}
      <ErrorMessage error={error} />
      {viewing ? (
        <section className="version-view card" aria-labelledby="version-view-title">
          <h4 id="version-view-title">
            {t('drafting.versions.viewing', { label: versionLabel(viewing.version, t) })}
          </h4>
          <p className="hint">{t('drafting.versions.readOnly')}</p>
          <div className="brief-content readonly-version">
            <Blocks blocks={viewing.blocks} />
          </div>
          <button type="button" onClick={() => setViewing(null)}>
            {t('drafting.versions.close')}
          </button>
        </section>
      ) : null}
      {versions.length >= 2 ? (
        <form className="row compare-form" onSubmit={compare}>
          <VersionPicker
            id="compare-from"
            label={t('drafting.versions.from')}
            versions={versions}
            value={fromId}
            onChange={setFrom}
          />
          <VersionPicker
            id="compare-to"
            label={t('drafting.versions.to')}
            versions={versions}
            value={toId}
            onChange={setTo}
          />
          <button type="submit">{t('drafting.versions.compare')}</button>
        </form>
      ) : null}
      {compared ? (
        <section className="card" aria-labelledby="compare-title">
          <h4 id="compare-title">
            {t('drafting.versions.compared', {
              from: versionLabel(compared.from, t),
              to: versionLabel(compared.to, t),
            })}
          </h4>
          <p className="hint">{t('drafting.versions.legend')}</p>
          <Changes changes={compared.changes} />
        </section>
      ) : null}
    </section>
  )
}
