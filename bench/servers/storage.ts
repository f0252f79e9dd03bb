// Scenario c, run as a pinned child: opening a brief with 100 000 stored keystroke updates.
// Roundtable stores them through its real path (DocRoom → SQLite append per turn, compaction every
// 500 updates); y-leveldb stores the same updates one by one, as y-websocket-server's persistence does.
// Prints `READY {}` at start and `RESULT <json>` at the end.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import * as Y from 'yjs'
import { LeveldbPersistence } from 'y-leveldb'
import { openSqliteStore } from '../../apps/server/src/store/sqlite.ts'
import type { DocStore, Store } from '../../apps/server/src/store/types.ts'
import type { Peer } from '../../apps/server/src/docs/peer.ts'
import { DEFAULT_ROOM_LIMITS, DocRoom } from '../../apps/server/src/docs/room.ts'
import { encodeSyncStep1, encodeSyncUpdate } from '../../apps/server/src/docs/wire.ts'

// The same SQLite engine Roundtable uses, for the snapshot-per-save store (not a bench dependency of its own).
const Database = createRequire(new URL('../../apps/server/package.json', import.meta.url))(
  'better-sqlite3',
) as new (
  path: string,
) => {
  pragma(sql: string): unknown
  exec(sql: string): void
  prepare(sql: string): { run(...params: unknown[]): unknown }
  close(): void
}

const KEYSTROKES = Number(process.env.KEYSTROKES || 100_000)
const REPS = Number(process.env.REPS || 3)
const SYNC = (process.env.SQLITE_SYNC || 'full') as 'full' | 'normal'
/** Bytes are compared over the last 1 000 keystrokes, when the brief has its full size. */
const WINDOW = 1_000
const DOC = 'bench-meeting.brief'

console.log('READY {}')

/** bytes passed to write(2) by this process so far: WAL, checkpoints and LevelDB logs included. */
const wchar = () => Number(/wchar:\s+(\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))![1])

/** Seeded keystrokes: typing at a cursor, a jump every ~40 characters, 5 % backspaces. */
const makeKeystrokes = (n: number): { updates: Uint8Array[]; final: Y.Doc } => {
  let s = 0x2545f491
  const rnd = () => {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    return (s >>> 0) / 2 ** 32
  }
  const doc = new Y.Doc()
  const text = doc.getText('brief')
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  const letters = 'etaoin shrdlucmfwypvbgkjqxz, .'
  let cursor = 0
  while (updates.length < n) {
    if (rnd() < 1 / 40) cursor = Math.floor(rnd() * (text.length + 1))
    if (rnd() < 0.05 && cursor > 0) {
      text.delete(cursor - 1, 1)
      cursor--
    } else {
      text.insert(cursor, letters[Math.floor(rnd() * letters.length)])
      cursor++
    }
  }
  return { updates, final: doc }
}

const median = (xs: number[]) => {
  const v = [...xs].sort((a, b) => a - b)
  const m = v.length >> 1
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2
}

const log = { warn: () => {}, error: (o: object, m: string) => console.error(m, o) }

const tick = () => new Promise<void>((r) => setImmediate(r))

/** Counts the bytes the store is asked to write (update rows and snapshots). */
const counting = (store: Store) => {
  const c = { bytes: 0 }
  const wrapped: DocStore = {
    loadDoc: (n) => store.loadDoc(n),
    appendUpdates: (n, us) => {
      for (const u of us) c.bytes += u.byteLength
      return store.appendUpdates(n, us)
    },
    compact: (n, snap, upto, sv) => {
      c.bytes += snap.byteLength + (sv?.byteLength ?? 0)
      return store.compact(n, snap, upto, sv)
    },
    docStats: (n) => store.docStats(n),
  }
  return { c, wrapped }
}

const fakePeer = (sent: Uint8Array[]): Peer => ({
  id: 1,
  identity: null,
  closed: false,
  canWrite: true,
  send: (f) => sent.push(f),
  bufferedAmount: () => 0,
  close: () => {},
})

