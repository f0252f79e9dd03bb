import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
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
