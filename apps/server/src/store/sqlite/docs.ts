import type { DocStore, StoredDoc } from '../types.ts'
import { toBytes } from '../rows.ts'
import type { SqliteContext } from './context.ts'

/**
 * Posting a view to the writer thread copies its whole underlying buffer (for an update cut out of a
 * socket's read buffer, many kB): a view that does not span its buffer is copied down to its bytes.
 */
const own = (bytes: Uint8Array): Uint8Array =>
  bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice()

/** Documents: the update log and its snapshot. Appends and compactions run in the writer (sqlite-writer.mjs). */
export const sqliteDocs = ({ db, stmt, read, submit }: SqliteContext): DocStore => {
  const q = {
    snapshot: stmt('SELECT upto_seq, data, state_vector FROM doc_snapshots WHERE doc = ?'),
    updatesAfter: stmt('SELECT seq, data FROM doc_updates WHERE doc = ? AND seq > ? ORDER BY seq'),
    docStats: stmt(
      'SELECT COUNT(*) AS n, COALESCE(SUM(LENGTH(data)), 0) AS bytes FROM doc_updates WHERE doc = ?',
    ),
  }
  // One read transaction, so the snapshot and the log after it are seen as of the same commit.
  const load = db.transaction((name: string): StoredDoc => {
    const snap = q.snapshot.get(name) as
      | { upto_seq: number; data: Buffer; state_vector: Buffer | null }
      | undefined
    const rows = q.updatesAfter.all(name, snap?.upto_seq ?? 0) as { seq: number; data: Buffer }[]
    return {
      snapshot: snap ? toBytes(snap.data) : null,
      snapshotStateVector: snap?.state_vector ? toBytes(snap.state_vector) : null,
      updates: rows.map((r) => toBytes(r.data)),
      lastSeq: rows.length ? rows[rows.length - 1].seq : (snap?.upto_seq ?? 0),
    }
  })
  return {
    loadDoc: (name) => read(() => load.deferred(name)),
    appendUpdates: (name, updates) =>
      submit({ op: 'append', doc: name, updates: updates.map(own) }) as Promise<number>,
    compact: async (name, snapshot, uptoSeq, stateVector) => {
      await submit({
        op: 'compact',
        doc: name,
        snapshot: own(snapshot),
        uptoSeq,
        stateVector: stateVector ? own(stateVector) : null,
      })
    },
    docStats: (name) =>
      read(() => {
        const r = q.docStats.get(name) as { n: number; bytes: number }
        const snap = q.snapshot.get(name) as { data: Buffer } | undefined
        return { updates: r.n, updateBytes: r.bytes, snapshotBytes: snap?.data.byteLength ?? 0 }
      }),
  }
}
