import { z } from 'zod'
import { ID_PATTERN } from '../ids.ts'
import type { Permission } from '../roles.ts'

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

export const id = z.string().regex(ID_PATTERN, 'must be an id')
// Control characters (NUL above all: PostgreSQL text refuses it) have no place in names and titles.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/
// Bidirectional controls (embeddings, overrides, isolates, marks) can make a name or title read as
// something else ("Mark Forman" drawn from other letters, a file name whose end runs backwards).
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/
const clean = (s: string) => !CONTROL.test(s) && !BIDI.test(s)
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine(clean, 'must not contain control or bidirectional override characters')
export const optionalText = (max: number) =>
  z.string().trim().max(max).refine(clean, 'must not contain control or bidirectional override characters')
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')

/**
 * A command as clients see it: who may send it, the payload schema, and (as a type only) what its
 * ack carries. The server's behaviour for it lives in its domain's folder under apps/server.
 */
export interface WireCommand<S extends z.ZodType, R> {
  readonly permission: Permission
  readonly input: S
  /** Never set: carries the result type. */
  readonly result?: R
}

/** `wire<Result>()(permission, schema)`: the result type is named, the schema's type inferred. */
export const wire =
  <R>() =>
  <S extends z.ZodType>(permission: Permission, input: S): WireCommand<S, R> => ({ permission, input })
