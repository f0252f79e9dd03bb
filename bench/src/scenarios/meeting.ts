import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { openSqliteStore } from '../../../apps/server/src/store/sqlite.ts'
import { startRoundtable } from '../candidates.ts'
import { connectAll, MeetClient } from '../meetclient.ts'
import { cpuMs, memKb, sleep, waitQuiet, withTimeout } from '../proc.ts'
import { buildRows, type MetricDef } from '../report.ts'
import { copyTemplate, type RoundtableTemplate, removeDir } from '../roundtable-db.ts'
import { Histogram } from '../stats.ts'
import type { ScenarioResult } from './yjs.ts'

export interface MeetingParams {
  delegates: number
  boardObservers: number
  followers: number
  windowMs: number
  bigVoteBallots: number
}

interface MeetingRun {
  rep: number
  boardP99: number | null
  boardP50: number | null
  boardMissed: number
  boardSamples: number
  boardServerCpuPct: number | null
  castP99: number | null
  castP50: number | null
  castFailed: number
  /** The slowest ack of each burst: the first one after start pays for loading and warming up. */
  castRoundsMax: number[]
  closeMs: number | null
  followP99: number | null
  followP50: number | null
  followMissed: number
  memPerFollowerKb: number | null
  error?: string
}

const BIG_VOTE_ID = 'bench-big-vote'
const wallNow = () => performance.timeOrigin + performance.now()

/** Adds, to a copy of the template, an open vote holding `n` ballots (one per made-up voter). */
const seedBigVote = async (dataDir: string, tpl: RoundtableTemplate, n: number) => {
  const store = openSqliteStore({ path: join(dataDir, 'roundtable.sqlite'), synchronous: 'normal' })
  const options = Array.from({ length: 8 }, (_, i) => ({ id: `o${i + 1}`, label: `Option ${i + 1}` }))
  const now = new Date().toISOString()
  await store.putVote({
    id: BIG_VOTE_ID,
    meetingId: tpl.meetingId,
    agendaItemId: null,
    question: 'Ten thousand ballots',
    options,
    method: 'schulze',
    methodOptions: {},
    secret: false,
    voters: 'delegates',
    weights: null,
    seats: null,
    quorum: null,
    threshold: null,
    closesInSeconds: null,
    status: 'open',
    optionsHash: 'bench',
    createdAt: now,
    openedAt: now,
    closesAt: null,
    closedAt: null,
    slotKey: null,
  })
  let seed = 7
  const rnd = () => {
    seed = (seed * 1_103_515_245 + 12_345) >>> 0
    return seed / 2 ** 32
  }
  for (let start = 0; start < n; start += 500) {
    await store.together(() =>
      Array.from({ length: Math.min(500, n - start) }, (_, k) => {
        const voter = `bench-voter-${start + k}`
        const ranking = options.map((o) => o.id).sort(() => rnd() - 0.5)
        return [
          store.addToRoll(BIG_VOTE_ID, voter),
          store.putBallot({
            voteId: BIG_VOTE_ID,
            slot: voter,
            ballot: JSON.stringify({ ranking }),
            receipt: `R${start + k}`,
            voter,
          }),
        ]
      }).flat(),
    )
  }
  await store.close()
}

const shuffle = <T>(xs: T[]): T[] => {
  const a = [...xs]
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[a[i], a[j]] = [a[j], a[i]]
  }
  return a
}

