import type { MeetingId } from '@roundtable/protocol'
import { voteFrom } from '../rows.ts'
import type { VoteStore } from '../types.ts'
import type { PostgresContext } from './context.ts'

/**
 * Formal votes. A ballot row holds no voter id for a secret vote, and no time or sequence: the roll of
 * who voted is kept apart, so the two cannot be joined. The primary keys back one ballot per voter.
 */
export const postgresVotes = ({ query, run }: PostgresContext): VoteStore => ({
  putVote: async (v) => {
    const { id, meetingId, status, slotKey, closesAt, ...record } = v
    await run(
      `INSERT INTO votes (id, meeting_id, status, slot_key, closes_at, record) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, slot_key = excluded.slot_key,
         closes_at = excluded.closes_at, record = excluded.record`,
      [id, meetingId, status, slotKey, closesAt, JSON.stringify(record)],
    )
  },
  listVotes: async (meetingId) =>
    (await query('SELECT * FROM votes WHERE meeting_id = $1 ORDER BY created_at, id', [meetingId])).map(
      voteFrom,
    ),
  listVoteRoll: async (meetingId) =>
    (
      await query(
        'SELECT r.vote_id, r.voter_key FROM vote_roll r JOIN votes v ON v.id = r.vote_id WHERE v.meeting_id = $1',
        [meetingId],
      )
    ).map((r) => ({ voteId: r.vote_id as string, voterKey: r.voter_key as string })),
  addToRoll: async (voteId, voterKey) => {
    await run('INSERT INTO vote_roll (vote_id, voter_key) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
      voteId,
      voterKey,
    ])
  },
  putBallot: async (b) => {
    await run(
      `INSERT INTO ballots (vote_id, slot, ballot, receipt, voter) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (vote_id, slot) DO UPDATE SET ballot = excluded.ballot, receipt = excluded.receipt, voter = excluded.voter`,
      [b.voteId, b.slot, b.ballot, b.receipt, b.voter],
    )
  },
  listBallots: async (voteId) =>
    (
      await query('SELECT slot, ballot, receipt, voter FROM ballots WHERE vote_id = $1 ORDER BY slot', [
        voteId,
      ])
    ).map((r) => ({
      slot: r.slot as string,
      ballot: r.ballot as string,
      receipt: r.receipt as string,
      voter: (r.voter as string | null) ?? null,
    })),
  listDueVotes: async (now) =>
    (
      await query(
        "SELECT id, meeting_id FROM votes WHERE status = 'open' AND closes_at IS NOT NULL AND closes_at <= $1",
        [now],
      )
    ).map((r) => ({ voteId: r.id as string, meetingId: r.meeting_id as MeetingId })),
})

/** Migration: formal votes, their roll and their ballots. */
export const POSTGRES_VOTES_SCHEMA = `
CREATE TABLE votes (
  id TEXT PRIMARY KEY, meeting_id TEXT NOT NULL, status TEXT NOT NULL, slot_key TEXT, closes_at TEXT,
  record TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX votes_by_meeting ON votes (meeting_id);
CREATE TABLE vote_roll (vote_id TEXT NOT NULL, voter_key TEXT NOT NULL, PRIMARY KEY (vote_id, voter_key));
CREATE TABLE ballots (
  vote_id TEXT NOT NULL, slot TEXT NOT NULL, ballot TEXT NOT NULL, receipt TEXT NOT NULL, voter TEXT,
  PRIMARY KEY (vote_id, slot)
);
`
