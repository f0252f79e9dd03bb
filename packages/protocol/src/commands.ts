import { z } from 'zod'
import type { Permission } from './roles.ts'
import { ACCESS_COMMANDS } from './commands/access.ts'
import { AGENDA_COMMANDS } from './commands/agenda.ts'
import { BOARD_COMMANDS } from './commands/board.ts'
import { FLOOR_COMMANDS } from './commands/floor.ts'
import { TIMING_COMMANDS } from './commands/timing.ts'
import { VOTE_COMMANDS } from './commands/votes.ts'
import { isoDate, LIMITS, optionalText, text } from './commands/define.ts'
import { RECORDS_COMMANDS } from './commands/records.ts'
import { DRAFTING_COMMANDS } from './commands/drafting.ts'

export * from './commands/board.ts'
export * from './commands/votes.ts'
export * from './commands/floor.ts'
export * from './commands/timing.ts'
export * from './commands/drafting.ts'
export { LIMITS, type WireCommand } from './commands/define.ts'

export const JoinBody = z.strictObject({
  displayName: text(LIMITS.name),
})
export type JoinBody = z.infer<typeof JoinBody>

export const CreateMeetingBody = z.strictObject({
  title: text(LIMITS.title),
  date: isoDate,
  place: optionalText(LIMITS.title).default(''),
  description: optionalText(LIMITS.description).default(''),
  chairName: optionalText(LIMITS.name).default(''),
})
export type CreateMeetingBody = z.infer<typeof CreateMeetingBody>

/**
 * Every meeting command, by domain: the same names and schemas on socket.io (event name = command
 * name, with an ack) and on HTTP (POST /api/meetings/:meetingId/commands/:name). Adding one: its
 * entry in its domain's file under ./commands/, and its definition in the server's domain folder
 * (the server's registry does not compile without one for every name here).
 */
export const WIRE_COMMANDS = {
  ...AGENDA_COMMANDS,
  ...ACCESS_COMMANDS,
  ...RECORDS_COMMANDS,
  ...BOARD_COMMANDS,
  ...VOTE_COMMANDS,
  ...FLOOR_COMMANDS,
  ...TIMING_COMMANDS,
  ...DRAFTING_COMMANDS,
} as const
type Wire = typeof WIRE_COMMANDS
export type CommandName = keyof Wire

/** Each command's payload schema. */
export const COMMANDS = Object.fromEntries(
  Object.entries(WIRE_COMMANDS).map(([name, c]) => [name, c.input]),
) as { readonly [N in CommandName]: Wire[N]['input'] }

/** Who may send each command (the server checks; the client only hides controls). */
export const COMMAND_PERMISSION = Object.fromEntries(
  Object.entries(WIRE_COMMANDS).map(([name, c]) => [name, c.permission]),
) as { readonly [N in CommandName]: Permission }

export type CommandInput<N extends CommandName> = z.input<Wire[N]['input']>
export type CommandArgs<N extends CommandName> = z.output<Wire[N]['input']>
/** What a command's ack carries in `data`. */
export type CommandResult<N extends CommandName> = NonNullable<Wire[N]['result']>

/** Events the server pushes on socket.io. */
export const SERVER_EVENTS = {
  state: 'meeting:state',
  agenda: 'meeting:agenda',
  /** One participant joined or changed (ParticipantView; `removed: true` means drop them). */
  participant: 'meeting:participant',
  /** Who came online or went away since the last one: `{ online: ids, offline: ids }`, coalesced. */
  presence: 'meeting:presence',
  delegations: 'meeting:delegations',
  me: 'meeting:me',
  ended: 'meeting:sessionEnded',
  /** The board's aggregate (BoardView), within a second of any change, bursts coalesced. */
  board: 'meeting:board',
  /** A vote changed (VoteView): status, turnout, and the result once closed. */
  vote: 'meeting:vote',
  /** The speaker queue and the current speaker (FloorView). */
  floor: 'meeting:floor',
  /** The agenda against the clock and the chair's focus (TimingView). */
  timing: 'meeting:timing',
  /** One draft, comment, amendment, bracket or version changed (DraftingEvent). */
  drafting: 'meeting:drafting',
} as const

/** Parse at the boundary: errors are values. */
export type Parsed<T> =
  | { data: T; error?: undefined }
  | { data?: undefined; error: { path: string; message: string }[] }

export const parseWith = <S extends z.ZodType>(schema: S, input: unknown): Parsed<z.output<S>> => {
  const r = schema.safeParse(input)
  if (r.success) return { data: r.data }
  return { error: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) }
}
