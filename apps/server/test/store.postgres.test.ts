import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { openPostgresStore } from '../src/store/postgres.ts'
import type { Store } from '../src/store/types.ts'
import { runStoreContract } from './store.contract.ts'

const connectionString = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

let counter = 0
/** Every test works in a schema of its own, dropped afterwards, so runs never see each other's rows. */
const freshSchema = () => `rt_test_${process.pid}_${Date.now().toString(36)}_${counter++}`

/** A connection outside any store, with the given schema on its search_path. */
const connect = async (schema: string) => {
  const client = new pg.Client({ connectionString, options: `-c search_path=${schema}` })
  await client.connect()
  return client
}
const dropSchema = async (schema: string) => {
  const client = await connect(schema)
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  } finally {
    await client.end()
  }
}

let schema = ''
runStoreContract(
  'postgres',
  async () => {
    schema = freshSchema()
    return openPostgresStore({ connectionString, schema })
  },
  () => dropSchema(schema),
  async (sql) => {
    const client = await connect(schema)
    try {
      return (await client.query(sql)).rows
    } finally {
      await client.end()
    }
  },
)

/** Two stores on one schema stand for two server processes behind a load balancer. */
const withTwoStores = async (fn: (a: Store, b: Store) => Promise<void>) => {
  const s = freshSchema()
  // Opened at the same moment: creating the schema must not race.
  const [a, b] = await Promise.all([
    openPostgresStore({ connectionString, schema: s }),
    openPostgresStore({ connectionString, schema: s }),
  ])
  try {
    await fn(a, b)
  } finally {
    await Promise.all([a.close(), b.close()])
    await dropSchema(s)
  }
}

const upd = (writer: string, i: number) => new TextEncoder().encode(`${writer}-${i}`)
const decode = (u: Uint8Array) => new TextDecoder().decode(u)

describe('PostgreSQL store, several processes', () => {
  it('concurrent appends to one document get unique, contiguous sequence numbers', async () => {
    await withTwoStores(async (a, b) => {
      const BATCHES = 60
      const appendMany = async (store: Store, writer: string) => {
        const ranges: { last: number; batch: string[] }[] = []
        await Promise.all(
          Array.from({ length: BATCHES }, async (_, i) => {
            const batch = Array.from({ length: (i % 4) + 1 }, (_, k) => upd(writer, i * 10 + k))
            ranges.push({ last: await store.appendUpdates('shared', batch), batch: batch.map(decode) })
          }),
        )
        return ranges
      }
      const ranges = (await Promise.all([appendMany(a, 'a'), appendMany(b, 'b')])).flat()
      const bySeq = new Map<number, string>()
      for (const { last, batch } of ranges)
        batch.forEach((u, k) => {
          const seq = last - batch.length + 1 + k
          expect(bySeq.has(seq)).toBe(false)
          bySeq.set(seq, u)
        })
      const total = bySeq.size
      expect([...bySeq.keys()].sort((x, y) => x - y)).toEqual(Array.from({ length: total }, (_, i) => i + 1))

      for (const store of [a, b]) {
        const doc = await store.loadDoc('shared')
        expect(doc.lastSeq).toBe(total)
        expect(doc.updates.map(decode)).toEqual(Array.from({ length: total }, (_, i) => bySeq.get(i + 1)))
      }
    })
  })

  it('a load during concurrent appends and compactions sees a snapshot and exactly the updates after it', async () => {
    await withTwoStores(async (a, b) => {
      // The snapshot's bytes name the seq it covers, so each load can be checked for a consistent view.
      const snapshotUpto = (s: Uint8Array | null) => (s ? Number(decode(s)) : 0)
      let writing = true
      const writer = (async () => {
        for (let i = 0; i < 150; i++) {
          const last = await a.appendUpdates('doc', [upd('w', i)])
          if (i % 10 === 9) await b.compact('doc', new TextEncoder().encode(String(last)), last)
        }
        writing = false
      })()
      let loads = 0
      while (writing) {
        const doc = await b.loadDoc('doc')
        const upto = snapshotUpto(doc.snapshot)
        expect(doc.updates.length).toBe(doc.lastSeq - upto)
        expect(doc.updates.map(decode)).toEqual(
          Array.from({ length: doc.updates.length }, (_, k) => `w-${upto + k}`),
        )
        loads++
      }
      await writer
      expect(loads).toBeGreaterThan(0)
      expect(await a.appendUpdates('doc', [])).toBe(150)
    })
  })

  // Stricter than the contract (SQLite overwrites unconditionally): with several processes, one may
  // compact from an older view after another has already trimmed the log further.
  it('a compaction behind the stored snapshot leaves the newer snapshot in place', async () => {
    await withTwoStores(async (a, b) => {
      await a.appendUpdates('doc', [upd('w', 1), upd('w', 2), upd('w', 3), upd('w', 4)])
      await a.compact('doc', new TextEncoder().encode('at-4'), 4)
      await b.compact('doc', new TextEncoder().encode('at-2'), 2)
      const doc = await a.loadDoc('doc')
      expect(doc.snapshot && decode(doc.snapshot)).toBe('at-4')
      expect(doc.lastSeq).toBe(4)
      expect(await b.appendUpdates('doc', [upd('w', 5)])).toBe(5)
    })
  })
})
