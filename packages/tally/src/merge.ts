// Building blocks for merging identical ballots without string keys: a growable Int32 buffer
// and a hash index whose hits the caller confirms.

/** Int32 buffer that doubles when full. */
export class Grow {
  data: Int32Array
  length = 0
  constructor(capacity: number) {
    this.data = new Int32Array(Math.max(16, capacity))
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2)
      bigger.set(this.data)
      this.data = bigger
    }
    this.data[this.length++] = x
  }
  done(): Int32Array {
    return this.data.slice(0, this.length)
  }
}

/**
 * Finds merged ballots by a 32-bit hash of their content: a power-of-two table of chains over
 * entries 0, 1, 2… (no Map: hashes outside the small-integer range would be boxed as keys).
 * `same(e)` confirms a candidate entry against the ballot being read.
 */
export class HashIndex {
  private heads = new Int32Array(1024).fill(-1)
  private next: number[] = []
  private hashes: number[] = []

  constructor(private readonly same: (entry: number) => boolean) {}

  /** The entry equal to the ballot being read, or −1. */
  find(hash: number): number {
    let e = this.heads[hash & (this.heads.length - 1)]
    while (e >= 0 && (this.hashes[e] !== hash || !this.same(e))) e = this.next[e]
    return e
  }

  /** Records the next entry (numbered from 0 in order of addition) under `hash`. */
  add(hash: number): void {
    const e = this.hashes.length
    this.hashes.push(hash)
    this.next.push(-1)
    if (e >= this.heads.length >> 1) this.rehash(this.heads.length * 2)
    else this.link(e)
  }

  private link(e: number): void {
    const at = this.hashes[e] & (this.heads.length - 1)
    this.next[e] = this.heads[at]
    this.heads[at] = e
  }

  private rehash(size: number): void {
    this.heads = new Int32Array(size).fill(-1)
    for (let e = 0; e < this.hashes.length; e++) this.link(e)
  }
}
