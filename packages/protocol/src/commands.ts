import { z } from 'zod'
import { AGENDA_KINDS } from './models.ts'
import { ROLES } from './roles.ts'

/** Size limits (characters) for every text a user can send. */
export const LIMITS = {
  title: 200,
  name: 80,
  description: 4000,
  agendaItems: 100,
  /** Largest socket.io message, bytes. */
  eventBytes: 16 * 1024,
  /** Largest Yjs WebSocket frame, bytes: a paste of a long brief fits; a runaway client does not. */
  yjsFrameBytes: 1024 * 1024,
} as const

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an id')
// Control characters (NUL above all: PostgreSQL text refuses it) have no place in names and titles.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !CONTROL.test(s), 'must not contain control characters')
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => !CONTROL.test(s), 'must not contain control characters')
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')

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
 * Meeting commands: the same names and schemas on socket.io (event name = command name, with an ack)
 * and on HTTP (POST /api/meetings/:meetingId/commands/:name).
 */
export const COMMANDS = {
  'agenda:add': z.strictObject({
    title: text(LIMITS.title),
    kind: z.enum(AGENDA_KINDS),
    durationMinutes: z
      .number()
      .int()
      .min(0)
      .max(24 * 60),
  }),
  'agenda:update': z.strictObject({
    itemId: id,
    title: text(LIMITS.title).optional(),
    kind: z.enum(AGENDA_KINDS).optional(),
    durationMinutes: z
      .number()
      .int()
      .min(0)
      .max(24 * 60)
      .optional(),
  }),
  'agenda:remove': z.strictObject({ itemId: id }),
  'agenda:reorder': z.strictObject({ itemIds: z.array(id).max(LIMITS.agendaItems) }),
  'agenda:setCurrent': z.strictObject({ itemId: id.nullable() }),
  'delegation:add': z.strictObject({ name: text(LIMITS.name) }),
  'invitation:create': z.strictObject({
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
  }),
  'invitation:revoke': z.strictObject({ invitationId: id }),
  'invitation:list': z.strictObject({}),
  'participant:setRole': z.strictObject({
    participantId: id,
    role: z.enum(ROLES),
    delegationId: id.nullable().optional(),
  }),
  'participant:remove': z.strictObject({ participantId: id }),
  'audit:list': z.strictObject({ afterSeq: z.number().int().min(0).default(0) }),
} as const
export type CommandName = keyof typeof COMMANDS
export type CommandInput<N extends CommandName> = z.input<(typeof COMMANDS)[N]>
export type CommandArgs<N extends CommandName> = z.output<(typeof COMMANDS)[N]>

export const isCommandName = (s: string): s is CommandName => Object.hasOwn(COMMANDS, s)

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
