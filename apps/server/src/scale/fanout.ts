import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'

/**
 * Carries durable document updates and presence between server processes that have the same
 * document open. It carries; it does not store: a process that misses messages (its connection to
 * the bus dropped) reloads its open documents from storage when the connection returns.
 */
export type FanoutMessage =
  | { kind: 'update'; payload: Uint8Array }
  | { kind: 'presence'; payload: Uint8Array }

export interface DocFanout {
  publish(doc: string, message: FanoutMessage): void
  /** `ready` resolves once messages published from then on will be delivered. */
  subscribe(
    doc: string,
    handler: (message: FanoutMessage) => void,
  ): { ready: Promise<void>; unsubscribe(): void }
  /** Called after the bus connection came back: messages may have been lost meanwhile. */
  onReconnect(handler: () => void): void
  close(): Promise<void>
}

const KIND = { update: 1, presence: 2 } as const
const ORIGIN_BYTES = 8

const encode = (origin: Buffer, m: FanoutMessage): Buffer =>
  Buffer.concat([origin, Buffer.from([KIND[m.kind]]), m.payload])

const decode = (origin: Buffer, data: Buffer): FanoutMessage | null => {
  if (data.length < ORIGIN_BYTES + 1) return null
  // Our own messages come back from Redis: this process has applied them already.
  if (data.subarray(0, ORIGIN_BYTES).equals(origin)) return null
  const payload = new Uint8Array(
    data.buffer,
    data.byteOffset + ORIGIN_BYTES + 1,
    data.length - ORIGIN_BYTES - 1,
  )
  switch (data[ORIGIN_BYTES]) {
    case KIND.update:
      return { kind: 'update', payload }
    case KIND.presence:
      return { kind: 'presence', payload }
    default:
      return null
  }
}

/** Redis pub/sub: one channel per document, subscribed while the document is open here. */
export const redisFanout = (
  url: string,
  prefix: string,
  log: { warn(o: object, m: string): void },
): DocFanout => {
  const channel = (doc: string) => `${prefix}:doc:${doc}`
  const origin = randomBytes(ORIGIN_BYTES)
  const pub = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false })
  const sub = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false })
  const subscriptions = new Map<string, { set: Set<(m: FanoutMessage) => void>; ready: Promise<void> }>()
  const reconnectHandlers: (() => void)[] = []
  let readyOnce = false
  sub.on('ready', () => {
    if (readyOnce) for (const h of reconnectHandlers) h()
    readyOnce = true
  })
  for (const c of [pub, sub])
    c.on('error', (err) => log.warn({ err: err.message }, 'redis connection problem'))
  sub.on('messageBuffer', (ch: Buffer, data: Buffer) => {
    const set = subscriptions.get(ch.toString())?.set
    if (!set) return
    const m = decode(origin, data)
    if (m) for (const h of set) h(m)
  })
  return {
    publish(doc, message) {
      pub.publish(channel(doc), encode(origin, message)).catch(() => {})
    },
    subscribe(doc, handler) {
      const ch = channel(doc)
      let entry = subscriptions.get(ch)
      if (!entry) {
        const set = new Set<(m: FanoutMessage) => void>()
        // A failed SUBSCRIBE is retried by ioredis on reconnect; loading then goes ahead and the reconnect resync catches up.
        const ready = sub.subscribe(ch).then(
          () => {},
          (err) => log.warn({ err: err.message, doc }, 'subscribe failed'),
        )
        entry = { set, ready }
        subscriptions.set(ch, entry)
      }
      const { set, ready } = entry
      set.add(handler)
      return {
        ready,
        unsubscribe: () => {
          set.delete(handler)
          if (set.size === 0 && subscriptions.get(ch)?.set === set) {
            subscriptions.delete(ch)
            sub.unsubscribe(ch).catch(() => {})
          }
        },
      }
    },
    onReconnect(handler) {
      reconnectHandlers.push(handler)
    },
    async close() {
      await Promise.allSettled([pub.quit(), sub.quit()])
    },
  }
}

/** The same contract in memory, for tests: every fanout made from one bus sees the others'. */
export const memoryBus = () => {
  const members = new Set<{ origin: Buffer; deliver: (doc: string, data: Buffer) => void }>()
  return {
    fanout(): DocFanout {
      const origin = randomBytes(ORIGIN_BYTES)
      const handlers = new Map<string, Set<(m: FanoutMessage) => void>>()
      const member = {
        origin,
        deliver: (doc: string, data: Buffer) => {
          const m = decode(origin, data)
          if (m) for (const h of handlers.get(doc) ?? []) h(m)
        },
      }
      members.add(member)
      return {
        publish(doc, message) {
          const data = encode(origin, message)
          // Asynchronous like a network hop.
          setImmediate(() => {
            for (const m of members) m.deliver(doc, data)
          })
        },
        subscribe(doc, handler) {
          const set = handlers.get(doc) ?? new Set()
          handlers.set(doc, set)
          set.add(handler)
          return { ready: Promise.resolve(), unsubscribe: () => set.delete(handler) }
        },
        onReconnect() {},
        async close() {
          members.delete(member)
        },
      }
    },
  }
}
