import type { FloorView, MeetingId } from '@roundtable/protocol'
import { AppError } from '../../errors.ts'
import type { MeetingCommands, MeetingContext } from '../context.ts'
import { newId } from '../tokens.ts'
import {
  configure,
  end,
  FLOOR_STATE_KEY,
  type FloorOutcome,
  type FloorState,
  grant,
  next,
  request,
  withdraw,
} from './rules.ts'

export { FLOOR_STATE_KEY } from './rules.ts'

export const floorView = (s: FloorState, now: Date): FloorView => ({
  config: s.config,
  queue: s.queue,
  speaker: s.speaker,
  spoken: s.spoken,
  serverNow: now.toISOString(),
})

/**
 * Applies a floor rule in the meeting's turn: refused with its reason (nothing changes), else the new
 * queue is committed (with the finished turn, for the minutes) and announced once durable.
 */
const applyRule = async (
  ctx: MeetingContext,
  action: string,
  detail: Record<string, unknown>,
  rule: (s: FloorState, nowIso: string, itemId: string | null) => FloorOutcome,
  audit: boolean,
): Promise<{ floor: FloorView }> => {
  const [state, agenda] = await Promise.all([ctx.part('floor'), ctx.part('agenda')])
  const now = ctx.now()
  const out = rule(state, now.toISOString(), agenda.currentItemId)
  if (out.error !== undefined) throw new AppError('RT_ERR_CONFLICT', out.error)
  const meetingId: MeetingId = ctx.meetingId
  await ctx.commit({
    action,
    detail: { ...detail, ...(out.turn ? { ended: out.turn } : {}) },
    writes: (store) => [
      store.putMeetingState(meetingId, FLOOR_STATE_KEY, out.state),
      ...(out.turn ? [store.appendFloorTurn(meetingId, out.turn)] : []),
    ],
    next: { floor: out.state },
    audit: audit || out.turn !== undefined,
  })
  ctx.after(() => ctx.services.events.emit('floor', meetingId, out.state))
  return { floor: floorView(out.state, now) }
}

const requireSelf = (ctx: MeetingContext) => {
  if (!ctx.self) throw new AppError('RT_ERR_FORBIDDEN', 'Only participants ask for the floor.')
  return ctx.self
}

/** The speaker queue: delegates ask, the chair gives the floor and keeps time. */
export const FLOOR = {
  'floor:request': {
    changes: ['floor'],
    run: (ctx) => {
      const self = requireSelf(ctx)
      return applyRule(
        ctx,
        'floor.request',
        { participantId: self.id },
        (s, now) => request(s, self, newId(), now),
        false,
      )
    },
  },
  'floor:pointOfOrder': {
    changes: ['floor'],
    run: (ctx) => {
      const self = requireSelf(ctx)
      return applyRule(
        ctx,
        'floor.pointOfOrder',
        { participantId: self.id },
        (s, now) => request(s, self, newId(), now, true),
        true,
      )
    },
  },
  'floor:withdraw': {
    changes: ['floor'],
    run: (ctx) => {
      const self = requireSelf(ctx)
      return applyRule(ctx, 'floor.withdraw', { participantId: self.id }, (s) => withdraw(s, self), false)
    },
  },
  'floor:grant': {
    changes: ['floor'],
    run: (ctx, a) =>
      applyRule(
        ctx,
        'floor.grant',
        { requestId: a.requestId },
        (s, now, item) => grant(s, a.requestId, now, item),
        true,
      ),
  },
  'floor:next': {
    changes: ['floor'],
    run: (ctx) => applyRule(ctx, 'floor.next', {}, (s, now, item) => next(s, now, item), true),
  },
  'floor:end': {
    changes: ['floor'],
    run: (ctx) => applyRule(ctx, 'floor.end', {}, (s, now, item) => end(s, now, item), true),
  },
  'floor:configure': {
    changes: ['floor'],
    run: (ctx, a) => {
      const change = Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined))
      return applyRule(ctx, 'floor.configure', change, (s) => configure(s, change), true)
    },
  },
  'floor:state': {
    changes: [],
    run: async (ctx) => ({ floor: floorView(await ctx.part('floor'), ctx.now()) }),
  },
} satisfies MeetingCommands<
  | 'floor:request'
  | 'floor:pointOfOrder'
  | 'floor:withdraw'
  | 'floor:grant'
  | 'floor:next'
  | 'floor:end'
  | 'floor:configure'
  | 'floor:state'
>
