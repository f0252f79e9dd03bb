/**
 * The pieces of `Store.exclusive` on PostgreSQL: a transaction on one connection whose statements run
 * in the order issued, the in-process queue per key, and the cap on connections held by such
 * transactions.
 *
 * Why the queue and the cap: a transaction waiting for a key's advisory lock holds a connection
 * while it waits, and the one holding the lock may need a pooled connection for its document
 * writes (the view's document methods use the pool). Fifty commands for one meeting waiting on ten
 * connections would starve the one that runs. So, in one process, commands for one key wait in
 * memory, holding nothing, and only the first takes a connection (and waits for other processes on
 * the server); and all keys together hold at most `EXCLUSIVE_CONNECTIONS`, so the rest of the pool
 * stays free for everything else.
 */
import type pg from 'pg'

/** Advisory locks of meeting commands: (this space, hashtext(key)). The two-int key space is apart from the one-bigint one of the schema lock. */
const EXCLUSIVE_LOCK_SPACE = 0x52_54_4d_58 // 'RTMX'
/** Two keys hashing alike only serialise each other: harmless. */
export const LOCK_KEY_SQL = 'SELECT pg_advisory_xact_lock($1, hashtext($2))'
export const lockParams = (key: string): unknown[] => [EXCLUSIVE_LOCK_SPACE, key]

/** At most `size` holders at once; the others wait in order of arrival. */
export const semaphore = (size: number) => {
  let free = size
  const waiting: (() => void)[] = []
  const release = () => {
    const next = waiting.shift()
    if (next) next()
    else free++
  }
  return {
    acquire: (): Promise<() => void> => {
      if (free > 0) {
        free--
        return Promise.resolve(release)
      }
      return new Promise((resolve) => waiting.push(() => resolve(release)))
    },
  }
}

/** Runs jobs for one key one after another, in order of arrival; jobs for different keys run side by side. */
export const keyQueue = () => {
  const tails = new Map<string, Promise<void>>()
  return <T>(key: string, job: () => Promise<T>): Promise<T> => {
    const next = (tails.get(key) ?? Promise.resolve()).then(job)
    const settled = next.then(
      () => {},
      () => {},
    )
    tails.set(key, settled)
    settled.then(() => {
      if (tails.get(key) === settled) tails.delete(key)
    })
    return next
  }
}

export type Statement = { sql: string; params: unknown[] }

/**
 * The statements of one open transaction on `client`, run one at a time in the order issued (pg
 * would queue them too, but deprecates it). A write (`atomic`) runs inside a savepoint, so one that
 * fails undoes itself alone and the transaction goes on, as a failed write does on SQLite.
 */
export const transactionOn = (client: pg.PoolClient) => {
  let tail: Promise<unknown> = Promise.resolve()
  let finished = false
  /** A failure that left the transaction unusable (outside a savepoint): it can only roll back. */
  let broken: Error | null = null
  const enqueue = <T>(job: () => Promise<T>): Promise<T> => {
    if (finished) return Promise.reject(new Error('the exclusive view was used after its transaction ended'))
    const p = tail.then(job)
    tail = p.catch(() => {})
    return p
  }
  const raw = async (sql: string, params?: unknown[]) => {
    try {
      return await client.query(sql, params)
    } catch (err) {
      broken ??= err as Error
      throw err
    }
  }
  return {
    plain: (sql: string, params?: unknown[]) => enqueue(() => raw(sql, params)),
    atomic: (statements: Statement[]) =>
      enqueue(async () => {
        await raw('SAVEPOINT rt_write')
        try {
          const results: pg.QueryResult[] = []
          for (const st of statements) results.push(await client.query(st.sql, st.params))
          await raw('RELEASE SAVEPOINT rt_write')
          return results
        } catch (err) {
          await raw('ROLLBACK TO SAVEPOINT rt_write')
          await raw('RELEASE SAVEPOINT rt_write')
          throw err
        }
      }),
    /** Waits for the statements issued so far, then commits (or rolls back); refuses any issued later. */
    finish: async (commit: boolean): Promise<void> => {
      finished = true
      await tail
      if (!commit || broken) {
        await client.query('ROLLBACK')
        if (commit && broken)
          throw new Error(
            `exclusive: rolled back, a statement failed outside a savepoint: ${broken.message}`,
            {
              cause: broken,
            },
          )
        return
      }
      const r = await client.query('COMMIT')
      // PostgreSQL answers COMMIT of a failed transaction with ROLLBACK, not an error.
      if (r.command === 'ROLLBACK')
        throw new Error('exclusive: the transaction was rolled back by the server')
    },
  }
}
