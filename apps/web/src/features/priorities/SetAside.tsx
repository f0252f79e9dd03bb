import type { AreaView, PriorityId } from '@roundtable/doc-schema'
import { useTranslation } from 'react-i18next'
import { useProposerText } from './AreaCard.tsx'

/**
 * The areas off the table, listed apart and collapsed: merged ones say what they were merged into,
 * withdrawn ones can be put back by the chair (a merged one too: the server undoes the merge).
 */
export const SetAside = ({
  kind,
  areas,
  titleOf,
  canRestore,
  onRestore,
}: {
  kind: 'merged' | 'withdrawn'
  areas: AreaView[]
  titleOf: (id: PriorityId) => string
  canRestore: boolean
  onRestore: (area: AreaView) => void
}) => {
  const { t } = useTranslation()
  const proposerText = useProposerText()
  if (areas.length === 0) return null
  return (
    <details className={`set-aside set-aside-${kind}`}>
      <summary>{t(`priorities.${kind}.heading`, { count: areas.length })}</summary>
      <ul className="priority-list">
        {areas.map((a) => {
          const title = a.title || t('priorities.untitled')
          return (
            <li key={a.id} className="priority priority-aside">
              <h3 className="priority-title">{title}</h3>
              {a.description ? <p className="priority-description">{a.description}</p> : null}
              <p className="priority-meta">
                <span>{t('priorities.proposer', { name: proposerText(a) })}</span>
                {kind === 'merged' && a.mergedInto ? (
                  <span className="status-badge status-merged">
                    {t('priorities.merged.into', { title: titleOf(a.mergedInto) })}
                  </span>
                ) : (
                  <span className="status-badge status-withdrawn">{t('priorities.status.withdrawn')}</span>
                )}
              </p>
              {canRestore ? (
                <button type="button" onClick={() => onRestore(a)}>
                  {t('priorities.restore.button')}
                  <span className="visually-hidden"> {t('priorities.quoted', { title })}</span>
                </button>
              ) : null}
            </li>
          )
        })}
      </ul>
    </details>
  )
}
