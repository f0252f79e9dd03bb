import type { MeetingCommands } from '../context.ts'

/** The meeting's record: the audit log. */
export const RECORDS = {
  'audit:list': {
    changes: [],
    run: (ctx, a) => ctx.store.listAudit(ctx.meetingId, a.afterSeq),
  },
} satisfies MeetingCommands<'audit:list'>
