import type pg from 'pg'
import type { Row } from '../rows.ts'

/**
 * What a domain's PostgreSQL part works with. On the store, both go to the pool (collected into one
 * transaction while `together` runs); on an `exclusive` view, to its transaction's connection.
 */
export interface PostgresContext {
  /** A read. */
  query(sql: string, params?: unknown[]): Promise<Row[]>
  /** A write (one statement; on an exclusive view, undone alone if it fails). */
  run(sql: string, params?: unknown[]): Promise<pg.QueryResult>
}

// pg returns BIGINT as a string, since it may exceed 2^53; our sequence numbers never will.
export const int = (v: unknown): number => Number(v)
