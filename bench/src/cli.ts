import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { BENCH_DIR, pinSelf, ROOT_DIR } from './proc.ts'
import { renderRows } from './report.ts'
import { prepareRoundtable, type RoundtableTemplate, removeDir } from './roundtable-db.ts'
import { runEventsScenario } from './scenarios/events.ts'
import { runMeetingScenario } from './scenarios/meeting.ts'
import { runStorageScenario } from './scenarios/storage.ts'
import { runTallyScenario } from './scenarios/tally.ts'
import { runYjsScenario, type ScenarioResult, type YjsParams } from './scenarios/yjs.ts'

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', multiple: true },
    quick: { type: 'boolean', default: false },
    reps: { type: 'string' },
    normal: { type: 'boolean', default: false },
    /** Write V8 CPU profiles of the Roundtable server children into this directory. */
    profile: { type: 'string' },
    /** Run only these candidates (comma-separated ids), e.g. for profiling. */
    only: { type: 'string' },
    /**
     * Measurement window of a1–a4, b and f in seconds (default 6, as issue 4 set it). A longer window
     * holds more samples: for an A/B of two builds, where 150 updates make a noisy p99.
     */
    window: { type: 'string' },
    /** Seconds of the same load before the measured window of a1–a4, b and f (default none). */
    warmup: { type: 'string' },
  },
})

const quick = values.quick
if (values.profile) process.env.BENCH_PROFILE_DIR = values.profile
const only = values.only ? values.only.split(',') : null
const reps = values.reps ? Number(values.reps) : quick ? 1 : 3
const windowS = values.window ? Number(values.window) : null
if (windowS !== null && !(windowS >= 1 && windowS <= 600))
  throw new Error(`--window takes seconds from 1 to 600, not ${values.window}`)
const warmupS = values.warmup ? Number(values.warmup) : 0
if (!(warmupS >= 0 && warmupS <= 600))
  throw new Error(`--warmup takes seconds from 0 to 600, not ${values.warmup}`)
const log = (s: string) => console.log(s)

/** Scenario sizes exactly as in issue 4; --quick shrinks them for a smoke run. */
const yjsScenarios = (): YjsParams[] => {
  const q = (full: number, small: number) => (quick ? small : full)
  const windowMs = windowS !== null ? windowS * 1000 : q(6_000, 2_000)
  const warm = (ps: YjsParams[]): YjsParams[] =>
    ps.map((x) => (warmupS > 0 ? { ...x, warmupMs: warmupS * 1000 } : x))
  return warm([
    {
      id: 'a1',
      title: '50 clients in one brief, 5 writers × 5 updates/s',
      clients: q(50, 10),
      writers: 5,
      rate: 5,
      windowMs,
    },
    {
      id: 'a2',
      title: '200 clients, 10 writers × 5 updates/s',
      clients: q(200, 20),
      writers: q(10, 5),
      rate: 5,
      windowMs,
    },
    {
      id: 'a3',
      title: '1 000 clients, 10 writers × 5 updates/s',
      clients: q(1000, 30),
      writers: q(10, 5),
      rate: 5,
      windowMs,
    },
    {
      id: 'a4',
      title: 'overload: 1 000 clients, 20 writers × 10 updates/s, then rising rates',
      clients: q(1000, 30),
      writers: q(20, 5),
      rate: 10,
      windowMs,
      // Rising until a candidate fails: a ramp that every candidate passes measures nothing.
      ramp: quick ? [20] : [15, 22, 33, 50, 75, 110, 165, 250, 375, 560, 840, 1260],
      rampWindowMs: q(3_000, 2_000),
    },
    {
      id: 'b',
      title: '2 000 read-only followers, 1 writer × 10 updates/s',
      clients: q(2000, 30),
      writers: 1,
      rate: 10,
      windowMs,
    },
    {
      id: 'f',
      title: 'presence: 1 000 idle clients, then 200 moving cursors at 2 Hz',
      clients: q(1000, 30),
      writers: 0,
      rate: 0,
      movers: q(200, 10),
      moverHz: 2,
      idleMs: q(10_000, 3_000),
      windowMs,
    },
  ])
}

const ALL = ['a1', 'a2', 'a3', 'a4', 'b', 'c', 'd', 'e', 'f', 'g']
const wanted = (values.scenario ?? ALL).flatMap((s) => s.split(','))
for (const w of wanted)
  if (!ALL.includes(w)) throw new Error(`unknown scenario ${w}; known: ${ALL.join(', ')}`)

pinSelf()
const resultsDir = join(BENCH_DIR, 'results')
mkdirSync(resultsDir, { recursive: true })

const printResult = (r: ScenarioResult) => {
  console.log(`\n### ${r.id}: ${r.title}\n`)
  console.log(renderRows(r.rows, r.candidates))
  for (const n of r.notes) console.log(`note: ${n}`)
}

