import pg from 'pg'
import { applyPostgresMigrations } from './migrations/postgres.ts'
import { postgresAccess } from './postgres/access.ts'
import { postgresAgenda } from './postgres/agenda.ts'
import { postgresBoard } from './postgres/board.ts'
import { postgresMeetingState } from './postgres/state.ts'
import { postgresVotes } from './postgres/votes.ts'
import { postgresDrafting } from './postgres/drafting.ts'
import type { PostgresContext } from './postgres/context.ts'
import { postgresDocs } from './postgres/docs.ts'
import {
  keyQueue,
  LOCK_KEY_SQL,
  lockParams,
  type Statement,
  semaphore,
  transactionOn,
} from './postgres/exclusive.ts'
import { postgresRecords } from './postgres/records.ts'
import { collector } from './together.ts'
import type { DocStore, Store, Together } from './types.ts'

/** Scale-out runs several processes against one database; each keeps a modest share of its connections. */
const POOL_SIZE = 10
/**
 * Of those, how many `exclusive` transactions may hold at once (each holds one until it commits,
 * waiting for its key's lock included): the other 4 stay free for document writes (which the
 * commands' views make on the pool) and for everything outside a command.
 */
const EXCLUSIVE_CONNECTIONS = 6

export interface PostgresOptions {
  connectionString: string
  /**
   * Schema to keep the tables in, created if missing; default: the connection's search_path (normally `public`).
   * Tests use a fresh one each and drop it afterwards.
   */
  schema?: string
}

/** A Store over the meeting parts that `ctx` reaches, with the pool's documents. */
const compose = (
  ctx: PostgresContext,
  docs: DocStore,
  together: Together,
  exclusive: Store['exclusive'],
  close: () => Promise<void>,
): Store => ({
  kind: 'postgres',
  commitsInOrder: false,
  exclusiveAcrossProcesses: true,
  together,
  exclusive,
  ...docs,
  ...postgresAccess(ctx),
  ...postgresAgenda(ctx),
  ...postgresRecords(ctx),
  ...postgresBoard(ctx),
  ...postgresVotes(ctx),
  ...postgresDrafting(ctx),
  ...postgresMeetingState(ctx),
  close,
})

export const openPostgresStore = async (opts: PostgresOptions): Promise<Store> => {
  if (opts.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(opts.schema))
    throw new Error(`invalid schema name: ${opts.schema}`)
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: POOL_SIZE,
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  })
  // An idle connection dropped by the server must not crash the process: the pool replaces it on next use.
  pool.on('error', (err) => console.error('PostgreSQL: idle connection lost:', err.message))

  const transaction = async <T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> => {
    const c = await pool.connect()
    try {
      await c.query('BEGIN')
      const result = await fn(c)
      await c.query('COMMIT')
      return result
    } catch (err) {
      await c.query('ROLLBACK').catch(() => {})
      throw err
    } finally {
      c.release()
    }
  }

  try {
    const c = await pool.connect()
    try {
      await applyPostgresMigrations(c, opts.schema)
    } finally {
      c.release()
    }
  } catch (err) {
    await pool.end()
    throw err
  }

  // Statements issued inside `together` are collected and run in one transaction, in order.
  const { send, together } = collector<Statement>(
    ({ sql, params }) => pool.query(sql, params),
    (statements) =>
      transaction(async (c) => {
        const results: pg.QueryResult[] = []
        for (const st of statements) results.push(await c.query(st.sql, st.params))
        return results
      }),
  )
  const run = (sql: string, params: unknown[] = []) => send({ sql, params }) as Promise<pg.QueryResult>
  const poolContext: PostgresContext = { run, query: async (sql, params) => (await run(sql, params)).rows }
  const docs = postgresDocs(poolContext, transaction)

  const queue = keyQueue()
  const connections = semaphore(EXCLUSIVE_CONNECTIONS)
  const exclusive = <T>(key: string, fn: (tx: Store) => Promise<T>): Promise<T> =>
    queue(key, async () => {
      const done = await connections.acquire()
      try {
        return await inTransaction(await pool.connect(), key, fn)
      } finally {
        done()
      }
    })
  /** fn on a view of one transaction on `client`, holding `key`'s lock; gives the client back. */
  const inTransaction = async <T>(
    client: pg.PoolClient,
    key: string,
    fn: (tx: Store) => Promise<T>,
  ): Promise<T> => {
    const tx = transactionOn(client)
    let ended = false
    let healthy = true
    try {
      await client.query('BEGIN')
      await client.query(LOCK_KEY_SQL, lockParams(key))
      const held = new Set([key])
      const { send: sendOnTx, together: togetherOnTx } = collector<Statement>(
        async (st) => (await tx.atomic([st]))[0],
        (statements) => tx.atomic(statements),
      )
      const view: Store = compose(
        {
          query: async (sql, params = []) => (await tx.plain(sql, params)).rows,
          run: (sql, params = []) => sendOnTx({ sql, params }) as Promise<pg.QueryResult>,
        },
        docs,
        togetherOnTx,
        // Nested: the same transaction, with the other key's lock taken too (PostgreSQL detects a
        // deadlock between two such transactions and fails one).
        async (other, inner) => {
          if (!held.has(other)) {
            await tx.plain(LOCK_KEY_SQL, lockParams(other))
            held.add(other)
          }
          return inner(view)
        },
        () => Promise.reject(new Error('close the store, not a view given by exclusive')),
      )
      let result: T
      try {
        result = await fn(view)
      } catch (err) {
        await tx.finish(false)
        ended = true
        throw err
      }
      await tx.finish(true)
      ended = true
      return result
    } catch (err) {
      // Not ended cleanly: roll back (a warning if COMMIT already ended it). A connection that
      // cannot even do that is not given back to the pool.
      if (!ended)
        healthy = await client.query('ROLLBACK').then(
          () => true,
          () => false,
        )
      throw err
    } finally {
      client.release(!healthy)
    }
  }

  return compose(poolContext, docs, together, exclusive, () => pool.end())
}
