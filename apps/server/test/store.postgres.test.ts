import pg from 'pg'
import { asMeetingId } from '@roundtable/protocol'
import { describe, expect, it } from 'vitest'
import { POSTGRES_SCHEMA_VERSION } from '../src/store/migrations/postgres.ts'
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
  POSTGRES_SCHEMA_VERSION,
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

describe('PostgreSQL exclusive, several processes', () => {
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))
  /** Fails the test instead of hanging it when a burst deadlocks the pool. */
  const within = <T>(ms: number, p: Promise<T>): Promise<T> =>
    Promise.race([
      p,
      pause(ms).then(() => Promise.reject(new Error(`not done within ${ms} ms: deadlocked?`))),
    ])

  it('read-increment-write cycles of two processes on one key are serial: no update is lost', async () => {
    await withTwoStores(async (a, b) => {
      const CYCLES = 20
      const seen: number[] = []
      const cycle = (store: Store, i: number) =>
        store.exclusive('meeting-1', async (tx) => {
          const n = Number((await tx.getMeta('counter')) ?? '0')
          seen.push(n)
          // A wait between the read and the write, so that without the lock the cycles would interleave.
          await pause(i % 3)
          await tx.together(() => [
            tx.setMeta('counter', String(n + 1)),
            tx.appendAudit({
              meetingId: asMeetingId('meeting-1'),
              at: 'now',
              actor: 'test',
              action: 'increment',
              detail: { n },
            }),
          ])
        })
      // Interleaved: each process issues all its cycles at once.
      await Promise.all(Array.from({ length: CYCLES }, (_, i) => [cycle(a, i), cycle(b, i)]).flat())
      expect(await a.getMeta('counter')).toBe(String(2 * CYCLES))
      expect([...seen].sort((x, y) => x - y)).toEqual(Array.from({ length: 2 * CYCLES }, (_, i) => i))
      const audit = await b.listAudit(asMeetingId('meeting-1'))
      expect(audit.map((e) => e.detail.n)).toEqual(Array.from({ length: 2 * CYCLES }, (_, i) => i))
    })
  })

  it('different keys do not wait for each other, in one process or across two', async () => {
    await withTwoStores(async (a, b) => {
      let open!: () => void
      const gate = new Promise<void>((r) => {
        open = r
      })
      const holding = a.exclusive('meeting-A', async (tx) => {
        await tx.setMeta('a', 'held')
        await gate
      })
      // While meeting-A is held (the gate is shut), meeting-B runs to the end on both processes.
      await within(
        5000,
        b.exclusive('meeting-B', (tx) => tx.setMeta('b', 'done')),
      )
      await within(
        5000,
        a.exclusive('meeting-C', (tx) => tx.setMeta('c', 'done')),
      )
      // meeting-A on the other process waits for the holder.
      let waited = false
      const second = b.exclusive('meeting-A', async (tx) => {
        waited = true
        return tx.getMeta('a')
      })
      await pause(100)
      expect(waited).toBe(false)
      open()
      await holding
      expect(await second).toBe('held')
    })
  })

  it('a burst of 50 commands on one key, and one on each of 50 keys, do not starve the pool', async () => {
    await withTwoStores(async (a) => {
      const command = (key: string, i: number) =>
        a.exclusive(key, async (tx) => {
          const n = Number((await tx.getMeta(key)) ?? '0')
          // Document writes of the view take a pooled connection of their own, while the transaction holds one.
          await tx.appendUpdates(`doc-${key}`, [upd('w', i)])
          await tx.setMeta(key, String(n + 1))
        })
      const oneKey = Array.from({ length: 50 }, (_, i) => command('hot', i))
      const manyKeys = Array.from({ length: 50 }, (_, i) => command(`key-${i}`, i))
      await within(20_000, Promise.all([...oneKey, ...manyKeys]))
      expect(await a.getMeta('hot')).toBe('50')
      expect((await a.loadDoc('doc-hot')).lastSeq).toBe(50)
      for (let i = 0; i < 50; i++) expect(await a.getMeta(`key-${i}`)).toBe('1')
    })
  })

  it("the view's writes are invisible to others until commit; a nested exclusive holds its key's lock too", async () => {
    await withTwoStores(async (a, b) => {
      let open!: () => void
      const gate = new Promise<void>((r) => {
        open = r
      })
      let inside!: () => void
      const entered = new Promise<void>((r) => {
        inside = r
      })
      const holding = a.exclusive('meeting-A', (tx) =>
        tx.exclusive('meeting-B', async (both) => {
          await both.setMeta('k', 'uncommitted')
          inside()
          await gate
        }),
      )
      await entered
      expect(await b.getMeta('k')).toBeNull()
      let gotB = false
      const waitingB = b.exclusive('meeting-B', async (tx) => {
        gotB = true
        return tx.getMeta('k')
      })
      await pause(100)
      expect(gotB).toBe(false)
      open()
      await holding
      expect(await waitingB).toBe('uncommitted')
    })
  })

  it('the view refuses statements once its transaction has ended', async () => {
    await withTwoStores(async (a) => {
      let leaked: Store | undefined
      await a.exclusive('k', async (tx) => {
        leaked = tx
      })
      await expect(leaked!.getMeta('x')).rejects.toThrow(/after its transaction ended/)
      await expect(leaked!.setMeta('x', 'y')).rejects.toThrow(/after its transaction ended/)
      expect(await a.getMeta('x')).toBeNull()
    })
  })
})
