import type { AuditEntry } from '@roundtable/protocol'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { auditCsvUrl } from '../../shared/api/endpoints.ts'
import { useMeeting, useRuntime } from '../../app/meeting-runtime.tsx'
import { useCommand } from '../../app/use-command.ts'
import { formatDateTime } from '../../shared/i18n/index.ts'
import { LoadState } from '../../shared/ui/LoadState.tsx'
import { delegationName } from '../access/access-slice.ts'

const ROLE_KEYS = new Set(['role', 'from', 'to'])

/** Scalar details as `key: value`; roles translated and delegation ids shown by name. */
const useDetailText = () => {
  const { t } = useTranslation()
  const delegations = useMeeting((s) => s.delegations)
  return (d: Record<string, unknown>): string =>
    Object.entries(d)
      .filter(([, v]) => v !== null && typeof v !== 'object')
      .map(([k, v]) => {
        if (ROLE_KEYS.has(k) && typeof v === 'string') return `${k}: ${t(`roles.${v}`)}`
        if (k === 'delegationId' && typeof v === 'string')
          return `${k}: ${delegationName(delegations, v) ?? v}`
        return `${k}: ${String(v)}`
      })
      .join(', ')
}

export const AuditPanel = () => {
  const { t, i18n } = useTranslation()
  const detailText = useDetailText()
  const { meetingId } = useRuntime()
  const command = useCommand()
  const [entries, setEntries] = useState<AuditEntry[] | null>(null)
  const refresh = useCallback(async () => {
    const r = await command('audit:list', { afterSeq: 0 })
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
      {/* A refusal is announced by useCommand; the panel keeps waiting for the next refresh. */}
      <LoadState data={entries}>
        {(entries) =>
          entries.length === 0 ? (
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
                        {i18n.exists(`audit.actions.${e.action.replace('.', '_')}`)
                          ? t(`audit.actions.${e.action.replace('.', '_')}`)
                          : e.action}
                        <code className="hint audit-code">{e.action}</code>
                      </td>
                      <td>{detailText(e.detail)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </LoadState>
    </section>
  )
}
