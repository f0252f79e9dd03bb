import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { createWriter, openDatabase } from '../src/store/sqlite-writer.mjs'
import { SQLITE_SCHEMA_VERSION } from '../src/store/migrations/sqlite.ts'
import { openSqliteStore } from '../src/store/sqlite.ts'
import { runStoreContract } from './store.contract.ts'

let dir = ''
const path = () => join(dir, 'roundtable.sqlite')

runStoreContract(
  'sqlite',
  async () => {
    dir = mkdtempSync(join(tmpdir(), 'rt-store-'))
    return openSqliteStore({ path: path() })
  },
  async () => rmSync(dir, { recursive: true, force: true }),
  // A second connection to the same file, as another process would have.
  async (sql) => {
    const db = new Database(path())
    try {
      const stmt = db.prepare(sql)
      if (stmt.reader) return stmt.all() as Record<string, unknown>[]
      stmt.run()
      return []
    } finally {
      db.close()
    }
  },
  SQLITE_SCHEMA_VERSION,
)

describe('SQLite writer', () => {
  const fresh = () => {
    const d = mkdtempSync(join(tmpdir(), 'rt-writer-'))
    return { dir: d, file: join(d, 'roundtable.sqlite') }
  }

  it('a full disk fails the writes of that commit, never the writer: the next commit goes through', async () => {
    const { dir: d, file } = fresh()
    await openSqliteStore({ path: file, inlineWrites: true }).close()
    const db = openDatabase(file, 'normal')
    const writer = createWriter(db)
    db.pragma('max_page_count = 20')
    const big = new Uint8Array(200_000)
    const small = new Uint8Array([1, 2, 3])
    // Alone, and grouped with a write that would have fitted: SQLite rolls back the whole transaction.
    expect(writer.group([{ op: 'append', doc: 'd', updates: [big] }])[0]).toMatchObject({
      ok: false,
      error: { code: 'SQLITE_FULL' },
    })
    const grouped = writer.group([
      { op: 'append', doc: 'e', updates: [small] },
      { op: 'append', doc: 'd', updates: [big] },
    ])
    expect(grouped.map((o) => o.ok)).toEqual([false, false])
    expect(db.inTransaction).toBe(false)
    db.pragma('max_page_count = 1073741823')
    expect(writer.group([{ op: 'append', doc: 'e', updates: [small] }])[0]).toEqual({ ok: true, value: 1 })
    db.close()
    rmSync(d, { recursive: true, force: true })
  })

  it('eagerWriter starts the writer thread at open, before any write; close stops it', async () => {
    // Linux: one entry per thread of this process.
    const threads = () => readdirSync('/proc/self/task').length
    const until = async (ok: () => boolean) => {
      for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10))
      return ok()
    }
    const { dir: d, file } = fresh()
    const before = threads()
    const store = openSqliteStore({ path: file, eagerWriter: true })
    expect(await until(() => threads() > before)).toBe(true)
    const eager = threads()
    expect(await store.appendUpdates('d', [new Uint8Array([1])])).toBe(1)
    expect(threads()).toBe(eager) // the write used the thread already there
    await store.close()
    expect(await until(() => threads() === before)).toBe(true)
    // Without the option, opening starts no thread.
    const lazy = openSqliteStore({ path: file })
    await new Promise((r) => setTimeout(r, 200))
    expect(threads()).toBe(before)
    await lazy.close()
    rmSync(d, { recursive: true, force: true })
  })

  it('closing with writes still in flight waits for them: all are stored', async () => {
    const { dir: d, file } = fresh()
    const store = openSqliteStore({ path: file, synchronous: 'normal' })
    const writes = Array.from({ length: 200 }, (_, i) =>
      store.appendUpdates('d', [new Uint8Array([i & 255])]),
    )
    await store.close()
    expect((await Promise.allSettled(writes)).every((r) => r.status === 'fulfilled')).toBe(true)
    const again = openSqliteStore({ path: file })
    expect((await again.loadDoc('d')).updates).toHaveLength(200)
    await again.close()
    rmSync(d, { recursive: true, force: true })
  })
})
