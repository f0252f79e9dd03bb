// The storage floor of Roundtable's update latency: one durable append (SQLite, writer thread, fsync
// per SQLITE_SYNC) at a time, 5 ms apart, on an otherwise idle pinned process, with the store opened as
// the server opens it. Every relayed update pays at least this; the in-memory peers pay none of it.
// Prints `RESULT {"p50":…,"p99":…,"cpuUs":…}`.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSqliteStore } from '../../apps/server/src/store/sqlite.ts'

console.log('READY {}')
const sync = process.env.SQLITE_SYNC === 'normal' ? 'normal' : 'full'
const n = Number(process.env.FLOOR_WRITES || 300)
const dir = mkdtempSync(join(tmpdir(), 'rt-floor-'))
const store = openSqliteStore({ path: join(dir, 'floor.sqlite'), synchronous: sync, eagerWriter: true })
const update = new Uint8Array(60) // about one keystroke
for (let i = 0; i < 20; i++) await store.appendUpdates('warm-up', [update])
const times: number[] = []
const cpu0 = process.cpuUsage()
for (let i = 0; i < n; i++) {
  const t = performance.now()
  await store.appendUpdates('brief', [update])
  times.push(performance.now() - t)
  await new Promise((r) => setTimeout(r, 5))
}
const cpu = process.cpuUsage(cpu0)
await store.close()
rmSync(dir, { recursive: true, force: true })
times.sort((a, b) => a - b)
const at = (q: number) =>
  Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] * 100) / 100
// CPU includes the 5 ms timer between writes, as an idle server's loop would.
console.log(
  `RESULT ${JSON.stringify({ sync, p50: at(0.5), p99: at(0.99), cpuUs: Math.round((cpu.user + cpu.system) / n) })}`,
)
