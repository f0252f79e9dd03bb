import { can, type DraftView } from '@roundtable/protocol'
import { useTranslation } from 'react-i18next'
import { useMeeting, useRuntime } from '../../app/meeting-runtime.tsx'
import { archiveUrl, browserTimeZone, draftExportUrl, EXPORT_FORMATS, minutesUrl } from './links.ts'

/**
 * Plain links to the wire contract's routes: the browser downloads them with the session cookie.
 * The draft comes in the reader's language, the minutes in the one chosen; both with their times
 * in the browser's zone.
 */
export const Downloads = ({ draft }: { draft: DraftView | null }) => {
  const { t, i18n } = useTranslation()
  const lang = i18n.language === 'fr' ? 'fr' : 'en'
  const tz = browserTimeZone()
  const { meetingId } = useRuntime()
  const me = useMeeting((s) => s.me)
  const chair = me ? can(me.role, 'manageInvitations') : false
  return (
    <section className="draft-section" aria-labelledby="downloads-title">
      <h3 id="downloads-title">{t('drafting.downloads.title')}</h3>
      <p className="hint">{tz ? t('drafting.downloads.zone', { zone: tz }) : t('drafting.downloads.utc')}</p>
      {draft ? (
        <p>
          <span>{t('drafting.downloads.draft', { title: draft.title })} </span>
          {EXPORT_FORMATS.map((f) => (
            <a
              key={f}
              className="download"
              href={draftExportUrl(meetingId, draft.id, f, { lang, tz })}
              download
            >
              {t(`drafting.format.${f}`)}
              <span className="visually-hidden"> — {draft.title}</span>
            </a>
          ))}
        </p>
      ) : null}
      {(['en', 'fr'] as const).map((lang) => (
        <p key={lang}>
          <span>{t(`drafting.downloads.minutes_${lang}`)} </span>
          {EXPORT_FORMATS.map((f) => (
            <a
              key={f}
              className="download"
              href={minutesUrl(meetingId, f, lang, tz)}
              download
              lang={lang === 'fr' ? 'fr' : undefined}
            >
              {t(`drafting.format.${f}`)}
              <span className="visually-hidden"> — {t(`drafting.downloads.minutes_${lang}`)}</span>
            </a>
          ))}
        </p>
      ))}
      {chair ? (
        <p>
          <a className="download" href={archiveUrl(meetingId)} download>
            {t('drafting.downloads.archive')}
          </a>
        </p>
      ) : null}
    </section>
  )
}
