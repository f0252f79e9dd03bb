import type { BoardConfig, BoardRanking, ParticipantId } from '@roundtable/protocol'
import type { BoardStore } from '../types.ts'
import type { PostgresContext } from './context.ts'

/** The priority board: its settings, each participant's saved ranking, and W over the session. */
export const postgresBoard = ({ query, run }: PostgresContext): BoardStore => ({
  getBoard: async (meetingId) => {
    const [r] = await query('SELECT config FROM boards WHERE meeting_id = $1', [meetingId])
    return r ? (JSON.parse(r.config as string) as BoardConfig) : null
  },
  putBoard: async (meetingId, config) => {
    await run(
      `INSERT INTO boards (meeting_id, config) VALUES ($1, $2)
       ON CONFLICT (meeting_id) DO UPDATE SET config = excluded.config`,
      [meetingId, JSON.stringify(config)],
    )
  },
  putBoardRanking: async (meetingId, participantId, ranking, at) => {
    await run(
      `INSERT INTO board_rankings (meeting_id, participant_id, ranking, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (meeting_id, participant_id) DO UPDATE SET ranking = excluded.ranking, updated_at = excluded.updated_at`,
      [meetingId, participantId, JSON.stringify(ranking), at],
    )
  },
  listBoardRankings: async (meetingId) =>
    (
      await query(
        'SELECT participant_id, ranking, updated_at FROM board_rankings WHERE meeting_id = $1 ORDER BY participant_id',
        [meetingId],
      )
    ).map((r) => ({
      participantId: r.participant_id as ParticipantId,
      ranking: JSON.parse(r.ranking as string) as BoardRanking,
      at: r.updated_at as string,
    })),
  appendBoardPoint: async (meetingId, p) => {
    await run('INSERT INTO board_points (meeting_id, at, kendall_w, voters) VALUES ($1, $2, $3, $4)', [
      meetingId,
      p.at,
      p.kendallW,
      p.voters,
    ])
  },
  listBoardPoints: async (meetingId) =>
    (
      await query(
        `SELECT at, kendall_w, voters FROM (
           SELECT * FROM board_points WHERE meeting_id = $1 ORDER BY seq DESC LIMIT 500) p ORDER BY seq`,
        [meetingId],
      )
    ).map((r) => ({
      at: r.at as string,
      kendallW: r.kendall_w === null ? null : Number(r.kendall_w),
      voters: Number(r.voters),
    })),
})

/** Migration: the board's tables. */
export const POSTGRES_BOARD_SCHEMA = `
CREATE TABLE boards (meeting_id TEXT PRIMARY KEY, config TEXT NOT NULL);
CREATE TABLE board_rankings (
  meeting_id TEXT NOT NULL, participant_id TEXT NOT NULL, ranking TEXT NOT NULL, updated_at TEXT NOT NULL,
  PRIMARY KEY (meeting_id, participant_id)
);
CREATE TABLE board_points (
  seq BIGSERIAL PRIMARY KEY, meeting_id TEXT NOT NULL, at TEXT NOT NULL, kendall_w DOUBLE PRECISION, voters INTEGER NOT NULL
);
CREATE INDEX board_points_by_meeting ON board_points (meeting_id, seq);
`
