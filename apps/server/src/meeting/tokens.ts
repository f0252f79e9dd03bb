import { createHash, randomBytes } from 'node:crypto'

/** 192 random bits, URL-safe. Only the hash is stored, so a database copy cannot be replayed as links. */
export const newToken = (): string => randomBytes(24).toString('base64url')
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url')
/** Short ids for rows (not secrets). */
export const newId = (): string => randomBytes(9).toString('base64url')
