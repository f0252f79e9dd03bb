import { describe, expect, it } from 'vitest'
import { readConfig } from '../src/config.ts'

describe('configuration', () => {
  it('has working defaults', () => {
    const { config } = readConfig({}, '/srv/rt')
    expect(config).toMatchObject({
      port: 3000,
      publicUrl: 'http://localhost:3000',
      allowedOrigins: ['http://localhost:3000'],
      dataDir: '/srv/rt/data',
      databaseUrl: null,
      sqliteSync: 'full',
      seedDemo: true,
    })
  })

  it.each([
    [{ PORT: 'abc' }, /^PORT:/],
    [{ PORT: '70000' }, /^PORT:/],
    [{ PUBLIC_URL: 'not a url' }, /^PUBLIC_URL:/],
    [{ ALLOWED_ORIGINS: 'https://ok.example, nope' }, /^ALLOWED_ORIGINS:/],
    [{ SQLITE_SYNC: 'sometimes' }, /^SQLITE_SYNC:/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL:/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL:/],
    [{ REDIS_URL: 'http://x' }, /^REDIS_URL:/],
    [{ SEED_DEMO: 'maybe' }, /^SEED_DEMO:/],
  ])('a bad value names the variable: %o', (env, message) => {
    const r = readConfig(env)
    expect(r.config).toBeUndefined()
    expect(r.error).toMatch(message)
  })

  it('adds extra allowed origins to the public one', () => {
    const { config } = readConfig({
      PUBLIC_URL: 'https://rt.example.org/',
      ALLOWED_ORIGINS: 'http://localhost:5173',
    })
    expect(config?.publicUrl).toBe('https://rt.example.org')
    expect(config?.allowedOrigins).toEqual(['https://rt.example.org', 'http://localhost:5173'])
    expect(config?.secureCookies).toBe(true)
  })
})
