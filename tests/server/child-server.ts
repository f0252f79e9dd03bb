import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../..')

export const freePort = (): Promise<number> =>
  new Promise((res, rej) => {
    const srv = createServer()
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address()
      const port = typeof a === 'object' && a ? a.port : 0
      srv.close(() => res(port))
    })
    srv.on('error', rej)
  })

export interface ChildServer {
  proc: ChildProcess
  port: number
  links: { label: string; url: string }[]
  output: () => string
}

/** Starts `apps/server/src/main.ts` in a child process and waits until it listens. */
export const startChildServer = async (env: Record<string, string>, port: number): Promise<ChildServer> => {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', WEB_DIST: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  proc.stdout!.on('data', (d) => {
    out += d
  })
  proc.stderr!.on('data', (d) => {
    out += d
  })
  await new Promise<void>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`server did not start:\n${out}`)), 30_000)
    const check = () => {
      if (out.includes('Roundtable is running')) {
        clearTimeout(timer)
        res()
      }
    }
    proc.stdout!.on('data', check)
    proc.on('exit', (code) => {
      clearTimeout(timer)
      rej(new Error(`server exited with ${code}:\n${out}`))
    })
  })
  await new Promise((r) => setTimeout(r, 50))
  const links = [...out.matchAll(/^ {2}(.+?)\s+(http:\/\/\S+\/join\/\S+)$/gm)].map((m) => ({
    label: m[1].trim(),
    url: m[2],
  }))
  return { proc, port, links, output: () => out }
}

export const killHard = (c: ChildServer): Promise<void> =>
  new Promise((res) => {
    if (c.proc.exitCode !== null || c.proc.signalCode !== null) return res()
    c.proc.once('exit', () => res())
    c.proc.kill('SIGKILL')
  })

export const stopGracefully = (c: ChildServer): Promise<number | null> =>
  new Promise((res) => {
    if (c.proc.exitCode !== null) return res(c.proc.exitCode)
    c.proc.once('exit', (code) => res(code))
    c.proc.kill('SIGTERM')
  })