/** Which Roundtable was measured: the tree is shared, so uncommitted server changes are flagged. */
const revision = (() => {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT_DIR }).toString().trim()
    const dirty = execFileSync('git', ['status', '--porcelain', 'apps/server', 'packages'], { cwd: ROOT_DIR })
      .toString()
      .trim()
    return dirty ? `${head} + uncommitted changes` : head
  } catch {
    return 'unknown'
  }
})()

const machine = {
  cpus: cpus().length,
  model: cpus()[0]?.model ?? 'unknown',
  memGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
}

const save = (r: ScenarioResult, load: { before: number[]; after: number[] }) => {
  writeFileSync(
    join(resultsDir, `${r.id}.json`),
    `${JSON.stringify({ ...r, quick, reps, machine, revision, loadavg: load, at: new Date().toISOString() }, null, 2)}\n`,
  )
}

const started = Date.now()
let template: RoundtableTemplate | null = null
let eventsTemplate: RoundtableTemplate | null = null
let meetingTemplate: RoundtableTemplate | null = null
const results: ScenarioResult[] = []
const failed: string[] = []
const eClients = quick ? 30 : 1000
const eSenders = quick ? 5 : 20
try {
  const yjs = yjsScenarios().filter((s) => wanted.includes(s.id))
  if (yjs.length > 0) {
    log('preparing the Roundtable database (demo meeting + participants)…')
    template = await prepareRoundtable({ chairs: 0, delegates: 20, observers: quick ? 60 : 2000 })
  }
  if (wanted.includes('e')) {
    // As many participants as clients: the meeting channel sends each one the participant list.
    eventsTemplate = await prepareRoundtable({
      chairs: eSenders,
      delegates: 0,
      observers: eClients - eSenders,
    })
  }
  if (wanted.includes('g'))
    meetingTemplate = await prepareRoundtable({ chairs: 1, delegates: 60, observers: quick ? 60 : 1000 })
  for (const s of ALL.filter((id) => wanted.includes(id))) {
    log(`\nscenario ${s}…`)
    // Other processes on this machine disturb the numbers: the load average is kept with them.
    const loadBefore = loadavg()
    let r: ScenarioResult | null = null
    const y = yjs.find((p) => p.id === s)
    try {
      if (y) r = await runYjsScenario(y, template!, { reps, withNormal: values.normal, only, log })
      else if (s === 'c') r = await runStorageScenario({ quick, reps, log })
      else if (s === 'd') r = await runTallyScenario({ quick, reps })
      else if (s === 'g')
        r = await runMeetingScenario(
          {
            delegates: quick ? 10 : 60,
            boardObservers: quick ? 20 : 200,
            followers: quick ? 60 : 1000,
            windowMs: quick ? 3_000 : 10_000,
            bigVoteBallots: quick ? 1_000 : 10_000,
          },
          meetingTemplate!,
          { reps, log },
        )
      else if (s === 'e')
        r = await runEventsScenario(
          {
            clients: eClients,
            senders: eSenders,
            rate: 1,
            windowMs: quick ? 2_000 : 10_000,
            ramp: quick ? [2] : [2, 4, 8, 16],
            rampWindowMs: quick ? 2_000 : 5_000,
          },
          eventsTemplate!,
          { reps, only, log },
        )
    } catch (err) {
      console.error(`scenario ${s} failed: ${(err as Error).stack}`)
      failed.push(s)
    }
    if (!r) continue
    const load = { before: loadBefore, after: loadavg() }
    r.notes.push(
      `load average before/after: ${load.before.map((x) => x.toFixed(1)).join(' ')} / ${load.after.map((x) => x.toFixed(1)).join(' ')}`,
    )
    results.push(r)
    save(r, load)
    printResult(r)
  }
} finally {
  if (template) removeDir(template.dir)
  if (eventsTemplate) removeDir(eventsTemplate.dir)
  if (meetingTemplate) removeDir(meetingTemplate.dir)
}
console.log(
  `\n## Summary (${reps} repetition${reps > 1 ? 's' : ''}, median; ${((Date.now() - started) / 1000).toFixed(0)} s)`,
)
console.log(
  `machine: ${machine.cpus} × ${machine.model}, ${machine.memGiB} GiB, Node ${machine.node}; Roundtable at ${revision}`,
)
for (const r of results) printResult(r)
// The same tables as Markdown, to paste into the README's Performance section.
const md = [
  `Machine: ${machine.cpus} × ${machine.model}, ${machine.memGiB} GiB, Node ${machine.node}; Roundtable at ${revision}; ${reps} repetition(s), median.`,
  ...results.map(
    (r) =>
      `\n### ${r.id}: ${r.title}\n\n${renderRows(r.rows, r.candidates)}\n${r.notes.map((n) => `\n- ${n}`).join('')}`,
  ),
].join('\n')
writeFileSync(join(resultsDir, 'summary.md'), `${md}\n`)
if (failed.length > 0) console.log(`\nFAILED scenarios: ${failed.join(', ')}`)
process.exit(failed.length > 0 ? 1 : 0)
