export * from './close-codes.ts'
export * from './commands.ts'
export * from './errors.ts'
export * from './ids.ts'
export * from './models.ts'
export * from './roles.ts'

/** Bumped when a message shape changes incompatibly. */
export const PROTOCOL_VERSION = 2
/** Session cookie names. */
export const SESSION_COOKIE = 'rt_session'
export const ORGANISER_COOKIE = 'rt_organiser'
