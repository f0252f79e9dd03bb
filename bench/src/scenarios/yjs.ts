import { performance } from 'node:perf_hooks'
import { type Started, type YjsCandidate, yjsCandidates } from '../candidates.ts'
import { join } from 'node:path'
import {
  BENCH_DIR,
  cpuMs,
  memKb,
  rssSampler,
  runPinnedForResult,
  sleep,
  waitQuiet,
  withTimeout,
} from '../proc.ts'
import { buildRows, type CandidateRuns, type MetricDef, ratioAtLeast, ratioAtMost } from '../report.ts'
import type { RoundtableTemplate } from '../roundtable-db.ts'
import type { MetricRow } from '../stats.ts'
import { Tracker, YClient } from '../yclient.ts'

export interface YjsParams {
  id: string
  title: string
  clients: number
  writers: number
  /** Updates per second per writer. */
  rate: number
  /** Cursor movers and their rate (scenario f). */
  movers?: number
  moverHz?: number
  /** Idle measurement before any load (scenario f), ms. */
  idleMs?: number
  windowMs: number
  /**
   * Load before the measured window, not measured (`--warmup`): the same writers or cursors at the
   * same rate, so the window sees the server in steady state rather than its first seconds.
   */
  warmupMs?: number
  /** Further per-writer rates tried after the nominal one, until delivery fails (scenario a4). */
  ramp?: number[]
  rampWindowMs?: number
}

/** Deliveries still missing this long after the window count as lost. */
export const GRACE_MS = 5_000
/** Every run is bounded: connect, idle, load, ramp and teardown together. */
export const RUN_TIMEOUT_MS = 120_000
export const CONNECT_TIMEOUT_MS = 45_000
/** Clients connecting at once: bounded so the listen backlog never drops SYNs (which would add 1 s retries). */
export const CONNECT_CONCURRENCY = 64
/** After connecting, wait at most this long for the server to go quiet before measuring (ms). */
export const SETTLE_MAX_MS = 5_000
/** A ramp step passes when everything arrives within the grace period; peak memory must stay under this. */
const MEMORY_BOUND_KB = 1024 * 1024

export interface PhaseResult {
  ratePerSource: number
  sent: number
  expected: number
  received: number
  deliveredPct: number
  p50: number | null
  p99: number | null
  serverCpuMs: number
  /** Server CPU per delivered message (one update reaching one client), µs. */
  cpuUsPerDelivery: number | null
  /** Load generator CPU use during the phase (100 = its whole core): near 100 means the generator limits the result. */
  generatorCpuPct: number
  /** Slowest delivery of the phase (ms). */
  maxMs: number | null
  /** Sustained: every message delivered, each within GRACE_MS of being sent. */
  ok: boolean
}

export interface YjsRun {
  candidate: string
  rep: number
  connectSyncMs: number
  /** Time the server stayed busy after the last client had synced. */
  settleMs: number
  memPerConnKb: number
  rssAfterConnectMb: number
  peakRssMb: number
  idleCpuMsPerS: number | null
  phases: PhaseResult[]
  sustainableRate: number | null
  error?: string
}

export const connectAll = async (clients: YClient[]): Promise<void> => {
  let next = 0
  const worker = async () => {
    while (next < clients.length) {
      const c = clients[next++]
      const synced = new Promise<void>((r) => {
        c.onSynced = r
      })
      await c.connect()
      await synced
    }
  }
  await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, worker))
}

/** Calls `act(i)` for each source at `rate` per second for `ms`, evenly staggered. */
const drive = (n: number, rate: number, ms: number, act: (i: number) => void): Promise<void> =>
  new Promise((resolve) => {
    const start = performance.now()
    const period = 1000 / rate
    const due = Array.from({ length: n }, (_, i) => start + (i / n) * period)
    const end = start + ms
    const t = setInterval(() => {
      const now = performance.now()
      for (let i = 0; i < n; i++) {
        while (due[i] <= now && due[i] < end) {
          act(i)
          due[i] += period
        }
      }
      if (now >= end) {
        clearInterval(t)
        resolve()
      }
    }, 2)
  })

/** When the latest phase began (performance.now()), for BENCH_TRACE_GC's stamps. */
let phaseStartedAt = 0

