import type { InvitationPreview } from '@roundtable/protocol'
import { LIMITS } from '@roundtable/protocol'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../shared/api/endpoints.ts'
import type { ClientError } from '../shared/api/http.ts'
import { navigate, sessionStore } from '../app/stores.ts'
import { Field } from '../shared/ui/Field.tsx'
import { AppLink, Layout } from '../shared/ui/Layout.tsx'
import { LoadState } from '../shared/ui/LoadState.tsx'
import { formatDate } from '../shared/i18n/index.ts'
import { nameFromLabel } from './join-name.ts'

export const JoinPage = ({ token }: { token: string }) => {
  const { t, i18n } = useTranslation()
  const [preview, setPreview] = useState<InvitationPreview | null>(null)
  const [loadError, setLoadError] = useState<ClientError | null>(null)
  const [submitError, setSubmitError] = useState<ClientError | null>(null)
  const [name, setName] = useState('')
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    let live = true
    void api.previewInvitation(token).then((r) => {
      if (!live) return
      if (r.error) setLoadError(r.error)
      else {
        setPreview(r.data)
        // Start from the name the invitation was made for; a name typed meanwhile wins.
        setName((typed) => typed || nameFromLabel(r.data.label ?? ''))
      }
    })
    return () => {
      live = false
    }
  }, [token])

  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    if (!name.trim()) return
    setBusy(true)
    const p = await sessionStore.getState().join(token, name.trim())
    setBusy(false)
    if (!p) {
      setSubmitError(sessionStore.getState().error)
      return
    }
    // The invitation token must not stay in the address bar or the history.
    navigate(`/m/${p.meetingId}`, { replace: true })
  }

  return (
    <Layout>
      <h1>{t('join.title')}</h1>
      <LoadState
        data={preview}
        error={loadError}
        failed={
          <>
            <p>{t('join.askAgain')}</p>
            <p>
              <AppLink to="/">{t('common.backHome')}</AppLink>
            </p>
          </>
        }
      >
        {(preview) => (
          <>
            <section className="card" aria-labelledby="join-meeting">
              <h2 id="join-meeting">{preview.meeting.title}</h2>
              <dl className="facts">
                <dt>{t('meeting.date')}</dt>
                <dd>{formatDate(preview.meeting.date, i18n.language)}</dd>
                {preview.meeting.place ? (
                  <>
                    <dt>{t('meeting.place')}</dt>
                    <dd>{preview.meeting.place}</dd>
                  </>
                ) : null}
                <dt>{t('join.role')}</dt>
                <dd>{t(`roles.${preview.role}`)}</dd>
                {preview.delegation ? (
                  <>
                    <dt>{t('join.delegation')}</dt>
                    <dd>{preview.delegation.name}</dd>
                  </>
                ) : null}
              </dl>
              <p className="hint">{t(`join.roleHelp.${preview.role}`)}</p>
            </section>
            <form className="card form" onSubmit={(e) => void submit(e)}>
              <Field
                id="join-name"
                label={t('join.nameLabel')}
                hint={t('join.nameHint')}
                error={submitError}
                // The refusal is about the name only when the server found the request malformed.
                invalid={submitError?.code === 'RT_ERR_BAD_REQUEST'}
              >
                {(control) => (
                  <input
                    {...control}
                    name="displayName"
                    type="text"
                    autoComplete="name"
                    required
                    maxLength={LIMITS.name}
                    value={name}
                    onChange={(e) => setName(e.target.value)}
                  />
                )}
              </Field>
              <button type="submit" className="primary" disabled={busy || !name.trim()}>
                {busy ? t('join.joining') : t('join.submit')}
              </button>
            </form>
          </>
        )}
      </LoadState>
    </Layout>
  )
}
