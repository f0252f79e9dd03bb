import { z } from 'zod'
import type { AgendaItemId } from '../ids.ts'
import { id, wire } from './define.ts'

/** Where a participant's view goes: the tool of the item under discussion. */
export const MEETING_TOOLS = ['agenda', 'floor', 'board', 'brief', 'votes'] as const
export type MeetingTool = (typeof MEETING_TOOLS)[number]

/** `meeting:timing`: the agenda against the clock, and where the chair's console is. */
export interface TimingView {
  /** Planned start and end of the meeting, local "HH:MM" (null: not set). */
  startTime: string | null
  endTime: string | null
  /** When the current item was opened (ISO), null when none is current. */
  currentStartedAt: string | null
  /** Each item as it was opened and closed, for the minutes. */
  log: { itemId: AgendaItemId; startedAt: string; endedAt: string | null }[]
  /** The chair's focus: followers' views go there. */
  focus: { tool: MeetingTool; voteId: string | null; at: string } | null
  serverNow: string
}

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM')

export const TIMING_COMMANDS = {
  /** The meeting's planned start and end. */
  'agenda:schedule': wire<{ timing: TimingView }>()(
    'changeAgenda',
    z.strictObject({ startTime: clock.nullable(), endTime: clock.nullable() }),
  ),
  /** The chair's console moved to a tool: followers go there too. */
  'agenda:focus': wire<{ timing: TimingView }>()(
    'changeAgenda',
    z.strictObject({ tool: z.enum(MEETING_TOOLS), voteId: id.nullable().optional() }),
  ),
  'agenda:timing': wire<{ timing: TimingView }>()('readDoc', z.strictObject({})),
} as const