export const runPhase = async <C>(
  pid: number,
  tracker: Tracker,
  receivers: number,
  sources: C[],
  rate: number,
  windowMs: number,
  act: (c: C) => void,
): Promise<PhaseResult> => {
  const phase = tracker.newPhase()
  phaseStartedAt = performance.now()
  const ph = tracker.phases[phase]
  const cpu0 = cpuMs(pid)
  const gen0 = process.cpuUsage()
  const t0 = performance.now()
  await drive(sources.length, rate, windowMs, (i) => act(sources[i]))
  tracker.phase = -1
  const expected = ph.sent * (receivers - 1)
  const graceEnd = performance.now() + GRACE_MS
  while (ph.received < expected && performance.now() < graceEnd) await sleep(50)
  const wall = performance.now() - t0
  const gen = process.cpuUsage(gen0)
  const serverCpuMs = cpuMs(pid) - cpu0
  const deliveredPct = expected === 0 ? 100 : (100 * ph.received) / expected
  return {
    ratePerSource: rate,
    sent: ph.sent,
    expected,
    received: ph.received,
    deliveredPct,
    p50: ph.hist.percentile(50),
    p99: ph.hist.percentile(99),
    serverCpuMs,
    cpuUsPerDelivery: ph.received > 0 ? (serverCpuMs * 1000) / ph.received : null,
    generatorCpuPct: (100 * (gen.user + gen.system)) / 1000 / wall,
    maxMs: ph.hist.count > 0 ? ph.hist.max : null,
    // "Delivered within 5 s" means each message, not the phase: a server that falls ever further behind
    // can still deliver everything by the end of the grace period while its last messages wait 9 s.
    ok: ph.received >= expected && ph.hist.max <= GRACE_MS,
  }
}

interface RunCtx {
  started: Started | null
  clients: YClient[]
}

const teardown = async (ctx: RunCtx) => {
  for (const c of ctx.clients) c.close()
  await ctx.started?.stop()
}

const runOnce = async (
  p: YjsParams,
  cand: YjsCandidate,
  tpl: RoundtableTemplate,
  rep: number,
  ctx: RunCtx,
): Promise<YjsRun> => {
  const clients = ctx.clients
  try {
    const started = await cand.start(tpl, { writers: p.writers })
    if (process.env.BENCH_TRACE_GC === '1') {
      // Each of the server's collections, stamped with ms since the phase began (negative: before it).
      started.server.lines.on('line', (line: string) => {
        if (/Scavenge|Mark-Compact|Mark-sweep/.test(line))
          console.log(
            `  gc +${Math.round(performance.now() - phaseStartedAt)} ms: ${line.replace(/^\[\d+:0x[0-9a-f]+\]\s*/, '')}`,
          )
      })
    }
    ctx.started = started
    const { server, endpoint } = started
    await sleep(500)
    const baseKb = memKb(server.pid).rss
    const sampler = rssSampler(server.pid)
    const updates = new Tracker('w', p.writers)
    const cursors = p.movers ? new Tracker('c', p.movers) : null
    const firstMover = p.clients - (p.movers ?? 0)
    for (let i = 0; i < p.clients; i++) {
      const role = {
        index: i,
        writer: i < p.writers ? i : -1,
        mover: p.movers && i >= firstMover ? i - firstMover : -1,
      }
      clients.push(new YClient(endpoint, role, updates, cursors))
    }
    const t0 = performance.now()
    // The first client connects alone and gives a peer the same starting brief Roundtable has.
    const first = clients[0]
    const firstSynced = new Promise<void>((r) => {
      first.onSynced = r
    })
    await withTimeout(first.connect(), CONNECT_TIMEOUT_MS, 'first client')
    await withTimeout(firstSynced, CONNECT_TIMEOUT_MS, 'first client sync')
    if (started.seedUpdate) first.sendUpdate(started.seedUpdate)
    await withTimeout(connectAll(clients.slice(1)), CONNECT_TIMEOUT_MS, `connect ${p.clients} clients`)
    const connectSyncMs = performance.now() - t0
    const settleMs = await waitQuiet(server.pid, SETTLE_MAX_MS) // the join-time presence storm drains
    const connectedKb = memKb(server.pid).rss
    let idleCpuMsPerS: number | null = null
    if (p.idleMs) {
      const c0 = cpuMs(server.pid)
      await sleep(p.idleMs)
      idleCpuMsPerS = (cpuMs(server.pid) - c0) / (p.idleMs / 1000)
    }
    const phases: PhaseResult[] = []
    if (p.warmupMs) {
      if (p.movers && cursors)
        await runPhase(
          server.pid,
          cursors,
          p.clients,
          clients.slice(firstMover),
          p.moverHz!,
          p.warmupMs,
          (c) => c.moveCursor(),
        )
      else
        await runPhase(server.pid, updates, p.clients, clients.slice(0, p.writers), p.rate, p.warmupMs, (c) =>
          c.type(),
        )
    }
    if (p.movers && cursors) {
      const movers = clients.slice(firstMover)
      phases.push(
        await runPhase(server.pid, cursors, p.clients, movers, p.moverHz!, p.windowMs, (c) => c.moveCursor()),
      )
    } else {
      const writers = clients.slice(0, p.writers)
      const rates = [p.rate, ...(p.ramp ?? [])]
      for (const [k, rate] of rates.entries()) {
        const ms = k === 0 ? p.windowMs : (p.rampWindowMs ?? p.windowMs)
        const r = await runPhase(server.pid, updates, p.clients, writers, rate, ms, (c) => c.type())
        phases.push(r)
        if (!r.ok || sampler.peakKb > MEMORY_BOUND_KB) break
      }
    }
    const peakKb = Math.max(sampler.stop(), memKb(server.pid).hwm)
    const passing = phases.filter((ph, k) => ph.ok && phases.slice(0, k).every((q) => q.ok))
    return {
      candidate: cand.id,
      rep,
      connectSyncMs,
      settleMs,
      memPerConnKb: (connectedKb - baseKb) / p.clients,
      rssAfterConnectMb: connectedKb / 1024,
      peakRssMb: peakKb / 1024,
      idleCpuMsPerS,
      phases,
      sustainableRate: p.ramp
        ? passing.length > 0
          ? passing[passing.length - 1].ratePerSource * p.writers
          : 0
        : null,
    }
  } finally {
    await teardown(ctx)
  }
}

