import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { startRoundtable } from '../candidates.ts'
import { EioClient } from '../eioclient.ts'
import { BENCH_DIR, memKb, type Server, sleep, startPinned, waitQuiet, withTimeout } from '../proc.ts'
import { buildRows, type MetricDef, ratioAtLeast, ratioAtMost } from '../report.ts'
import { copyTemplate, type RoundtableTemplate, removeDir } from '../roundtable-db.ts'
import { Tracker } from '../yclient.ts'
import {
  CONNECT_CONCURRENCY,
  CONNECT_TIMEOUT_MS,
  type PhaseResult,
  RUN_TIMEOUT_MS,
  runPhase,
  SETTLE_MAX_MS,
  type ScenarioResult,
} from './yjs.ts'

export interface EventsParams {
  clients: number
  /** Chairs sending `agenda:update`, each on its own agenda item. */
  senders: number
  /** Events per second per sender; senders × rate is what every client receives per second. */
  rate: number
  windowMs: number
  ramp: number[]
  rampWindowMs: number
}

interface EventsRun {
  candidate: string
  rep: number
  connectMs: number
  settleMs: number
  memPerConnKb: number
  phases: (PhaseResult & { acksOk: number; acksFailed: number })[]
  sustainedDeliveriesPerS: number | null
  error?: string
}

interface Cand {
  id: string
  peer: boolean
  start(
    tpl: RoundtableTemplate,
  ): Promise<{ server: Server; cookie: (i: number) => string | undefined; stop(): Promise<void> }>
}

const roundtable: Cand = {
  id: 'roundtable',
  peer: false,
  async start(tpl) {
    const dataDir = copyTemplate(tpl)
    const server = await startRoundtable({ BENCH_DATA_DIR: dataDir }).catch((err) => {
      removeDir(dataDir)
      throw err
    })
    return {
      server,
      // Senders are chairs (agenda changes need the chair role); everyone else is an observer.
      cookie: (i) => (i < tpl.chairs.length ? tpl.chairs[i] : tpl.observers[i - tpl.chairs.length]),
      async stop() {
        await server.stop()
        removeDir(dataDir)
      },
    }
  },
}

const stock: Cand = {
  id: 'socket.io',
  peer: true,
  async start(tpl) {
    const server = await startPinned('socket.io', [join(BENCH_DIR, 'servers/socketio.mjs')], {
      BENCH_ITEMS: String(tpl.benchItems.length),
    })
    return { server, cookie: () => undefined, stop: () => server.stop() }
  },
}

const runOnce = async (
  p: EventsParams,
  cand: Cand,
  tpl: RoundtableTemplate,
  rep: number,
  ctx: { stop?: () => Promise<void>; clients: EioClient[] },
): Promise<EventsRun> => {
  const started = await cand.start(tpl)
  ctx.stop = started.stop
  const pid = started.server.pid
  await sleep(500)
  const baseKb = memKb(pid).rss
  const tracker = new Tracker('e', p.senders)
  const clients = ctx.clients
  for (let i = 0; i < p.clients; i++)
    clients.push(new EioClient(started.server.port, started.cookie(i), i < p.senders ? i : -1, tracker))
  const t0 = performance.now()
  let next = 0
  const worker = async () => {
    while (next < clients.length) {
      const c = clients[next++]
      const ready = new Promise<void>((resolve, reject) => {
        c.onConnected = resolve
        c.onError = (why) => reject(new Error(`socket.io connect refused: ${why}`))
      })
      await c.connect()
      await ready
    }
  }
  await withTimeout(
    Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, worker)),
    CONNECT_TIMEOUT_MS,
    `connect ${p.clients} socket.io clients`,
  )
  const connectMs = performance.now() - t0
  const settleMs = await waitQuiet(pid, SETTLE_MAX_MS) // the join-time participant broadcasts drain
  const memPerConnKb = (memKb(pid).rss - baseKb) / p.clients
  const phases: EventsRun['phases'] = []
  const senders = clients.slice(0, p.senders)
  for (const [k, rate] of [p.rate, ...p.ramp].entries()) {
    let acksOk = 0
    let acksFailed = 0
    const r = await runPhase(
      pid,
      tracker,
      p.clients,
      senders,
      rate,
      k === 0 ? p.windowMs : p.rampWindowMs,
      (c) => {
        const tag = tracker.nextTag(c.source)
        c.emit('agenda:update', { itemId: tpl.benchItems[c.source], title: tag }, (reply) => {
          if (reply.startsWith('[{"ok":true')) acksOk++
          else acksFailed++
        })
      },
    )
    phases.push({ ...r, acksOk, acksFailed })
    if (!r.ok) break
  }
  const passing = phases.filter((ph, k) => ph.ok && phases.slice(0, k).every((q) => q.ok))
  const best = passing[passing.length - 1]
  return {
    candidate: cand.id,
    rep,
    connectMs,
    settleMs,
    memPerConnKb,
    phases,
    sustainedDeliveriesPerS: best ? best.ratePerSource * p.senders * (p.clients - 1) : 0,
  }
}

