import { useTranslation } from 'react-i18next'
import { useMeeting } from '../../app/meeting-runtime.tsx'
import { tabForTool } from './follow.ts'
import type { FollowControl } from './use-follow.ts'
import './follow.css'

/** "Follow the chair", and one click back to the chair's view after looking elsewhere. */
export const FollowBar = ({
  control,
  tabLabel,
}: {
  control: FollowControl
  tabLabel: (tab: string) => string
}) => {
  const { t } = useTranslation()
  const focus = useMeeting((s) => s.timing?.focus ?? null)
  if (control.leads) return null
  const chairTab = focus ? tabForTool(focus.tool) : null
  const away = chairTab !== null && chairTab !== control.tab
  return (
    <div className="follow-bar">
      <label className="check">
        <input
          type="checkbox"
          checked={control.following}
          onChange={(e) => control.setFollowing(e.target.checked)}
        />
        {t('follow.toggle')}
      </label>
      {chairTab && !control.following && away ? (
        <button type="button" className="primary" onClick={() => control.setFollowing(true)}>
          {t('follow.back', { tab: tabLabel(chairTab) })}
        </button>
      ) : chairTab ? (
        <span className="hint">{t('follow.chairIsOn', { tab: tabLabel(chairTab) })}</span>
      ) : null}
    </div>
  )
}
