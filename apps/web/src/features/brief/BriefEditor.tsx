import { useTranslation } from 'react-i18next'
import { useDoc } from '../../app/meeting-runtime.tsx'
import { DraftEditor } from './DraftEditor.tsx'

/** The meeting's brief: the draft editor over the brief's document. */
export const BriefEditor = () => {
  const { t } = useTranslation()
  const brief = useDoc('brief')
  return <DraftEditor handle={brief} idBase="brief" title={t('brief.title')} />
}
