/**
 * Shared setup for the browser end-to-end tests: builds the web app when its sources changed,
 * runs the real server in a child process on a free port with a throwaway data directory,
 * and launches the system Chromium (never a downloaded one).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import axe from 'axe-core'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const OUTPUT_DIR = join(ROOT, 'test-output')
const WEB = join(ROOT, 'apps/web')
const WEB_DIST = join(WEB, 'dist')
/** Inputs of the web build: if any is newer than the built index.html, build again. */
const WEB_INPUTS = [
  join(WEB, 'src'),
  join(WEB, 'index.html'),
  join(WEB, 'vite.config.ts'),
  join(ROOT, 'packages/protocol/src'),
  join(ROOT, 'packages/doc-schema/src'),
]

const newestMtime = (path: string): number => {
  if (!existsSync(path)) return 0
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  let newest = st.mtimeMs
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)))
  return newest
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A build older than this lock is from a crashed run (ms). */
const STALE_LOCK_MS = 180_000

/**
 * Builds `apps/web/dist` once when it is missing or stale. Test files run in parallel
 * processes, so a lock directory makes the others wait for the one that builds.
 */
export const ensureWebBuilt = async (): Promise<void> => {
  const fresh = () => {
    const index = join(WEB_DIST, 'index.html')
    return existsSync(index) && statSync(index).mtimeMs >= Math.max(...WEB_INPUTS.map(newestMtime))
  }
  if (fresh()) return
  mkdirSync(OUTPUT_DIR, { recursive: true })
  const lock = join(OUTPUT_DIR, '.web-build.lock')
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch {
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS)
        rmSync(lock, { recursive: true, force: true })
      await sleep(250)
      if (fresh()) return
    }
  }
  try {
    if (!fresh()) execFileSync('pnpm', ['--filter', '@roundtable/web', 'build'], { cwd: ROOT, stdio: 'pipe' })
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

const freePort = (): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address()
      const port = typeof address === 'object' && address ? address.port : 0
      srv.close(() => resolvePort(port))
    })
  })

export interface DemoLink {
  label: string
  url: string
}

export interface RunningServer {
  url: string
  /** The demo meeting's invitation links, in the order the server printed them. */
  links: DemoLink[]
  /** The first link whose label contains `text` (case-insensitive). */
  link(text: string): string
  organiserLink: string | null
  meetingId: string
  /** Stops the process, waits `downMs`, starts it again on the same port and data. */
  restart(downMs?: number): Promise<void>
  stop(): Promise<void>
}

/** One server process; resolves once it printed its links. */
const spawnServer = async (
  port: number,
  dataDir: string,
  url: string,
): Promise<{ child: ChildProcess; out: string }> => {
  const tsx = join(ROOT, 'node_modules/.bin/tsx')
  const child: ChildProcess = spawn(tsx, ['apps/server/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      DATA_DIR: dataDir,
      WEB_DIST: WEB_DIST,
      LOG_LEVEL: 'warn',
      SQLITE_SYNC: 'normal',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString()
  })
  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${out}\n${err}`)), 60_000)
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      if (
        /Roundtable is running/.test(out) &&
        /(Organiser link \(single use\)|New organiser link)[^\n]*\n/.test(out)
      ) {
        clearTimeout(timer)
        resolveReady()
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code}:\n${out}\n${err}`))
    })
  })
  return { child, out }
}

/** Ends a server process: SIGTERM (it flushes), SIGKILL if it hangs. */
const stopProcess = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  await Promise.race([exited, sleep(5000)])
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
}