const errorRun = (cand: string, rep: number, err: unknown): YjsRun => ({
  candidate: cand,
  rep,
  connectSyncMs: Number.NaN,
  settleMs: Number.NaN,
  memPerConnKb: Number.NaN,
  rssAfterConnectMb: Number.NaN,
  peakRssMb: Number.NaN,
  idleCpuMsPerS: null,
  phases: [],
  sustainableRate: null,
  error: (err as Error).message,
})

const nominal = (r: YjsRun) => r.phases[0]
const num = (v: number | null | undefined) => (v === undefined || v === null || Number.isNaN(v) ? null : v)

const metricDefs = (p: YjsParams): MetricDef<YjsRun>[] => {
  const kind = p.movers ? 'cursor' : 'update'
  const delivered: MetricDef<YjsRun> = {
    metric: `${kind}s delivered within window + 5 s`,
    unit: '%',
    better: 'higher',
    value: (r) => num(nominal(r)?.deliveredPct),
    goal: '100 %',
    check: (_ratio, rt) => (rt === null ? null : rt >= 100),
  }
  const p50: MetricDef<YjsRun> = {
    metric: `${kind} latency p50`,
    unit: 'ms',
    better: 'lower',
    value: (r) => num(nominal(r)?.p50),
    goal: '–',
  }
  const p99 = (goal: string, vs?: string, limit = 0.8): MetricDef<YjsRun> => ({
    metric: `${kind} latency p99`,
    unit: 'ms',
    better: 'lower',
    value: (r) => num(nominal(r)?.p99),
    vs,
    goal,
    check: ratioAtMost(limit),
  })
  const cpu = (goal: string, check?: MetricDef<YjsRun>['check']): MetricDef<YjsRun> => ({
    metric: 'server CPU per delivered message',
    unit: 'µs',
    better: 'lower',
    value: (r) => num(nominal(r)?.cpuUsPerDelivery),
    goal,
    check,
  })
  const mem = (goal: string, check?: MetricDef<YjsRun>['check']): MetricDef<YjsRun> => ({
    metric: 'server memory per connection',
    unit: 'kB',
    better: 'lower',
    value: (r) => num(r.memPerConnKb),
    goal,
    check,
  })
  const connect = (goal: string, check?: MetricDef<YjsRun>['check']): MetricDef<YjsRun> => ({
    metric: `connect + sync ${p.clients} clients`,
    unit: 'ms',
    better: 'lower',
    value: (r) => num(r.connectSyncMs),
    goal,
    check,
  })
  const peak: MetricDef<YjsRun> = {
    metric: 'server peak RSS',
    unit: 'MB',
    better: 'lower',
    value: (r) => num(r.peakRssMb),
    goal: '–',
  }
  const gen: MetricDef<YjsRun> = {
    metric: 'load generator CPU (100 = saturated)',
    unit: '%',
    better: 'lower',
    value: (r) => num(nominal(r)?.generatorCpuPct),
    goal: '–',
  }
  if (p.id === 'a4')
    return [
      delivered,
      p50,
      p99('≤ 0.8 × Hocuspocus', 'hocuspocus'),
      cpu('–'),
      {
        ...peak,
        goal: `bounded (≤ ${MEMORY_BOUND_KB / 1024} MB)`,
        check: (_r, rt) => (rt === null ? null : rt <= MEMORY_BOUND_KB / 1024),
      },
      {
        metric: 'highest sustainable rate (100 % within 5 s)',
        unit: 'updates/s',
        better: 'higher',
        value: (r) => num(r.sustainableRate),
        vs: 'hocuspocus',
        goal: '≥ 1.25 × Hocuspocus',
        check: ratioAtLeast(1.25),
      },
      mem('–'),
      connect('–'),
      gen,
    ]
  if (p.id === 'b')
    return [
      delivered,
      p50,
      p99('≤ 0.8'),
      connect('≤ 0.8', ratioAtMost(0.8)),
      mem('≤ best', ratioAtMost(1)),
      cpu('–'),
      peak,
      gen,
    ]
  if (p.id === 'f')
    return [
      {
        metric: `idle server CPU, ${p.clients} clients`,
        unit: 'ms/s',
        better: 'lower',
        value: (r) => num(r.idleCpuMsPerS),
        goal: '≤ 0.2 × best',
        check: ratioAtMost(0.2),
      },
      delivered,
      p50,
      p99('≤ Hocuspocus', 'hocuspocus', 1),
      cpu('–'),
      mem('–'),
      connect('–'),
      peak,
      gen,
    ]
  return [
    delivered,
    p50,
    p99('≤ 0.8'),
    cpu('≤ 0.8', ratioAtMost(0.8)),
    mem('≤ best', ratioAtMost(1)),
    connect('–'),
    peak,
    gen,
  ]
}

