import type { MeetingCommands, MeetingContext } from '../context.ts'
import { TIMING_STATE_KEY, type Timing, timingView } from './state.ts'

export * from './state.ts'

const commitTiming = async (
  ctx: MeetingContext,
  action: string,
  detail: Record<string, unknown>,
  timing: Timing,
) => {
  await ctx.commit({
    action,
    detail,
    writes: (store) => [store.putMeetingState(ctx.meetingId, TIMING_STATE_KEY, timing)],
    next: { timing },
  })
  ctx.after(() => ctx.services.events.emit('timing', ctx.meetingId, timing))
  return { timing: timingView(timing, ctx.now()) }
}

/** The agenda against the clock, and the chair's focus that followers' views go to. */
export const TIMING = {
  'agenda:schedule': {
    changes: ['timing'],
    run: async (ctx, a) =>
      commitTiming(ctx, 'agenda.schedule', a, {
        ...(await ctx.part('timing')),
        startTime: a.startTime,
        endTime: a.endTime,
      }),
  },
  'agenda:focus': {
    changes: ['timing'],
    run: async (ctx, a) => {
      const focus = { tool: a.tool, voteId: a.voteId ?? null, at: ctx.now().toISOString() }
      const timing = { ...(await ctx.part('timing')), focus }
      // Where the chair looks is not a meeting action worth a line of the record each time.
      await ctx.commit({
        action: 'agenda.focus',
        detail: focus,
        writes: (store) => [store.putMeetingState(ctx.meetingId, TIMING_STATE_KEY, timing)],
        next: { timing },
        audit: false,
      })
      ctx.after(() => ctx.services.events.emit('timing', ctx.meetingId, timing))
      return { timing: timingView(timing, ctx.now()) }
    },
  },
  'agenda:timing': {
    changes: [],
    run: async (ctx) => ({ timing: timingView(await ctx.part('timing'), ctx.now()) }),
  },
} satisfies MeetingCommands<'agenda:schedule' | 'agenda:focus' | 'agenda:timing'>
