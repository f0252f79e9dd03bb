import type { MeetingId } from '@roundtable/protocol'
import { type Row, voteFrom } from '../rows.ts'
import type { VoteStore } from '../types.ts'
import type { SqliteContext } from './context.ts'

/**
 * Formal votes. A ballot row holds no voter id for a secret vote, and no time or sequence (the table
 * is ordered by its key): the roll of who voted is kept apart, so the two cannot be joined.
 */
export const sqliteVotes = ({ read, stmt, exec }: SqliteContext): VoteStore => ({
  putVote: async (v) => {
    const { id, meetingId, status, slotKey, closesAt, ...record } = v
    await exec(
      'INSERT OR REPLACE INTO votes (id, meeting_id, status, slot_key, closes_at, record) VALUES (?, ?, ?, ?, ?, ?)',
      id,
      meetingId,
      status,
      slotKey,
      closesAt,
      JSON.stringify(record),
    )
  },
  listVotes: (meetingId) =>
    read(() =>
      (stmt('SELECT * FROM votes WHERE meeting_id = ? ORDER BY rowid').all(meetingId) as Row[]).map(voteFrom),
    ),
  listVoteRoll: (meetingId) =>
    read(() =>
      (
        stmt(
          'SELECT r.vote_id, r.voter_key FROM vote_roll r JOIN votes v ON v.id = r.vote_id WHERE v.meeting_id = ?',
        ).all(meetingId) as Row[]
      ).map((r) => ({ voteId: r.vote_id as string, voterKey: r.voter_key as string })),
    ),
  addToRoll: async (voteId, voterKey) => {
    await exec('INSERT OR IGNORE INTO vote_roll (vote_id, voter_key) VALUES (?, ?)', voteId, voterKey)
  },
  putBallot: async (b) => {
    await exec(
      'INSERT OR REPLACE INTO ballots (vote_id, slot, ballot, receipt, voter) VALUES (?, ?, ?, ?, ?)',
      b.voteId,
      b.slot,
      b.ballot,
      b.receipt,
      b.voter,
    )
  },
  listBallots: (voteId) =>
    read(() =>
      (
        stmt('SELECT slot, ballot, receipt, voter FROM ballots WHERE vote_id = ? ORDER BY slot').all(
          voteId,
        ) as Row[]
      ).map((r) => ({
        slot: r.slot as string,
        ballot: r.ballot as string,
        receipt: r.receipt as string,
        voter: (r.voter as string | null) ?? null,
      })),
    ),
  listDueVotes: (now) =>
    read(() =>
      (
        stmt(
          "SELECT id, meeting_id FROM votes WHERE status = 'open' AND closes_at IS NOT NULL AND closes_at <= ?",
        ).all(now) as Row[]
      ).map((r) => ({ voteId: r.id as string, meetingId: r.meeting_id as MeetingId })),
    ),
})

/** Migration: formal votes, their roll and their ballots (no row order, no voter id for secret votes). */
export const SQLITE_VOTES_SCHEMA = `
CREATE TABLE votes (
  id TEXT PRIMARY KEY, meeting_id TEXT NOT NULL, status TEXT NOT NULL, slot_key TEXT, closes_at TEXT, record TEXT NOT NULL
);
CREATE INDEX votes_by_meeting ON votes (meeting_id);
CREATE TABLE vote_roll (vote_id TEXT NOT NULL, voter_key TEXT NOT NULL, PRIMARY KEY (vote_id, voter_key)) WITHOUT ROWID;
CREATE TABLE ballots (
  vote_id TEXT NOT NULL, slot TEXT NOT NULL, ballot TEXT NOT NULL, receipt TEXT NOT NULL, voter TEXT,
  PRIMARY KEY (vote_id, slot)
) WITHOUT ROWID;
`
