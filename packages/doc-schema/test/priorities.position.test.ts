// Fractional positions (position.ts): always between their bounds, well-formed, short.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  isPosition,
  JITTER_DIGITS,
  keyBetween,
  POSITION_MAX_LENGTH,
  positionBetween,
  positionsBetween,
} from '../src/position.ts'

const RUNS = { seed: 20261204, numRuns: 500 }
const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
/** Any well-formed key up to 12 digits. */
const key = fc
  .tuple(fc.array(fc.constantFrom(...DIGITS), { maxLength: 11 }), fc.constantFrom(...DIGITS.slice(1)))
  .map(([body, last]) => body.join('') + last)
/** Two different keys, lower first. */
const pair = fc
  .tuple(key, key)
  .filter(([a, b]) => a !== b)
  .map(([a, b]): [string, string] => (a < b ? [a, b] : [b, a]))
/** Deterministic [0,1) numbers for the jitter. */
const randoms = fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
  minLength: JITTER_DIGITS,
  maxLength: JITTER_DIGITS,
})
const fromList = (xs: number[]) => {
  let i = 0
  return () => xs[i++ % xs.length]
}

describe('fractional positions', () => {
  it('a key between two keys is well-formed and strictly between them, as a string', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const k = keyBetween(a, b)
        expect(isPosition(k)).toBe(true)
        expect(a < k && k < b).toBe(true)
      }),
      RUNS,
    )
  })

  it('with an open side it is still strictly beyond the bound', () => {
    fc.assert(
      fc.property(key, (a) => {
        const after = keyBetween(a, null)
        const before = keyBetween(null, a)
        expect(isPosition(after) && after > a).toBe(true)
        expect(isPosition(before) && before < a).toBe(true)
      }),
      RUNS,
    )
    expect(isPosition(keyBetween(null, null))).toBe(true)
  })

  it('jitter keeps a key strictly between its bounds, even when the plain key is a prefix of the upper one', () => {
    fc.assert(
      fc.property(pair, randoms, ([a, b], rs) => {
        const k = positionBetween(a, b, fromList(rs))
        expect(isPosition(k)).toBe(true)
        expect(a < k && k < b).toBe(true)
      }),
      RUNS,
    )
    // keyBetween(null, '1V') is '1', a prefix of '1V': a suffix on it could pass '1V'.
    expect(keyBetween(null, '1V')).toBe('1')
    const k = positionBetween(null, '1V', () => 0.999)
    expect(k < '1V').toBe(true)
  })

  it('two peers filling one gap with different jitter get different keys in the same order everywhere', () => {
    const a = positionBetween('V', 'W', () => 0.1)
    const b = positionBetween('V', 'W', () => 0.7)
    expect(a).not.toBe(b)
    expect(['V', 'W', a, b].sort()).toEqual(['V', a, b, 'W'])
  })

  it('refuses bounds that are malformed or out of order', () => {
    expect(() => keyBetween('V0', null)).toThrow(RangeError)
    expect(() => keyBetween('W', 'V')).toThrow(RangeError)
    expect(() => keyBetween('V', 'V')).toThrow(RangeError)
    expect(isPosition('')).toBe(false)
    expect(isPosition('a-b')).toBe(false)
    expect(isPosition('1'.repeat(POSITION_MAX_LENGTH + 1))).toBe(false)
  })

  it('keys stay short: 1000 appends, 1000 prepends, 200 inserts into one gap', () => {
    const appended = positionsBetween(null, null, 1000, null)
    expect(appended.every((k, i) => i === 0 || appended[i - 1] < k)).toBe(true)
    expect(Math.max(...appended.map((k) => k.length))).toBeLessThanOrEqual(34)
    let low = 'V'
    for (let i = 0; i < 1000; i++) {
      const k = keyBetween(null, low)
      expect(k < low && isPosition(k)).toBe(true)
      low = k
    }
    expect(low.length).toBeLessThanOrEqual(34)
    // The worst case: always into the same shrinking gap (each insert right after 'V').
    let high = 'W'
    for (let i = 0; i < 200; i++) {
      const k = keyBetween('V', high)
      expect('V' < k && k < high).toBe(true)
      high = k
    }
    expect(high.length).toBeLessThanOrEqual(40)
  })
})
