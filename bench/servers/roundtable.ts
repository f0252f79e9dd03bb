// Roundtable as shipped, for the benchmark: buildApp with the real SQLite store (sessions, roles,
// persistence before relaying). The database is a copy of a template prepared by the suite with the
// demo meeting and the benchmark's participants already joined. Prints `READY {"port":…}` when listening.
import { join } from 'node:path'
import { buildApp } from '../../apps/server/src/app.ts'
import { readConfig } from '../../apps/server/src/config.ts'
import { openSqliteStore } from '../../apps/server/src/store/sqlite.ts'

const dataDir = process.env.BENCH_DATA_DIR
if (!dataDir) throw new Error('BENCH_DATA_DIR is required')
const parsed = readConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  DATA_DIR: dataDir,
  LOG_LEVEL: 'silent',
  SEED_DEMO: 'false',
  WEB_DIST: '',
  SQLITE_SYNC: process.env.SQLITE_SYNC || 'full',
})
if (parsed.error !== undefined) throw new Error(parsed.error)
const config = parsed.config
// Experiments only (never in a reported run): BENCH_SQLITE_INLINE=1 writes on the main thread, as before the writer thread.
const store = openSqliteStore({
  path: join(dataDir, 'roundtable.sqlite'),
  synchronous: config.sqliteSync,
  eagerWriter: true, // as openStore (the server's main) opens it
  inlineWrites: process.env.BENCH_SQLITE_INLINE === '1',
})
// Experiments only (never in a reported run): BENCH_ROOM_LIMITS='{"presenceRelayMs":500}'.
const roomLimits = process.env.BENCH_ROOM_LIMITS ? JSON.parse(process.env.BENCH_ROOM_LIMITS) : undefined
const rt = await buildApp({ config, store, roomLimits })
await rt.app.listen({ host: config.host, port: 0 })
const address = rt.app.server.address()
const port = typeof address === 'object' && address ? address.port : 0
console.log(`READY ${JSON.stringify({ port, sqliteSync: config.sqliteSync })}`)

const stop = async () => {
  const force = setTimeout(() => process.exit(1), 5_000)
  force.unref()
  await rt.close().catch(() => {})
  await store.close().catch(() => {})
  process.exit(0)
}
process.on('SIGTERM', () => void stop())
process.on('SIGINT', () => void stop())
