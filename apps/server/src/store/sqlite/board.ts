import type { BoardConfig, BoardRanking, ParticipantId } from '@roundtable/protocol'
import type { Row } from '../rows.ts'
import type { BoardStore } from '../types.ts'
import type { SqliteContext } from './context.ts'

/** The priority board: its settings, each participant's saved ranking, and W over the session. */
export const sqliteBoard = ({ read, stmt, exec }: SqliteContext): BoardStore => ({
  getBoard: (meetingId) =>
    read(() => {
      const r = stmt('SELECT config FROM boards WHERE meeting_id = ?').get(meetingId) as Row | undefined
      return r ? (JSON.parse(r.config as string) as BoardConfig) : null
    }),
  putBoard: async (meetingId, config) => {
    await exec(
      'INSERT OR REPLACE INTO boards (meeting_id, config) VALUES (?, ?)',
      meetingId,
      JSON.stringify(config),
    )
  },
  putBoardRanking: async (meetingId, participantId, ranking, at) => {
    await exec(
      'INSERT OR REPLACE INTO board_rankings (meeting_id, participant_id, ranking, updated_at) VALUES (?, ?, ?, ?)',
      meetingId,
      participantId,
      JSON.stringify(ranking),
      at,
    )
  },
  listBoardRankings: (meetingId) =>
    read(() =>
      (
        stmt(
          'SELECT participant_id, ranking, updated_at FROM board_rankings WHERE meeting_id = ? ORDER BY participant_id',
        ).all(meetingId) as Row[]
      ).map((r) => ({
        participantId: r.participant_id as ParticipantId,
        ranking: JSON.parse(r.ranking as string) as BoardRanking,
        at: r.updated_at as string,
      })),
    ),
  appendBoardPoint: async (meetingId, p) => {
    await exec(
      'INSERT INTO board_points (meeting_id, at, kendall_w, voters) VALUES (?, ?, ?, ?)',
      meetingId,
      p.at,
      p.kendallW,
      p.voters,
    )
  },
  listBoardPoints: (meetingId) =>
    read(() =>
      (
        stmt(
          'SELECT at, kendall_w, voters FROM (SELECT * FROM board_points WHERE meeting_id = ? ORDER BY seq DESC LIMIT 500) ORDER BY seq',
        ).all(meetingId) as Row[]
      ).map((r) => ({
        at: r.at as string,
        kendallW: (r.kendall_w as number | null) ?? null,
        voters: r.voters as number,
      })),
    ),
})

/** Migration: the board's tables. */
export const SQLITE_BOARD_SCHEMA = `
CREATE TABLE boards (meeting_id TEXT PRIMARY KEY, config TEXT NOT NULL);
CREATE TABLE board_rankings (
  meeting_id TEXT NOT NULL, participant_id TEXT NOT NULL, ranking TEXT NOT NULL, updated_at TEXT NOT NULL,
  PRIMARY KEY (meeting_id, participant_id)
) WITHOUT ROWID;
CREATE TABLE board_points (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, meeting_id TEXT NOT NULL, at TEXT NOT NULL, kendall_w REAL, voters INTEGER NOT NULL
);
CREATE INDEX board_points_by_meeting ON board_points (meeting_id, seq);
`
