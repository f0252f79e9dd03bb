/**
 * Token buckets: the one rate-limit helper of the server. A bucket holds up to `burst` tokens and
 * gains `perSecond` of them every second; each action takes one, and an action finding less than one
 * is refused. The clock is injected so tests need no waiting.
 */
export interface BucketRate {
  burst: number
  perSecond: number
}

export class TokenBucket {
  private tokens: number
  private refilledAt: number

  constructor(
    private readonly rate: BucketRate,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = rate.burst
    this.refilledAt = now()
  }

  private refill(): void {
    const t = this.now()
    this.tokens = Math.min(
      this.rate.burst,
      this.tokens + ((t - this.refilledAt) / 1000) * this.rate.perSecond,
    )
    this.refilledAt = t
  }

  /** Takes one token; false (and nothing taken) when the bucket is empty. */
  take(): boolean {
    this.refill()
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }

  /** Whether a token is there, taking none (a look-up that only costs when it fails). */
  has(): boolean {
    this.refill()
    return this.tokens >= 1
  }

  /** Takes one token even when empty (down to one burst in debt), for costs known only afterwards. */
  charge(): void {
    this.refill()
    this.tokens = Math.max(-this.rate.burst, this.tokens - 1)
  }

  /** Full again (nothing spent since): the bucket can be forgotten. */
  get idle(): boolean {
    this.refill()
    return this.tokens >= this.rate.burst
  }
}

/**
 * One bucket per key (a participant, a link, a client address), kept while in use: full buckets are
 * dropped once the map passes `maxKeys`, so a flood of new keys costs bounded memory.
 */
export class KeyedBuckets {
  private readonly buckets = new Map<string, TokenBucket>()

  constructor(
    private readonly rate: BucketRate,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 10_000,
  ) {}

  bucket(key: string): TokenBucket {
    let b = this.buckets.get(key)
    if (!b) {
      if (this.buckets.size >= this.maxKeys) this.sweep()
      b = new TokenBucket(this.rate, this.now)
      this.buckets.set(key, b)
    }
    return b
  }

  take(key: string): boolean {
    return this.bucket(key).take()
  }

  private sweep(): void {
    for (const [k, b] of this.buckets) if (b.idle) this.buckets.delete(k)
    // Every key still spending: the oldest go (a refused attacker's bucket starts full again, no worse).
    for (const k of this.buckets.keys()) {
      if (this.buckets.size < this.maxKeys) break
      this.buckets.delete(k)
    }
  }
}
