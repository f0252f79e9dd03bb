import {
  asDelegationId,
  asInvitationId,
  type CommandArgs,
  type Invitation,
  type InvitationPreview,
  type MeetingId,
} from '@roundtable/protocol'
import { AppError } from '../../errors.ts'
import type { Turn } from '../../kernel/kernel.ts'
import type { Store } from '../../store/types.ts'
import { requireDelegation } from '../context.ts'
import type { Parts } from '../parts.ts'
import { hashToken, newId, newToken } from '../tokens.ts'

export const joinUrl = (publicUrl: string, token: string): string => `${publicUrl}/join/${token}`

/** An invitation that can still be used, or the reason it cannot. */
export const findUsableInvitation = async (store: Store, token: string, nowIso: string) => {
  const inv = await store.findInvitationByTokenHash(hashToken(token))
  if (!inv) throw new AppError('RT_ERR_INVITATION_INVALID')
  if (inv.revokedAt) throw new AppError('RT_ERR_INVITATION_REVOKED')
  if (inv.expiresAt && inv.expiresAt <= nowIso) throw new AppError('RT_ERR_INVITATION_EXPIRED')
  return inv
}

export const previewOf = (
  meeting: NonNullable<Parts['meeting']>,
  inv: Invitation,
  delegations: Parts['delegations'],
): InvitationPreview => ({
  meeting: { id: meeting.id, title: meeting.title, date: meeting.date, place: meeting.place },
  role: inv.role,
  delegation: inv.delegationId ? (delegations.find((d) => d.id === inv.delegationId) ?? null) : null,
  label: inv.label,
})

/** Creates an invitation inside a turn; the returned URL carries the only copy of its token. */
export const createInvitation = async (
  turn: Turn<Parts>,
  publicUrl: string,
  by: string,
  a: CommandArgs<'invitation:create'>,
  now: Date,
): Promise<Invitation & { url: string }> => {
  const meetingId: MeetingId = turn.meetingId
  const delegationId = a.delegationId ? asDelegationId(a.delegationId) : null
  if (delegationId) await requireDelegation(turn, delegationId)
  if (a.role === 'delegate' && !delegationId && (await turn.part('delegations')).length > 0)
    throw new AppError('RT_ERR_BAD_REQUEST', 'A delegate invitation names the delegation it is for.')
  const token = newToken()
  const inv: Invitation = {
    id: asInvitationId(newId()),
    meetingId,
    role: a.role,
    delegationId,
    label: a.label,
    createdAt: now.toISOString(),
    expiresAt: a.expiresInHours ? new Date(now.getTime() + a.expiresInHours * 3_600_000).toISOString() : null,
    revokedAt: null,
    ...(a.maxUses === undefined ? {} : { maxUses: a.maxUses, uses: 0 }),
  }
  await turn.commit({
    actor: by,
    action: 'invitation.create',
    detail: { invitationId: inv.id, role: inv.role, delegationId, maxUses: a.maxUses ?? null },
    writes: (store) => [store.createInvitation({ ...inv, tokenHash: hashToken(token) })],
    changes: [],
  })
  return { ...inv, url: joinUrl(publicUrl, token) }
}