/** Reads a y-websocket sync frame: [0 sync][sub][payload]. */
const syncPayload = (frame: Uint8Array): { sub: number; payload: Uint8Array } | null => {
  if (frame[0] !== 0) return null
  const sub = frame[1]
  let i = 2
  let len = 0
  let shift = 0
  for (;;) {
    const b = frame[i++]
    len += (b & 0x7f) * 2 ** shift
    shift += 7
    if (b < 0x80) break
  }
  return { sub, payload: frame.subarray(i, i + len) }
}

const main = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rt-bench-c-'))
  try {
    const t0 = performance.now()
    const { updates, final } = makeKeystrokes(KEYSTROKES)
    const generateMs = performance.now() - t0
    const snapshot = Y.encodeStateAsUpdate(final)

    /* ---- Roundtable: every keystroke through DocRoom, one per event-loop turn ---- */
    const rtPath = join(dir, 'rt', 'roundtable.sqlite')
    let store = openSqliteStore({ path: rtPath, synchronous: SYNC })
    const { c, wrapped } = counting(store)
    let room = new DocRoom(DOC, { store: wrapped, log, limits: DEFAULT_ROOM_LIMITS })
    await room.ready
    const peer = fakePeer([])
    room.addPeer(peer)
    const tStore = performance.now()
    let rtWchar0 = 0
    let rtLogical0 = 0
    for (let i = 0; i < updates.length; i++) {
      if (i === updates.length - WINDOW) {
        await room.settle()
        rtWchar0 = wchar()
        rtLogical0 = c.bytes
      }
      room.receive(peer, encodeSyncUpdate(updates[i]))
      await tick()
    }
    await room.settle()
    const rtWindowWchar = wchar() - rtWchar0
    const rtWindowLogical = c.bytes - rtLogical0
    const rtStoreMs = performance.now() - tStore
    room.removePeer(peer)
    await room.destroy()
    const rtStats = await store.docStats(DOC)
    await store.close()

    /* ---- snapshot-per-save store: the whole state written on every save ---- */
    const snapDb = new Database(join(dir, 'snap.sqlite'))
    snapDb.pragma('journal_mode = WAL')
    snapDb.pragma(`synchronous = ${SYNC === 'full' ? 'FULL' : 'NORMAL'}`)
    snapDb.exec('CREATE TABLE docs (name TEXT PRIMARY KEY, data BLOB NOT NULL)')
    const put = snapDb.prepare('INSERT OR REPLACE INTO docs (name, data) VALUES (?, ?)')
    const sdoc = new Y.Doc()
    for (let i = 0; i < updates.length - WINDOW; i++) Y.applyUpdate(sdoc, updates[i])
    put.run(DOC, Y.encodeStateAsUpdate(sdoc))
    const snapW0 = wchar()
    let snapLogical = 0
    for (let i = updates.length - WINDOW; i < updates.length; i++) {
      Y.applyUpdate(sdoc, updates[i])
      const state = Y.encodeStateAsUpdate(sdoc)
      snapLogical += state.byteLength
      put.run(DOC, state)
    }
    const snapWindowWchar = wchar() - snapW0
    snapDb.close()

    /* ---- y-leveldb: every update stored, as y-websocket-server's persistence does ---- */
    const ldbPath = join(dir, 'ldb')
    let ldb = new LeveldbPersistence(ldbPath)
    const tL = performance.now()
    let ldbW0 = 0
    // y-leveldb queues its writes one after another anyway; awaiting 1 000 at a time only saves wall time.
    for (let i = 0; i < updates.length; i += WINDOW) {
      if (i === updates.length - WINDOW) ldbW0 = wchar()
      await Promise.all(updates.slice(i, i + WINDOW).map((u) => ldb.storeUpdate(DOC, u)))
    }
    const ldbWindowWchar = wchar() - ldbW0
    const ldbStoreMs = performance.now() - tL
    await ldb.destroy()
    // getYDoc compacts what it replays: every repetition starts from a copy of the untouched log.
    const ldbPristine = join(dir, 'ldb-pristine')
    cpSync(ldbPath, ldbPristine, { recursive: true })

    /* ---- first sync of a fresh client, cold server, median of REPS ---- */
    const emptySv = Y.encodeStateVector(new Y.Doc())
    // "One snapshot" is the one Roundtable itself stored: the whole state as a single update.
    const probe = openSqliteStore({ path: rtPath, synchronous: SYNC })
    const storedSnapshot = (await probe.loadDoc(DOC)).snapshot ?? snapshot
    await probe.close()
    const gc = (globalThis as { gc?: () => void }).gc ?? (() => {})
    const rtTimes: number[] = []
    const rtParts: { load: number; encode: number; clientApply: number }[] = []
    const snapTimes: number[] = []
    const ldbTimes: number[] = []
    // One untimed round first, so no path pays for cold JIT or a cold page cache.
    for (let r = -1; r < REPS; r++) {
      // Baseline: a client applying one snapshot of the same state.
      gc()
      const s0 = performance.now()
      const sd = new Y.Doc()
      Y.applyUpdate(sd, storedSnapshot)
      if (r >= 0) snapTimes.push(performance.now() - s0)
      sd.destroy()

      // Roundtable: open the store, load the room (snapshot + tail), answer the client's step 1.
      gc()
      const a = performance.now()
      store = openSqliteStore({ path: rtPath, synchronous: SYNC })
      room = new DocRoom(DOC, { store, log, limits: DEFAULT_ROOM_LIMITS })
      const sent: Uint8Array[] = []
      const p = fakePeer(sent)
      room.addPeer(p)
      await room.ready
      const loaded = performance.now()
      room.receive(p, encodeSyncStep1(emptySv))
      const step2 = sent.map(syncPayload).find((m) => m?.sub === 1)!
      const encoded = performance.now()
      const client = new Y.Doc()
      Y.applyUpdate(client, step2.payload)
      const b = performance.now()
      if (client.getText('brief').toString() !== final.getText('brief').toString())
        throw new Error('Roundtable first sync does not match the typed text')
      if (r >= 0) {
        rtTimes.push(b - a)
        rtParts.push({ load: loaded - a, encode: encoded - loaded, clientApply: b - encoded })
      }
      room.removePeer(p)
      await room.destroy()
      await store.close()

      // y-leveldb: replay every stored update into a doc (getYDoc), then serve the client from it.
      rmSync(ldbPath, { recursive: true, force: true })
      cpSync(ldbPristine, ldbPath, { recursive: true })
      gc()
      const l0 = performance.now()
      ldb = new LeveldbPersistence(ldbPath)
      const persisted = await ldb.getYDoc(DOC)
      const shared = new Y.Doc()
      Y.applyUpdate(shared, Y.encodeStateAsUpdate(persisted))
      const lc = new Y.Doc()
      Y.applyUpdate(lc, Y.encodeStateAsUpdate(shared, emptySv))
      if (r >= 0) ldbTimes.push(performance.now() - l0)
      if (lc.getText('brief').toString() !== final.getText('brief').toString())
        throw new Error('y-leveldb replay does not match the typed text')
      await ldb.destroy()
    }

    const out = {
      keystrokes: KEYSTROKES,
      sqliteSync: SYNC,
      textLength: final.getText('brief').length,
      snapshotBytes: snapshot.byteLength,
      generateMs,
      roundtable: {
        storeMs: rtStoreMs,
        storedAfter: rtStats,
        firstSyncMs: rtTimes,
        firstSyncMedianMs: median(rtTimes),
        parts: rtParts,
        bytesPer1000: { logical: rtWindowLogical, written: rtWindowWchar },
      },
      snapshotApplyMs: snapTimes,
      snapshotApplyMedianMs: median(snapTimes),
      snapshotPerSave: { bytesPer1000: { logical: snapLogical, written: snapWindowWchar } },
      yLeveldb: {
        storeMs: ldbStoreMs,
        firstSyncMs: ldbTimes,
        firstSyncMedianMs: median(ldbTimes),
        bytesPer1000: { written: ldbWindowWchar },
      },
    }
    console.log(`RESULT ${JSON.stringify(out)}`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err)
    process.exit(1)
  },
)
