import type { MeetingId } from '@roundtable/protocol'
import type { Store } from '../store/types.ts'

/** How each cached part of a meeting is read from storage (or from a store view inside a turn). */
export type PartLoaders<P> = { readonly [K in keyof P]: (store: Store, id: MeetingId) => Promise<P[K]> }

export interface KernelOptions<P> {
  store: Store
  parts: PartLoaders<P>
  /**
   * Keep each meeting's parts in memory, replaced at every change made here. Only sound when this
   * process is the only one writing meetings: off for scale-out (several processes share the database).
   */
  cacheState?: boolean
  now: () => Date
}

/** One audited change: the writes, their audit entry, and the new value of each cached part they touch. */
export interface Change<P> {
  actor: string
  action: string
  detail: Record<string, unknown>
  /** Starts the writes on `store` (synchronously: they go out together with the audit entry). */
  writes: (store: Store) => Promise<unknown>[]
  /** New values of the cached parts the change touches: commands see them at once, readers once committed. */
  next?: Partial<P>
  /** Parts the change touches (default: the keys of `next`); dropped from the caches when not given in `next`. */
  changes?: readonly (keyof P)[]
  /**
   * False for a participant's own saved working state (a straw ranking saved as they drag): not a
   * meeting action, and the audit log would take one row per keystroke-like burst. Default true.
   */
  audit?: boolean
}

/** What a command (or join) runs with: its meeting's parts as earlier commands left them, and one commit. */
export interface Turn<P> {
  readonly meetingId: MeetingId
  /** The store as seen inside this turn (on PostgreSQL: the transaction holding the meeting's lock). */
  readonly store: Store
  /** Whether parts are kept in memory (single process): reading a whole part is then free. */
  readonly caching: boolean
  /** A part as the meeting's earlier commands left it (changes issued and not yet committed included). */
  part<K extends keyof P>(part: K): Promise<P[K]>
  /** Commits a change and its audit entry as one unit; resolves, once durable, with the durable value of each part in `next`. */
  commit(change: Change<P>): Promise<Partial<P>>
  /** Runs `fn` once everything this turn did is durable (announcements go here). */
  after(fn: () => void): void
  /**
   * Waits until every write the meeting's earlier turns issued has settled, so that storage shows
   * them: for a read of what no cached part holds (closing a vote counts its stored ballots).
   */
  settled(): Promise<void>
}

type Inflight = { count: number; failed: boolean; settled: Promise<void>; done: () => void }

/**
 * The per-meeting kernel every domain runs on: one turn at a time per meeting (across processes,
 * where the store can: PostgreSQL holds an advisory lock for the turn's transaction), the pending
 * and durable views of the meeting's cached parts, and the audited commit. No domain knowledge.
 */
export class MeetingKernel<P extends object> {
  private readonly store: Store
  private readonly cache = new Map<string, Promise<unknown>>()
  private readonly durable = new Map<string, Promise<unknown>>()
  /** Per meeting: changes issued and not yet settled; `failed` once one of them has failed. */
  private readonly inflight = new Map<MeetingId, Inflight>()
  private readonly queues = new Map<string, Promise<unknown>>()
  private readonly allParts: readonly (keyof P)[]

  constructor(private readonly opts: KernelOptions<P>) {
    this.store = opts.store
    this.allParts = Object.keys(opts.parts) as (keyof P)[]
  }

  get caching(): boolean {
    // Inside an exclusive transaction a write is not durable until the turn commits: nothing is cached there.
    return this.opts.cacheState === true && !this.store.exclusiveAcrossProcesses
  }

  /**
   * Runs `fn` after everything queued before it under the same key has finished, or has called
   * the `release` it was given (it does once its writes are issued and the cache shows them).
   */
  serially<T>(key: string, fn: (release: () => void) => Promise<T>): Promise<T> {
    const prev = this.queues.get(key) ?? Promise.resolve()
    let release!: () => void
    const turnOver = new Promise<void>((resolve) => {
      release = resolve
    })
    const run = () => fn(release)
    const next = prev.then(run, run)
    next.then(release, release)
    this.queues.set(key, turnOver)
    turnOver.then(() => {
      if (this.queues.get(key) === turnOver) this.queues.delete(key)
    })
    return next
  }

  /**
   * `fn` alone for `key`: after this process's earlier calls for the key and, where the store
   * serialises across processes, inside one transaction holding the key's lock (committed when `fn`
   * resolves, rolled back if it throws). Resolves once what it wrote is durable.
   */
  exclusive<T>(key: string, fn: (store: Store, release: () => void) => Promise<T>): Promise<T> {
    return this.serially(key, (release) =>
      this.store.exclusiveAcrossProcesses
        ? this.store.exclusive(key, (tx) => fn(tx, () => {}))
        : fn(this.store, release),
    )
  }