export interface ScenarioResult {
  id: string
  title: string
  params: unknown
  candidates: string[]
  rows: MetricRow[]
  runs: unknown[]
  notes: string[]
}

export const runYjsScenario = async (
  p: YjsParams,
  tpl: RoundtableTemplate,
  opts: { reps: number; withNormal: boolean; only: string[] | null; log: (s: string) => void },
): Promise<ScenarioResult> => {
  const cands = yjsCandidates(opts.withNormal).filter((c) => !opts.only || opts.only.includes(c.id))
  const runs: YjsRun[] = []
  for (let rep = 0; rep < opts.reps; rep++) {
    // Candidates rotate order between repetitions.
    const order = cands.map((_, i) => cands[(i + rep) % cands.length])
    for (const cand of order) {
      let run: YjsRun
      const ctx: RunCtx = { started: null, clients: [] }
      try {
        run = await withTimeout(runOnce(p, cand, tpl, rep, ctx), RUN_TIMEOUT_MS, `${p.id} ${cand.id}`)
      } catch (err) {
        run = errorRun(cand.id, rep, err)
        await teardown(ctx) // stops the server by its process group even when the run timed out
      }
      runs.push(run)
      const ph = run.phases[0]
      opts.log(
        `  ${p.id} rep ${rep + 1} ${cand.id.padEnd(18)} ${
          run.error
            ? `ERROR ${run.error.split('\n')[0]}`
            : `connect ${run.connectSyncMs.toFixed(0)} ms (+${run.settleMs} ms busy), delivered ${ph?.deliveredPct.toFixed(2)} %, p50 ${ph?.p50} ms, p99 ${ph?.p99} ms, cpu ${ph?.cpuUsPerDelivery?.toFixed(2)} µs/msg, mem ${run.memPerConnKb.toFixed(1)} kB/conn, gen ${ph?.generatorCpuPct.toFixed(0)} %${
                run.idleCpuMsPerS !== null ? `, idle ${run.idleCpuMsPerS.toFixed(1)} ms/s` : ''
              }${run.sustainableRate !== null ? `, sustainable ${run.sustainableRate}/s` : ''}`
        }`,
      )
    }
  }
  const byCand: CandidateRuns<YjsRun>[] = cands.map((c) => ({
    id: c.id,
    peer: c.peer,
    runs: runs.filter((r) => r.candidate === c.id),
  }))
  const notes = runs.filter((r) => r.error).map((r) => `${r.candidate} rep ${r.rep + 1} failed: ${r.error}`)
  // Where latency and CPU are compared with in-memory peers at light load, the storage floor explains the gap.
  if (!p.ramp && !p.movers && cands.some((c) => c.id === 'roundtable')) notes.push(await storageFloorNote())
  return {
    id: p.id,
    title: p.title,
    params: p,
    candidates: cands.map((c) => c.id),
    rows: buildRows(metricDefs(p), byCand),
    runs,
    notes,
  }
}

/** One durable append at a time on an idle pinned process (bench/servers/write-floor.ts). */
const storageFloorNote = async (): Promise<string> => {
  try {
    const r = (await runPinnedForResult(
      'write-floor',
      ['--import', 'tsx', join(BENCH_DIR, 'servers/write-floor.ts')],
      { SQLITE_SYNC: 'full' },
      RUN_TIMEOUT_MS,
    )) as { p50: number; p99: number; cpuUs: number }
    return `storage floor: one durable append alone (writer thread + fsync, SQLITE_SYNC=full, idle pinned process) takes p50 ${r.p50} ms, p99 ${r.p99} ms and ${r.cpuUs} µs of CPU; Roundtable pays it before relaying each batch, the in-memory peers do not`
  } catch (err) {
    return `storage floor: not measured (${(err as Error).message.split('\n')[0]})`
  }
}