const num = (v: number | null | undefined) => (v === undefined || v === null || Number.isNaN(v) ? null : v)

export const runEventsScenario = async (
  p: EventsParams,
  tpl: RoundtableTemplate,
  opts: { reps: number; only: string[] | null; log: (s: string) => void },
): Promise<ScenarioResult> => {
  const cands = [roundtable, stock].filter((c) => !opts.only || opts.only.includes(c.id))
  const runs: EventsRun[] = []
  for (let rep = 0; rep < opts.reps; rep++) {
    for (const cand of cands.map((_, i) => cands[(i + rep) % cands.length])) {
      const ctx: { stop?: () => Promise<void>; clients: EioClient[] } = { clients: [] }
      let run: EventsRun
      try {
        run = await withTimeout(runOnce(p, cand, tpl, rep, ctx), RUN_TIMEOUT_MS, `e ${cand.id}`)
      } catch (err) {
        run = {
          candidate: cand.id,
          rep,
          connectMs: Number.NaN,
          settleMs: Number.NaN,
          memPerConnKb: Number.NaN,
          phases: [],
          sustainedDeliveriesPerS: null,
          error: (err as Error).message,
        }
      } finally {
        for (const c of ctx.clients) c.close()
        await ctx.stop?.()
      }
      runs.push(run)
      const ph = run.phases[0]
      opts.log(
        `  e rep ${rep + 1} ${cand.id.padEnd(12)} ${
          run.error
            ? `ERROR ${run.error.split('\n')[0]}`
            : `connect ${run.connectMs.toFixed(0)} ms (+${run.settleMs} ms busy), delivered ${ph?.deliveredPct.toFixed(2)} %, p50 ${ph?.p50} ms, p99 ${ph?.p99} ms, acks ok ${ph?.acksOk}/${ph?.sent}, sustained ${run.sustainedDeliveriesPerS}/s (${run.phases.map((q) => `${q.ratePerSource * p.senders}/s→${q.deliveredPct.toFixed(1)}%`).join(' ')}), gen ${ph?.generatorCpuPct.toFixed(0)} %`
        }`,
      )
    }
  }
  const nominal = (r: EventsRun) => r.phases[0]
  const defs: MetricDef<EventsRun>[] = [
    {
      metric: 'events delivered within window + 5 s',
      unit: '%',
      better: 'higher',
      value: (r) => num(nominal(r)?.deliveredPct),
      goal: '–',
    },
    {
      metric: 'highest sustained throughput (100 % within 5 s)',
      unit: 'deliveries/s',
      better: 'higher',
      value: (r) => num(r.sustainedDeliveriesPerS),
      goal: '≥ 0.95 × stock',
      check: ratioAtLeast(0.95),
    },
    {
      metric: 'event latency p50',
      unit: 'ms',
      better: 'lower',
      value: (r) => num(nominal(r)?.p50),
      goal: '–',
    },
    {
      metric: 'event latency p99',
      unit: 'ms',
      better: 'lower',
      value: (r) => num(nominal(r)?.p99),
      goal: '≤ 1.1 × stock',
      check: ratioAtMost(1.1),
    },
    {
      metric: 'server CPU per delivered event',
      unit: 'µs',
      better: 'lower',
      value: (r) => num(nominal(r)?.cpuUsPerDelivery),
      goal: '–',
    },
    {
      metric: 'server memory per connection',
      unit: 'kB',
      better: 'lower',
      value: (r) => num(r.memPerConnKb),
      goal: '–',
    },
    {
      metric: `connect ${p.clients} clients`,
      unit: 'ms',
      better: 'lower',
      value: (r) => num(r.connectMs),
      goal: '–',
    },
    {
      metric: 'load generator CPU (100 = saturated)',
      unit: '%',
      better: 'lower',
      value: (r) => num(nominal(r)?.generatorCpuPct),
      goal: '–',
    },
  ]
  return {
    id: 'e',
    title: `meeting events: ${p.clients} clients each receiving ${p.senders * p.rate} events/s (${p.senders} chairs × ${p.rate}/s agenda:update, broadcast to the room)`,
    params: p,
    candidates: cands.map((c) => c.id),
    rows: buildRows(
      defs,
      cands.map((c) => ({ id: c.id, peer: c.peer, runs: runs.filter((r) => r.candidate === c.id) })),
    ),
    runs,
    notes: runs.filter((r) => r.error).map((r) => `${r.candidate} rep ${r.rep + 1} failed: ${r.error}`),
  }
}
