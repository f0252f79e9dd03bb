import { mkdtempSync, readlinkSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { createWriter, openDatabase } from '../src/store/sqlite-writer.ts'
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

  describe('commits on the calling thread, each acknowledged only once the log is synced', () => {
    // Holds every sync of the log until the test releases it, and records which file it was asked to sync.
    const gatedSync = () => {
      const held: { file: string; done: (err: NodeJS.ErrnoException | null) => void }[] = []
      const syncFile = (fd: number, cb: (err: NodeJS.ErrnoException | null) => void) =>
        held.push({ file: readlinkSync(`/proc/self/fd/${fd}`), done: cb })
      return { held, syncFile }
    }
    const opened = (synchronous: 'full' | 'normal' = 'full') => {
      const { dir: d, file } = fresh()
      const gate = gatedSync()
      const store = openSqliteStore({ path: file, synchronous, syncFile: gate.syncFile })
      return { file, gate, store, remove: () => rmSync(d, { recursive: true, force: true }) }
    }
    const settled = (p: Promise<unknown>) => {
      const state = { done: false, value: undefined as unknown, error: null as Error | null }
      p.then(
        (v) => Object.assign(state, { done: true, value: v }),
        (e) => Object.assign(state, { done: true, error: e }),
      )
      return state
    }
    const turns = async (n = 5) => {
      for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r))
    }
    // The first sync also syncs the log's directory, for real, on the thread pool.
    const until = async (ok: () => boolean) => {
      for (let i = 0; i < 500 && !ok(); i++) await new Promise((r) => setTimeout(r, 2))
      expect(ok()).toBe(true)
    }

    it('a write resolves after the sync of the write-ahead log that follows its commit, not before', async () => {
      const { file, gate, store, remove } = opened()
      const first = settled(store.appendUpdates('d', [new Uint8Array([1])]))
      await turns()
      expect(gate.held).toHaveLength(1)
      expect(gate.held[0].file).toBe(`${file}-wal`)
      // Committed (another connection sees it) but not acknowledged until the log is on disk.
      const other = new Database(file, { readonly: true })
      expect(other.prepare('SELECT COUNT(*) AS n FROM doc_updates').get()).toEqual({ n: 1 })
      other.close()
      expect(first.done).toBe(false)
      gate.held[0].done(null)
      await until(() => first.done)
      expect(first).toMatchObject({ done: true, value: 1 })
      await store.close()
      remove()
    })

    it('writes that arrive during a sync share the next commit and its one sync, in order', async () => {
      const { gate, store, remove } = opened()
      const a = settled(store.appendUpdates('d', [new Uint8Array([1])]))
      await turns()
      const more = [2, 3, 4].map((i) => settled(store.appendUpdates('d', [new Uint8Array([i])])))
      await turns()
      expect(gate.held).toHaveLength(1) // the three wait: nothing is committed while the sync runs
      gate.held[0].done(null)
      await until(() => a.done && gate.held.length === 2)
      await turns()
      expect(a.value).toBe(1)
      expect(gate.held).toHaveLength(2) // one commit and one sync for all three
      expect(more.some((w) => w.done)).toBe(false)
      gate.held[1].done(null)
      await turns()
      expect(more.map((w) => w.value)).toEqual([2, 3, 4])
      expect((await store.loadDoc('d')).updates.map((u) => u[0])).toEqual([1, 2, 3, 4])
      await store.close()
      remove()
    })

    it('a failed sync fails its writes and refuses every later one with a clear error', async () => {
      const { gate, store, remove } = opened()
      const lost = settled(store.appendUpdates('d', [new Uint8Array([1])]))
      await turns()
      const queued = settled(store.appendUpdates('d', [new Uint8Array([2])]))
      gate.held[0].done(Object.assign(new Error('I/O error'), { code: 'EIO' }))
      await turns()
      expect(lost.error?.message).toMatch(/could not be synced to disk \(EIO\).*until the server restarts/)
      expect(queued.error?.message).toMatch(/could not be synced/)
      await expect(store.appendUpdates('e', [new Uint8Array([3])])).rejects.toThrow(/could not be synced/)
      expect(gate.held).toHaveLength(1) // nothing further was committed
      await store.close()
      remove()
    })

    it('close waits for the sync in flight', async () => {
      const { gate, store, remove } = opened()
      const write = settled(store.appendUpdates('d', [new Uint8Array([1])]))
      await turns()
      const closed = settled(store.close())
      await turns()
      expect(closed.done).toBe(false)
      gate.held[0].done(null)
      await until(() => closed.done)
      expect(write.value).toBe(1)
      await expect(store.appendUpdates('d', [new Uint8Array([2])])).rejects.toThrow(/closed/)
      remove()
    })

    it('with SQLITE_SYNC=normal nothing waits for a sync', async () => {
      const { gate, store, remove } = opened('normal')
      expect(await store.appendUpdates('d', [new Uint8Array([1])])).toBe(1)
      expect(gate.held).toHaveLength(0)
      await store.close()
      remove()
    })
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
