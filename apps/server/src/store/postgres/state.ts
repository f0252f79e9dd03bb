import type { FloorTurn } from '@roundtable/protocol'
import type { MeetingStateStore } from '../types.ts'
import type { PostgresContext } from './context.ts'

/** Small per-meeting state that domains keep whole (the floor, the timing), and the floor's turns. */
export const postgresMeetingState = ({ query, run }: PostgresContext): MeetingStateStore => ({
  getMeetingState: async (meetingId, key) => {
    const [r] = await query('SELECT state FROM meeting_state WHERE meeting_id = $1 AND key = $2', [
      meetingId,
      key,
    ])
    return r ? (JSON.parse(r.state as string) as unknown) : null
  },
  putMeetingState: async (meetingId, key, state) => {
    await run(
      `INSERT INTO meeting_state (meeting_id, key, state) VALUES ($1, $2, $3)
       ON CONFLICT (meeting_id, key) DO UPDATE SET state = excluded.state`,
      [meetingId, key, JSON.stringify(state)],
    )
  },
  appendFloorTurn: async (meetingId, t) => {
    await run('INSERT INTO floor_turns (meeting_id, turn) VALUES ($1, $2)', [meetingId, JSON.stringify(t)])
  },
  listFloorTurns: async (meetingId) =>
    (await query('SELECT turn FROM floor_turns WHERE meeting_id = $1 ORDER BY seq', [meetingId])).map(
      (r) => JSON.parse(r.turn as string) as FloorTurn,
    ),
})

/** Migration: per-meeting domain state and the floor's turns. Never edit once released. */
export const POSTGRES_MEETING_STATE_SCHEMA = `
CREATE TABLE meeting_state (meeting_id TEXT NOT NULL, key TEXT NOT NULL, state TEXT NOT NULL, PRIMARY KEY (meeting_id, key));
CREATE TABLE floor_turns (seq BIGSERIAL PRIMARY KEY, meeting_id TEXT NOT NULL, turn TEXT NOT NULL);
CREATE INDEX floor_turns_by_meeting ON floor_turns (meeting_id, seq);
`
