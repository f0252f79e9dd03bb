import {
  delegationFrom,
  invitationFrom,
  invitationValues,
  meetingFrom,
  participantFrom,
  participantsOf,
  sessionFrom,
} from '../rows.ts'
import type { AccessStore, SessionSubject } from '../types.ts'
import type { PostgresContext } from './context.ts'

/** Meetings, delegations, invitations, participants and sessions. */
export const postgresAccess = ({ query, run }: PostgresContext): AccessStore => ({
  createMeeting: async (m) => {
    await run(
      'INSERT INTO meetings (id, title, date, place, description, chair_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [m.id, m.title, m.date, m.place, m.description, m.chairName, m.createdAt],
    )
  },
  getMeeting: async (id) => {
    const [r] = await query('SELECT * FROM meetings WHERE id = $1', [id])
    return r ? meetingFrom(r) : null
  },
  listMeetings: async () =>
    (await query('SELECT * FROM meetings ORDER BY date DESC, created_at DESC')).map(meetingFrom),

  // ON CONFLICT (id) only: a clash on the name index (migration 2) fails the write.
  putDelegation: async (d) => {
    await run(
      `INSERT INTO delegations (id, meeting_id, name) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET meeting_id = excluded.meeting_id, name = excluded.name`,
      [d.id, d.meetingId, d.name],
    )
  },
  listDelegations: async (meetingId) =>
    (await query('SELECT * FROM delegations WHERE meeting_id = $1 ORDER BY name', [meetingId])).map(
      delegationFrom,
    ),

  createInvitation: async (i) => {
    await run(
      `INSERT INTO invitations (id, meeting_id, token_hash, role, delegation_id, label, created_at, expires_at, revoked_at, max_uses)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      invitationValues(i),
    )
  },
  findInvitationByTokenHash: async (h) => {
    const [r] = await query('SELECT * FROM invitations WHERE token_hash = $1', [h])
    return r ? invitationFrom(r) : null
  },
  listInvitations: async (meetingId) =>
    (await query('SELECT * FROM invitations WHERE meeting_id = $1 ORDER BY created_at, id', [meetingId])).map(
      (r) => {
        const { tokenHash: _, ...inv } = invitationFrom(r)
        return inv
      },
    ),
  revokeInvitation: async (meetingId, id, at) =>
    ((
      await run(
        'UPDATE invitations SET revoked_at = $1 WHERE id = $2 AND meeting_id = $3 AND revoked_at IS NULL',
        [at, id, meetingId],
      )
    ).rowCount ?? 0) > 0,

  putParticipant: async (p) => {
    await run(
      `INSERT INTO participants (id, meeting_id, display_name, role, delegation_id, removed, joined_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO UPDATE SET meeting_id = excluded.meeting_id, display_name = excluded.display_name,
         role = excluded.role, delegation_id = excluded.delegation_id, removed = excluded.removed,
         joined_at = excluded.joined_at`,
      [p.id, p.meetingId, p.displayName, p.role, p.delegationId, p.removed, p.joinedAt],
    )
  },
  getParticipant: async (id) => {
    const [r] = await query('SELECT * FROM participants WHERE id = $1', [id])
    return r ? participantFrom(r) : null
  },
  listParticipants: async (meetingId) =>
    (await query('SELECT * FROM participants WHERE meeting_id = $1 ORDER BY joined_at, id', [meetingId])).map(
      participantFrom,
    ),

  createSession: async (h, subject, at, invitationId = null) => {
    await run(
      'INSERT INTO sessions (token_hash, subject, created_at, last_seen_at, invitation_id) VALUES ($1, $2, $3, $3, $4)',
      [h, JSON.stringify(subject), at, invitationId],
    )
  },
  findSessionRecord: async (h) => {
    const [r] = await query('SELECT * FROM sessions WHERE token_hash = $1', [h])
    return r ? sessionFrom(r) : null
  },
  touchSessions: async (hashes, at) => {
    if (hashes.length === 0) return
    await run('UPDATE sessions SET last_seen_at = $1 WHERE token_hash = ANY($2)', [at, [...hashes]])
  },
  // RETURNING: each expired row is reported by the one process whose DELETE took it.
  deleteExpiredSessions: async (l) =>
    (
      await query(
        `DELETE FROM sessions WHERE coalesce(last_seen_at, created_at) < $1
           OR created_at < (CASE WHEN subject::json->>'kind' = 'organiser' THEN $2 ELSE $3 END)
         RETURNING subject`,
        [l.idleBefore, l.organiserCreatedBefore, l.participantCreatedBefore],
      )
    ).map((r) => JSON.parse(r.subject as string) as SessionSubject),
  deleteSessionsOfInvitation: async (invitationId) =>
    participantsOf(
      await query('DELETE FROM sessions WHERE invitation_id = $1 RETURNING subject', [invitationId]),
    ),
  countInvitationUse: async (id) => {
    await run('UPDATE invitations SET uses = uses + 1 WHERE id = $1', [id])
  },
  findSession: async (h) => {
    const [r] = await query('SELECT subject FROM sessions WHERE token_hash = $1', [h])
    return r ? (JSON.parse(r.subject as string) as SessionSubject) : null
  },
  deleteSession: async (h) => {
    await run('DELETE FROM sessions WHERE token_hash = $1', [h])
  },
})
