import { performance } from 'node:perf_hooks'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { RawWs } from './rawws.ts'
import { Histogram } from './stats.ts'

/**
 * How a Yjs server is addressed. `yws` is the y-websocket protocol (Roundtable and
 * @y/websocket-server); `hocus` is Hocuspocus's multiplexed variant (every message starts with
 * the document name, and an auth message opens the document).
 */
export type Flavor = 'yws' | 'hocus'

export interface Endpoint {
  flavor: Flavor
  port: number
  path: string
  docName: string
  /** Cookie header per client index (Roundtable's sessions); none for the peers. */
  cookie?: (index: number) => string | undefined
}

const SYNC = 0
const AWARENESS = 1
const AUTH = 2
const SYNC_REPLY = 4 // Hocuspocus: a sync message answering the client's step 1
const STEP1 = 0
const STEP2 = 1
const UPDATE = 2
const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc())

/**
 * Delivery bookkeeping for tagged messages. A tag `@@<kind><source>.<seq>;` is inserted verbatim
 * (Yjs encodes inserted strings and awareness JSON as UTF-8), so receivers find it by scanning
 * the raw frame bytes instead of decoding every update: decoding 1 000 copies would saturate
 * the generator's core and measure the generator, not the server.
 */
export class Tracker {
  readonly sendTimes: Float64Array[]
  readonly phaseOf: Uint8Array[]
  readonly sent: number[]
  phases: { hist: Histogram; received: number; sent: number; lastReceiptAt: number }[] = []
  phase = -1

  constructor(
    readonly kind: string,
    readonly sources: number,
    capacity = 4096,
  ) {
    this.sendTimes = Array.from({ length: sources }, () => new Float64Array(capacity))
    this.phaseOf = Array.from({ length: sources }, () => new Uint8Array(capacity))
    this.sent = new Array(sources).fill(0)
  }

  newPhase(): number {
    this.phases.push({ hist: new Histogram(), received: 0, sent: 0, lastReceiptAt: 0 })
    this.phase = this.phases.length - 1
    return this.phase
  }

  /** Next tag for a source; records its send time (call right before the write). */
  nextTag(source: number): string {
    const seq = ++this.sent[source]
    if (seq >= this.sendTimes[source].length) {
      const t = new Float64Array(this.sendTimes[source].length * 2)
      t.set(this.sendTimes[source])
      this.sendTimes[source] = t
      const p = new Uint8Array(t.length)
      p.set(this.phaseOf[source])
      this.phaseOf[source] = p
    }
    this.sendTimes[source][seq] = performance.now()
    this.phaseOf[source][seq] = this.phase
    if (this.phase >= 0) this.phases[this.phase].sent++
    return `@@${this.kind}${source}.${seq};`
  }

  receipt(source: number, seq: number, now: number): void {
    const t = this.sendTimes[source]?.[seq]
    if (!t) return
    const ph = this.phases[this.phaseOf[source][seq]]
    if (!ph) return
    ph.received++
    ph.hist.record(now - t)
    ph.lastReceiptAt = now
  }
}

const AT = 0x40
const DOT = 0x2e
const SEMI = 0x3b

/**
 * Finds tags of one kind in raw bytes and reports each (source, seq) not seen before by this
 * receiver. Sources deliver in order on every server, so "not seen" is "seq above the last one".
 */
export const scanTags = (
  buf: Buffer,
  marker: Buffer,
  last: Int32Array,
  self: number,
  tracker: Tracker,
  now: number,
): void => {
  let p = buf.indexOf(marker)
  while (p !== -1) {
    let i = p + marker.length
    let src = 0
    let digits = 0
    while (i < buf.length && buf[i] >= 0x30 && buf[i] <= 0x39 && digits < 7) {
      src = src * 10 + (buf[i] - 0x30)
      i++
      digits++
    }
    if (digits > 0 && buf[i] === DOT) {
      i++
      let seq = 0
      let d2 = 0
      while (i < buf.length && buf[i] >= 0x30 && buf[i] <= 0x39 && d2 < 9) {
        seq = seq * 10 + (buf[i] - 0x30)
        i++
        d2++
      }
      if (d2 > 0 && buf[i] === SEMI && src < last.length && src !== self && seq > last[src]) {
        last[src] = seq
        tracker.receipt(src, seq, now)
      }
    }
    p = buf.indexOf(marker, p + 2)
  }
}

const W_MARK = Buffer.from([AT, AT, 0x77]) // "@@w"
const C_MARK = Buffer.from([AT, AT, 0x63]) // "@@c"

export interface ClientRole {
  index: number
  /** Source index when this client types (-1 when it only follows). */
  writer: number
  /** Source index when this client moves a cursor (-1 otherwise). */
  mover: number
}

/** Awareness renewal period (ms): y-protocols renews an unchanged local state every 15 s. */
export const AWARENESS_RENEW_MS = 15_000

/** One Yjs client speaking the real sync protocol: step 1/2, updates, awareness. */
export class YClient {
  ws!: RawWs
  synced = false
  syncedAt = 0
  readonly clientId = (Math.random() * 0x7fffffff) >>> 0
  private clock = 0
  private readonly doc: Y.Doc | null
  private lastUpdate: Uint8Array | null = null
  private paragraph: Y.XmlText | null = null
  private readonly lastW: Int32Array
  private readonly lastC: Int32Array
  private renewTimer: NodeJS.Timeout | null = null
  private cursor = ''
  onSynced: (() => void) | null = null

