/**
 * TRUST_PROXY: per-address limits count the client behind a trusted proxy (X-Forwarded-For), and
 * nobody else's X-Forwarded-For is believed, so a client cannot pick the address it is counted as.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { readConfig } from '../src/config.ts'
import { startServer, type TestServer } from './harness.ts'

describe('TRUST_PROXY setting', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['0', false],
    ['1', 1],
    ['2', 2],
    ['127.0.0.1', ['127.0.0.1']],
    ['10.0.0.0/8, ::1, fd00::/8', ['10.0.0.0/8', '::1', 'fd00::/8']],
  ])('%o → %o', (value, expected) => {
    expect(readConfig(value === undefined ? {} : { TRUST_PROXY: value }).config?.trustProxy).toEqual(expected)
  })

  it.each(['true', '11', 'proxy.example', '10.0.0.0/33', '1.2.3.4/8/1', '127.0.0.1,'])(
    'refuses %o, naming the variable',
    (value) => {
      const r = readConfig({ TRUST_PROXY: value })
      expect(r.config).toBeUndefined()
      expect(r.error).toMatch(/^TRUST_PROXY: /)
    },
  )
})

describe('per-address limits behind a proxy', () => {
  let s: TestServer | null = null
  afterEach(async () => {
    await s?.close()
    s = null
  })

  /** An unknown invitation token looked up "from" an address (X-Forwarded-For), as a proxy would forward it. */
  const guess = (base: string, i: number, from: string) =>
    fetch(`${base}/api/invitations/${`guess${i}`.padEnd(24, 'x')}`, {
      headers: { 'x-forwarded-for': from },
    }).then((r) => r.status)

  it('without TRUST_PROXY a client’s own X-Forwarded-For is ignored: changing it does not reset its budget', async () => {
    s = await startServer({ env: { TOKEN_FAILURES_PER_MINUTE: '3' } })
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) statuses.push(await guess(s.base, i, `203.0.113.${i + 1}`))
    expect(statuses).toEqual([404, 404, 404, 429, 429, 429])
  })

  it('with TRUST_PROXY naming the proxy, each forwarded client has its own budget', async () => {
    s = await startServer({ env: { TOKEN_FAILURES_PER_MINUTE: '3', TRUST_PROXY: '127.0.0.1, ::1' } })
    const a: number[] = []
    for (let i = 0; i < 4; i++) a.push(await guess(s.base, i, '203.0.113.7'))
    expect(a).toEqual([404, 404, 404, 429])
    // Another client behind the same proxy is not held back by the first one's guesses.
    expect(await guess(s.base, 10, '198.51.100.9')).toBe(404)
    // A client that prepends an address of its own is still counted as what the proxy saw.
    expect(await guess(s.base, 11, '192.0.2.1, 203.0.113.7')).toBe(429)
  })
})

describe('TRUST_PROXY as a number of hops', () => {
  it('one hop: the address the proxy saw counts, whatever the client prepended', async () => {
    const s = await startServer({ env: { TOKEN_FAILURES_PER_MINUTE: '2', TRUST_PROXY: '1' } })
    try {
      const guess = (i: number, from: string) =>
        fetch(`${s.base}/api/invitations/${`hop${i}`.padEnd(24, 'x')}`, {
          headers: { 'x-forwarded-for': from },
        }).then((r) => r.status)
      expect([
        await guess(0, '203.0.113.7'),
        await guess(1, '203.0.113.7'),
        await guess(2, '203.0.113.7'),
      ]).toEqual([404, 404, 429])
      expect(await guess(3, '198.51.100.9')).toBe(404)
      expect(await guess(4, '192.0.2.1, 203.0.113.7')).toBe(429)
    } finally {
      await s.close()
    }
  })
})
