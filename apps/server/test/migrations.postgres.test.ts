import pg from 'pg'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SchemaTooNewError } from '../src/store/errors.ts'
import { foldAscii } from '../src/store/migrations/plan.ts'
import {
  applyPostgresMigrations,
  POSTGRES_SCHEMA_VERSION,
  postgresMigrations,
} from '../src/store/migrations/postgres.ts'
import { openPostgresStore } from '../src/store/postgres.ts'
import { expectLegacyData, expectLegacyWritable, FOLD_SAMPLES, RENAMED } from './fixtures/legacy-check.ts'
import { writeLegacyPostgres } from './fixtures/legacy-postgres.ts'
import { LEGACY_POSTGRES_SCHEMA } from './fixtures/legacy-schema.ts'

const connectionString = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
let counter = 0
const freshSchema = () => `rt_migrate_${process.pid}_${Date.now().toString(36)}_${counter++}`

let schema = ''
let client: pg.Client
/** A connection outside any store, working in `name` (created here). */
const connect = async (name: string) => {
  const c = new pg.Client({ connectionString, options: `-c search_path=${name}` })
  await c.connect()
  await c.query(`CREATE SCHEMA IF NOT EXISTS ${name}`)
  return c
}
beforeEach(async () => {
  schema = freshSchema()
  client = await connect(schema)
})
afterEach(async () => {
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  await client.end()
})

const versions = async () =>
  (await client.query('SELECT version, name, applied_at FROM schema_migrations ORDER BY version')).rows
/** Columns, indexes, constraints and triggers of the schema, as the catalog describes them. */
const catalogOf = async (c: pg.ClientBase, name: string) => ({
  columns: (
    await c.query(
      `SELECT table_name, column_name, data_type, is_nullable, collation_name, column_default, is_identity
       FROM information_schema.columns WHERE table_schema = $1 AND table_name <> 'schema_migrations'
       ORDER BY table_name, column_name`,
      [name],
    )
  ).rows,
  indexes: (
    await c.query(
      "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename <> 'schema_migrations' ORDER BY indexname",
      [name],
    )
  ).rows.map((r) => ({ ...r, indexdef: (r.indexdef as string).replaceAll(`${name}.`, '') })),
  triggers: (
    await c.query(
      `SELECT c.relname, t.tgname, t.tgtype FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND NOT t.tgisinternal ORDER BY t.tgname`,
      [name],
    )
  ).rows,
})

describe('PostgreSQL migrations', () => {
  it('a database made before migrations (no schema_migrations) is upgraded in place, nothing lost', async () => {
    await writeLegacyPostgres(client)
    const store = await openPostgresStore({ connectionString, schema })
    try {
      await expectLegacyData(store)
      await expectLegacyWritable(store)
    } finally {
      await store.close()
    }
    expect((await versions()).map((v) => [v.version, v.name])).toEqual(
      postgresMigrations.map((m) => [m.version, m.name]),
    )
  })

  it('processes starting at once on a legacy database migrate it once', async () => {
    await writeLegacyPostgres(client)
    const stores = await Promise.all([1, 2, 3].map(() => openPostgresStore({ connectionString, schema })))
    try {
      await expectLegacyData(stores[2])
      const renames = await client.query(
        "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'delegation.rename'",
      )
      expect(Number(renames.rows[0].n)).toBe(RENAMED.length)
    } finally {
      await Promise.all(stores.map((s) => s.close()))
    }
    expect((await versions()).map((v) => v.version)).toEqual(postgresMigrations.map((m) => m.version))
  })

  it('migration 1 on an empty schema makes exactly the schema of the store before migrations', async () => {
    await client.query(LEGACY_POSTGRES_SCHEMA)
    const other = freshSchema()
    const c = await connect(other)
    try {
      await applyPostgresMigrations(c, other, postgresMigrations.slice(0, 1))
      expect(await catalogOf(c, other)).toEqual(await catalogOf(client, schema))
    } finally {
      await c.query(`DROP SCHEMA ${other} CASCADE`)
      await c.end()
    }
  })

  it('migration 1 adds the state vector column to a database older still', async () => {
    await writeLegacyPostgres(client)
    await client.query('ALTER TABLE doc_snapshots DROP COLUMN state_vector')
    const store = await openPostgresStore({ connectionString, schema })
    try {
      const doc = await store.loadDoc('m-legacy-1.brief')
      expect(doc.snapshot).not.toBeNull()
      expect(doc.snapshotStateVector).toBeNull()
    } finally {
      await store.close()
    }
  })

  it('a database from a newer server is refused, naming both versions, and left untouched', async () => {
    await (await openPostgresStore({ connectionString, schema })).close()
    await client.query(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'from the future', 'x')",
      [POSTGRES_SCHEMA_VERSION + 1],
    )
    const before = await versions()
    const refusal = await openPostgresStore({ connectionString, schema }).then(
      () => null,
      (e: unknown) => e,
    )
    expect(refusal).toBeInstanceOf(SchemaTooNewError)
    expect(refusal).toMatchObject({
      databaseVersion: POSTGRES_SCHEMA_VERSION + 1,
      codeVersion: POSTGRES_SCHEMA_VERSION,
    })
    expect((refusal as Error).message).toContain(`schema version ${POSTGRES_SCHEMA_VERSION + 1}`)
    expect((refusal as Error).message).toContain(`up to ${POSTGRES_SCHEMA_VERSION} only`)
    expect(await versions()).toEqual(before)
  })

  it('a migration that fails leaves the database as it was: none of that open is recorded', async () => {
    await writeLegacyPostgres(client)
    const failing = [
      ...postgresMigrations,
      {
        version: postgresMigrations.length + 1,
        name: 'fails',
        up: (c: pg.ClientBase) => c.query('CREATE TABLE meetings (id TEXT)'),
      },
    ]
    const c = await connect(schema)
    try {
      await expect(applyPostgresMigrations(c, schema, failing)).rejects.toThrow(/already exists/)
    } finally {
      await c.end()
    }
    expect((await client.query("SELECT to_regclass('schema_migrations') AS t")).rows[0].t).toBeNull()
    expect(
      (await client.query("SELECT name FROM delegations WHERE id IN ('d2', 'd3') ORDER BY id")).rows,
    ).toEqual(RENAMED.map((r) => ({ name: r.from })))
  })

  it("the renaming planner folds case as lower() does over the delegation name's collation", async () => {
    await client.query(LEGACY_POSTGRES_SCHEMA)
    for (const s of FOLD_SAMPLES) {
      const { rows } = await client.query('SELECT lower($1::text COLLATE "C") AS l', [s])
      expect(foldAscii(s)).toBe(rows[0].l)
    }
  })
})
