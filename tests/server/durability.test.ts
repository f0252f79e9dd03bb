import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { asPriorityId, proposeArea } from '@roundtable/doc-schema'
import { afterAll, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { joinByLink, sleep, waitFor, yClient } from '../../apps/server/test/harness.ts'
import { type ChildServer, freePort, killHard, startChildServer, stopGracefully } from './child-server.ts'

const DOC = 'oecd-egov-2003.priorities'
const EDITS = 200

describe('crash durability', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rt-crash-'))
  let server: ChildServer | null = null
  afterAll(async () => {
    if (server) await killHard(server)
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('after SIGKILL mid-stream every acknowledged edit survives once, and unacknowledged edits arrive on reconnect', async () => {
    const port = await freePort()
    const env = { DATA_DIR: dataDir, SQLITE_SYNC: 'full' }
    server = await startChildServer(env, port)
    const base = `http://127.0.0.1:${port}`
    const wsBase = `ws://127.0.0.1:${port}`
    const link = (label: string) => server!.links.find((l) => l.label.startsWith(label))!.url
    const writerCookie = await joinByLink(base, link('France'), 'Writer')
    const recorderCookie = await joinByLink(base, link('Canada'), 'Recorder')

    const writer = yClient(wsBase, DOC, writerCookie)
    const recorder = yClient(wsBase, DOC, recorderCookie)
    await Promise.all([writer.synced, recorder.synced])

    // The edits go where the priorities document allows a list of strings (the server refuses
    // anything out of shape): the `absorbed` list of one area, made first.
    proposeArea(writer.doc, {
      id: asPriorityId('crash-log'),
      title: 'Crash log',
      description: '',
      proposer: '',
      proposerDelegationId: null,
      createdBy: '',
    })
    const crashLog = (doc: Y.Doc) =>
      (doc.getMap('areas').get('crash-log') as Y.Map<unknown> | undefined)?.get('absorbed') as
        | Y.Array<string>
        | undefined
    await waitFor(() => crashLog(recorder.doc) !== undefined, 5_000, 'the crash-log area')

    // The server relays an update only once it is durable, so what the recorder saw is acknowledged.
    const seenBeforeKill = new Set<string>()
    let killed = false
    const log = crashLog(recorder.doc) as Y.Array<string>
    log.observe((e) => {
      if (killed) return
      for (const item of e.changes.added)
        for (const v of item.content.getContent()) seenBeforeKill.add(v as string)
    })

    const wlog = crashLog(writer.doc) as Y.Array<string>
    for (let i = 0; i < EDITS; i++) {
      wlog.push([`edit-${i}`])
      if (i === EDITS / 2) {
        // Mid-stream: give the server a moment to acknowledge some, then kill it without warning.
        await sleep(30)
        killed = true
        await killHard(server)
      }
      await sleep(3)
    }
    const acknowledged = [...seenBeforeKill]
    expect(acknowledged.length).toBeGreaterThan(0)
    expect(acknowledged.length).toBeLessThan(EDITS)

    server = await startChildServer(env, port)
    // Providers reconnect by themselves; the writer resends what the server lacks.
    await waitFor(() => log.length >= EDITS, 20_000, 'all edits after restart')

    const fresh = yClient(wsBase, DOC, recorderCookie)
    await fresh.synced
    const stored = crashLog(fresh.doc)?.toArray() ?? []
    const counts = new Map<string, number>()
    for (const v of stored) counts.set(v, (counts.get(v) ?? 0) + 1)
    for (const a of acknowledged) expect(counts.get(a), a).toBe(1)
    for (let i = 0; i < EDITS; i++) expect(counts.get(`edit-${i}`), `edit-${i}`).toBe(1)
    expect(stored.length).toBe(EDITS)

    for (const c of [writer, recorder, fresh]) c.destroy()
    expect(await stopGracefully(server)).toBe(0)
    server = null
  }, 90_000)
})
