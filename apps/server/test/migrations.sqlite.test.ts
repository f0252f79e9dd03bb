import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SchemaTooNewError } from '../src/store/errors.ts'
import { foldAscii, planDelegationRenames } from '../src/store/migrations/plan.ts'
import {
  applySqliteMigrations,
  SQLITE_SCHEMA_VERSION,
  sqliteMigrations,
} from '../src/store/migrations/sqlite.ts'
import { openSqliteStore } from '../src/store/sqlite.ts'
import { expectLegacyData, expectLegacyWritable, FOLD_SAMPLES, RENAMED } from './fixtures/legacy-check.ts'
import { LEGACY_SQLITE_SCHEMA } from './fixtures/legacy-schema.ts'

const FIXTURE = new URL('./fixtures/legacy-v0.sqlite', import.meta.url)

let dir = ''
let file = ''
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rt-migrate-'))
  file = join(dir, 'roundtable.sqlite')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const withDb = <T>(fn: (db: Database.Database) => T): T => {
  const db = new Database(file)
  try {
    return fn(db)
  } finally {
    db.close()
  }
}
const versions = () =>
  withDb((db) =>
    db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all(),
  ) as {
    version: number
    name: string
    applied_at: string
  }[]
/** Tables, indexes and triggers, as SQLite keeps their definitions. */
const schemaOf = (db: Database.Database) =>
  db
    .prepare(
      "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
    )
    .all()

describe('SQLite migrations', () => {
  it('a database written before migrations (no schema_migrations) is upgraded in place, nothing lost', async () => {
    copyFileSync(FIXTURE, file)
    expect(
      withDb((db) => db.prepare("SELECT name FROM sqlite_master WHERE name = 'schema_migrations'").all()),
    ).toEqual([])
    const store = openSqliteStore({ path: file })
    try {
      await expectLegacyData(store)
      await expectLegacyWritable(store)
    } finally {
      await store.close()
    }
    expect(versions().map((v) => [v.version, v.name])).toEqual(
      sqliteMigrations.map((m) => [m.version, m.name]),
    )
  })

  it('opening again applies nothing: recorded times and the renames stay as they were', async () => {
    copyFileSync(FIXTURE, file)
    await openSqliteStore({ path: file }).close()
    const before = versions()
    const auditBefore = withDb((db) => db.prepare('SELECT COUNT(*) AS n FROM audit_log').get())
    const store = openSqliteStore({ path: file })
    await expectLegacyData(store)
    await store.close()
    expect(versions()).toEqual(before)
    expect(withDb((db) => db.prepare('SELECT COUNT(*) AS n FROM audit_log').get())).toEqual(auditBefore)
  })

  it('migration 1 on an empty database makes exactly the schema of the store before migrations', () => {
    const legacy = new Database(':memory:')
    legacy.exec(LEGACY_SQLITE_SCHEMA)
    const migrated = new Database(':memory:')
    applySqliteMigrations(migrated, sqliteMigrations.slice(0, 1))
    expect(schemaOf(migrated).filter((r) => (r as { name: string }).name !== 'schema_migrations')).toEqual(
      schemaOf(legacy),
    )
    legacy.close()
    migrated.close()
  })

  it('migration 1 adds the state vector column to a file older still, keeping its snapshots', async () => {
    copyFileSync(FIXTURE, file)
    withDb((db) => db.exec('ALTER TABLE doc_snapshots DROP COLUMN state_vector'))
    const store = openSqliteStore({ path: file })
    const doc = await store.loadDoc('m-legacy-1.brief')
    expect(doc.snapshot).not.toBeNull()
    expect(doc.snapshotStateVector).toBeNull()
    await store.compact('m-legacy-1.brief', new Uint8Array([1]), 3, new Uint8Array([2]))
    expect((await store.loadDoc('m-legacy-1.brief')).snapshotStateVector).toEqual(new Uint8Array([2]))
    await store.close()
  })

  it('a database from a newer server is refused, naming both versions, and left untouched', () => {
    copyFileSync(FIXTURE, file)
    openSqliteStore({ path: file, inlineWrites: true }).close()
    withDb((db) =>
      db
        .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
        .run(SQLITE_SCHEMA_VERSION + 1, 'from the future', '2030-01-01T00:00:00.000Z'),
    )
    const bytes = readFileSync(file)
    let refusal: unknown
    try {
      openSqliteStore({ path: file })
    } catch (err) {
      refusal = err
    }
    expect(refusal).toBeInstanceOf(SchemaTooNewError)
    expect(refusal).toMatchObject({
      databaseVersion: SQLITE_SCHEMA_VERSION + 1,
      codeVersion: SQLITE_SCHEMA_VERSION,
    })
    expect((refusal as Error).message).toContain(`schema version ${SQLITE_SCHEMA_VERSION + 1}`)
    expect((refusal as Error).message).toContain(`up to ${SQLITE_SCHEMA_VERSION} only`)
    expect(readFileSync(file).equals(bytes)).toBe(true)
  })

  it('a migration that fails leaves the database as it was: none of that open is recorded', () => {
    copyFileSync(FIXTURE, file)
    const failing = [
      ...sqliteMigrations,
      {
        version: sqliteMigrations.length + 1,
        name: 'fails',
        up: (db: Database.Database) => db.exec('CREATE TABLE meetings (id TEXT)'),
      },
    ]
    const db = new Database(file)
    expect(() => applySqliteMigrations(db, failing)).toThrow(/already exists/)
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'schema_migrations'").all()).toEqual([])
    expect(db.prepare("SELECT name FROM delegations WHERE id IN ('d2', 'd3') ORDER BY id").all()).toEqual(
      RENAMED.map((r) => ({ name: r.from })),
    )
    db.close()
  })
})