  constructor(
    private readonly ep: Endpoint,
    readonly role: ClientRole,
    private readonly updates: Tracker,
    private readonly cursors: Tracker | null,
  ) {
    this.doc = role.writer >= 0 ? new Y.Doc() : null
    this.doc?.on('update', (u: Uint8Array) => {
      this.lastUpdate = u
    })
    this.lastW = new Int32Array(updates.sources)
    this.lastC = new Int32Array(cursors?.sources ?? 0)
  }

  private encoder(): encoding.Encoder {
    const e = encoding.createEncoder()
    if (this.ep.flavor === 'hocus') encoding.writeVarString(e, this.ep.docName)
    return e
  }

  async connect(): Promise<void> {
    const cookie = this.ep.cookie?.(this.role.index)
    this.ws = await RawWs.connect({
      port: this.ep.port,
      path: this.ep.path,
      headers: cookie ? { Cookie: cookie } : {},
      onMessage: (m) => this.onMessage(m),
      onClose: () => this.stopRenewing(),
      onOpen: (ws) => {
        this.ws = ws
      },
    })
    if (this.ep.flavor === 'hocus') {
      const e = this.encoder()
      encoding.writeVarUint(e, AUTH)
      encoding.writeVarUint(e, 0) // AuthMessageType.Token
      encoding.writeVarString(e, '')
      this.ws.send(encoding.toUint8Array(e))
    }
    const e = this.encoder()
    encoding.writeVarUint(e, SYNC)
    encoding.writeVarUint(e, STEP1)
    encoding.writeVarUint8Array(e, this.doc ? Y.encodeStateVector(this.doc) : new Uint8Array([0]))
    this.ws.send(encoding.toUint8Array(e))
    this.sendAwareness()
    const first = Math.random() * AWARENESS_RENEW_MS
    this.renewTimer = setTimeout(() => {
      this.sendAwareness()
      this.renewTimer = setInterval(() => this.sendAwareness(), AWARENESS_RENEW_MS)
    }, first)
  }

  private stopRenewing(): void {
    if (this.renewTimer) clearTimeout(this.renewTimer)
    this.renewTimer = null
  }

  private sendAwareness(): void {
    const state = JSON.stringify({
      user: { name: `client ${this.role.index}`, color: '#30bced' },
      cursor: this.cursor || null,
    })
    const u = encoding.createEncoder()
    encoding.writeVarUint(u, 1)
    encoding.writeVarUint(u, this.clientId)
    encoding.writeVarUint(u, ++this.clock)
    encoding.writeVarString(u, state)
    const e = this.encoder()
    encoding.writeVarUint(e, AWARENESS)
    encoding.writeVarUint8Array(e, encoding.toUint8Array(u))
    this.ws.send(encoding.toUint8Array(e))
  }

  /** Moves this client's cursor: a changed awareness state carrying a tag. */
  moveCursor(): void {
    if (!this.cursors || this.role.mover < 0) return
    this.cursor = this.cursors.nextTag(this.role.mover)
    this.sendAwareness()
  }

  /**
   * Types one tagged insertion into this writer's own paragraph and sends the update. The paragraph
   * is a brief paragraph as the editor writes it (Roundtable refuses content out of the brief's
   * shape), added at the end of the brief by the first keystroke, in the same update.
   */
  type(): void {
    const doc = this.doc
    if (!doc || this.role.writer < 0) return
    doc.transact(() => {
      if (!this.paragraph) {
        const p = new Y.XmlElement('paragraph')
        this.paragraph = new Y.XmlText()
        p.insert(0, [this.paragraph])
        doc.getXmlFragment('brief').push([p])
      }
      this.paragraph.insert(this.paragraph.length, this.updates.nextTag(this.role.writer))
    })
    this.sendUpdate(this.lastUpdate!)
  }

  sendUpdate(update: Uint8Array): void {
    const e = this.encoder()
    encoding.writeVarUint(e, SYNC)
    encoding.writeVarUint(e, UPDATE)
    encoding.writeVarUint8Array(e, update)
    this.ws.send(encoding.toUint8Array(e))
  }

  private onMessage(m: Buffer): void {
    const d = decoding.createDecoder(m)
    if (this.ep.flavor === 'hocus') decoding.readVarString(d)
    const type = decoding.readVarUint(d)
    if (type === SYNC || type === SYNC_REPLY) {
      const sub = decoding.readVarUint(d)
      if (sub === UPDATE) {
        if (this.synced) scanTags(m, W_MARK, this.lastW, this.role.writer, this.updates, performance.now())
      } else if (sub === STEP1) {
        const sv = decoding.readVarUint8Array(d)
        const e = this.encoder()
        encoding.writeVarUint(e, SYNC)
        encoding.writeVarUint(e, STEP2)
        encoding.writeVarUint8Array(e, this.doc ? Y.encodeStateAsUpdate(this.doc, sv) : EMPTY_UPDATE)
        this.ws.send(encoding.toUint8Array(e))
      } else if (sub === STEP2) {
        if (this.doc) Y.applyUpdate(this.doc, decoding.readVarUint8Array(d), 'server')
        if (!this.synced) {
          this.synced = true
          this.syncedAt = performance.now()
          this.onSynced?.()
        }
      }
    } else if (type === AWARENESS && this.cursors && this.synced) {
      scanTags(m, C_MARK, this.lastC, this.role.mover, this.cursors, performance.now())
    }
  }

  close(): void {
    this.stopRenewing()
    this.ws?.destroy()
    this.doc?.destroy()
  }
}
