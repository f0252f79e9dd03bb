import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parseRuntimeEnv, RUNTIME_ENV_PATH, runtimeEnv } from '../../apps/server/src/runtime-env.ts'

// Stands in for the built server: reports what the launched process got, and how far V8 let its young
// generation grow while it kept 400 000 small objects alive (a connect storm in miniature).
const FAKE_MAIN = `
const v8 = require('node:v8')
const keep = []
let newSpaceMax = 0
for (let i = 0; i < 400000; i++) {
  keep.push({ a: i, b: [i, i + 1], c: 'x' + i })
  if (i % 1000 === 0) {
    const ns = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')
    newSpaceMax = Math.max(newSpaceMax, ns.space_size)
  }
}
console.log(JSON.stringify({
  NODE_OPTIONS: process.env.NODE_OPTIONS,
  MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX,
  args: process.argv.slice(2),
  newSpaceMaxMb: newSpaceMax / 1048576,
}))
`

describe('launch settings (apps/server/runtime.env)', () => {
  const root = mkdtempSync(join(tmpdir(), 'rt-launch-'))
  mkdirSync(join(root, 'scripts'))
  mkdirSync(join(root, 'apps/server/dist'), { recursive: true })
  copyFileSync('scripts/serve.sh', join(root, 'scripts/serve.sh'))
  copyFileSync(RUNTIME_ENV_PATH, join(root, 'apps/server/runtime.env'))
  writeFileSync(join(root, 'apps/server/dist/main.js'), FAKE_MAIN)
  writeFileSync(join(root, 'apps/server/dist/package.json'), '{"type":"commonjs"}')
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  const serve = (env: Record<string, string>, args: string[] = []) => {
    const clean = { ...process.env }
    for (const name of Object.keys(runtimeEnv({}))) delete clean[name]
    const out = execFileSync('bash', [join(root, 'scripts/serve.sh'), ...args], {
      env: { ...clean, ...env },
      encoding: 'utf8',
    })
    return JSON.parse(out.trim()) as {
      NODE_OPTIONS?: string
      MALLOC_ARENA_MAX?: string
      args: string[]
      newSpaceMaxMb: number
    }
  }

  it('the start script exports exactly what the benchmark reads, and V8 honours the young-generation cap', () => {
    const expected = runtimeEnv({})
    expect(Object.keys(expected).sort()).toEqual(['MALLOC_ARENA_MAX', 'NODE_OPTIONS'])
    const got = serve({}, ['--flag'])
    expect({ NODE_OPTIONS: got.NODE_OPTIONS, MALLOC_ARENA_MAX: got.MALLOC_ARENA_MAX }).toEqual(expected)
    expect(got.args).toEqual(['--flag'])
    const semiMb = Number(/--max-semi-space-size=(\d+)/.exec(expected.NODE_OPTIONS)?.[1])
    expect(semiMb).toBeGreaterThan(0)
    // Two semi-spaces at most; without the flag this workload grows it to 32 MB.
    expect(got.newSpaceMaxMb).toBeLessThanOrEqual(2 * semiMb)
  })

  it('a variable the caller sets wins over the file', () => {
    const got = serve({ MALLOC_ARENA_MAX: '8', NODE_OPTIONS: '--max-semi-space-size=16' })
    expect(got.MALLOC_ARENA_MAX).toBe('8')
    expect(got.NODE_OPTIONS).toBe('--max-semi-space-size=16')
    expect(runtimeEnv({ MALLOC_ARENA_MAX: '8' }).MALLOC_ARENA_MAX).toBe('8')
    expect(got.newSpaceMaxMb).toBeGreaterThan(8)
  })

  it('reads NAME=value lines, skips comments and blank lines, and rejects anything else', () => {
    expect(parseRuntimeEnv('# note\n\nA=1\n  B=x=y\n')).toEqual({ A: '1', B: 'x=y' })
    expect(() => parseRuntimeEnv('A=1\nexport B=2\n')).toThrow(/line 2: expected NAME=value/)
  })
})
