import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import { Worker } from 'node:worker_threads'
import type Database from 'better-sqlite3'
import { applySqliteMigrations } from './migrations/sqlite.ts'
import { createWriter, openDatabase, type WriteOutcome, type WriteRequest } from './sqlite-writer.mjs'
import { sqliteAccess } from './sqlite/access.ts'
import { sqliteAgenda } from './sqlite/agenda.ts'
import { sqliteBoard } from './sqlite/board.ts'
import { sqliteMeetingState } from './sqlite/state.ts'
import { sqliteVotes } from './sqlite/votes.ts'
import { sqliteDrafting } from './sqlite/drafting.ts'
import { type RunResult, readNow, type SqliteContext } from './sqlite/context.ts'
import { sqliteDocs } from './sqlite/docs.ts'
import { sqliteRecords } from './sqlite/records.ts'
import { collector } from './together.ts'
import type { Store } from './types.ts'

export interface SqliteOptions {
  /** File path, or ':memory:'. */
  path: string
  /** 'full' syncs the WAL on every commit (survives power loss); 'normal' survives a process crash only. */
  synchronous?: 'full' | 'normal'
  /** Write on the calling thread instead of a worker (always so for ':memory:'). */
  inlineWrites?: boolean
  /**
   * Start the writer thread at open instead of at the first write. A server does (its first edit
   * then does not wait ≈ 50–150 ms for a thread to boot, and the thread's memory is a fixed cost, not
   * the first user's); a tool that may only read does not.
   */
  eagerWriter?: boolean
}

interface Writes {
  submit(req: WriteRequest): Promise<unknown>
  close(): Promise<void>
}

class StoreWriteError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message)
  }
}
const settle = (o: WriteOutcome): unknown => {
  if (o.ok) return o.value
  throw new StoreWriteError(o.error.message, o.error.code)
}

/** ':memory:' cannot be shared with a thread: its writes run in place, one transaction each. */
const inlineWrites = (db: Database.Database): Writes => {
  const writer = createWriter(db)
  return {
    submit: (req) => {
      try {
        return Promise.resolve(settle(writer.group([req])[0]))
      } catch (err) {
        return Promise.reject(err)
      }
    },
    close: async () => {},
  }
}

/**
 * A file database writes on a worker thread (sqlite-writer.mjs): the commit's fsync happens there, and
 * requests sent while it runs share the next commit. Replies come back in order, one message per commit.
 */
const workerWrites = (opts: SqliteOptions): Writes => {
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  let nextId = 1
  let closing = false
  let worker: Worker | null = null
  let exited: Promise<void> = Promise.resolve()
  const failWaiting = (err: Error) => {
    for (const w of waiting.values()) w.reject(err)
    waiting.clear()
  }
  // Started at open (eagerWriter) or at the first write. A thread that dies fails what it owed; the next
  // write starts a new one.
  const start = (): Worker => {
    const w = new Worker(new URL('./sqlite-writer.mjs', import.meta.url), {
      workerData: { roundtableSqliteWriter: { path: opts.path, synchronous: opts.synchronous ?? 'full' } },
      execArgv: [],
    })
    let failure: Error | null = null
    w.on('message', (outcomes: ({ id: number } & WriteOutcome)[]) => {
      for (const o of outcomes) {
        const pending = waiting.get(o.id)
        if (!pending) continue
        waiting.delete(o.id)
        try {
          pending.resolve(settle(o))
        } catch (err) {
          pending.reject(err as Error)
        }
      }
      // The worker keeps the process alive only while it owes us an answer (or is closing).
      if (waiting.size === 0 && !closing) w.unref()
    })
    w.on('error', (err: unknown) => {
      failure = new StoreWriteError(
        `SQLite writer failed: ${err instanceof Error ? err.message : String(err)}`,
      )
    })
    exited = new Promise<void>((resolve) =>
      w.once('exit', () => {
        if (worker === w) worker = null
        failWaiting(failure ?? new StoreWriteError('SQLite writer stopped'))
        resolve()
      }),
    )
    // Idle, it does not keep the process alive; submit refs it while a write is owed.
    w.unref()
    return w
  }
  if (opts.eagerWriter) worker = start()
  return {
    submit: (req) => {
      if (closing) return Promise.reject(new StoreWriteError('the store is closed'))
      worker ??= start()
      const w = worker
      const id = nextId++
      return new Promise((resolve, reject) => {
        if (waiting.size === 0) w.ref()
        waiting.set(id, { resolve, reject })
        w.postMessage({ id, req })
      })
    },
    close: async () => {
      closing = true
      if (worker) {
        worker.ref()
        // The worker answers what it has, then closes its connection and exits.
        worker.postMessage({ close: true })
      }
      await exited
    },
  }
}

