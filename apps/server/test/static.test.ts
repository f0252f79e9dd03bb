import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from './harness.ts'

describe('serving the web app', () => {
  const web = mkdtempSync(join(tmpdir(), 'rt-web-'))
  let s: TestServer
  beforeAll(async () => {
    mkdirSync(join(web, 'assets'))
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>Roundtable</title>')
    writeFileSync(join(web, 'assets', 'app-1.js'), 'console.log(1)')
    s = await startServer({ env: { WEB_DIST: web } })
  })
  afterAll(async () => {
    await s.close()
    rmSync(web, { recursive: true, force: true })
  })

  it('serves the app shell on client routes and files as files', async () => {
    for (const path of ['/', '/m/oecd-egov-2003', '/join/abc', '/organise']) {
      const r = await fetch(`${s.base}${path}`)
      expect(r.status, path).toBe(200)
      expect(await r.text()).toContain('<title>Roundtable</title>')
    }
    const js = await fetch(`${s.base}/assets/app-1.js`)
    expect(js.headers.get('content-type')).toMatch(/javascript/)
  })

  it('a missing asset is a 404, not the app shell; unknown API paths are JSON 404s', async () => {
    expect((await fetch(`${s.base}/assets/app-0.js`)).status).toBe(404)
    const api = await fetch(`${s.base}/api/nope`)
    expect(api.status).toBe(404)
    expect((await api.json()).code).toBe('RT_ERR_NOT_FOUND')
  })

  it('assets written after start (a rebuild) are served without a restart', async () => {
    writeFileSync(join(web, 'assets', 'app-2.js'), 'console.log(2)')
    const r = await fetch(`${s.base}/assets/app-2.js`)
    expect(r.status).toBe(200)
    expect(await r.text()).toBe('console.log(2)')
  })
})
