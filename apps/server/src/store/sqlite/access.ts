import {
  delegationFrom,
  invitationFrom,
  invitationValues,
  meetingFrom,
  participantFrom,
  participantsOf,
  type Row,
  sessionFrom,
} from '../rows.ts'
import type { AccessStore, SessionSubject } from '../types.ts'
import type { SqliteContext } from './context.ts'

/** Meetings, delegations, invitations, participants and sessions. */
export const sqliteAccess = ({ read, stmt, exec }: SqliteContext): AccessStore => ({
  createMeeting: async (m) => {
    await exec(
      'INSERT INTO meetings (id, title, date, place, description, chair_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      m.id,
      m.title,
      m.date,
      m.place,
      m.description,
      m.chairName,
      m.createdAt,
    )
  },
  getMeeting: (id) =>
    read(() => {
      const r = stmt('SELECT * FROM meetings WHERE id = ?').get(id) as Row | undefined
      return r ? meetingFrom(r) : null
    }),
  listMeetings: () =>
    read(() =>
      (stmt('SELECT * FROM meetings ORDER BY date DESC, created_at DESC').all() as Row[]).map(meetingFrom),
    ),

  // An upsert on the id, not INSERT OR REPLACE: that would settle a clash on the name index by
  // deleting the other delegation.
  putDelegation: async (d) => {
    await exec(
      'INSERT INTO delegations (id, meeting_id, name) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET meeting_id = excluded.meeting_id, name = excluded.name',
      d.id,
      d.meetingId,
      d.name,
    )
  },
  listDelegations: (meetingId) =>
    read(() =>
      (stmt('SELECT * FROM delegations WHERE meeting_id = ? ORDER BY name').all(meetingId) as Row[]).map(
        delegationFrom,
      ),
    ),

  createInvitation: async (i) => {
    await exec(
      'INSERT INTO invitations (id, meeting_id, token_hash, role, delegation_id, label, created_at, expires_at, revoked_at, max_uses) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ...invitationValues(i),
    )
  },
  findInvitationByTokenHash: (h) =>
    read(() => {
      const r = stmt('SELECT * FROM invitations WHERE token_hash = ?').get(h) as Row | undefined
      return r ? invitationFrom(r) : null
    }),
  listInvitations: (meetingId) =>
    read(() =>
      (
        stmt('SELECT * FROM invitations WHERE meeting_id = ? ORDER BY created_at, id').all(meetingId) as Row[]
      ).map((r) => {
        const { tokenHash: _, ...inv } = invitationFrom(r)
        return inv
      }),
    ),
  revokeInvitation: async (meetingId, id, at) =>
    (
      await exec(
        'UPDATE invitations SET revoked_at = ? WHERE id = ? AND meeting_id = ? AND revoked_at IS NULL',
        at,
        id,
        meetingId,
      )
    ).changes > 0,

  putParticipant: async (p) => {
    await exec(
      'INSERT OR REPLACE INTO participants (id, meeting_id, display_name, role, delegation_id, removed, joined_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      p.id,
      p.meetingId,
      p.displayName,
      p.role,
      p.delegationId,
      p.removed ? 1 : 0,
      p.joinedAt,
    )
  },
  getParticipant: (id) =>
    read(() => {
      const r = stmt('SELECT * FROM participants WHERE id = ?').get(id) as Row | undefined
      return r ? participantFrom(r) : null
    }),
  listParticipants: (meetingId) =>
    read(() =>
      (
        stmt('SELECT * FROM participants WHERE meeting_id = ? ORDER BY joined_at, id').all(meetingId) as Row[]
      ).map(participantFrom),
    ),

  createSession: async (h, subject, at, invitationId = null) => {
    await exec(
      'INSERT INTO sessions (token_hash, subject, created_at, last_seen_at, invitation_id) VALUES (?, ?, ?, ?, ?)',
      h,
      JSON.stringify(subject),
      at,
      at,
      invitationId,
    )
  },
  findSessionRecord: (h) =>
    read(() => {
      const r = stmt('SELECT * FROM sessions WHERE token_hash = ?').get(h) as Row | undefined
      return r ? sessionFrom(r) : null
    }),
  touchSessions: async (hashes, at) => {
    // In chunks: SQLite binds at most 32 766 parameters per statement.
    for (let i = 0; i < hashes.length; i += 500) {
      const chunk = hashes.slice(i, i + 500)
      await exec(
        `UPDATE sessions SET last_seen_at = ? WHERE token_hash IN (${chunk.map(() => '?').join(', ')})`,
        at,
        ...chunk,
      )
    }
  },
  deleteExpiredSessions: async (l) => {
    // Read, then delete exactly those rows: one process writes a SQLite file, so nothing else expires them.
    const rows = await read(
      () =>
        stmt(
          `SELECT token_hash, subject FROM sessions WHERE coalesce(last_seen_at, created_at) < ?
             OR created_at < (CASE WHEN json_extract(subject, '$.kind') = 'organiser' THEN ? ELSE ? END)`,
        ).all(l.idleBefore, l.organiserCreatedBefore, l.participantCreatedBefore) as Row[],
    )
    for (const r of rows) await exec('DELETE FROM sessions WHERE token_hash = ?', r.token_hash)
    return rows.map((r) => JSON.parse(r.subject as string) as SessionSubject)
  },
  deleteSessionsOfInvitation: async (invitationId) => {
    const rows = await read(
      () =>
        stmt('SELECT token_hash, subject FROM sessions WHERE invitation_id = ?').all(invitationId) as Row[],
    )
    await exec('DELETE FROM sessions WHERE invitation_id = ?', invitationId)
    return participantsOf(rows)
  },
  countInvitationUse: async (id) => {
    await exec('UPDATE invitations SET uses = uses + 1 WHERE id = ?', id)
  },
  findSession: (h) =>
    read(() => {
      const r = stmt('SELECT subject FROM sessions WHERE token_hash = ?').get(h) as Row | undefined
      return r ? (JSON.parse(r.subject as string) as SessionSubject) : null
    }),
  deleteSession: async (h) => {
    await exec('DELETE FROM sessions WHERE token_hash = ?', h)
  },
})
