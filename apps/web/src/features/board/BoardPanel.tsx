import { can } from '@roundtable/protocol'
import { useTranslation } from 'react-i18next'
import { useDoc, useMeeting, useRuntime } from '../../app/meeting-runtime.tsx'
import { Agreement } from './Agreement.tsx'
import { ChairControls, RankingsDownload } from './ChairControls.tsx'
import { MyRanking } from './MyRanking.tsx'
import { useLiveAreas } from './use-live-areas.ts'
import './board.css'

/**
 * The priority board: a person's own ranking (chair and delegates), the room's agreement as it
 * forms (everyone), and the chair's settings. Observers see the agreement only.
 */
export const BoardPanel = () => {
  const { t } = useTranslation()
  const { meetingId } = useRuntime()
  const priorities = useDoc('priorities')
  const areas = useLiveAreas(priorities.doc)
  const me = useMeeting((s) => s.me)
  const board = useMeeting((s) => s.board)
  const ranks = me ? can(me.role, 'rankPriorities') : false
  const chairs = me ? can(me.role, 'runBoard') : false
  return (
    <section className="board" aria-labelledby="board-title">
      <h2 id="board-title">{t('board.title')}</h2>
      <p className="hint">{ranks ? t('board.intro') : t('board.observerNote')}</p>
      <div className="board-layout">
        {ranks ? <MyRanking areas={areas} /> : null}
        {board ? <Agreement board={board} areas={areas} /> : <p className="hint">{t('common.loading')}</p>}
      </div>
      {chairs && board ? <ChairControls board={board} meetingId={meetingId} /> : null}
      {!chairs && board?.reveal ? <RankingsDownload meetingId={meetingId} /> : null}
    </section>
  )
}
