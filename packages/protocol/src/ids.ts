/** Branded ids: a vote id can never be passed where a meeting id is expected. */
export type Brand<T, B extends string> = T & { readonly __brand: B }

export type MeetingId = Brand<string, 'MeetingId'>
export type ParticipantId = Brand<string, 'ParticipantId'>
export type DelegationId = Brand<string, 'DelegationId'>
export type AgendaItemId = Brand<string, 'AgendaItemId'>
export type InvitationId = Brand<string, 'InvitationId'>
export type DocName = Brand<string, 'DocName'>
export type PriorityId = Brand<string, 'PriorityId'>

export const asMeetingId = (s: string) => s as MeetingId
export const asParticipantId = (s: string) => s as ParticipantId
export const asDelegationId = (s: string) => s as DelegationId
export const asAgendaItemId = (s: string) => s as AgendaItemId
export const asInvitationId = (s: string) => s as InvitationId
export const asPriorityId = (s: string) => s as PriorityId

/** Ids are URL-safe and short: 1–64 of [A-Za-z0-9_-]. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/
