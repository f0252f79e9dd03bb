import { z } from 'zod'
import type { Delegation, Invitation, Participant } from '../models.ts'
import { ROLES } from '../roles.ts'
import { id, LIMITS, optionalText, text, wire } from './define.ts'

/** Delegations, invitations and participants' roles: who is in the meeting and as what. */
export const ACCESS_COMMANDS = {
  'delegation:add': wire<Delegation>()('manageInvitations', z.strictObject({ name: text(LIMITS.name) })),
  'invitation:create': wire<Invitation & { url: string }>()(
    'manageInvitations',
    z.strictObject({
      role: z.enum(ROLES),
      delegationId: id.nullable().default(null),
      label: optionalText(LIMITS.name).default(''),
      /** Hours until the link expires; null for never. */
      expiresInHours: z
        .number()
        .int()
        .min(1)
        .max(24 * 365)
        .nullable()
        .default(null),
      /** How many people may join with the link (1: a link for one person); absent for no limit. */
      maxUses: z.number().int().min(1).max(10_000).optional(),
    }),
  ),
  'invitation:revoke': wire<{ invitationId: string; endedSessions: number }>()(
    'manageInvitations',
    /** endSessions: also end the sessions made from the link, closing their connections at once. */
    z.strictObject({ invitationId: id, endSessions: z.boolean().default(false) }),
  ),
  'invitation:list': wire<Invitation[]>()('manageInvitations', z.strictObject({})),
  'participant:setRole': wire<Participant>()(
    'changeRoles',
    z.strictObject({ participantId: id, role: z.enum(ROLES), delegationId: id.nullable().optional() }),
  ),
  'participant:remove': wire<{ participantId: string }>()(
    'changeRoles',
    z.strictObject({ participantId: id }),
  ),
} as const
