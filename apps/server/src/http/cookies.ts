import type { IncomingMessage } from 'node:http'

/** Reads one cookie from a raw request (for the upgrade and handshake paths, which bypass Fastify). */
export const readCookie = (req: IncomingMessage, name: string): string | undefined => {
  const header = req.headers.cookie
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim())
      } catch {
        return undefined
      }
    }
  }
  return undefined
}

/** A request's Origin is acceptable when absent (not a browser) or on the allow-list. */
export const originAllowed = (origin: string | undefined, allowed: readonly string[]): boolean =>
  origin === undefined || allowed.includes(origin)

/** Invitation and organiser tokens never reach a log line. */
export const redactUrl = (url: string): string =>
  url.replace(/\/(join|invitations|organiser)\/[^/?#]+/g, '/$1/[redacted]')
