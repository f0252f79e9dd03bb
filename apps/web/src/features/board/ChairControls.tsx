import { BOARD_METHODS, type BoardMethod, type BoardView } from '@roundtable/protocol'
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { useCommand } from '../../app/use-command.ts'

/** Where anyone allowed downloads the rankings as an election for `pnpm --silent tally`. */
export const rankingsUrl = (meetingId: string) =>
  `/api/meetings/${encodeURIComponent(meetingId)}/board/rankings`

/** The rankings download with the command that recounts it (the chair always; everyone once revealed). */
export const RankingsDownload = ({ meetingId }: { meetingId: string }) => {
  const { t } = useTranslation()
  return (
    <p className="board-download">
      <a href={rankingsUrl(meetingId)} download="rankings.json">
        {t('board.download.link')}
      </a>
      <span className="hint">
        {' '}
        {t('board.download.note')} <code>pnpm --silent tally &lt; rankings.json</code>
      </span>
    </p>
  )
}

/** The chair's settings for the room's count: method, reveal, freeze. The server decides; this asks. */
export const ChairControls = ({ board, meetingId }: { board: BoardView; meetingId: string }) => {
  const { t } = useTranslation()
  const command = useCommand()
  const methodId = useId()
  const revealId = useId()
  return (
    <section className="card board-chair" aria-labelledby="board-chair-title">
      <h3 id="board-chair-title">{t('board.chair.title')}</h3>
      <div className="form">
        <label htmlFor={methodId}>{t('board.chair.method')}</label>
        <select
          id={methodId}
          value={board.method}
          aria-describedby={`${methodId}-about`}
          onChange={(e) =>
            void command(
              'board:configure',
              { method: e.target.value as BoardMethod },
              {
                key: 'board.chair.methodSaved',
                values: { method: t(`board.methods.${e.target.value}.name`) },
              },
            )
          }
        >
          {BOARD_METHODS.map((m) => (
            <option key={m} value={m}>
              {t(`board.methods.${m}.name`)}
            </option>
          ))}
        </select>
        <p className="hint" id={`${methodId}-about`}>
          {t(`board.methods.${board.method}.about`)}
        </p>
      </div>
      <p className="board-check">
        <input
          id={revealId}
          type="checkbox"
          checked={board.reveal}
          aria-describedby={`${revealId}-hint`}
          onChange={(e) => void command('board:configure', { reveal: e.target.checked })}
        />
        <label htmlFor={revealId}>{t('board.chair.reveal')}</label>
      </p>
      <p className="hint" id={`${revealId}-hint`}>
        {t('board.chair.revealHint')}
      </p>
      <p className="row">
        <button
          type="button"
          className={board.frozen ? undefined : 'primary'}
          aria-describedby="board-freeze-hint"
          onClick={() =>
            void command(
              'board:freeze',
              { frozen: !board.frozen },
              { key: board.frozen ? 'board.chair.unfrozenNotice' : 'board.chair.frozenNotice' },
            )
          }
        >
          {board.frozen ? t('board.chair.unfreeze') : t('board.chair.freeze')}
        </button>
      </p>
      <p className="hint" id="board-freeze-hint">
        {t('board.chair.freezeHint')}
      </p>
      {board.frozen && board.optionsHash ? (
        <p className="hint">
          {t('board.chair.hash')} <code className="board-hash">{board.optionsHash.slice(0, 16)}</code>
        </p>
      ) : null}
      <RankingsDownload meetingId={meetingId} />
    </section>
  )
}
