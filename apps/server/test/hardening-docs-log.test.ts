import { afterEach, describe, expect, it } from 'vitest'
import type { Peer } from '../src/docs/peer.ts'
import { DocRoom } from '../src/docs/room.ts'
import { openSqliteStore } from '../src/store/sqlite.ts'
import type { Store } from '../src/store/types.ts'

/** Issue 11, finding 6 (part): a fuzz run logged 1 688 lines. One line per bad connection, and few of those. */
const counting = () => {
  const lines: string[] = []
  return {
    lines,
    log: {
      warn: (_: object, msg: string) => void lines.push(msg),
      error: (_: object, msg: string) => void lines.push(msg),
    },
  }
}

let nextId = 1
/** A peer whose client ignores the close: it keeps sending, as a hostile script does until the socket is gone. */
const stubborn = (): Peer => ({
  id: nextId++,
  identity: null,
  canWrite: true,
  closed: false,
  send: () => {},
  bufferedAmount: () => 0,
  close: () => {},
})

const BAD_FRAME = Uint8Array.of(9, 9, 9)

describe('bad-frame logging', () => {
  let store: Store
  let room: DocRoom
  afterEach(async () => {
    await room?.destroy()
    await store?.close()
  })
  const open = async (log: ReturnType<typeof counting>['log']) => {
    store = openSqliteStore({ path: ':memory:' })
    room = new DocRoom('d', { store, log })
    await room.ready
  }

  it('logs one line for a connection that sends many bad frames', async () => {
    const { lines, log } = counting()
    await open(log)
    const p = stubborn()
    room.addPeer(p)
    for (let i = 0; i < 50; i++) room.receive(p, BAD_FRAME)
    expect(lines).toHaveLength(1)
  })

  it('logs at most 20 bad connections a minute per process, then one line saying how many more', async () => {
    const { lines, log } = counting()
    await open(log)
    for (let i = 0; i < 500; i++) {
      const p = stubborn()
      room.addPeer(p)
      room.receive(p, BAD_FRAME)
      room.receive(p, BAD_FRAME)
    }
    expect(lines.length).toBeLessThanOrEqual(20)
    expect(lines.length).toBeGreaterThan(0)
  })
})
