import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createInterface, type Interface } from 'node:readline'
import { fileURLToPath } from 'node:url'

export const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url))
export const ROOT_DIR = fileURLToPath(new URL('../..', import.meta.url))

/** Core the servers under test run on; the load generator (this process) runs on the other one. */
export const SERVER_CORE = '0'
export const GENERATOR_CORE = '1'

/** Pins every thread of this process (the load generator) to the generator core. */
export const pinSelf = (): void => {
  try {
    execFileSync('taskset', ['-a', '-pc', GENERATOR_CORE, String(process.pid)], { stdio: 'ignore' })
  } catch {
    console.warn('taskset failed: the load generator is not pinned')
  }
}

const children = new Set<ChildProcess>()

/** Kills a child's whole process group by its id (children are started detached, as group leaders). */
export const killChild = (child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void => {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    try {
      child.kill(signal)
    } catch {}
  }
}

const killAll = () => {
  for (const c of children) killChild(c)
}
process.on('exit', killAll)
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => {
    killAll()
    process.exit(130)
  })

export interface Server {
  name: string
  pid: number
  port: number
  info: Record<string, unknown>
  child: ChildProcess
  /** The child's stdout, line by line. */
  lines: Interface
  stderrTail(): string
  stop(): Promise<void>
}

/**
 * Starts a pinned child that prints one line `READY <json>` once it listens.
 * `args` are node arguments (script and its options).
 */
export const startPinned = async (
  name: string,
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<Server> => {
  // Experiments only (never in a reported run): BENCH_TRACE_GC=1 runs the child with V8's --trace-gc,
  // its stdout line-buffered (stdbuf) so each collection's line arrives as it happens.
  const traceGc = process.env.BENCH_TRACE_GC === '1'
  const command = [
    'taskset',
    '-c',
    SERVER_CORE,
    process.execPath,
    ...(traceGc ? ['--trace-gc'] : []),
    ...args,
  ]
  const child = spawn(traceGc ? 'stdbuf' : command[0], traceGc ? ['-oL', ...command] : command.slice(1), {
    cwd: ROOT_DIR,
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  children.add(child)
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  child.on('exit', () => children.delete(child))
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000)
  })
  const lines = createInterface({ input: child.stdout! })
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start within ${timeoutMs} ms\n${stderr}`)),
      timeoutMs,
    )
    lines.on('line', (line) => {
      if (!line.startsWith('READY ')) return
      clearTimeout(timer)
      resolve(JSON.parse(line.slice(6)))
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${name} exited with ${code} before it was ready\n${stderr}`))
    })
  }).catch((err) => {
    killChild(child)
    throw err
  })
  const stop = async () => {
    killChild(child, 'SIGTERM')
    const t = setTimeout(() => killChild(child, 'SIGKILL'), 3_000)
    await exited
    clearTimeout(t)
  }
  return {
    name,
    pid: child.pid!,
    port: Number(ready.port ?? 0),
    info: ready,
    child,
    lines,
    stderrTail: () => stderr,
    stop,
  }
}

const CLK_TCK = 100 // clock ticks per second on Linux (getconf CLK_TCK)

/** User + system CPU time of a process so far, in ms (from /proc/<pid>/stat). */
export const cpuMs = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // fields[11] is utime (14th field of stat), fields[12] stime
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK
}

/** Resident memory of a process, in kB: current (VmRSS) and peak (VmHWM). */
export const memKb = (pid: number): { rss: number; hwm: number } => {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8')
  const get = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0)
  return { rss: get('VmRSS'), hwm: get('VmHWM') }
}

/** Samples a process's RSS until stopped; keeps the peak. */
export const rssSampler = (pid: number, everyMs = 200) => {
  let peak = 0
  const sample = () => {
    try {
      peak = Math.max(peak, memKb(pid).rss)
    } catch {}
  }
  sample()
  const t = setInterval(sample, everyMs)
  return {
    get peakKb() {
      return peak
    },
    stop() {
      clearInterval(t)
      sample()
      return peak
    },
  }
}

/** Rejects after `ms`: every phase of a run is bounded. */
export const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timeout after ${ms} ms: ${what}`)), ms)
    p.then(
      (v) => {
        clearTimeout(t)
        resolve(v)
      },
      (e) => {
        clearTimeout(t)
        reject(e)
      },
    )
  })

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** Runs a pinned child to completion and returns the JSON of its `RESULT <json>` line. */
export const runPinnedForResult = async (
  name: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs: number,
): Promise<Record<string, unknown>> => {
  const server = await startPinned(name, args, env, timeoutMs)
  const { child } = server
  try {
    return await withTimeout(
      new Promise<Record<string, unknown>>((resolve, reject) => {
        let result: Record<string, unknown> | null = null
        server.lines.on('line', (line) => {
          if (line.startsWith('RESULT ')) result = JSON.parse(line.slice(7))
        })
        // 'close' comes after stdout is drained, so the RESULT line has been read.
        child.on('close', (code) => {
          if (result) resolve(result)
          else reject(new Error(`${name} exited with ${code} and no result\n${server.stderrTail()}`))
        })
      }),
      timeoutMs,
      name,
    )
  } finally {
    await server.stop()
  }
}

/**
 * Waits until a process has been nearly idle for half a second (a join storm has drained), at
 * most `maxMs`. Returns how long it waited.
 */
export const waitQuiet = async (pid: number, maxMs: number, busyPct = 15): Promise<number> => {
  const start = Date.now()
  let last = cpuMs(pid)
  while (Date.now() - start < maxMs) {
    await sleep(500)
    const now = cpuMs(pid)
    if (now - last <= (busyPct / 100) * 500) break
    last = now
  }
  return Date.now() - start
}
