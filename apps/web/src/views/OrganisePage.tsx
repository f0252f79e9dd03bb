import { LIMITS, type Meeting } from '@roundtable/protocol'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../shared/api/endpoints.ts'
import type { ClientError } from '../shared/api/http.ts'
import { CopyField } from '../shared/ui/CopyField.tsx'
import { ErrorMessage } from '../shared/ui/ErrorText.tsx'
import { Field } from '../shared/ui/Field.tsx'
import { AppLink, Layout } from '../shared/ui/Layout.tsx'
import { LoadState } from '../shared/ui/LoadState.tsx'
import { formatDate } from '../shared/i18n/index.ts'

const EMPTY = { title: '', date: '', place: '', description: '', chairName: '' }

export const OrganisePage = () => {
  const { t, i18n } = useTranslation()
  const [meetings, setMeetings] = useState<Meeting[] | null>(null)
  const [listError, setListError] = useState<ClientError | null>(null)
  const [form, setForm] = useState(EMPTY)
  const [busy, setBusy] = useState(false)
  const [createError, setCreateError] = useState<ClientError | null>(null)
  const [created, setCreated] = useState<{ meeting: Meeting; chairLink: string } | null>(null)

  const load = useCallback(async () => {
    const r = await api.listMeetings()
    if (r.error) setListError(r.error)
    else {
      setListError(null)
      setMeetings(r.data)
    }
  }, [])
  useEffect(() => {
    void load()
  }, [load])

  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setCreateError(null)
    const r = await api.createMeeting({
      title: form.title.trim(),
      date: form.date,
      place: form.place.trim(),
      description: form.description.trim(),
      chairName: form.chairName.trim(),
    })
    setBusy(false)
    if (r.error) {
      setCreateError(r.error)
      return
    }
    setCreated(r.data)
    setForm(EMPTY)
    void load()
  }

  const field = (key: keyof typeof EMPTY) => ({
    name: key,
    value: form[key],
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      setForm((f) => ({ ...f, [key]: e.target.value })),
  })

  if (listError?.code === 'RT_ERR_UNAUTHORIZED')
    return (
      <Layout>
        <h1>{t('organiser.title')}</h1>
        <p>{t('organiser.needLink')}</p>
        <p>
          <AppLink to="/">{t('common.backHome')}</AppLink>
        </p>
      </Layout>
    )

  return (
    <Layout>
      <h1>{t('organiser.title')}</h1>
      <div className="two-col">
        <section className="card" aria-labelledby="org-create">
          <h2 id="org-create">{t('organiser.createTitle')}</h2>
          <form className="form" onSubmit={(e) => void submit(e)}>
            <Field id="meeting-title" label={t('organiser.fields.title')}>
              {(c) => <input {...c} type="text" required maxLength={LIMITS.title} {...field('title')} />}
            </Field>
            <Field id="meeting-date" label={t('organiser.fields.date')}>
              {(c) => <input {...c} type="date" required {...field('date')} />}
            </Field>
            <Field id="meeting-place" label={t('organiser.fields.place')}>
              {(c) => <input {...c} type="text" maxLength={LIMITS.title} {...field('place')} />}
            </Field>
            <Field id="meeting-chairName" label={t('organiser.fields.chairName')}>
              {(c) => <input {...c} type="text" maxLength={LIMITS.name} {...field('chairName')} />}
            </Field>
            <Field id="meeting-description" label={t('organiser.fields.description')}>
              {(c) => <textarea {...c} rows={4} maxLength={LIMITS.description} {...field('description')} />}
            </Field>
            <ErrorMessage error={createError} />
            <button type="submit" className="primary" disabled={busy || !form.title.trim() || !form.date}>
              {busy ? t('common.saving') : t('organiser.create')}
            </button>
          </form>
          <div aria-live="polite">
            {created ? (
              <div className="success-box">
                <p>{t('organiser.created', { title: created.meeting.title })}</p>
                <CopyField label={t('organiser.chairLink')} value={created.chairLink} />
              </div>
            ) : null}
          </div>
        </section>
        <section className="card" aria-labelledby="org-list">
          <h2 id="org-list">{t('organiser.listTitle')}</h2>
          <LoadState data={meetings} error={listError}>
            {(meetings) =>
              meetings.length === 0 ? (
                <p>{t('organiser.none')}</p>
              ) : (
                <ul className="meeting-list">
                  {meetings.map((m) => (
                    <li key={m.id}>
                      <strong>{m.title}</strong>
                      <span className="hint">
                        {formatDate(m.date, i18n.language)}
                        {m.place ? ` · ${m.place}` : ''}
                      </span>
                    </li>
                  ))}
                </ul>
              )
            }
          </LoadState>
        </section>
      </div>
    </Layout>
  )
}
