import type Database from 'better-sqlite3'
import type { WriteRequest } from '../sqlite-writer.mjs'

export type RunResult = { changes: number; lastInsertRowid: number }

/** What a domain's SQLite part works with: reads on the calling thread, writes through the writer. */
export interface SqliteContext {
  db: Database.Database
  /** A statement compiled once per connection, not on every call. */
  stmt(sql: string): Database.Statement
  /** Runs a read now; a throw becomes a rejection, as with PostgreSQL. */
  read<T>(fn: () => T): Promise<T>
  /** Sends a write to the writer; collected instead while `together` runs. Resolves once committed. */
  submit(req: WriteRequest): Promise<unknown>
  /** One SQL write statement, through `submit`. */
  exec(sql: string, ...params: unknown[]): Promise<RunResult>
}

export const readNow = <T>(fn: () => T): Promise<T> => {
  try {
    return Promise.resolve(fn())
  } catch (err) {
    return Promise.reject(err)
  }
}