const runOnce = async (
  p: MeetingParams,
  tpl: RoundtableTemplate,
  rep: number,
  open: MeetClient[],
): Promise<MeetingRun> => {
  const dataDir = copyTemplate(tpl)
  await seedBigVote(dataDir, tpl, p.bigVoteBallots)
  const server = await startRoundtable({ BENCH_DATA_DIR: dataDir })
  try {
    const port = server.port
    const pid = server.pid
    const chair = new MeetClient(port, tpl.chairs[0])
    const delegates = tpl.delegates.slice(0, p.delegates).map((c) => new MeetClient(port, c))
    const watchers = tpl.observers.slice(0, p.boardObservers).map((c) => new MeetClient(port, c))
    open.push(chair, ...delegates, ...watchers)
    await connectAll([chair, ...delegates, ...watchers])
    await waitQuiet(pid, 5_000)

    /* ---- A. the board: every delegate re-ranks once a second; everyone watches the aggregate ---- */
    const events: { countedAt: number; at: number }[][] = [...delegates, ...watchers].map(() => [])
    for (const [k, c] of [...delegates, ...watchers].entries())
      c.watch('meeting:board', (m, at) => {
        const i = m.indexOf('"countedAt":"')
        const counted = Date.parse(m.subarray(i + 13, i + 37).toString())
        events[k].push({ countedAt: counted, at: performance.timeOrigin + at })
      })
    const state = await chair.call<{ board: { candidates: string[] } }>('board:state', {})
    const areas = state.ack.data!.board.candidates
    const sends: { sent: number; acked: number }[] = []
    const cpu0 = cpuMs(pid)
    const t0 = performance.now()
    await Promise.all(
      delegates.map(async (d) => {
        await sleep(Math.random() * 1000)
        while (performance.now() - t0 < p.windowMs) {
          const sent = wallNow()
          const r = await d.call('board:rank', { ranking: shuffle(areas).map((a) => [a]) })
          if (r.ack.ok) sends.push({ sent, acked: performance.timeOrigin + r.at })
          await sleep(1000 - (wallNow() - sent))
        }
      }),
    )
    const boardCpuPct = ((cpuMs(pid) - cpu0) / (performance.now() - t0)) * 100
    await sleep(1500)
    const board = new Histogram()
    let missed = 0
    for (const s of sends)
      for (const list of events) {
        // The first aggregate counted after the ranking was acknowledged (so certainly includes it).
        const e = list.find((x) => x.countedAt >= s.acked - 1)
        if (e) board.record(e.at - s.sent)
        else missed++
      }

    /* ---- B. votes: 60 delegates cast at once, five times; then close a 10 000-ballot vote ---- */
    const created = await chair.call<{ vote: { id: string } }>('vote:create', {
      question: 'Bench vote',
      options: areas.map((_, i) => `Option ${i + 1}`),
      method: 'schulze',
      secret: true,
      voters: 'delegates',
    })
    const voteId = created.ack.data!.vote.id
    await chair.call('vote:open', { voteId })
    const cast = new Histogram()
    let castFailed = 0
    const ids = areas.map((_, i) => `o${i + 1}`)
    const roundMax: number[] = []
    for (let round = 0; round < 5; round++) {
      const r0 = performance.now()
      await Promise.all(
        delegates.map(async (d) => {
          const t = performance.now()
          const r = await d.call('vote:cast', { voteId, ballot: { ranking: shuffle(ids) } })
          if (r.ack.ok) cast.record(r.at - t)
          else castFailed++
        }),
      )
      roundMax.push(Math.round(performance.now() - r0))
      await sleep(300)
    }
    await chair.call('vote:list', {}) // loads the vote's roll, as any reconnecting client would
    const c0 = performance.now()
    const closed = await chair.call<{ vote: { result?: { ballots: number } } }>('vote:close', {
      voteId: BIG_VOTE_ID,
    })
    const closeMs =
      closed.ack.ok && closed.ack.data?.vote.result?.ballots === p.bigVoteBallots ? closed.at - c0 : null

    /* ---- C. followers: many observers receive the chair's focus changes ---- */
    for (const c of [...delegates, ...watchers]) c.close()
    await sleep(500)
    const base = memKb(pid).rss
    const followers = tpl.observers.slice(0, p.followers).map((c) => new MeetClient(port, c))
    open.push(...followers)
    await connectAll(followers)
    await waitQuiet(pid, 10_000)
    const memPerFollowerKb = (memKb(pid).rss - base) / p.followers
    const received: number[][] = followers.map(() => [])
    for (const [k, f] of followers.entries()) f.watch('meeting:timing', (_m, at) => void received[k].push(at))
    const sentAt: number[] = []
    const tools = ['board', 'votes', 'brief', 'floor']
    for (let i = 0; i < 10; i++) {
      sentAt.push(performance.now())
      await chair.call('agenda:focus', { tool: tools[i % tools.length] })
      await sleep(500)
    }
    await sleep(2000)
    const follow = new Histogram()
    let followMissed = 0
    for (const list of received)
      for (const [i, t] of sentAt.entries()) {
        if (list[i] === undefined) followMissed++
        else follow.record(list[i] - t)
      }
    return {
      rep,
      boardP50: board.percentile(50),
      boardP99: board.percentile(99),
      boardMissed: missed,
      boardSamples: board.count,
      boardServerCpuPct: boardCpuPct,
      castP50: cast.percentile(50),
      castP99: cast.percentile(99),
      castFailed,
      castRoundsMax: roundMax,
      closeMs,
      followP50: follow.percentile(50),
      followP99: follow.percentile(99),
      followMissed,
      memPerFollowerKb,
    }
  } finally {
    for (const c of open) c.close()
    await server.stop()
    removeDir(dataDir)
  }
}

