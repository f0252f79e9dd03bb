/** The token-bucket helper (`limits.ts`) and the session/limit settings, with an injected clock. */
import { describe, expect, it } from 'vitest'
import { readConfig } from '../src/config.ts'
import { KeyedBuckets, TokenBucket } from '../src/limits.ts'
import { nameKey } from '../src/meeting/access/names.ts'

const clock = (start = 0) => {
  let t = start
  return { now: () => t, advance: (ms: number) => (t += ms) }
}

describe('TokenBucket', () => {
  it('allows a burst, then refills at its rate and never past the burst', () => {
    const c = clock()
    const b = new TokenBucket({ burst: 3, perSecond: 2 }, c.now)
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false])
    c.advance(499)
    expect(b.take()).toBe(false)
    c.advance(1)
    expect(b.take()).toBe(true)
    c.advance(60_000)
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false])
  })

  it('has() takes nothing; charge() can run into debt, so failures keep an address out longer', () => {
    const c = clock()
    const b = new TokenBucket({ burst: 2, perSecond: 1 }, c.now)
    expect(b.has()).toBe(true)
    expect(b.has()).toBe(true)
    for (let i = 0; i < 10; i++) b.charge()
    expect(b.has()).toBe(false)
    c.advance(3_000) // debt of 2 (floored at one burst) plus one token takes 3 s
    expect(b.has()).toBe(true)
  })
})

describe('KeyedBuckets', () => {
  it('keeps one bucket per key and bounds their number', () => {
    const c = clock()
    const k = new KeyedBuckets({ burst: 1, perSecond: 1 }, c.now, 100)
    expect(k.take('a')).toBe(true)
    expect(k.take('a')).toBe(false)
    expect(k.take('b')).toBe(true)
    // A flood of new keys: the map stays bounded (full buckets go first, then the oldest).
    for (let i = 0; i < 1_000; i++) k.take(`key${i}`)
    expect((k as unknown as { buckets: Map<string, unknown> }).buckets.size).toBeLessThanOrEqual(100)
  })
})

describe('settings', () => {
  it('defaults: 12 h idle, 30 days, organiser 12 h; 20 commands/s, 120 joins/min, 10 failures/min', () => {
    const { config } = readConfig({})
    expect(config?.sessions).toEqual({
      idleMs: 12 * 3_600_000,
      maxMs: 30 * 86_400_000,
      organiserMaxMs: 12 * 3_600_000,
    })
    expect(config?.limits).toEqual({
      commandsPerSecond: 20,
      joinsPerMinutePerIp: 120,
      tokenFailuresPerMinutePerIp: 10,
    })
  })
  it('a bad value names its variable', () => {
    expect(readConfig({ SESSION_IDLE_HOURS: 'soon' }).error).toMatch(/^SESSION_IDLE_HOURS/)
    expect(readConfig({ COMMANDS_PER_SECOND: '0' }).error).toMatch(/^COMMANDS_PER_SECOND/)
    expect(readConfig({ SESSION_MAX_DAYS: '2' }).config?.sessions.maxMs).toBe(2 * 86_400_000)
  })
})

describe('nameKey', () => {
  it('folds case, accents, width and spacing, and keeps different names apart', () => {
    expect(
      new Set(['Mark Forman', 'mark forman', 'Márk Fórman', 'ＭＡＲＫ ＦＯＲＭＡＮ', ' Mark   Forman ']).size,
    ).toBe(5)
    expect(
      new Set(
        ['Mark Forman', 'mark forman', 'Márk Fórman', 'ＭＡＲＫ ＦＯＲＭＡＮ', ' Mark   Forman '].map(
          nameKey,
        ),
      ).size,
    ).toBe(1)
    expect(nameKey('Marc Forman')).not.toBe(nameKey('Mark Forman'))
    expect(nameKey('Zoë')).toBe(nameKey('Zoe'))
  })
})
