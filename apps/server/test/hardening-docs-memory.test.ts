import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import type { Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import { type ChildServer, freePort, killHard, startChildServer } from '../../../tests/server/child-server.ts'
import { encodeSyncStep1, encodeSyncUpdate } from '../src/docs/wire.ts'
import { joinByLink, sleep, waitFor, yClient } from './harness.ts'

/**
 * Issue 11, finding 3: 60 connections that never read a 22 MB document took the server from 281 MB
 * to 1 547 MB and were never closed. Here 40 such readers of a ~20 MB document, against a real server
 * process: its resident memory must grow by less than BOUND_MB, and the readers must be closed.
 */
const DOC = 'oecd-egov-2003.brief'
const READERS = 40
const CHUNK_CHARS = 900_000 // one update per frame, under the 1 MiB frame limit
const CHUNKS = 22
/** 40 private copies of the document would be ~800 MB; one shared copy plus bookkeeping is far below this. */
const BOUND_MB = 200
const SLOW_READER_MS = 4_000

const rssMb = (pid: number): number => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) / 1024 : Number.NaN
  } catch {
    return Number.NaN // the process has gone
  }
}

const p99 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))] ?? Number.NaN
}

describe('memory with readers that never read (issue 11, finding 3)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rt-readers-'))
  let server: ChildServer | null = null
  afterAll(async () => {
    if (server) await killHard(server)
    rmSync(dataDir, { recursive: true, force: true })
  })

  it(`${READERS} stalled readers of a 20 MB document: RSS grows by less than ${BOUND_MB} MB and they are closed`, async () => {
    const port = await freePort()
    server = await startChildServer(
      {
        DATA_DIR: dataDir,
        SQLITE_SYNC: 'normal',
        DOC_MAX_BYTES: String(64 << 20),
        SLOW_READER_MS: String(SLOW_READER_MS),
        // One participant opens all the readers here: what is measured is memory, not the connection cap.
        DOC_CONNECTIONS_PER_PARTICIPANT: String(READERS + 10),
      },
      port,
    )
    const pid = server.proc.pid as number
    const base = `http://127.0.0.1:${port}`
    const wsBase = `ws://127.0.0.1:${port}`
    const link = (label: string) => server!.links.find((l) => l.label.startsWith(label))!.url
    const chair = await joinByLink(base, link('Chair'), 'Mark Forman')

    // The large document: 22 paragraphs of 900 000 characters, one update each.
    const seed = yClient(wsBase, DOC, chair)
    await seed.synced
    const local = new Y.Doc()
    Y.applyUpdate(local, Y.encodeStateAsUpdate(seed.doc))
    const updates: Uint8Array[] = []
    local.on('update', (u: Uint8Array) => updates.push(u))
    const writer = new WebSocket(`${wsBase}/yjs/${DOC}`, { headers: { cookie: chair } })
    await new Promise((r) => writer.once('open', r))
    for (let i = 0; i < CHUNKS; i++) {
      const p = new Y.XmlElement('paragraph')
      p.insert(0, [new Y.XmlText(`${i}`.padEnd(CHUNK_CHARS, String.fromCharCode(97 + (i % 26))))])
      local.getXmlFragment('brief').push([p])
      writer.send(encodeSyncUpdate(updates.shift() as Uint8Array))
      // Under the per-connection byte rate (8 MiB, then 2 MiB/s).
      if (i >= 7) await sleep(500)
    }
    await waitFor(() => seed.doc.getXmlFragment('brief').length >= CHUNKS, 60_000, 'the large brief relayed')
    const docBytes = Y.encodeStateAsUpdate(seed.doc).byteLength
    writer.close()

    // A healthy pair keeps editing; a healthy newcomer reads the document whole.
    const delegate = await joinByLink(base, link('Canada'), 'Healthy reader')
    const healthy = yClient(wsBase, DOC, delegate)
    await healthy.synced
    await sleep(1_000)
    const before = rssMb(pid)
    const latencies: number[] = []
    const sentAt = new Map<string, number>()
    const mark = healthy.doc.getXmlFragment('brief')
    mark.observeDeep(() => {
      const first = (mark.get(0) as Y.XmlElement | undefined)?.toString() ?? ''
      for (const [m, at] of sentAt)
        if (first.includes(m)) {
          latencies.push(Date.now() - at)
          sentAt.delete(m)
        }
    })
    let stop = false
    let peak = before
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMb(pid))
    }, 100)
    const editing = (async () => {
      const frag = seed.doc.getXmlFragment('brief')
      for (let i = 0; !stop; i++) {
        const m = `[r${i}]`
        sentAt.set(m, Date.now())
        const el = frag.get(0) as Y.XmlElement
        ;(el.get(0) as Y.XmlText).insert(0, m)
        await sleep(100)
      }
    })()

    // The attack: readers ask for the whole document and never read a byte of it.
    const readers: { ws: WebSocket; closed: boolean; bytes: number }[] = []
    const cookie = await joinByLink(base, link('France'), 'Stalled reader')
    for (let i = 0; i < READERS; i++) {
      const ws = new WebSocket(`${wsBase}/yjs/${DOC}`, { headers: { cookie } })
      const r = { ws, closed: false, bytes: 0 }
      ws.on('error', () => {})
      ws.on('close', () => {
        r.closed = true
      })
      ws.on('message', (d: Buffer) => {
        r.bytes += d.byteLength
      })
      ws.once('open', () => {
        ;(ws as unknown as { _socket: Socket })._socket.pause()
        ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())))
      })
      readers.push(r)
    }
    await sleep(SLOW_READER_MS + 8_000)
    clearInterval(sampler)
    const after = rssMb(pid)
    // Reading again: a reader the server closed sees its connection end; one it kept gets the document.
    for (const r of readers) (r.ws as unknown as { _socket: Socket | null })._socket?.resume()
    await Promise.race([
      waitFor(() => readers.every((r) => r.closed), 10_000, 'stalled readers closed').catch(() => {}),
      sleep(10_000),
    ])
    stop = true
    await editing
    const closed = readers.filter((r) => r.closed).length
    const healthyOpen = healthy.provider.wsconnected
    console.log(
      `stalled readers: document ${(docBytes / 2 ** 20).toFixed(1)} MiB, ${READERS} readers; server RSS ${before.toFixed(0)} → peak ${peak.toFixed(0)} MB ` +
        `(+${(peak - before).toFixed(0)}), ${after.toFixed(0)} MB after; ${closed}/${READERS} closed; healthy reader connected ${healthyOpen}, ` +
        `p99 ${p99(latencies)} ms over ${latencies.length} edits`,
    )
    expect(server.proc.exitCode).toBeNull()
    expect(peak - before).toBeLessThan(BOUND_MB)
    expect(closed).toBe(READERS)
    expect(healthyOpen).toBe(true)
    expect(latencies.length).toBeGreaterThan(10)
    for (const r of readers) r.ws.terminate()
    healthy.destroy()
    seed.destroy()
  }, 180_000)
})
