import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { SESSION_COOKIE } from '@roundtable/protocol'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { buildApp, type RoundtableApp } from '../src/app.ts'
import { readConfig } from '../src/config.ts'
import { type DemoLink, seedMeeting } from '../src/seed.ts'
import { openSqliteStore } from '../src/store/sqlite.ts'
import type { Store } from '../src/store/types.ts'
import type { RoomLimits } from '../src/docs/room.ts'

export const SEED_PATH = resolve(import.meta.dirname, '../../../seeds/oecd-2003.json')
export const DEMO_MEETING = 'oecd-egov-2003'

export interface TestServer {
  rt: RoundtableApp
  store: Store
  port: number
  base: string
  wsBase: string
  links: DemoLink[]
  dataDir: string
  /** Joins through an invitation link; returns the session cookie header value. */
  join(label: RegExp | string, displayName: string): Promise<string>
  close(): Promise<void>
}

/** A real server on port 0 with a fresh SQLite file and the demo meeting. */
export const startServer = async (
  opts: { roomLimits?: Partial<RoomLimits>; env?: Record<string, string> } = {},
) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rt-test-'))
  const parsed = readConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', WEB_DIST: '', ...opts.env })
  if (!parsed.config) throw new Error(parsed.error)
  const store = openSqliteStore({ path: join(dataDir, 'roundtable.sqlite'), synchronous: 'normal' })
  const rt = await buildApp({ config: parsed.config, store, roomLimits: opts.roomLimits })
  await rt.app.listen({ host: '127.0.0.1', port: 0 })
  const address = rt.app.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const { links } = await seedMeeting(store, rt.service, SEED_PATH, dataDir)
  const base = `http://127.0.0.1:${port}`
  const server: TestServer = {
    rt,
    store,
    port,
    base,
    wsBase: `ws://127.0.0.1:${port}`,
    links,
    dataDir,
    join: (label, displayName) => joinByLink(base, findLink(links, label), displayName),
    close: async () => {
      await rt.close()
      await store.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
  return server
}

export const findLink = (links: DemoLink[], label: RegExp | string): string => {
  const l = links.find((x) => (typeof label === 'string' ? x.label === label : label.test(x.label)))
  if (!l) throw new Error(`no invitation link ${label}`)
  return l.url
}

export const tokenOf = (url: string): string => url.split('/join/')[1]

/** Joins through an invitation URL against `base`; returns `rt_session=…` for a Cookie header. */
export const joinByLink = async (base: string, url: string, displayName: string): Promise<string> => {
  const res = await fetch(`${base}/api/invitations/${tokenOf(url)}/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ displayName }),
  })
  if (!res.ok) throw new Error(`join failed: ${res.status} ${await res.text()}`)
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))
  if (!cookie) throw new Error('no session cookie')
  return cookie.split(';')[0]
}

export interface YClient {
  doc: Y.Doc
  provider: WebsocketProvider
  synced: Promise<void>
  destroy(): void
}

/** A Node Yjs client over the real y-websocket protocol; BroadcastChannel is off so only the server can sync it. */
export const yClient = (
  wsBase: string,
  docName: string,
  cookie: string | null,
  opts: { origin?: string; doc?: Y.Doc } = {},
): YClient => {
  const doc = opts.doc ?? new Y.Doc()
  const headers: Record<string, string> = {}
  if (cookie) headers.cookie = cookie
  if (opts.origin) headers.origin = opts.origin
  class CookieSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers })
    }
  }
  const provider = new WebsocketProvider(`${wsBase}/yjs`, docName, doc, {
    WebSocketPolyfill: CookieSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 300,
  })
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve()
    provider.on('sync', (s: boolean) => s && resolve())
  })
  return {
    doc,
    provider,
    synced,
    destroy: () => {
      provider.destroy()
      doc.destroy()
    },
  }
}

export const waitFor = async (check: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> => {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
