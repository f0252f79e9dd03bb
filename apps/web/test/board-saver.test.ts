import { asPriorityId, type BoardRanking } from '@roundtable/protocol'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createRankingSaver, holdsEdits, type SaveStatus } from '../src/features/board/ranking-saver.ts'
import type { ClientError } from '../src/shared/api/http.ts'

const [a, b, c] = ['a', 'b', 'c'].map(asPriorityId)

/** A server whose acks the test releases one by one, in any order. */
const fakeServer = () => {
  const calls: { ranking: BoardRanking; answer: (r: { error?: ClientError }) => void }[] = []
  const send = (ranking: BoardRanking) =>
    new Promise<{ error?: ClientError }>((answer) => calls.push({ ranking, answer }))
  return { calls, send }
}

describe('saving a ranking as the person goes', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('a burst of changes is one send, of the last ranking, 300 ms after the last change', async () => {
    const server = fakeServer()
    const seen: SaveStatus[] = []
    const saver = createRankingSaver(server.send, (s) => seen.push(s))
    saver.save([[a], [b]])
    await vi.advanceTimersByTimeAsync(200)
    saver.save([[b], [a]])
    await vi.advanceTimersByTimeAsync(200)
    saver.save([[b, a]])
    await vi.advanceTimersByTimeAsync(299)
    expect(server.calls).toHaveLength(0)
    expect(seen.at(-1)).toEqual({ kind: 'pending' })
    await vi.advanceTimersByTimeAsync(1)
    expect(server.calls.map((x) => x.ranking)).toEqual([[[b, a]]])
    expect(seen.at(-1)).toEqual({ kind: 'saving' })
    server.calls[0].answer({})
    await vi.runAllTimersAsync()
    expect(seen.at(-1)).toEqual({ kind: 'saved' })
  })

  it('"Saved" only from the newest ranking\'s ack: an older ack that arrives later changes nothing', async () => {
    const server = fakeServer()
    const seen: SaveStatus[] = []
    const saver = createRankingSaver(server.send, (s) => seen.push(s))
    saver.save([[a]])
    await vi.advanceTimersByTimeAsync(300)
    saver.save([[a], [b]])
    await vi.advanceTimersByTimeAsync(300)
    expect(server.calls).toHaveLength(2)
    // The first ack, while the second is still out: not "saved" yet.
    server.calls[0].answer({})
    await vi.runAllTimersAsync()
    expect(seen.at(-1)).toEqual({ kind: 'saving' })
    // A change waiting to go is not "saved" either, whatever the ack of the one before says.
    saver.save([[a], [b], [c]])
    server.calls[1].answer({})
    await vi.runAllTimersAsync()
    expect(seen.filter((s) => s.kind === 'saved')).toHaveLength(0)
    server.calls[2].answer({})
    await vi.runAllTimersAsync()
    expect(seen.at(-1)).toEqual({ kind: 'saved' })
  })

  it('a refusal says "not saved" with why, holds the edit, and a retry sends the same ranking again', async () => {
    const server = fakeServer()
    let status: SaveStatus = { kind: 'idle' }
    const saver = createRankingSaver(server.send, (s) => {
      status = s
    })
    saver.save([[a], [c]])
    await vi.advanceTimersByTimeAsync(300)
    const error: ClientError = { code: 'RT_ERR_NETWORK', message: 'not connected' }
    server.calls[0].answer({ error })
    await vi.runAllTimersAsync()
    expect(status).toEqual({ kind: 'failed', error })
    expect(holdsEdits(status)).toBe(true)
    void saver.retry()
    expect(server.calls.map((x) => x.ranking)).toEqual([
      [[a], [c]],
      [[a], [c]],
    ])
    server.calls[1].answer({})
    await vi.runAllTimersAsync()
    expect(status).toEqual({ kind: 'saved' })
    expect(holdsEdits(status)).toBe(false)
  })

  it('leaving the screen sends a change still waiting, at once; nothing waiting sends nothing', async () => {
    const server = fakeServer()
    const saver = createRankingSaver(server.send, () => {})
    saver.flush()
    expect(server.calls).toHaveLength(0)
    saver.save([[b]])
    saver.flush()
    expect(server.calls.map((x) => x.ranking)).toEqual([[[b]]])
    await vi.advanceTimersByTimeAsync(1000)
    expect(server.calls).toHaveLength(1)
  })
})
