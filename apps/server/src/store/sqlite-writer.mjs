// The embedded store's writer. Every write of the SQLite store runs here, and for a file database on a
// worker thread, so the fsync of a commit never stalls the event loop that relays edits and meeting events.
// Writes that arrive while a commit is under way go into the next transaction together (group commit: one
// fsync for all of them). Each request runs in its own savepoint: one that fails changes nothing and leaves
// the others of its group intact; a failed COMMIT fails every request of the group.
// Plain JavaScript, so Node starts it as a worker without a TypeScript loader (tests, tsx and the bundle alike).
import { isMainThread, parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'

/** Opens a connection with the pragmas every Roundtable connection uses. */
export const openDatabase = (path, synchronous) => {
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${synchronous === 'normal' ? 'NORMAL' : 'FULL'}`)
  db.pragma('busy_timeout = 5000')
  return db
}

const describeError = (err) => ({
  message: err instanceof Error ? err.message : String(err),
  code: typeof err?.code === 'string' ? err.code : undefined,
})

/**
 * Write requests:
 *   { op: 'append', doc, updates }            → last sequence number
 *   { op: 'compact', doc, snapshot, uptoSeq, stateVector } → null
 *   { op: 'run', sql, params }                → { changes, lastInsertRowid }
 *   { op: 'many', requests }                  → one value per request, all or nothing
 */
export const createWriter = (db) => {
  const q = {
    lastSeq: db.prepare('SELECT MAX(seq) AS s FROM doc_updates WHERE doc = ?'),
    snapshotSeq: db.prepare('SELECT upto_seq FROM doc_snapshots WHERE doc = ?'),
    insertUpdate: db.prepare('INSERT INTO doc_updates (doc, seq, data) VALUES (?, ?, ?)'),
    deleteUpto: db.prepare('DELETE FROM doc_updates WHERE doc = ? AND seq <= ?'),
    // A compaction older than the stored snapshot is ignored, as in PostgreSQL: it would move upto_seq back.
    putSnapshot: db.prepare(
      'INSERT INTO doc_snapshots (doc, upto_seq, data, state_vector) VALUES (?, ?, ?, ?) ON CONFLICT(doc) DO UPDATE SET upto_seq = excluded.upto_seq, data = excluded.data, state_vector = excluded.state_vector WHERE doc_snapshots.upto_seq <= excluded.upto_seq',
    ),
  }
  const statements = new Map()
  const statement = (sql) => {
    let s = statements.get(sql)
    if (!s) {
      s = db.prepare(sql)
      statements.set(sql, s)
    }
    return s
  }
  // Sequence numbers keep rising after compaction, so a snapshot's upto_seq stays meaningful.
  const seqOf = (doc) => Math.max(q.lastSeq.get(doc).s ?? 0, q.snapshotSeq.get(doc)?.upto_seq ?? 0)

  const perform = (req) => {
    switch (req.op) {
      case 'append': {
        let seq = seqOf(req.doc)
        for (const u of req.updates) q.insertUpdate.run(req.doc, ++seq, u)
        return seq
      }
      case 'compact':
        if (q.putSnapshot.run(req.doc, req.uptoSeq, req.snapshot, req.stateVector ?? null).changes > 0)
          q.deleteUpto.run(req.doc, req.uptoSeq)
        return null
      case 'run': {
        const r = statement(req.sql).run(...req.params)
        return { changes: r.changes, lastInsertRowid: Number(r.lastInsertRowid) }
      }
      case 'many':
        return req.requests.map(perform)
      default:
        throw new Error(`unknown write request ${req.op}`)
    }
  }

  // Transaction control, prepared once (db.exec would compile each statement on every commit).
  const tx = {
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    savepoint: db.prepare('SAVEPOINT request'),
    release: db.prepare('RELEASE request'),
    rollbackTo: db.prepare('ROLLBACK TO request'),
  }
  const failAll = (requests, err) => {
    const error = describeError(err)
    return requests.map(() => ({ ok: false, error }))
  }

  // SQLite itself rolls back the whole transaction on some errors (disk full, I/O, out of memory): then
  // there is no savepoint left to roll back to, and the rest of the group must fail too.
  const quietly = (stmt) => {
    try {
      stmt.run()
    } catch {
      // Nothing to undo: SQLite has rolled back already.
    }
  }

  return {
    /** Runs the requests in one transaction; returns one outcome ({ ok, value } or { ok: false, error }) each. Never throws. */
    group(requests) {
      try {
        tx.begin.run()
      } catch (err) {
        return failAll(requests, err)
      }
      const outcomes = []
      if (requests.length === 1) {
        // Alone in its transaction: no savepoint needed, a failure rolls the whole of it back.
        try {
          outcomes.push({ ok: true, value: perform(requests[0]) })
        } catch (err) {
          if (db.inTransaction) quietly(tx.rollback)
          return failAll(requests, err)
        }
      } else {
        for (let i = 0; i < requests.length; i++) {
          try {
            tx.savepoint.run()
            outcomes.push({ ok: true, value: perform(requests[i]) })
            tx.release.run()
          } catch (err) {
            if (!db.inTransaction) {
              // The whole transaction is gone, with the requests before this one.
              return failAll(requests, err)
            }
            quietly(tx.rollbackTo)
            quietly(tx.release)
            outcomes.push({ ok: false, error: describeError(err) })
          }
        }
      }
      try {
        tx.commit.run()
      } catch (err) {
        if (db.inTransaction) quietly(tx.rollback)
        return failAll(requests, err)
      }
      return outcomes
    },
  }
}

if (!isMainThread && workerData?.roundtableSqliteWriter) {
  const { path, synchronous } = workerData.roundtableSqliteWriter
  const db = openDatabase(path, synchronous)
  const writer = createWriter(db)
  let pending = []
  let scheduled = false
  let closing = false
  const flush = () => {
    scheduled = false
    const batch = pending
    pending = []
    if (batch.length > 0) {
      let outcomes
      try {
        outcomes = writer.group(batch.map((m) => m.req))
      } catch (err) {
        // Not expected (group catches what SQLite throws), but the thread must answer and live on.
        const error = describeError(err)
        outcomes = batch.map(() => ({ ok: false, error }))
      }
      parentPort.postMessage(batch.map((m, i) => ({ id: m.id, ...outcomes[i] })))
    }
    if (closing) {
      db.close()
      parentPort.close()
    }
  }
  // Messages that queued during a commit are all delivered before the check phase runs `flush`.
  parentPort.on('message', (m) => {
    if (m.close) closing = true
    else pending.push(m)
    if (!scheduled) {
      scheduled = true
      setImmediate(flush)
    }
  })
}
