import type { FloorTurn, MeetingId } from '@roundtable/protocol'
import type { Row } from '../rows.ts'
import type { MeetingStateStore } from '../types.ts'
import type { SqliteContext } from './context.ts'

/** Small per-meeting state that domains keep whole (the floor, the timing), and the floor's turns. */
export const sqliteMeetingState = ({ read, stmt, exec }: SqliteContext): MeetingStateStore => ({
  getMeetingState: (meetingId, key) =>
    read(() => {
      const r = stmt('SELECT state FROM meeting_state WHERE meeting_id = ? AND key = ?').get(
        meetingId,
        key,
      ) as Row | undefined
      return r ? (JSON.parse(r.state as string) as unknown) : null
    }),
  putMeetingState: async (meetingId, key, state) => {
    await exec(
      'INSERT OR REPLACE INTO meeting_state (meeting_id, key, state) VALUES (?, ?, ?)',
      meetingId,
      key,
      JSON.stringify(state),
    )
  },
  appendFloorTurn: async (meetingId, t) => {
    await exec('INSERT INTO floor_turns (meeting_id, turn) VALUES (?, ?)', meetingId, JSON.stringify(t))
  },
  listFloorTurns: (meetingId: MeetingId) =>
    read(() =>
      (stmt('SELECT turn FROM floor_turns WHERE meeting_id = ? ORDER BY seq').all(meetingId) as Row[]).map(
        (r) => JSON.parse(r.turn as string) as FloorTurn,
      ),
    ),
})

/** Migration: per-meeting domain state and the floor's turns. Never edit once released. */
export const SQLITE_MEETING_STATE_SCHEMA = `
CREATE TABLE meeting_state (meeting_id TEXT NOT NULL, key TEXT NOT NULL, state TEXT NOT NULL, PRIMARY KEY (meeting_id, key)) WITHOUT ROWID;
CREATE TABLE floor_turns (seq INTEGER PRIMARY KEY AUTOINCREMENT, meeting_id TEXT NOT NULL, turn TEXT NOT NULL);
CREATE INDEX floor_turns_by_meeting ON floor_turns (meeting_id, seq);
`