describe('migration 2: delegation names made unique', () => {
  const row = (id: string, name: string, meeting = 'm') => ({ id, meeting_id: meeting, name })

  it('keeps the first by id, renames the others with the first free suffix, per meeting', () => {
    expect(
      planDelegationRenames([
        row('b', 'Canada'),
        row('a', 'CANADA'),
        row('c', 'canada (2)'),
        row('d', 'canada'),
        row('e', 'Canada', 'other'),
      ]),
    ).toEqual([
      { id: 'b', meetingId: 'm', from: 'Canada', to: 'Canada (3)' },
      { id: 'd', meetingId: 'm', from: 'canada', to: 'canada (4)' },
    ])
    // Only ASCII letters fold, as in the database: "Ö" and "ö" are different names to it.
    expect(
      planDelegationRenames([row('a', 'Österreich'), row('b', 'östERREICH'), row('c', 'ÖSTERREICH')]),
    ).toEqual([{ id: 'c', meetingId: 'm', from: 'ÖSTERREICH', to: 'ÖSTERREICH (2)' }])
  })

  it("the planner folds case as the database's lower() does", () => {
    const db = new Database(':memory:')
    for (const s of FOLD_SAMPLES)
      expect(foldAscii(s)).toBe((db.prepare('SELECT lower(?) AS l').get(s) as { l: string }).l)
    db.close()
  })

  // Seeded: a failure replays.
  it('leaves every meeting with names unique ignoring ASCII case, renaming only duplicates', () => {
    const name = fc.constantFrom(
      'Canada',
      'CANADA',
      'canada',
      'Canada (2)',
      'canada (3)',
      'Japan',
      'JAPAN (2)',
      'Ö',
    )
    const rows = fc.uniqueArray(
      fc.record({
        id: fc.string({ minLength: 1, maxLength: 3 }),
        meeting_id: fc.constantFrom('m1', 'm2'),
        name,
      }),
      {
        selector: (r) => r.id,
        maxLength: 12,
      },
    )
    fc.assert(
      fc.property(rows, (input) => {
        const renames = planDelegationRenames(input)
        const to = new Map(renames.map((r) => [r.id, r.to]))
        const after = input.map((r) => ({ ...r, name: to.get(r.id) ?? r.name }))
        for (const m of ['m1', 'm2']) {
          const names = after.filter((r) => r.meeting_id === m).map((r) => foldAscii(r.name))
          expect(new Set(names).size).toBe(names.length)
        }
        const groups = new Map<string, number>()
        for (const r of input)
          groups.set(
            `${r.meeting_id}\u0000${foldAscii(r.name)}`,
            (groups.get(`${r.meeting_id}\u0000${foldAscii(r.name)}`) ?? 0) + 1,
          )
        expect(renames.length).toBe([...groups.values()].reduce((n, c) => n + c - 1, 0))
        for (const r of renames) expect(r.to.startsWith(`${r.from} (`)).toBe(true)
      }),
      { seed: 20261204, numRuns: 300 },
    )
  })
})
