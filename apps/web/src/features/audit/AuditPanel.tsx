import type { AuditEntry } from '@roundtable/protocol'
import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useMeeting, useRuntime } from '../../app/meeting-runtime.tsx'
import { useCommand } from '../../app/use-command.ts'
import { auditCsvUrl } from '../../shared/api/endpoints.ts'
import { formatDateTime } from '../../shared/i18n/index.ts'
import { LoadState } from '../../shared/ui/LoadState.tsx'
import { delegationName } from '../access/access-slice.ts'
import {
  type AuditNames,
  actionArea,
  actionKey,
  actorName,
  detailParts,
  humanize,
  matches,
  mergeEntries,
} from './describe.ts'

/** Between a meeting event and the re-fetch (ms): a burst of events makes one request. */
const AFTER_EVENT_MS = 400
/** A slow poll as well, for entries that come with no meeting event (ms). */
const POLL_MS = 5000

const ROLE_KEYS = new Set(['role', 'from', 'to'])

const useNames = (): AuditNames => {
  const participants = useMeeting((s) => s.participants)
  const delegations = useMeeting((s) => s.delegations)
  const agenda = useMeeting((s) => s.agenda)
  return {
    participant: (id) => participants.find((p) => p.id === id)?.displayName ?? null,
    delegation: (id) => delegationName(delegations, id),
    item: (id) => agenda.find((i) => i.id === id)?.title ?? null,
  }
}

/** The log while it is open: the whole of it once, then only what is newer, on every meeting event. */
const useLiveAudit = () => {
  const rt = useRuntime()
  const command = useCommand()
  const [entries, setEntries] = useState<AuditEntry[] | null>(null)
  const held = useRef<AuditEntry[]>([])
  const busy = useRef(false)
  const fetchNewer = useCallback(async () => {
    if (busy.current) return
    busy.current = true
    const r = await rt.channel.command('audit:list', { afterSeq: held.current.at(-1)?.seq ?? 0 })
    busy.current = false
    if (!r.data) return
    held.current = mergeEntries(held.current, r.data)
    setEntries(held.current)
  }, [rt])
  useEffect(() => {
    void fetchNewer()
    let timer: number | undefined
    const unsubscribe = rt.meeting.subscribe(() => {
      window.clearTimeout(timer)
      timer = window.setTimeout(() => void fetchNewer(), AFTER_EVENT_MS)
    })
    const poll = window.setInterval(() => void fetchNewer(), POLL_MS)
    return () => {
      unsubscribe()
      window.clearTimeout(timer)
      window.clearInterval(poll)
    }
  }, [rt, fetchNewer])
  // A refusal (not allowed, offline) is announced like any command's; the first read goes through it.
  const refresh = useCallback(async () => {
    const r = await command('audit:list', { afterSeq: 0 })
    if (r.data) {
      held.current = mergeEntries([], r.data)
      setEntries(held.current)
    }
  }, [command])
  return { entries, refresh }
}

export const AuditPanel = () => {
  const { t, i18n } = useTranslation()
  const { meetingId } = useRuntime()
  const names = useNames()
  const { entries, refresh } = useLiveAudit()
  const [text, setText] = useState('')
  const [area, setArea] = useState('')
  const actionText = (e: AuditEntry) =>
    i18n.exists(actionKey(e.action)) ? t(actionKey(e.action)) : humanize(e.action)
  const detailText = (e: AuditEntry) =>
    detailParts(e.detail, names)
      .map(({ key, value }) => {
        const label = i18n.exists(`auditLog.detail.${key}`) ? t(`auditLog.detail.${key}`) : key
        const v = ROLE_KEYS.has(key) && i18n.exists(`roles.${value}`) ? t(`roles.${value}`) : value
        // French sets a no-break space before the colon.
        return i18n.language === 'fr' ? `${label}\u00a0: ${v}` : `${label}: ${v}`
      })
      .join(' · ')
  const areas = [...new Set((entries ?? []).map((e) => actionArea(e.action)))].sort()
  return (
    <section className="panel" aria-labelledby="audit-title">
      <h2 id="audit-title">{t('audit.title')}</h2>
      <div className="row">
        <button type="button" onClick={() => void refresh()}>
          {t('audit.refresh')}
        </button>
        <a className="button" href={auditCsvUrl(meetingId)} download>
          {t('audit.export')}
        </a>
        <span className="hint">{t('auditLog.live')}</span>
      </div>
      <form
        className="row audit-filter"
        aria-label={t('auditLog.filter')}
        onSubmit={(e) => e.preventDefault()}
      >
        <div className="field">
          <label htmlFor="audit-text">{t('auditLog.filterText')}</label>
          <input id="audit-text" type="search" value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="audit-area">{t('auditLog.area')}</label>
          <select id="audit-area" value={area} onChange={(e) => setArea(e.target.value)}>
            <option value="">{t('auditLog.allAreas')}</option>
            {areas.map((a) => (
              <option key={a} value={a}>
                {i18n.exists(`auditLog.areas.${a}`) ? t(`auditLog.areas.${a}`) : a}
              </option>
            ))}
          </select>
        </div>
      </form>
      <LoadState data={entries}>
        {(entries) => {
          const rows = [...entries]
            .reverse()
            .map((e) => {
              const sentence = t('auditLog.sentence', {
                actor: actorName(e.actor, names),
                action: actionText(e),
              })
              return { e, sentence, detail: detailText(e) }
            })
            .filter((r) => matches(r.e, text, area, `${r.sentence} ${r.detail}`))
          return entries.length === 0 ? (
            <p>{t('audit.empty')}</p>
          ) : (
            <>
              <p className="hint" aria-live="polite">
                {t('auditLog.shown', { count: rows.length })}
              </p>
              <div className="table-wrap">
                <table className="audit-table">
                  <caption className="visually-hidden">{t('audit.caption', { count: rows.length })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('audit.when')}</th>
                      <th scope="col">{t('audit.action')}</th>
                      <th scope="col">{t('audit.detail')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map(({ e, sentence, detail }) => (
                      <tr key={e.seq}>
                        <td>{formatDateTime(e.at, i18n.language)}</td>
                        <td>{sentence}</td>
                        <td>{detail}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )
        }}
      </LoadState>
    </section>
  )
}
