import { asDelegationId, asInvitationId, type Delegation, type Participant } from '@roundtable/protocol'
import { AppError } from '../../errors.ts'
import { isUniqueViolation } from '../../store/types.ts'
import { type MeetingCommands, participantsWith, requireDelegation, requireParticipant } from '../context.ts'
import { newId } from '../tokens.ts'
import { createInvitation } from './invitations.ts'

/** Delegations, invitations and roles: who takes part in the meeting, and as what. */
export const ACCESS = {
  'delegation:add': {
    changes: ['delegations'],
    async run(ctx, a) {
      const existing = await ctx.part('delegations')
      if (existing.some((d) => d.name.toLowerCase() === a.name.toLowerCase()))
        throw new AppError('RT_ERR_CONFLICT', 'A delegation with that name exists already.')
      const d: Delegation = { id: asDelegationId(newId()), meetingId: ctx.meetingId, name: a.name }
      // Sorted by name in code-unit order, as the stores list them.
      const delegations = [...existing, d].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))
      const durable = await ctx
        .commit({
          action: 'delegation.add',
          detail: { delegationId: d.id, name: d.name },
          writes: (store) => [store.putDelegation(d)],
          next: { delegations },
        })
        .catch((err: unknown) => {
          // The database's constraint backs the check above (one name per meeting, ignoring case).
          if (isUniqueViolation(err))
            throw new AppError('RT_ERR_CONFLICT', 'A delegation with that name exists already.')
          throw err
        })
      ctx.after(() => ctx.services.events.emit('delegations', ctx.meetingId, durable.delegations!))
      return d
    },
  },
  'invitation:create': {
    changes: [],
    run: (ctx, a) => createInvitation(ctx, ctx.services.publicUrl, ctx.by, a, ctx.now()),
  },
  'invitation:revoke': {
    changes: [],
    async run(ctx, a) {
      // Commands of a meeting run one at a time, so the invitation found active here is still active below.
      const active = (await ctx.store.listInvitations(ctx.meetingId)).some(
        (i) => i.id === a.invitationId && i.revokedAt === null,
      )
      if (!active) throw new AppError('RT_ERR_NOT_FOUND', 'No such active invitation in this meeting.')
      const invitationId = asInvitationId(a.invitationId)
      await ctx.commit({
        action: 'invitation.revoke',
        detail: { invitationId, endSessions: a.endSessions },
        writes: (store) => [store.revokeInvitation(ctx.meetingId, invitationId, ctx.now().toISOString())],
      })
      // After the revocation is durable, so no new session can be made from the link meanwhile.
      const ended = a.endSessions ? await ctx.store.deleteSessionsOfInvitation(invitationId) : []
      if (ended.length > 0) ctx.after(() => ctx.services.events.emit('sessionsEnded', ended))
      return { invitationId: a.invitationId, endedSessions: ended.length }
    },
  },
  'invitation:list': {
    changes: [],
    run: (ctx) => ctx.store.listInvitations(ctx.meetingId),
  },
  'participant:setRole': {
    changes: ['participants'],
    async run(ctx, a) {
      const target = await requireParticipant(ctx, a.participantId)
      if (ctx.self && target.id === ctx.self.id)
        throw new AppError('RT_ERR_CONFLICT', 'You cannot change your own role.')
      const delegationId =
        a.delegationId === undefined
          ? target.delegationId
          : a.delegationId === null
            ? null
            : asDelegationId(a.delegationId)
      if (delegationId) await requireDelegation(ctx, delegationId)
      const next: Participant = { ...target, role: a.role, delegationId }
      await ctx.commit({
        action: 'participant.setRole',
        detail: {
          participantId: target.id,
          name: target.displayName,
          from: target.role,
          to: a.role,
          delegationId,
        },
        writes: (store) => [store.putParticipant(next)],
        next: await participantsWith(ctx, next),
      })
      ctx.after(() => ctx.services.events.emit('participant', next))
      return next
    },
  },
  'participant:remove': {
    changes: ['participants'],
    async run(ctx, a) {
      const target = await requireParticipant(ctx, a.participantId)
      if (ctx.self && target.id === ctx.self.id)
        throw new AppError('RT_ERR_CONFLICT', 'You cannot remove yourself.')
      const next = { ...target, removed: true }
      await ctx.commit({
        action: 'participant.remove',
        detail: { participantId: target.id, name: target.displayName },
        writes: (store) => [store.putParticipant(next)],
        next: await participantsWith(ctx, next),
      })
      ctx.after(() => ctx.services.events.emit('participant', next))
      return { participantId: target.id }
    },
  },
} satisfies MeetingCommands<
  | 'delegation:add'
  | 'invitation:create'
  | 'invitation:revoke'
  | 'invitation:list'
  | 'participant:setRole'
  | 'participant:remove'
>