/**
 * The database holds invitation and session hashes and every ballot: readable by the server's user
 * only. The file is made 0600 before SQLite opens it (its -wal and -shm take the database's mode), and
 * files left wider by an older version are narrowed; a directory made here is 0700.
 */
const ownerOnlyFile = (path: string): void => {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  closeSync(openSync(path, 'a', 0o600))
  for (const f of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(f)) chmodSync(f, 0o600)
}

/**
 * Reads run on the calling thread (WAL: they never wait for the writer); writes go to the writer, in a
 * worker thread for a file database. A write's promise resolves once its transaction is committed.
 * The schema is brought up to date at open (migrations/sqlite.ts), before the writer starts.
 */
export const openSqliteStore = (opts: SqliteOptions): Store => {
  if (opts.path !== ':memory:') ownerOnlyFile(opts.path)
  const db = openDatabase(opts.path, opts.synchronous)
  try {
    applySqliteMigrations(db)
  } catch (err) {
    db.close()
    throw err
  }
  const writes = opts.path === ':memory:' || opts.inlineWrites ? inlineWrites(db) : workerWrites(opts)

  // Writes issued inside `together` are collected and sent as one all-or-nothing request.
  const { send, together } = collector<WriteRequest>(
    (req) => writes.submit(req),
    async (requests) => (await writes.submit({ op: 'many', requests })) as unknown[],
  )
  // Statements are compiled once per connection, not on every call.
  const statements = new Map<string, Database.Statement>()
  const stmt = (sql: string): Database.Statement => {
    let st = statements.get(sql)
    if (!st) {
      st = db.prepare(sql)
      statements.set(sql, st)
    }
    return st
  }
  const context = (submit: (req: WriteRequest) => Promise<unknown>): SqliteContext => ({
    db,
    stmt,
    read: readNow,
    submit,
    exec: (sql, ...params) => submit({ op: 'run', sql, params }) as Promise<RunResult>,
  })
  const compose = (submit: (req: WriteRequest) => Promise<unknown>): Store => {
    const ctx = context(submit)
    const store: Store = {
      kind: 'sqlite',
      commitsInOrder: true,
      together,
      ...sqliteDocs(ctx),
      ...sqliteAccess(ctx),
      ...sqliteAgenda(ctx),
      ...sqliteRecords(ctx),
      ...sqliteBoard(ctx),
      ...sqliteVotes(ctx),
      ...sqliteDrafting(ctx),
      ...sqliteMeetingState(ctx),
      exclusiveAcrossProcesses: false,
      // One process is the only writer: there is nobody to exclude. The view notes the writes fn
      // issues, so that exclusive settles only once they have (durable, or failed to their caller).
      exclusive: async (_key, fn) => {
        const issued: Promise<unknown>[] = []
        const view = compose((req) => {
          const p = submit(req)
          issued.push(p)
          return p
        })
        view.exclusive = (_k, inner) => inner(view)
        view.close = () => Promise.reject(new Error('close the store, not a view given by exclusive'))
        try {
          return await fn(view)
        } finally {
          await Promise.allSettled(issued)
        }
      },
      close: async () => {
        await writes.close()
        db.close()
      },
    }
    return store
  }
  return compose(send)
}
