import fastifyHelmet from '@fastify/helmet'
import type { FastifyInstance } from 'fastify'
import { AppError } from '../errors.ts'

/**
 * Response headers for every HTTP answer (the app shell, assets, the API), by @fastify/helmet.
 * The built app loads its scripts and styles as files from this origin, so the policy allows no
 * inline script at all: an injected `<script>` or `onclick=` does not run. Styles may be inline
 * (`style-src 'unsafe-inline'`): the editor and the drag-and-drop layer set `<style>` and style
 * attributes, and a style cannot run code. Nobody may frame the app (clickjacking a chair's button).
 */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  // Same-origin WebSockets (socket.io, /yjs) are covered by 'self'.
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
} as const

export const registerSecurityHeaders = async (app: FastifyInstance): Promise<void> => {
  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    // X-Frame-Options for browsers older than frame-ancestors; nosniff; no Referer to other sites
    // (an invitation URL in the address bar must not leave in a Referer header).
    frameguard: { action: 'deny' },
    noSniff: true,
    referrerPolicy: { policy: 'no-referrer' },
    // The app fetches nothing cross-origin; COEP would only break a future embed.
    crossOriginEmbedderPolicy: false,
  })
  // A production web build writes no source maps (apps/web/vite.config.ts), but a development-mode
  // build does: served, they would hand the readable source to anyone who opens the page.
  app.addHook('onRequest', async (req) => {
    if (req.method === 'GET' || req.method === 'HEAD') {
      const path = req.url.split('?')[0]
      if (path.endsWith('.map')) throw new AppError('RT_ERR_NOT_FOUND')
    }
  })
}
