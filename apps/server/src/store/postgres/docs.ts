import type pg from 'pg'
import { toBytes } from '../rows.ts'
import type { DocStore, StoredDoc } from '../types.ts'
import { int, type PostgresContext } from './context.ts'

export type Transaction = <T>(fn: (c: pg.PoolClient) => Promise<T>) => Promise<T>

/** Documents: the update log, its head (the last sequence number) and the snapshot. Always on the pool. */
export const postgresDocs = ({ query }: PostgresContext, transaction: Transaction): DocStore => {
  const appendChains = new Map<string, Promise<void>>()
  const appendNow = async (name: string, updates: Uint8Array[]): Promise<number> => {
    if (updates.length === 0) {
      const r = await query('SELECT last_seq FROM doc_heads WHERE doc = $1', [name])
      return r.length ? int(r[0].last_seq) : 0
    }
    return transaction(async (c) => {
      const head = await c.query(
        `INSERT INTO doc_heads (doc, last_seq) VALUES ($1, $2)
           ON CONFLICT (doc) DO UPDATE SET last_seq = doc_heads.last_seq + excluded.last_seq
           RETURNING last_seq`,
        [name, updates.length],
      )
      const last = int(head.rows[0].last_seq)
      await c.query(
        `INSERT INTO doc_updates (doc, seq, data)
           SELECT $1, $2::bigint + t.ord, t.data FROM unnest($3::bytea[]) WITH ORDINALITY AS t(data, ord)`,
        [name, last - updates.length, updates],
      )
      return last
    })
  }

  return {
    // One statement sees one snapshot of the database, so a concurrent compaction cannot make
    // this read the old snapshot together with a log it has already trimmed.
    loadDoc: async (name): Promise<StoredDoc> => {
      const rows = await query(
        `WITH s AS (SELECT upto_seq, data, state_vector FROM doc_snapshots WHERE doc = $1)
         SELECT true AS is_snapshot, upto_seq AS seq, data, state_vector FROM s
         UNION ALL
         SELECT false, seq, data, NULL FROM doc_updates
           WHERE doc = $1 AND seq > COALESCE((SELECT upto_seq FROM s), 0)
         ORDER BY is_snapshot DESC, seq`,
        [name],
      )
      const snap = rows[0]?.is_snapshot ? rows[0] : undefined
      const updates = snap ? rows.slice(1) : rows
      const last = updates.length ? updates[updates.length - 1] : snap
      return {
        snapshot: snap ? toBytes(snap.data as Buffer) : null,
        snapshotStateVector: snap?.state_vector ? toBytes(snap.state_vector as Buffer) : null,
        updates: updates.map((r) => toBytes(r.data as Buffer)),
        lastSeq: last ? int(last.seq) : 0,
      }
    },
    // The head row is locked from the increment until COMMIT, so concurrent appenders to one document
    // (several processes) get disjoint ranges and commit in sequence order. Within this process, appends
    // to one document run one after another, so they take sequence numbers in the order they were issued.
    appendUpdates: (name, updates) => {
      const prev = appendChains.get(name) ?? Promise.resolve()
      const next = prev.then(() => appendNow(name, updates))
      const settled = next.then(
        () => {},
        () => {},
      )
      appendChains.set(name, settled)
      settled.then(() => {
        if (appendChains.get(name) === settled) appendChains.delete(name)
      })
      return next
    },
    compact: (name, snapshot, uptoSeq, stateVector) =>
      transaction(async (c) => {
        // Sequence numbers keep rising after compaction, even past a snapshot taken beyond the log's end.
        await c.query(
          `INSERT INTO doc_heads (doc, last_seq) VALUES ($1, $2)
           ON CONFLICT (doc) DO UPDATE SET last_seq = GREATEST(doc_heads.last_seq, excluded.last_seq)`,
          [name, uptoSeq],
        )
        // A compaction behind the stored snapshot (another process, with an older view) must not bring
        // back an older state: the updates between the two are already gone from the log.
        await c.query(
          `INSERT INTO doc_snapshots (doc, upto_seq, data, state_vector) VALUES ($1, $2, $3, $4)
           ON CONFLICT (doc) DO UPDATE SET upto_seq = excluded.upto_seq, data = excluded.data,
             state_vector = excluded.state_vector
           WHERE doc_snapshots.upto_seq <= excluded.upto_seq`,
          [name, uptoSeq, snapshot, stateVector ?? null],
        )
        await c.query('DELETE FROM doc_updates WHERE doc = $1 AND seq <= $2', [name, uptoSeq])
      }),
    docStats: async (name) => {
      const [r] = await query(
        `SELECT (SELECT COUNT(*) FROM doc_updates WHERE doc = $1) AS n,
                (SELECT COALESCE(SUM(octet_length(data)), 0) FROM doc_updates WHERE doc = $1) AS bytes,
                (SELECT octet_length(data) FROM doc_snapshots WHERE doc = $1) AS snap`,
        [name],
      )
      return { updates: int(r.n), updateBytes: int(r.bytes), snapshotBytes: int(r.snap ?? 0) }
    },
  }
}
