import { ROLES, type Role } from '@roundtable/protocol'
import type { TFunction } from 'i18next'

/**
 * Whose an awareness state is: the `user` fields the server overwrites from the session
 * (PROTOCOL.md, Roles), so nobody can pose as another person, role or delegation. Anything else
 * a client puts in `user` (its caret colour) is its own claim and never names anyone.
 */
export interface PresenceIdentity {
  name: string
  role: Role | null
  /** The delegation's display name as the server stamped it; null when the person has none. */
  delegation: string | null
  participantId: string | null
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null)

/** The identity in an awareness state; states come from anyone, so every field is checked. */
export const identityOf = (state: Record<string, unknown> | null | undefined): PresenceIdentity => {
  const u = state?.user
  const user = typeof u === 'object' && u !== null ? (u as Record<string, unknown>) : {}
  return {
    name: text(user.name) ?? '',
    role: ROLES.find((r) => r === user.role) ?? null,
    delegation: text(user.delegation),
    participantId: text(user.participantId),
  }
}

/** Between a name and its delegation or role; punctuation, the same in every language. */
export const WHO_SEPARATOR = ' · '

/** A label in two parts, so a narrow screen can cut the name short and keep what follows it. */
export interface WhoParts {
  name: string
  /** The delegation or the role word, '' when neither is known. */
  what: string
}

/**
 * How a caret or an "editing" badge names someone: a delegate by their delegation ("Ana Silva ·
 * Portugal"), the chair (and a delegate without a delegation) by their role ("Jean Martin ·
 * Chair"), since with thirty delegations in the room a name alone does not say who speaks for whom.
 */
export const presenceParts = (who: PresenceIdentity, t: TFunction): WhoParts => ({
  name: who.name,
  what:
    who.role === 'delegate' && who.delegation
      ? who.delegation
      : who.role
        ? t(`roles.${who.role}`)
        : (who.delegation ?? ''),
})

/** The whole label in one string: what a screen reader and a tooltip say. */
export const presenceLabel = (who: PresenceIdentity, t: TFunction): string => {
  const { name, what } = presenceParts(who, t)
  return name && what ? `${name}${WHO_SEPARATOR}${what}` : name || what
}
