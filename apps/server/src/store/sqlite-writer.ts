// The SQLite store's writer: every write runs through `group`, which commits a batch of requests in one
// transaction (group commit). Each request runs in its own savepoint: one that fails changes nothing and
// leaves the others of its group intact; a failed COMMIT fails every request of the group.
import Database from 'better-sqlite3'

export type WriteRequest =
  | { op: 'append'; doc: string; updates: Uint8Array[] }
  | { op: 'compact'; doc: string; snapshot: Uint8Array; uptoSeq: number; stateVector: Uint8Array | null }
  | { op: 'run'; sql: string; params: unknown[] }
  | { op: 'many'; requests: WriteRequest[] }

export type WriteOutcome =
  | { ok: true; value: unknown }
  | { ok: false; error: { message: string; code?: string } }

/** Opens a connection with the pragmas every Roundtable connection uses. */
export const openDatabase = (path: string, synchronous?: 'full' | 'normal'): Database.Database => {
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${synchronous === 'normal' ? 'NORMAL' : 'FULL'}`)
  db.pragma('busy_timeout = 5000')
  return db
}

const describeError = (err: unknown): { message: string; code?: string } => ({
  message: err instanceof Error ? err.message : String(err),
  code: typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : undefined,
})

/** Statements compiled once per connection and SQL text, not on every call. */
export const statementCache = (db: Database.Database): ((sql: string) => Database.Statement) => {
  const statements = new Map<string, Database.Statement>()
  return (sql) => {
    let s = statements.get(sql)
    if (!s) {
      s = db.prepare(sql)
      statements.set(sql, s)
    }
    return s
  }
}

/**
 * Write requests:
 *   { op: 'append', doc, updates }            → last sequence number
 *   { op: 'compact', doc, snapshot, uptoSeq, stateVector } → null
 *   { op: 'run', sql, params }                → { changes, lastInsertRowid }
 *   { op: 'many', requests }                  → one value per request, all or nothing
 */
export const createWriter = (db: Database.Database): { group(requests: WriteRequest[]): WriteOutcome[] } => {
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
  const statement = statementCache(db)
  // Sequence numbers keep rising after compaction, so a snapshot's upto_seq stays meaningful.
  const seqOf = (doc: string): number =>
    Math.max(
      (q.lastSeq.get(doc) as { s: number | null }).s ?? 0,
      (q.snapshotSeq.get(doc) as { upto_seq: number } | undefined)?.upto_seq ?? 0,
    )

  const perform = (req: WriteRequest): unknown => {
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
        throw new Error(`unknown write request ${(req as { op: string }).op}`)
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
  const failAll = (requests: WriteRequest[], err: unknown): WriteOutcome[] => {
    const error = describeError(err)
    return requests.map(() => ({ ok: false, error }))
  }

  // SQLite itself rolls back the whole transaction on some errors (disk full, I/O, out of memory): then
  // there is no savepoint left to roll back to, and the rest of the group must fail too.
  const quietly = (stmt: Database.Statement) => {
    try {
      stmt.run()
    } catch {
      // Nothing to undo: SQLite has rolled back already.
    }
  }

  return {
    /** Runs the requests in one transaction; returns one outcome ({ ok, value } or { ok: false, error }) each. Never throws. */
    group(requests: WriteRequest[]): WriteOutcome[] {
      try {
        tx.begin.run()
      } catch (err) {
        return failAll(requests, err)
      }
      const outcomes: WriteOutcome[] = []
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