const atMost = (goal: number) => (v: number | null) => (v === null ? null : v <= goal)

export const runMeetingScenario = async (
  p: MeetingParams,
  tpl: RoundtableTemplate,
  opts: { reps: number; log: (s: string) => void },
): Promise<ScenarioResult> => {
  const runs: MeetingRun[] = []
  for (let rep = 0; rep < opts.reps; rep++) {
    const open: MeetClient[] = []
    let run: MeetingRun
    try {
      run = await withTimeout(runOnce(p, tpl, rep, open), 180_000, 'g')
    } catch (err) {
      run = {
        rep,
        boardP50: null,
        boardP99: null,
        boardMissed: 0,
        boardSamples: 0,
        boardServerCpuPct: null,
        castP50: null,
        castP99: null,
        castFailed: 0,
        castRoundsMax: [],
        closeMs: null,
        followP50: null,
        followP99: null,
        followMissed: 0,
        memPerFollowerKb: null,
        error: (err as Error).message,
      }
    }
    runs.push(run)
    opts.log(
      run.error
        ? `  g rep ${rep + 1} ERROR ${run.error.split('\n')[0]}`
        : `  g rep ${rep + 1} board p50/p99 ${run.boardP50}/${run.boardP99} ms (${run.boardSamples} samples, ${run.boardMissed} missed, server CPU ${run.boardServerCpuPct?.toFixed(0)} %), cast p50/p99 ${run.castP50}/${run.castP99} ms (${run.castFailed} failed; slowest per burst ${run.castRoundsMax.join('/')} ms), close ${p.bigVoteBallots} ballots ${run.closeMs?.toFixed(0)} ms, followers p50/p99 ${run.followP50}/${run.followP99} ms (${run.followMissed} missed), ${run.memPerFollowerKb?.toFixed(1)} kB/follower`,
    )
  }
  const v = (f: (r: MeetingRun) => number | null) => (r: MeetingRun) => (r.error ? null : f(r))
  const defs: MetricDef<MeetingRun>[] = [
    {
      metric: `board: board:rank → every client's meeting:board, p99 (${p.delegates} ranking 1/s, ${p.boardObservers} watching)`,
      unit: 'ms',
      better: 'lower',
      value: v((r) => r.boardP99),
      goal: '< 250',
      check: (_ratio, rt) => atMost(250)(rt),
    },
    { metric: 'board: p50', unit: 'ms', better: 'lower', value: v((r) => r.boardP50), goal: '–' },
    {
      metric: 'board: aggregates missed',
      unit: '',
      better: 'lower',
      value: v((r) => r.boardMissed),
      goal: '0',
    },
    {
      metric: 'board: server CPU while ranking',
      unit: '%',
      better: 'lower',
      value: v((r) => r.boardServerCpuPct),
      goal: '–',
    },
    {
      metric: `votes: ${p.delegates} delegates casting at once, ack p99`,
      unit: 'ms',
      better: 'lower',
      value: v((r) => r.castP99),
      goal: '< 100',
      check: (_ratio, rt) => atMost(100)(rt),
    },
    {
      metric: `votes: close and count a ${p.bigVoteBallots}-ballot Schulze vote (with every other ranked method)`,
      unit: 'ms',
      better: 'lower',
      value: v((r) => r.closeMs),
      goal: '< 200',
      check: (_ratio, rt) => atMost(200)(rt),
    },
    {
      metric: `followers: ${p.followers} receive a chair event, p99`,
      unit: 'ms',
      better: 'lower',
      value: v((r) => r.followP99),
      goal: '< 250',
      check: (_ratio, rt) => atMost(250)(rt),
    },
    {
      metric: 'followers: events missed',
      unit: '',
      better: 'lower',
      value: v((r) => r.followMissed),
      goal: '0',
    },
    {
      metric: 'followers: server memory per follower',
      unit: 'kB',
      better: 'lower',
      value: v((r) => r.memPerFollowerKb),
      goal: '–',
    },
  ]
  return {
    id: 'g',
    title: `running a meeting: the board (${p.delegates} delegates re-ranking, ${p.boardObservers} observers), votes, ${p.followers} followers`,
    params: p,
    candidates: ['roundtable'],
    rows: buildRows(defs, [{ id: 'roundtable', peer: false, runs }]),
    runs,
    notes: [
      'Roundtable only: no peer counts a live board or a ballot; goals are the issues’ absolute targets.',
      ...runs.filter((r) => r.error).map((r) => `rep ${r.rep + 1} failed: ${r.error}`),
    ],
  }
}
