import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeBriefOutline } from '@roundtable/doc-schema'
import * as Y from 'yjs'
import { runtimeEnv } from '../../apps/server/src/runtime-env.ts'
import { roundtableBundle } from './bundle.ts'
import { BENCH_DIR, ROOT_DIR, type Server, startPinned } from './proc.ts'
import { copyTemplate, type RoundtableTemplate, removeDir } from './roundtable-db.ts'
import type { Endpoint } from './yclient.ts'

export interface Started {
  server: Server
  endpoint: Endpoint
  /** Peers start with an empty document: the generator's first client sends them Roundtable's seeded brief. */
  seedUpdate: Uint8Array | null
  stop(): Promise<void>
}

export interface YjsCandidate {
  id: string
  peer: boolean
  start(tpl: RoundtableTemplate, roles: { writers: number }): Promise<Started>
}

/** The demo brief as Roundtable seeds it, so every server syncs the same starting document. */
export const seedBriefUpdate = (): Uint8Array => {
  const seed = JSON.parse(readFileSync(join(ROOT_DIR, 'seeds/oecd-2003.json'), 'utf8'))
  const doc = new Y.Doc()
  writeBriefOutline(doc, seed.brief)
  return Y.encodeStateAsUpdate(doc)
}

const freePort = async (): Promise<number> => {
  const net = await import('node:net')
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.listen(0, '127.0.0.1', () => {
      const a = s.address()
      const port = typeof a === 'object' && a ? a.port : 0
      s.close(() => resolve(port))
    })
    s.on('error', reject)
  })
}

/** `--profile`: the Roundtable child writes a V8 CPU profile (open it in Chrome DevTools) on exit. */
export const profileArgs = (): string[] =>
  process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []

/**
 * Roundtable's server as `pnpm start` runs it: the production bundle with the launch settings of
 * apps/server/runtime.env (V8 young-generation cap, malloc arenas), unless the caller's environment sets them.
 */
export const startRoundtable = async (env: Record<string, string>): Promise<Server> =>
  startPinned('roundtable', [...profileArgs(), await roundtableBundle()], { ...runtimeEnv(), ...env })

const roundtable = (sync: 'full' | 'normal'): YjsCandidate => ({
  id: sync === 'full' ? 'roundtable' : 'roundtable-normal',
  peer: false,
  async start(tpl, roles) {
    const dataDir = copyTemplate(tpl)
    try {
      const server = await startRoundtable({
        BENCH_DATA_DIR: dataDir,
        SQLITE_SYNC: sync,
      })
      return {
        server,
        seedUpdate: null,
        endpoint: {
          flavor: 'yws',
          port: server.port,
          path: `/yjs/${tpl.briefDoc}`,
          docName: tpl.briefDoc,
          // Writers are delegates (may write); everyone else follows as an observer (read-only).
          cookie: (i) => (i < roles.writers ? tpl.delegates[i] : tpl.observers[i - roles.writers]),
        },
        async stop() {
          await server.stop()
          removeDir(dataDir)
        },
      }
    } catch (err) {
      removeDir(dataDir)
      throw err
    }
  },
})

const yWebsocket: YjsCandidate = {
  id: 'y-websocket',
  peer: true,
  async start(tpl) {
    const port = await freePort()
    const server = await startPinned('y-websocket', [join(BENCH_DIR, 'servers/y-websocket.mjs')], {
      PORT: String(port),
    })
    return {
      server,
      seedUpdate: seedBriefUpdate(),
      endpoint: { flavor: 'yws', port, path: `/${tpl.briefDoc}`, docName: tpl.briefDoc },
      stop: () => server.stop(),
    }
  },
}

const hocuspocus: YjsCandidate = {
  id: 'hocuspocus',
  peer: true,
  async start(tpl) {
    const server = await startPinned('hocuspocus', [join(BENCH_DIR, 'servers/hocuspocus.mjs')])
    return {
      server,
      seedUpdate: seedBriefUpdate(),
      endpoint: { flavor: 'hocus', port: server.port, path: '/', docName: tpl.briefDoc },
      stop: () => server.stop(),
    }
  },
}

export const yjsCandidates = (withNormal: boolean): YjsCandidate[] => [
  roundtable('full'),
  ...(withNormal ? [roundtable('normal')] : []),
  yWebsocket,
  hocuspocus,
]
