import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Config } from '../config.ts'
import { openSqliteStore } from './sqlite.ts'
import type { Store } from './types.ts'

/** The store the configuration asks for: PostgreSQL when DATABASE_URL is set, else SQLite under the data dir. */
export const openStore = async (config: Config): Promise<Store> => {
  // Everything the server writes from here on is its user's alone: the data dir holds the database and
  // the seed's link files, which carry live invitation tokens.
  process.umask(0o077)
  // The data dir holds more than the SQLite file (the seed's link files), so it exists whichever store is used.
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 })
  if (config.databaseUrl) {
    const { openPostgresStore } = await import('./postgres.ts')
    return openPostgresStore({ connectionString: config.databaseUrl })
  }
  return openSqliteStore({
    path: join(config.dataDir, 'roundtable.sqlite'),
    synchronous: config.sqliteSync,
    eagerWriter: true,
  })
}
