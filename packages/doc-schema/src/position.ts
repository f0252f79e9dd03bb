/*
 * Fractional positions: the keys that give the priority areas their working order.
 *
 * A key is a base-62 fraction written without its leading "0.": `V` is 31/62, `V1` a little
 * more. The digits are in ASCII order, so comparing two keys as strings (code units, never
 * localeCompare) compares them as numbers. A key never ends in `0`: `V0` would equal `V`, and
 * without trailing zeros two different strings are always two different numbers, and there is
 * always room below any key.
 *
 * Between two keys there is always a third, so an item moves by rewriting its own key alone.
 * Two peers inserting into the same gap at once would compute the same key; a short random
 * suffix (jitter) makes that practically impossible, and the readers break any remaining tie
 * by id so the order stays total and identical everywhere.
 */

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const TOP = DIGITS.length - 1
const MIDDLE = DIGITS[Math.floor(DIGITS.length / 2)]
/** 3 base-62 digits ≈ 17.8 bits: two concurrent inserts into one gap collide about once in 230 000. */
export const JITTER_DIGITS = 3
/**
 * Longest key a shape check should accept. Appends and prepends grow a key by one digit per
 * ~30 items, and repeatedly inserting into the very same gap by one digit per ~6 inserts, so a
 * working list of a meeting stays far below this.
 */
export const POSITION_MAX_LENGTH = 128

const KEY = /^[0-9A-Za-z]*[1-9A-Za-z]$/

/** A well-formed key: base-62 digits, not ending in `0`, not too long. */
export const isPosition = (s: unknown): s is string =>
  typeof s === 'string' && s.length <= POSITION_MAX_LENGTH && KEY.test(s)

const digit = (s: string, i: number): number => DIGITS.indexOf(s[i])

/** The shortest key above `a`, with no upper bound: bump the first digit that can be bumped. */
const keyAfter = (a: string): string => {
  for (let i = 0; i < a.length; i++) {
    const d = digit(a, i)
    if (d < TOP) return a.slice(0, i) + DIGITS[d + 1]
  }
  return a + MIDDLE
}

/** The shortest key below `b` (and above 0): lower the first digit that can be lowered. */
const keyBefore = (b: string): string => {
  for (let i = 0; i < b.length; i++) {
    const d = digit(b, i)
    if (d > 1) return b.slice(0, i) + DIGITS[d - 1]
    // A proper prefix ending in 1 is already below b; the last digit 1 can only become 0 + more.
    if (d === 1) return i < b.length - 1 ? b.slice(0, i + 1) : `${b.slice(0, i)}0${MIDDLE}`
  }
  // Unreachable for a valid key (it has a non-zero digit); kept total for the type checker.
  return `0${MIDDLE}`
}

/**
 * A key strictly between `a` and `b`, `a` being '' for 0 and `b` null for 1 (the midpoint of
 * Evan Wallace's fractional indexing, as in the `fractional-indexing` package).
 */
const midpoint = (a: string, b: string | null): string => {
  if (b !== null) {
    // Skip the common prefix, reading a missing digit of `a` as 0.
    let n = 0
    while ((a[n] ?? '0') === b[n]) n++
    if (n > 0) return b.slice(0, n) + midpoint(a.slice(n), b.slice(n))
  }
  const da = a ? digit(a, 0) : 0
  const db = b !== null ? digit(b, 0) : DIGITS.length
  if (db - da > 1) return DIGITS[Math.round((da + db) / 2)]
  // Consecutive first digits: b's first digit alone is below b if b goes on, else extend a.
  if (b !== null && b.length > 1) return b.slice(0, 1)
  return DIGITS[da] + midpoint(a.slice(1), null)
}

/** The shortest key strictly between two keys (null: no bound on that side). */
export const keyBetween = (a: string | null, b: string | null): string => {
  if (a !== null && !isPosition(a)) throw new RangeError(`not a position: ${JSON.stringify(a)}`)
  if (b !== null && !isPosition(b)) throw new RangeError(`not a position: ${JSON.stringify(b)}`)
  if (a !== null && b !== null && a >= b) throw new RangeError(`positions out of order: ${a} >= ${b}`)
  if (a === null && b === null) return MIDDLE
  if (b === null) return keyAfter(a as string)
  if (a === null) return keyBefore(b)
  return midpoint(a, b)
}

/** Where jitter comes from: a number in [0, 1), like Math.random; null for none (deterministic keys). */
export type RandomSource = (() => number) | null

/**
 * A key strictly between `a` and `b`, with a random suffix when `random` is given. The suffix
 * goes onto a key that is not a prefix of `b`, so every extension of it still sorts below `b`.
 */
export const positionBetween = (a: string | null, b: string | null, random: RandomSource): string => {
  let key = keyBetween(a, b)
  if (random === null) return key
  while (b?.startsWith(key)) key = midpoint(key, b)
  let suffix = ''
  for (let i = 0; i < JITTER_DIGITS - 1; i++)
    suffix += DIGITS[Math.floor(random() * DIGITS.length) % DIGITS.length]
  // The last digit is never 0 (a key never ends in 0).
  suffix += DIGITS[1 + (Math.floor(random() * TOP) % TOP)]
  return key + suffix
}

/** `count` keys in increasing order, all strictly between `a` and `b`. */
export const positionsBetween = (
  a: string | null,
  b: string | null,
  count: number,
  random: RandomSource,
): string[] => {
  const keys: string[] = []
  let lo = a
  for (let i = 0; i < count; i++) {
    lo = positionBetween(lo, b, random)
    keys.push(lo)
  }
  return keys
}

/** The working order: by position, then by id; plain code-unit comparison, the same on every peer. */
export const comparePositioned = (
  x: { position: string; id: string },
  y: { position: string; id: string },
) => (x.position < y.position ? -1 : x.position > y.position ? 1 : x.id < y.id ? -1 : x.id > y.id ? 1 : 0)
