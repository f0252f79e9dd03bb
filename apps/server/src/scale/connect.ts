import { createAdapter } from '@socket.io/redis-adapter'
import { Redis } from 'ioredis'
import type { ServerOptions } from 'socket.io'
import { type DocFanout, redisFanout } from './fanout.ts'

export interface ScaleOut {
  fanout: DocFanout
  adapter: ServerOptions['adapter']
  close(): Promise<void>
}

/** Several server processes behind a load balancer: Redis carries documents, presence and meeting events between them. */
export const connectScaleOut = async (
  url: string,
  prefix: string,
  log: { warn(o: object, m: string): void },
): Promise<ScaleOut> => {
  const pub = new Redis(url, { maxRetriesPerRequest: null })
  const sub = pub.duplicate()
  for (const c of [pub, sub])
    c.on('error', (err) => log.warn({ err: err.message }, 'redis connection problem'))
  // Fail at start-up, not at the first broadcast, when Redis cannot be reached.
  await Promise.race([
    pub.ping(),
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`REDIS_URL: no answer from ${url}`)), 5_000),
    ),
  ])
  const fanout = redisFanout(url, prefix, log)
  return {
    fanout,
    adapter: createAdapter(pub, sub, { key: `${prefix}:socket.io` }),
    async close() {
      await fanout.close()
      await Promise.allSettled([pub.quit(), sub.quit()])
    },
  }
}