  /** One turn of a meeting: see `Turn`. Announcements registered with `after` run once it is durable. */
  async turn<T>(meetingId: MeetingId, fn: (turn: Turn<P>) => Promise<T>): Promise<T> {
    const afters: (() => void)[] = []
    const result = await this.exclusive(meetingId, (store, release) =>
      fn({
        meetingId,
        store,
        caching: this.caching,
        part: (part) => this.pending(store, part, meetingId),
        commit: (change) => this.audited(store, meetingId, change, release),
        after: (f) => afters.push(f),
        settled: async () => {
          await this.inflight.get(meetingId)?.settled
        },
      }),
    )
    for (const f of afters) f()
    return result
  }

  /** For readers: committed changes only. */
  durablePart<K extends keyof P>(part: K, id: MeetingId): Promise<P[K]> {
    return this.cached(this.durable, this.store, part, id)
  }

  /**
   * One part of a meeting from a cache, or read afresh when not caching. Shared by every caller:
   * nobody may mutate what it returns.
   */
  private cached<K extends keyof P>(
    cache: Map<string, Promise<unknown>>,
    store: Store,
    part: K,
    id: MeetingId,
  ): Promise<P[K]> {
    const load = this.opts.parts[part]
    if (!this.caching) return load(store, id)
    const key = `${String(part)}:${id}`
    let v = cache.get(key) as Promise<P[K]> | undefined
    if (!v) {
      const loading = load(store, id)
      v = loading
      cache.set(key, loading)
      // A failed read is not kept, nor a meeting not (yet) there (the seed writes its row last).
      const drop = () => {
        if (cache.get(key) === loading) cache.delete(key)
      }
      loading.then((value) => value === null && drop(), drop)
    }
    return v
  }

  private async pending<K extends keyof P>(store: Store, part: K, id: MeetingId): Promise<P[K]> {
    // After a failed write, storage is the truth again, but only once the writes issued after it have
    // settled: until then a fresh read would miss them.
    const writes = this.inflight.get(id)
    if (writes?.failed) await writes.settled
    return this.cached(this.cache, store, part, id)
  }

  /** Forgets what is cached of a meeting: the next read goes to storage. */
  private forget(id: MeetingId, parts: readonly (keyof P)[]): void {
    for (const part of parts) {
      this.cache.delete(`${String(part)}:${id}`)
      this.durable.delete(`${String(part)}:${id}`)
    }
  }

  /**
   * A change and its audit entry as one unit: both or neither, in one commit (see `Store.together`).
   * Where the store commits in the order writes were issued (SQLite), the meeting's next command may
   * start (`release`) while this one is being committed. Resolves once the change is durable (inside
   * an exclusive transaction: once written to it; the turn ends with the commit).
   */
  private async audited(
    store: Store,
    meetingId: MeetingId,
    change: Change<P>,
    release: () => void,
  ): Promise<Partial<P>> {
    const { next } = change
    const parts = change.changes ?? (next ? (Object.keys(next) as (keyof P)[]) : [])
    const throughCache = this.caching && next !== undefined
    const writes = this.issued(meetingId)
    let written: Promise<unknown>
    try {
      written = store.together(() => [
        ...change.writes(store),
        ...(change.audit === false
          ? []
          : [
              store.appendAudit({
                meetingId,
                at: this.opts.now().toISOString(),
                actor: change.actor,
                action: change.action,
                detail: change.detail,
              }),
            ]),
      ])
    } catch (err) {
      // Nothing was sent (see `Store.together`): nothing is in flight either.
      this.settledOne(meetingId)
      throw err
    }
    if (throughCache) {
      for (const [part, value] of Object.entries(next))
        this.cache.set(`${part}:${meetingId}`, Promise.resolve(value))
      if (store.commitsInOrder) release()
    }
    try {
      await written
    } catch (err) {
      // Storage is the truth again: everything cached of the meeting is dropped, now and once the
      // writes issued after this one have settled (commands wait for that before reading).
      writes.failed = true
      this.forget(meetingId, this.allParts)
      throw err
    } finally {
      this.settledOne(meetingId)
    }
    if (!throughCache) {
      this.forget(meetingId, parts)
      return next ?? {}
    }
    if (!writes.failed) {
      for (const [part, value] of Object.entries(next))
        this.durable.set(`${part}:${meetingId}`, Promise.resolve(value))
      return next
    }
    // An earlier write of this meeting failed after this change was built on it: what is durable
    // is what storage holds, not what was issued.
    const stored: Partial<P> = {}
    for (const part of Object.keys(next) as (keyof P)[]) {
      this.durable.delete(`${String(part)}:${meetingId}`)
      stored[part] = await this.durablePart(part, meetingId)
    }
    return stored
  }

  private issued(meetingId: MeetingId): Inflight {
    let w = this.inflight.get(meetingId)
    if (!w) {
      let done!: () => void
      const settled = new Promise<void>((resolve) => {
        done = resolve
      })
      w = { count: 0, failed: false, settled, done }
      this.inflight.set(meetingId, w)
    }
    w.count++
    return w
  }

  private settledOne(meetingId: MeetingId): void {
    const w = this.inflight.get(meetingId)
    if (!w || --w.count > 0) return
    this.inflight.delete(meetingId)
    if (w.failed) this.forget(meetingId, this.allParts)
    w.done()
  }
}