/** Starts `apps/server` as the README does, on a free port with its own data directory. */
export const startServer = async (): Promise<RunningServer> => {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const dataDir = mkdtempSync(join(tmpdir(), 'rt-e2e-'))
  let { child, out } = await spawnServer(port, dataDir, url)
  const links: DemoLink[] = []
  for (const m of out.matchAll(/^ {2}(.+?)\s+(https?:\/\/\S+\/join\/[A-Za-z0-9_-]+)\s*$/gm))
    links.push({ label: m[1].trim(), url: m[2] })
  const organiserLink = /Organiser link \(single use\): (\S+)/.exec(out)?.[1] ?? null
  return {
    url,
    links,
    organiserLink,
    meetingId: 'oecd-egov-2003',
    link(text) {
      const found = links.find((l) => l.label.toLowerCase().includes(text.toLowerCase()))
      if (!found) throw new Error(`no printed link labelled like "${text}" in:\n${out}`)
      return found.url
    },
    async restart(downMs = 0) {
      await stopProcess(child)
      await sleep(downMs)
      ;({ child, out } = await spawnServer(port, dataDir, url))
    },
    async stop() {
      await stopProcess(child)
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })

/** One browser context per simulated person: separate cookies, storage and sockets. */
export const newPerson = async (
  browser: Browser,
  opts: { locale?: string; viewport?: { width: number; height: number } } = {},
): Promise<{ context: BrowserContext; page: Page }> => {
  const context = await browser.newContext({
    locale: opts.locale ?? 'en-GB',
    viewport: opts.viewport ?? { width: 1280, height: 900 },
  })
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  return { context, page }
}

/** Opens an invitation link, enters a name and waits for the meeting page. */
export const joinThroughLink = async (page: Page, link: string, name: string): Promise<void> => {
  await page.goto(link)
  await page.getByLabel(/^(Your name|Votre nom)$/).fill(name)
  await page.getByRole('button', { name: /^(Join the meeting|Rejoindre la réunion)$/ }).click()
  await page.waitForURL(/\/m\/[A-Za-z0-9_-]+$/)
  // A chair lands on the console, everyone else on the brief.
  await page.locator('.brief-content, .console').first().waitFor()
}

/** Runs axe-core in the page; returns the violations (rule id, impact, offending nodes). */
export const axeViolations = async (page: Page) => {
  // Evaluated through the debugging protocol, not as an inline <script>: the app's CSP (script-src 'self') forbids those.
  await page.evaluate(axe.source)
  return page.evaluate(async () => {
    const w = window as unknown as { axe: typeof axe }
    const result = await w.axe.run(document, { resultTypes: ['violations'] })
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`),
    }))
  })
}

export const screenshotPath = (name: string): string => {
  mkdirSync(OUTPUT_DIR, { recursive: true })
  return join(OUTPUT_DIR, name)
}

/**
 * Per test file: the web build, one server and one browser, started before the tests and
 * stopped after them. Read `env.server` and `env.browser` inside tests.
 */
export const useServerAndBrowser = (): { server: RunningServer; browser: Browser } => {
  const env = {} as { server: RunningServer; browser: Browser }
  beforeAll(async () => {
    await ensureWebBuilt()
    env.server = await startServer()
    env.browser = await launchBrowser()
  })
  afterAll(async () => {
    await env.browser?.close()
    await env.server?.stop()
  })
  return env
}

/** The brief as the page shows it, one block per line (Playwright's Locator.innerText, not the DOM property). */
// biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator method
export const briefText = (page: Page): Promise<string> => page.locator('.brief-content').innerText()

/**
 * Presses `key` until `said()` reads what `done` wants: a key pressed in the frame dnd-kit is still
 * attaching its listeners is lost on a busy machine, so it is pressed again only if nothing changed
 * within two seconds (a step that did happen is never repeated).
 */
export const pressUntil = async (
  page: { keyboard: { press(key: string): Promise<void> } },
  key: string,
  said: () => Promise<string>,
  done: (text: string) => boolean,
) => {
  for (let attempt = 0; attempt < 3; attempt++) {
    const before = await said()
    await page.keyboard.press(key)
    const deadline = Date.now() + 2_000
    while (Date.now() < deadline) {
      const now = await said()
      if (done(now)) return
      if (now !== before) break
      await new Promise((r) => setTimeout(r, 50))
    }
    if (done(await said())) return
    if ((await said()) !== before) break
  }
}
