import type { AuditEntry } from '@roundtable/protocol'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { auditCsvUrl } from '../api/endpoints.ts'
import { useRuntime } from '../app/meeting-runtime.tsx'
import { useCommand } from '../app/use-command.ts'
import { formatDateTime } from '../i18n/index.ts'

const detailText = (d: Record<string, unknown>): string =>
  Object.entries(d)
    .filter(([, v]) => v !== null && typeof v !== 'object')
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(', ')

export const AuditPanel = () => {
  const { t, i18n } = useTranslation()
  const { meetingId } = useRuntime()
  const command = useCommand()
  const [entries, setEntries] = useState<AuditEntry[] | null>(null)
  const refresh = useCallback(async () => {
    const r = await command<'audit:list', AuditEntry[]>('audit:list', { afterSeq: 0 })
    if (r.data) setEntries(r.data)
  }, [command])
  useEffect(() => {
    void refresh()
  }, [refresh])
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
      </div>
      {entries === null ? (
        <p role="status">{t('common.loading')}</p>
      ) : entries.length === 0 ? (
        <p>{t('audit.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="audit-table">
            <caption className="visually-hidden">{t('audit.caption', { count: entries.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('audit.when')}</th>
                <th scope="col">{t('audit.actor')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {[...entries].reverse().map((e) => (
                <tr key={e.seq}>
                  <td>{formatDateTime(e.at, i18n.language)}</td>
                  <td>{e.actor}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{detailText(e.detail)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
