/**
 * The board over real sockets: rankings reach everyone as one counted aggregate; a frozen list takes
 * no participant's edit; the chair's merge reaches every open document at once.
 */
import { docName, liveAreas, listAreas, setAreaText } from '@roundtable/doc-schema'
import { asMeetingId, type BoardView, SERVER_EVENTS } from '@roundtable/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, sio } from './clients.ts'
import { DEMO_MEETING, sleep, startServer, type TestServer, waitFor, yClient } from './harness.ts'

const DOC = docName(asMeetingId(DEMO_MEETING), 'priorities')

describe('the board, live', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => server.close())

  it('[BOARD-8] two delegates rank; an observer receives one aggregate a burst, within a second', async () => {
    const [ana, ben, olga] = await Promise.all([
      server.join(/France/, 'Ana'),
      server.join(/Canada/, 'Ben'),
      server.join(/Observer/i, 'Olga'),
    ])
    const doc = yClient(server.wsBase, DOC, ana)
    await doc.synced
    const ids = liveAreas(doc.doc).map((a) => a.id)
    expect(ids.length).toBeGreaterThanOrEqual(3)
    const [sa, sb, so] = await Promise.all([
      sio(server.base, ana),
      sio(server.base, ben),
      sio(server.base, olga),
    ])
    const seen: { at: number; view: BoardView }[] = []
    so.on(SERVER_EVENTS.board, (view: BoardView) => seen.push({ at: Date.now(), view }))
    const sent = Date.now()
    const acks = await Promise.all([
      call(sa, 'board:rank', { ranking: [[ids[1]], [ids[0]]] }),
      call(sb, 'board:rank', { ranking: [[ids[1]], [ids[2]]] }),
      call(so, 'board:rank', { ranking: [[ids[0]]] }),
    ])
    expect(acks.map((a) => a.ok)).toEqual([true, true, false])
    await waitFor(() => seen.some((s) => s.view.voters === 2), 2_000, 'meeting:board with both rankings')
    const last = seen.find((s) => s.view.voters === 2)!
    // Three rankings at once: counted at most twice (the first at once, the rest together).
    expect(seen.length).toBeLessThanOrEqual(2)
    expect(last.at - sent).toBeLessThan(1_000)
    expect(last.view).toMatchObject({ method: 'schulze', voters: 2, condorcetWinner: ids[1] })
    expect(last.view.ranking[0]).toEqual([ids[1]])
    // The rankings route answers the chair, and the observer only once revealed.
    const chair = await server.join(/Chair/, 'Mark')
    // A burst from many sockets is still counted a few times, not once per ranking.
    const burst = await Promise.all(Array.from({ length: 20 }, () => sio(server.base, ana)))
    const before = seen.length
    await Promise.all(burst.map((s, i) => call(s, 'board:rank', { ranking: [[ids[i % 2]], [ids[2]]] })))
    await sleep(600)
    expect(seen.length - before).toBeGreaterThanOrEqual(1)
    expect(seen.length - before).toBeLessThanOrEqual(4)
    for (const s of burst) s.close()
    const get = (cookie: string) =>
      fetch(`${server.base}/api/meetings/${DEMO_MEETING}/board/rankings`, { headers: { cookie } })
    expect((await get(olga)).status).toBe(403)
    const election = (await (await get(chair)).json()) as { method: string; ballots: unknown[] }
    expect(election).toMatchObject({ method: 'schulze' })
    expect(election.ballots).toHaveLength(2)
    for (const s of [sa, sb, so]) s.close()
    doc.destroy()
  })

  it('[BOARD-9] a frozen list takes no participant’s edit; the chair’s merge reaches every open document', async () => {
    const [chair, ana, ben] = await Promise.all([
      server.join(/Chair/, 'Mark Forman'),
      server.join(/France/, 'Anne'),
      server.join(/Canada/, 'Bill'),
    ])
    const a = yClient(server.wsBase, DOC, ana)
    const b = yClient(server.wsBase, DOC, ben)
    await Promise.all([a.synced, b.synced])
    const [first, second] = liveAreas(a.doc)
    const sc = await sio(server.base, chair)
    expect((await call(sc, 'board:freeze', { frozen: true })).ok).toBe(true)
    setAreaText(a.doc, first.id, 'title', `${first.title} (edited while frozen)`, 'Ana')
    await sleep(600)
    expect(listAreas(b.doc).find((x) => x.id === first.id)?.title).toBe(first.title)
    expect((await call(sc, 'board:merge', { from: second.id, into: first.id })).ok).toBe(false)
    expect((await call(sc, 'board:freeze', { frozen: false })).ok).toBe(true)
    setAreaText(b.doc, first.id, 'title', `${first.title}!`, 'Ben')
    await waitFor(
      () =>
        listAreas(a.doc)
          .find((x) => x.id === first.id)
          ?.title.includes('!') === true,
      3_000,
      'edit after thaw',
    )
    expect((await call(sc, 'board:merge', { from: second.id, into: first.id })).ok).toBe(true)
    await waitFor(
      () => listAreas(a.doc).find((x) => x.id === second.id)?.status === 'merged',
      3_000,
      'merge relayed to Ana',
    )
    expect(listAreas(b.doc).find((x) => x.id === second.id)).toMatchObject({
      status: 'merged',
      mergedInto: first.id,
    })
    sc.close()
    a.destroy()
    b.destroy()
  })
})
