import { join } from 'node:path'
import { BENCH_DIR, runPinnedForResult } from '../proc.ts'
import { fmt, type MetricRow } from '../stats.ts'
import type { ScenarioResult } from './yjs.ts'

/** A whole scenario-c run (store 100 000 keystrokes three ways, then time cold opens) is bounded too. */
const RUN_TIMEOUT_MS = 120_000

interface StorageResult {
  keystrokes: number
  sqliteSync: string
  textLength: number
  snapshotBytes: number
  roundtable: {
    storeMs: number
    storedAfter: { updates: number; snapshotBytes: number; updateBytes: number }
    firstSyncMs: number[]
    firstSyncMedianMs: number
    parts: { load: number; encode: number; clientApply: number }[]
    bytesPer1000: { logical: number; written: number }
  }
  snapshotApplyMedianMs: number
  snapshotPerSave: { bytesPer1000: { logical: number; written: number } }
  yLeveldb: { storeMs: number; firstSyncMedianMs: number; bytesPer1000: { written: number } }
}

export const runStorageScenario = async (opts: {
  quick: boolean
  reps: number
  log: (s: string) => void
}): Promise<ScenarioResult> => {
  const keystrokes = opts.quick ? 5_000 : 100_000
  const r = (await runPinnedForResult(
    'storage',
    ['--expose-gc', '--import', 'tsx', join(BENCH_DIR, 'servers/storage.ts')],
    // synchronous=normal while storing: the same bytes reach the WAL as with full, without 100 000 fsyncs
    // (≈ 1.5 ms each here) pushing the run past its time bound. Opening is timed from the same files.
    // Cold opens are cheap next to storing: more of them keep the median steady on a busy machine.
    { KEYSTROKES: String(keystrokes), REPS: String(Math.max(7, opts.reps)), SQLITE_SYNC: 'normal' },
    RUN_TIMEOUT_MS,
  )) as unknown as StorageResult
  const rt = r.roundtable
  const firstSyncRatio = rt.firstSyncMedianMs / r.snapshotApplyMedianMs
  const speedup = r.yLeveldb.firstSyncMedianMs / rt.firstSyncMedianMs
  const bytesRatio = rt.bytesPer1000.written / r.snapshotPerSave.bytesPer1000.written
  const logicalRatio = rt.bytesPer1000.logical / r.snapshotPerSave.bytesPer1000.logical
  const row = (
    metric: string,
    unit: string,
    values: Record<string, number | null>,
    ratio: number | null,
    goal: string,
    met: boolean | null,
  ): MetricRow => ({ metric, unit, better: 'lower', values, ratio, goal, met })
  const rows: MetricRow[] = [
    row(
      'first sync of a fresh client, cold server',
      'ms',
      {
        roundtable: rt.firstSyncMedianMs,
        'one snapshot': r.snapshotApplyMedianMs,
        'y-leveldb': r.yLeveldb.firstSyncMedianMs,
      },
      firstSyncRatio,
      '≤ 1.2 × applying one snapshot',
      firstSyncRatio <= 1.2,
    ),
    row(
      'y-leveldb replay ÷ Roundtable first sync',
      '×',
      { roundtable: speedup, 'one snapshot': null, 'y-leveldb': null },
      speedup,
      '≥ 10 × faster than y-leveldb',
      speedup >= 10,
    ),
    row(
      'bytes written per 1 000 keystrokes (write(2), WAL incl.)',
      'kB',
      {
        roundtable: rt.bytesPer1000.written / 1024,
        'snapshot per save': r.snapshotPerSave.bytesPer1000.written / 1024,
        'y-leveldb': r.yLeveldb.bytesPer1000.written / 1024,
      },
      bytesRatio,
      '≤ 0.25 × snapshot-per-save',
      bytesRatio <= 0.25,
    ),
    row(
      'bytes stored per 1 000 keystrokes (rows + snapshots)',
      'kB',
      {
        roundtable: rt.bytesPer1000.logical / 1024,
        'snapshot per save': r.snapshotPerSave.bytesPer1000.logical / 1024,
      },
      logicalRatio,
      '–',
      null,
    ),
  ]
  const candidates = ['roundtable', 'one snapshot', 'snapshot per save', 'y-leveldb']
  const parts = rt.parts.map(
    (p) => `load ${fmt(p.load)} + answer step 1 ${fmt(p.encode)} + client apply ${fmt(p.clientApply)} ms`,
  )
  opts.log(`  c: Roundtable first sync ${rt.firstSyncMs.map((x) => fmt(x)).join(', ')} ms (${parts[0]})`)
  return {
    id: 'c',
    title: `open a brief with ${keystrokes.toLocaleString('en')} stored keystroke updates`,
    params: { keystrokes, reps: opts.reps, sqliteSync: r.sqliteSync },
    candidates,
    rows,
    runs: [r],
    notes: [
      `text length ${r.textLength} characters; one snapshot is ${fmt(r.snapshotBytes / 1024)} kB; Roundtable stored ${rt.storedAfter.updates} tail updates after compaction (snapshot ${fmt(rt.storedAfter.snapshotBytes / 1024)} kB)`,
      `Roundtable first sync, median parts: ${parts[Math.floor(parts.length / 2)]}`,
      `storing ${keystrokes} keystrokes one per turn: Roundtable (SQLite, synchronous=${r.sqliteSync}) ${fmt(rt.storeMs / 1000)} s, y-leveldb ${fmt(r.yLeveldb.storeMs / 1000)} s`,
    ],
  }
}
