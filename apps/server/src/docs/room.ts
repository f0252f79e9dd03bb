import type { DocKindSpec } from '@roundtable/doc-schema'
import { CloseCode } from '@roundtable/protocol'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import type { DocFanout, FanoutMessage } from '../scale/fanout.ts'
import type { DocStore } from '../store/types.ts'
import { BadConnectionLog, type RoomLogger } from './bad-log.ts'
import type { Peer, PeerIdentity } from './peer.ts'
import { ShapeGuard } from './shape.ts'
import {
  type AwarenessEntry,
  decodeAwarenessUpdate,
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  MessageType,
  parseFrame,
} from './wire.ts'

const varUintSize = (n: number): number => {
  let size = 1
  while (n > 127) {
    n = Math.floor(n / 128)
    size++
  }
  return size
}
const writeVarUintAt = (buf: Uint8Array, at: number, n: number): number => {
  while (n > 127) {
    buf[at++] = 0x80 | (n & 0x7f)
    n = Math.floor(n / 128)
  }
  buf[at++] = n
  return at
}
/** `null` as a var-string: the state of a removed client. */
const NULL_STATE_BYTES = Uint8Array.of(4, 0x6e, 0x75, 0x6c, 0x6c)

/**
 * The texts a transaction added characters to: the parents of the string items it integrated, found
 * from each client's clocks before and after it, so the cost is the batch's, not the document's.
 * (`transaction.changed` leaves out a text created in the same transaction, content and all.)
 */
const grownTexts = (tr: Y.Transaction): Set<Y.Text> => {
  const texts = new Set<Y.Text>()
  for (const [client, after] of tr.afterState) {
    const before = tr.beforeState.get(client) ?? 0
    if (after <= before) continue
    const structs = tr.doc.store.clients.get(client) as Y.Item[]
    for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
      const s = structs[i]
      if (
        s instanceof Y.Item &&
        !s.deleted &&
        s.content instanceof Y.ContentString &&
        s.parent instanceof Y.Text
      )
        texts.add(s.parent)
    }
  }
  return texts
}

/** The copy of `text` in `doc`, a copy of the document `text` is in (same item ids). */
const sameTextIn = (doc: Y.Doc, text: Y.Text): Y.Text =>
  text._item === null
    ? doc.getText(Y.findRootTypeKey(text))
    : ((Y.getItem(doc.store, text._item.id).content as Y.ContentType).type as Y.Text)

/** Deletes all but the first `max` UTF-16 units of `text`, never cutting a surrogate pair in two (as the clients' clip). */
const keepFirst = (text: Y.Text, max: number): void => {
  if (text.length <= max) return
  const last = text.toString().charCodeAt(max - 1)
  const cut = last >= 0xd800 && last <= 0xdbff ? max - 1 : max
  text.delete(cut, text.length - cut)
}

/** Followers written to per event-loop turn when relaying the periodic presence renewals. */
const RENEWAL_SLICE = 256

export interface RoomLimits {
  /** Compact the update log into a snapshot after this many appended updates: keeps a cold load to one snapshot plus a short tail. */
  snapshotEveryUpdates: number
  /** Past this many queued bytes a socket gets no presence traffic (bytes). */
  softCapBytes: number
  /** Past this many queued bytes a socket is closed; its client resyncs on reconnect (bytes). */
  hardCapBytes: number
  /** Unchanged presence renewals are relayed in one batch this often (ms); clients drop a state after 30 s without one. */
  presenceRelayMs: number
  /** A presence state not renewed for this long is removed (ms), as y-protocols does. */
  presenceTimeoutMs: number
  /** Presence client ids one connection may hold (a browser tab uses one per document). */
  presencePerPeer: number
  /** Presence client ids one participant may hold in a document, across all their connections. */
  presencePerParticipant: number
  /** Bytes of presence (JSON) one participant may hold in a document, across all their connections. */
  presenceBytesPerParticipant: number
  /** Presence states one document holds at most. */
  presencePerRoom: number
  /** Bytes of presence (JSON) one document holds at most, everyone's together: bounds every greeting. */
  presenceBytesPerRoom: number
  /** Bytes received and not yet durable (while loading, or with storage behind) before the sender is told to back off. */
  inflightCapBytes: number
  /**
   * Content bytes a document may hold: its stored snapshot plus the log after it. Past this an update
   * adding content is refused with 4423 (deletions still go through). The log is compacted once it
   * passes a quarter of this, so a document is refused only when its snapshot passes about ¾ of it.
   */
  maxDocBytes: number
  /**
   * A greeting larger than `hardCapBytes` (a large document) is sent whole, once; a reader that has
   * not brought its queue back under the hard cap this long after is closed (ms).
   */
  slowReaderMs: number
}

export const DEFAULT_ROOM_LIMITS: RoomLimits = {
  snapshotEveryUpdates: 500,
  softCapBytes: 1 << 20,
  hardCapBytes: 8 << 20,
  // Every second, not every 5: the same bytes in smaller bursts, so a document update does not queue
  // behind a large batch in a follower's socket (b: p99 ≈ 70 instead of ≈ 280 ms).
  presenceRelayMs: 1_000,
  presenceTimeoutMs: 30_000,
  presencePerPeer: 4,
  // A person has a few tabs and devices: 8 states of a few hundred bytes each, with room to spare.
  presencePerParticipant: 8,
  presenceBytesPerParticipant: 64 << 10,
  presencePerRoom: 5_000,
  // 5 000 people's cursors of ~300 bytes; a newcomer's presence greeting is never more than this.
  presenceBytesPerRoom: 2 << 20,
  inflightCapBytes: 64 << 20,
  maxDocBytes: 16 << 20,
  slowReaderMs: 30_000,
}

/** Presence greeting slices: about this many bytes each, written only while the socket's queue is under the soft cap. */
const PRESENCE_SLICE_BYTES = 64 << 10
/** A newcomer that has not asked for the document this long after the greeting gets presence anyway (ms). */
const PRESENCE_AFTER_MS = 2_000
/** A step-2 reply larger than this, and more than half the whole document, is sent as the shared whole instead. */
const SHARE_REPLY_ABOVE_BYTES = 1 << 20

export type { RoomLogger } from './bad-log.ts'

interface PresenceEntry {
  clock: number
  json: string
  /** Bytes of `json` counted against its owner's and the room's presence limits. */
  size: number
  /** Whose limits it counts against: a participant, a connection without identity, or null (another process's client). */
  owner: string | null
  /** `json` encoded as the wire's var-string, made once when first sent (greetings send every entry). */
  bytes: Uint8Array | null
  lastSeen: number
  /** The local connection that owns this client id; null for a client of another server process. */
  peer: Peer | null
}

export interface DocRoomOptions {
  store: DocStore
  log: RoomLogger
  /** Shared by a hub's rooms: at most one line per bad connection, and few a minute. */
  badLog?: BadConnectionLog
  limits?: Partial<RoomLimits>
  /** Resolves when a previous room for the same document has finished writing. */
  after?: Promise<unknown>
  onFail?: (room: DocRoom) => void
  /** Other server processes with this document open (scale-out); absent on a single server. */
  fanout?: DocFanout
  /** The document's kind: every incoming update is checked against its shape. None: no check (unit tests of the sync machinery). */
  kind?: DocKindSpec
  /** Read at every incoming update: false while the document is frozen (updates are then dropped, as an observer's). */
  writable?: () => boolean
}

/** A close reason is at most 123 bytes of UTF-8 (RFC 6455 §5.5). */
const closeReason = (text: string): string => {
  let out = text.slice(0, 120)
  while (Buffer.byteLength(out) > 123) out = out.slice(0, -1)
  return out
}

/**
 * One shared document while anyone has it open.
 *
 * Invariant: `doc` holds exactly what is durable. Incoming updates are validated (and, with a kind,
 * shape-checked: shape.ts), queued for the
 * current event-loop turn, appended to the store in one transaction, and only then applied and
 * relayed, as one merged update encoded once for every recipient.
 */
export class DocRoom {
  private readonly ydoc = new Y.Doc()
  /**
   * The whole durable state, encoded, or null when it must be encoded again. A new client (empty state
   * vector) is answered from it: one encoding serves every newcomer until the document changes.
   */
  private fullState: Uint8Array | null = null
  /** `fullState` as a sync step-2 frame, shared by every reader's socket (`fullState` is a view into it). */
  private fullFrame: Uint8Array | null = null
  /**
   * Updates applied since `fullFrame` was made, while they are small beside it: a newcomer gets the
   * shared frame and then these, merged and encoded once, instead of a fresh whole-state copy after
   * every keystroke (a large document with people typing would otherwise cost a copy per newcomer).
   */
  private sinceFull: Uint8Array[] = []
  private sinceFullBytes = 0
  private sinceFullFrame: Uint8Array | null =
    null /** Stored bytes: the last snapshot, and the log appended after it (ours and, with fanout, others'). */
  private snapshotBytes = 0
  private logBytes = 0
  /** A cold document's stored snapshot, not yet applied to `ydoc`: readers are served from bytes. */
  private unintegrated: Uint8Array | null = null
  /** The state vector of `unintegrated`, stored with it or computed once. */
  private unintegratedSv: Uint8Array | null = null
  readonly peers = new Set<Peer>()
  readonly ready: Promise<void>
  private loaded = false
  private failed = false
  private backlog: [Peer, Uint8Array][] = []
  /** Bytes of document updates received and not yet durable, including the loading backlog. */
  private inflightBytes = 0
  private destroyed = false
  private pending: Uint8Array[] = []
  private flushScheduled = false
  /** Store writes and the broadcasts that follow them run one after another, in arrival order. */
  private chain: Promise<void> = Promise.resolve()
  private lastSeq = 0
  private sinceSnapshot = 0
  /** A compaction is waiting in the chain: the next is scheduled only after it. */
  private compactionQueued = false
  private readonly presence = new Map<number, PresenceEntry>()
  /** Presence bytes held, in all and per owner (client ids and bytes). */
  private presenceBytes = 0
  private readonly owners = new Map<string, { ids: Set<number>; bytes: number }>()
  /** Newcomers not yet sent the document: their presence greeting waits for it. */
  private readonly awaitingDocument = new Set<Peer>()
  /** Peers allowed, once, a greeting past the hard cap: the bytes allowed on top of it. */
  private readonly oversize = new Map<Peer, number>()
  private readonly presenceChanged = new Set<number>()
  /** Clocks of states removed since the last flush (a removal is sent as null with a newer clock). */
  private readonly removedClocks = new Map<number, number>()
  private readonly presenceRenewed = new Set<number>()
  private readonly peerClients = new Map<Peer, Set<number>>()
  private readonly timer: NodeJS.Timeout
  /** Judges each incoming update against the kind's shape before it is stored. */
  private readonly guard: ShapeGuard | null
  private readonly writable: () => boolean
  /**
   * Texts whose trim (`trimOverflow`) is not durable yet, each with whether a later batch of ours took
   * it past its limit again meanwhile (then it is looked at again once the trim is done).
   */
  private readonly trimming = new Map<Y.Text, boolean>()
  /** Server-side writes (`transact`) waiting for the batch that carries them to be durable and relayed. */
  private waiters: { resolve: () => void; reject: (err: unknown) => void }[] | null = null

  private readonly store: DocStore
  private readonly log: RoomLogger
  private readonly badLog: BadConnectionLog
  private readonly limits: RoomLimits
  private readonly onFail: (room: DocRoom) => void
  private readonly fanout: DocFanout | undefined
  private readonly unsubscribe: () => void
  private remoteBacklog: FanoutMessage[] = []
  private readonly remotePresenceChanged = new Set<number>()

  constructor(
    readonly name: string,
    opts: DocRoomOptions,
  ) {
    this.store = opts.store
    this.log = opts.log
    this.badLog = opts.badLog ?? new BadConnectionLog(opts.log)
    this.limits = { ...DEFAULT_ROOM_LIMITS, ...opts.limits }
    this.onFail = opts.onFail ?? (() => {})
    this.fanout = opts.fanout
    this.guard = opts.kind ? new ShapeGuard(opts.kind, () => this.doc) : null
    this.writable = opts.writable ?? (() => true)
    // Subscribed before loading, so nothing published meanwhile is missed (applying twice is harmless).
    const sub = this.fanout?.subscribe(name, (m) => this.receiveRemote(m))
    this.unsubscribe = sub?.unsubscribe ?? (() => {})
    this.ready = Promise.all([opts.after, sub?.ready]).then(() => this.load())
    this.ready.catch((err) => this.fail(err))
    this.timer = setInterval(() => this.relayPresence(), this.limits.presenceRelayMs)
    this.timer.unref()
  }

  private async load(): Promise<void> {
    const stored = await this.store.loadDoc(this.name)
    if (stored.snapshot && stored.updates.length === 0) {
      // Just a snapshot: it is the full state already. Applying it waits until someone writes.
      this.unintegrated = stored.snapshot
      this.unintegratedSv = stored.snapshotStateVector
      this.fullState = stored.snapshot
    } else {
      this.ydoc.transact(() => {
        if (stored.snapshot) Y.applyUpdate(this.ydoc, stored.snapshot)
        for (const u of stored.updates) {
          try {
            Y.applyUpdate(this.ydoc, u)
          } catch (err) {
            // Defence in depth: updates are validated before they are stored, so this should never happen.
            this.log.error({ doc: this.name, err }, 'skipped an unreadable stored update')
          }
        }
      })
    }
    this.lastSeq = stored.lastSeq
    this.sinceSnapshot = stored.updates.length
    this.snapshotBytes = stored.snapshot?.byteLength ?? 0
    this.logBytes = stored.updates.reduce((n, u) => n + u.byteLength, 0)
    this.loaded = true
    const remote = this.remoteBacklog
    this.remoteBacklog = []
    for (const m of remote) this.receiveRemote(m)
    for (const peer of this.peers) this.greet(peer)
    const backlog = this.backlog
    this.backlog = []
    for (const [, data] of backlog) this.inflightBytes -= data.byteLength
    for (const [peer, data] of backlog) if (this.peers.has(peer)) this.receive(peer, data)
  }

  /** The server's copy of the document (exactly the durable state). */
  get doc(): Y.Doc {
    this.integrate()
    return this.ydoc
  }

  private integrate(): void {
    if (this.unintegrated === null) return
    const snapshot = this.unintegrated
    this.unintegrated = null
    this.unintegratedSv = null
    Y.applyUpdate(this.ydoc, snapshot)
  }

  /** The whole state for a client that has nothing yet. */
  private encodeFull(): Uint8Array {
    this.fullState ??= Y.encodeStateAsUpdate(this.ydoc)
    return this.fullState
  }

  /**
   * The whole state as one step-2 frame, made once until the document changes: every reader's socket
   * queues the same buffer, so a large document costs its size once, not once per reader.
   */
  private fullStep2(): Uint8Array {
    if (this.fullFrame === null) {
      const full = this.encodeFull()
      this.fullFrame = encodeSyncStep2(full)
      this.fullState = this.fullFrame.subarray(this.fullFrame.byteLength - full.byteLength)
      this.sinceFull = []
      this.sinceFullBytes = 0
      this.sinceFullFrame = null
    }
    return this.fullFrame
  }

  /** The whole document for a client that has nothing: the shared frame, then what changed since it was made. */
  private sendWhole(peer: Peer): void {
    this.sendTo(peer, this.fullStep2(), 'greeting')
    if (this.sinceFull.length === 0) return
    this.sinceFullFrame ??= encodeSyncUpdate(
      this.sinceFull.length === 1 ? this.sinceFull[0] : Y.mergeUpdates(this.sinceFull),
    )
    this.sendTo(peer, this.sinceFullFrame, 'greeting')
  }

  /** The document has changed by `update`: the exact encoding is stale; the shared frame stays while the changes since are small. */
  private changed(update: Uint8Array): void {
    this.fullState = null
    if (this.fullFrame === null) return
    this.sinceFull.push(update)
    this.sinceFullBytes += update.byteLength
    this.sinceFullFrame = null
    if (this.sinceFullBytes > Math.max(64 << 10, this.fullFrame.byteLength / 8)) {
      this.fullFrame = null
      this.sinceFull = []
      this.sinceFullBytes = 0
    }
  }

  addPeer(peer: Peer): void {
    this.peers.add(peer)
    if (this.loaded) this.greet(peer)
  }

  /**
   * Server speaks first: its state vector (so the client sends what the server lacks). Everyone's
   * presence follows once the client has been sent the document (its step 1 answered), so whatever
   * presence holds never stands between a newcomer and the document.
   */
  private greet(peer: Peer): void {
    // Decoding a large snapshot for its state vector costs a good part of applying it: once at most.
    if (this.unintegrated && !this.unintegratedSv)
      this.unintegratedSv = Y.encodeStateVectorFromUpdate(this.unintegrated)
    const sv = this.unintegratedSv ?? Y.encodeStateVector(this.ydoc)
    this.sendTo(peer, encodeSyncStep1(sv), 'doc')
    this.awaitingDocument.add(peer)
    // A client that never asks for the document (presence only) gets presence after a while anyway.
    setTimeout(() => this.documentSent(peer), PRESENCE_AFTER_MS).unref()
  }

  /** The peer has been sent the document (or waited long enough): now its presence greeting. */
  private documentSent(peer: Peer): void {
    if (!this.awaitingDocument.delete(peer)) return
    this.sendAllPresence(peer)
  }

  /**
   * Every presence state, in slices of about 64 KiB, each written only while the peer's queue is
   * under the soft cap: a slow reader gets presence late, never closed for it.
   */
  private sendAllPresence(peer: Peer): void {
    const ids = [...this.presence.keys()]
    const giveUpAt = Date.now() + this.limits.presenceTimeoutMs
    const next = (from: number) => {
      if (from >= ids.length || this.destroyed || peer.closed || !this.peers.has(peer)) return
      if (peer.bufferedAmount() > this.limits.softCapBytes) {
        // Renewals reach it within the presence timeout anyway.
        if (Date.now() < giveUpAt) setTimeout(() => next(from), 100).unref()
        return
      }
      const slice: number[] = []
      let bytes = 0
      let i = from
      for (; i < ids.length && bytes < PRESENCE_SLICE_BYTES; i++) {
        const e = this.presence.get(ids[i])
        if (!e) continue
        slice.push(ids[i])
        bytes += e.size
      }
      if (slice.length > 0) this.sendTo(peer, this.encodePresence(slice), 'presence')
      if (i < ids.length) setImmediate(() => next(i))
    }
    next(0)
  }

  removePeer(peer: Peer): void {
    if (!this.peers.delete(peer)) return
    this.awaitingDocument.delete(peer)
    this.oversize.delete(peer)
    const ids = this.peerClients.get(peer)
    this.peerClients.delete(peer)
    if (ids) {
      for (const id of ids) {
        const e = this.presence.get(id)
        if (e && e.peer === peer) {
          this.removePresence(id, e.clock + 1)
        }
      }
      this.scheduleFlush()
    }
  }

  /** Handles one frame from a peer. A frame that is not valid y-websocket closes that peer only. */
  receive(peer: Peer, data: Uint8Array): void {
    if (this.failed || this.destroyed || peer.closed) return
    if (!this.loaded) {
      if (!this.admit(peer, data.byteLength)) return
      this.backlog.push([peer, data])
      return
    }
    try {
      this.handle(peer, data)
    } catch (err) {
      // Whatever a client sends, it can only lose its own connection.
      this.reject(peer, `frame handling failed: ${(err as Error).message}`)
    }
  }

  /** Counts bytes that are not durable yet; past the cap the sender is closed (it retries later and resyncs). */
  private admit(peer: Peer, bytes: number): boolean {
    if (this.inflightBytes + bytes > this.limits.inflightCapBytes) {
      peer.close(CloseCode.SlowConsumer, 'server busy; reconnect later')
      return false
    }
    this.inflightBytes += bytes
    return true
  }

  private handle(peer: Peer, data: Uint8Array): void {
    const parsed = parseFrame(data)
    if ('error' in parsed) {
      this.reject(peer, parsed.error)
      return
    }
    const { frame } = parsed
    switch (frame.type) {
      case 'sync-step1': {
        // Answered from `doc`, which holds only durable state.
        const sv = frame.stateVector
        if (sv.length === 1 && sv[0] === 0) {
          // A client with nothing: the shared whole.
          this.sendWhole(peer)
          this.documentSent(peer)
          return
        }
        let diff: Uint8Array
        try {
          diff = this.unintegrated
            ? Y.diffUpdate(this.unintegrated, sv)
            : Y.encodeStateAsUpdate(this.ydoc, sv)
        } catch {
          this.reject(peer, 'malformed state vector')
          return
        }
        // Nearly everything: the shared whole instead of one more copy per reader (applying known items is a no-op).
        const nearlyAll =
          diff.byteLength > SHARE_REPLY_ABOVE_BYTES &&
          diff.byteLength * 2 > (this.fullFrame?.byteLength ?? this.encodeFull().byteLength)
        if (nearlyAll) this.sendWhole(peer)
        else this.sendTo(peer, encodeSyncStep2(diff), 'greeting')
        this.documentSent(peer)
        return
      }
      case 'sync-update': {
        if (!peer.canWrite || !this.writable()) return
        let record: (() => void) | null = null
        if (this.guard) {
          const verdict = this.guard.check(frame.update)
          if (!verdict.ok) {
            this.refuse(peer, verdict)
            return
          }
          // A client with nothing new answers the greeting with an empty update, and a replay adds
          // nothing either: nothing to store.
          if (verdict.noop) return
          if (verdict.adds && this.full(frame.update.byteLength)) {
            this.badLog.warn(
              peer,
              { doc: this.name, peer: peer.id, bytes: this.snapshotBytes + this.logBytes },
              'refused an update past the document size cap',
            )
            peer.close(CloseCode.DocumentFull, `document is full (${this.limits.maxDocBytes} bytes)`)
            return
          }
          record = verdict.record
        } else {
          try {
            Y.decodeUpdate(frame.update)
          } catch {
            this.reject(peer, 'malformed document update')
            return
          }
        }
        if (!this.admit(peer, frame.update.byteLength)) return
        record?.()
        this.pending.push(frame.update)
        this.scheduleFlush()
        return
      }
      case 'awareness': {
        let entries: AwarenessEntry[]
        try {
          entries = decodeAwarenessUpdate(frame.update)
        } catch {
          this.reject(peer, 'malformed awareness update')
          return
        }
        this.receivePresence(peer, entries)
        return
      }
      case 'query-awareness':
        // Checked before encoding: the whole presence map is the costly part.
        if (peer.bufferedAmount() > this.limits.softCapBytes) return
        this.sendAllPresence(peer)
        return
      case 'auth':
        return
      default: {
        const never: never = frame
        throw new Error(`unhandled frame ${JSON.stringify(never)}`)
      }
    }
  }

  /** An update the shape check refused: nothing is stored, applied or relayed, and the sender is told why. */
  private refuse(peer: Peer, verdict: { code: 'malformed' | 'shape' | 'missing'; reason: string }): void {
    switch (verdict.code) {
      case 'malformed':
        this.reject(peer, verdict.reason)
        return
      case 'shape':
        this.badLog.warn(
          peer,
          { doc: this.name, peer: peer.id, reason: verdict.reason },
          'refused an update out of shape',
        )
        peer.close(CloseCode.DocumentShape, closeReason(verdict.reason))
        return
      case 'missing':
        // Its client resends it on reconnect, with what it builds on, once this server has that.
        peer.close(CloseCode.Resync, 'update builds on content not here yet; reconnect')
        return
    }
  }

  /** Whether `bytes` more would take the stored document (and what is on its way there) past its cap. */
  private full(bytes: number): boolean {
    return this.snapshotBytes + this.logBytes + this.inflightBytes + bytes > this.limits.maxDocBytes
  }

  private reject(peer: Peer, reason: string): void {
    this.badLog.warn(
      peer,
      { doc: this.name, peer: peer.id, reason },
      'closing a connection that sent a bad frame',
    )
    peer.close(CloseCode.BadFrame, 'bad frame')
  }

  /** Whose presence limits a peer's states count against: the participant, across all their connections. */
  private ownerOf(peer: Peer): string {
    return peer.identity ? `p:${peer.identity.participantId}` : `c:${peer.id}`
  }

  /** Sets a presence entry, keeping the byte and id counts. */
  private putPresence(id: number, entry: PresenceEntry): void {
    this.forgetPresence(id)
    this.presence.set(id, entry)
    this.presenceBytes += entry.size
    if (entry.owner === null) return
    let o = this.owners.get(entry.owner)
    if (!o) {
      o = { ids: new Set(), bytes: 0 }
      this.owners.set(entry.owner, o)
    }
    o.ids.add(id)
    o.bytes += entry.size
  }

  /** Deletes a presence entry, keeping the byte and id counts. */
  private forgetPresence(id: number): void {
    const cur = this.presence.get(id)
    if (!cur) return
    this.presence.delete(id)
    this.presenceBytes -= cur.size
    if (cur.owner === null) return
    const o = this.owners.get(cur.owner)
    if (!o) return
    o.ids.delete(id)
    o.bytes -= cur.size
    if (o.ids.size === 0) this.owners.delete(cur.owner)
  }

  /** Whether a state of `size` bytes for client `id` fits its owner's and the room's presence limits. */
  private presenceFits(owner: string | null, id: number, size: number): boolean {
    const cur = this.presence.get(id)
    const grow = size - (cur?.size ?? 0)
    if (!cur && this.presence.size >= this.limits.presencePerRoom) return false
    if (grow > 0 && this.presenceBytes + grow > this.limits.presenceBytesPerRoom) return false
    if (owner === null) return true
    const o = this.owners.get(owner)
    if (!cur && (o?.ids.size ?? 0) >= this.limits.presencePerParticipant) return false
    return grow <= 0 || (o?.bytes ?? 0) + grow <= this.limits.presenceBytesPerParticipant
  }

  private receivePresence(peer: Peer, entries: AwarenessEntry[]): void {
    const now = Date.now()
    let mine = this.peerClients.get(peer)
    const owner = this.ownerOf(peer)
    for (const e of entries) {
      const cur = this.presence.get(e.clientId)
      // A client id belongs to the connection that first used it: nobody can overwrite another's presence.
      if (cur && cur.peer !== peer) continue
      if (cur && e.clock <= cur.clock) continue
      if (e.state === null) {
        if (cur) this.removePresence(e.clientId, e.clock)
        continue
      }
      if (!cur && (mine?.size ?? 0) >= this.limits.presencePerPeer) continue
      const json = JSON.stringify(stampIdentity(e.state, peer.identity))
      // Limits per participant (not per connection) and per document: a state that does not fit is ignored.
      const size = cur && cur.json === json ? cur.size : Buffer.byteLength(json)
      if (!this.presenceFits(owner, e.clientId, size)) continue
      if (!cur || cur.json !== json) {
        this.presenceChanged.add(e.clientId)
        this.presenceRenewed.delete(e.clientId)
      } else if (!this.presenceChanged.has(e.clientId)) {
        // Same state, new clock: a keep-alive. Relayed in the next periodic batch, not one message each.
        this.presenceRenewed.add(e.clientId)
      }
      const bytes = cur && cur.json === json ? cur.bytes : null
      this.putPresence(e.clientId, { clock: e.clock, json, size, owner, bytes, lastSeen: now, peer })
      if (!mine) {
        mine = new Set()
        this.peerClients.set(peer, mine)
      }
      mine.add(e.clientId)
    }
    if (this.presenceChanged.size > 0) this.scheduleFlush()
  }

  /** Re-stamps the presence of a peer whose identity changed (e.g. a new role). */
  restamp(peer: Peer): void {
    for (const id of this.peerClients.get(peer) ?? []) {
      const e = this.presence.get(id)
      if (!e) continue
      const json = JSON.stringify(stampIdentity(JSON.parse(e.json), peer.identity))
      if (json !== e.json) {
        // A new name may be longer: counted, but not refused (the state is the server's doing).
        this.putPresence(id, {
          ...e,
          json,
          size: Buffer.byteLength(json),
          owner: this.ownerOf(peer),
          bytes: null,
          clock: e.clock + 1,
        })
        this.presenceChanged.add(id)
      }
    }
    this.scheduleFlush()
  }

  /**
   * The awareness update for these client ids, written into one buffer of the exact size (greetings
   * send every entry: no growing, no re-encoding of states). `frame` wraps it as an awareness message.
   */
  private encodePresenceEntries(ids: number[], frame = false): Uint8Array {
    const states: Uint8Array[] = new Array(ids.length)
    const clocks: number[] = new Array(ids.length)
    let size = varUintSize(ids.length)
    for (let i = 0; i < ids.length; i++) {
      const p = this.presence.get(ids[i])
      if (p) {
        if (!p.bytes) {
          const e = encoding.createEncoder()
          encoding.writeVarString(e, p.json)
          p.bytes = encoding.toUint8Array(e)
        }
        states[i] = p.bytes
        clocks[i] = p.clock
      } else {
        states[i] = NULL_STATE_BYTES
        clocks[i] = this.removedClocks.get(ids[i]) ?? 0
      }
      size += varUintSize(ids[i]) + varUintSize(clocks[i]) + states[i].byteLength
    }
    const header = frame ? varUintSize(MessageType.Awareness) + varUintSize(size) : 0
    const out = new Uint8Array(header + size)
    let at = 0
    if (frame) {
      at = writeVarUintAt(out, at, MessageType.Awareness)
      at = writeVarUintAt(out, at, size)
    }
    at = writeVarUintAt(out, at, ids.length)
    for (let i = 0; i < ids.length; i++) {
      at = writeVarUintAt(out, at, ids[i])
      at = writeVarUintAt(out, at, clocks[i])
      out.set(states[i], at)
      at += states[i].byteLength
    }
    return out
  }

  private encodePresence(ids: number[]): Uint8Array {
    return this.encodePresenceEntries(ids, true)
  }

  private relayPresence(): void {
    const now = Date.now()
    for (const [id, e] of this.presence) {
      if (now - e.lastSeen > this.limits.presenceTimeoutMs) {
        if (e.peer) this.removePresence(id, e.clock + 1)
        else {
          // Another process's client: its own server will announce the removal; just forget it here.
          this.forgetPresence(id)
          this.removedClocks.set(id, e.clock + 1)
          this.remotePresenceChanged.add(id)
        }
      }
    }
    if (this.presenceChanged.size > 0 || this.remotePresenceChanged.size > 0) this.scheduleFlush()
    if (this.presenceRenewed.size === 0) return
    const ids = [...this.presenceRenewed]
    this.presenceRenewed.clear()
    const entries = this.encodePresenceEntries(ids)
    const frame = encodeAwareness(entries)
    this.sendInSlices([...this.peers], frame)
    this.fanout?.publish(this.name, { kind: 'presence', payload: entries })
  }

  /**
   * The periodic renewal batch can be large and go to thousands of followers: written a slice per
   * event-loop turn, so the document updates that arrive meanwhile are relayed in between, not after.
   */
  private sendInSlices(peers: Peer[], frame: Uint8Array, from = 0): void {
    const end = Math.min(peers.length, from + RENEWAL_SLICE)
    for (let i = from; i < end; i++) if (this.peers.has(peers[i])) this.sendTo(peers[i], frame, 'presence')
    if (end < peers.length) setImmediate(() => this.sendInSlices(peers, frame, end))
  }

  private removePresence(id: number, clock: number): void {
    this.forgetPresence(id)
    this.presenceRenewed.delete(id)
    this.removedClocks.set(id, clock)
    this.presenceChanged.add(id)
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return
    this.flushScheduled = true
    setImmediate(() => this.flush())
  }

  /** Runs once per event-loop turn that received anything. */
  private flush(): void {
    this.flushScheduled = false
    if (this.failed) return
    if (this.presenceChanged.size > 0 || this.remotePresenceChanged.size > 0) {
      const local = [...this.presenceChanged]
      const ids = [...new Set([...local, ...this.remotePresenceChanged])]
      this.presenceChanged.clear()
      this.remotePresenceChanged.clear()
      const frame = this.encodePresence(ids)
      for (const p of this.peers) this.sendTo(p, frame, 'presence')
      if (this.fanout && local.length > 0)
        this.fanout.publish(this.name, { kind: 'presence', payload: this.encodePresenceEntries(local) })
      this.removedClocks.clear()
    }
    if (this.pending.length === 0) return
    const batch = this.pending
    this.pending = []
    const waiters = this.waiters
    this.waiters = null
    const generation = this.guard?.lastGeneration ?? 0
    // The write starts now, not when the previous batch has been relayed: the store keeps the order,
    // and the writer can commit this batch with the previous one's successors instead of idling.
    const durable = this.store.appendUpdates(this.name, batch)
    durable.catch(() => {}) // handled in persistAndRelay, once the chain reaches it
    this.chain = this.chain
      .then(() => this.persistAndRelay(batch, durable, generation))
      .then(
        () => {
          if (waiters) for (const w of waiters) w.resolve()
        },
        (err) => {
          if (waiters) for (const w of waiters) w.reject(err)
          this.fail(err)
        },
      )
  }

  private async persistAndRelay(
    batch: Uint8Array[],
    durable: Promise<number>,
    generation: number,
  ): Promise<void> {
    const bytes = batch.reduce((n, u) => n + u.byteLength, 0)
    try {
      this.lastSeq = await durable
    } finally {
      this.inflightBytes -= bytes
    }
    const applied = this.applyAndRelay(batch)
    this.guard?.applied(generation)
    // Other processes get the raw batch: their copy of the document may differ from ours.
    this.fanout?.publish(this.name, {
      kind: 'update',
      payload: batch.length === 1 ? batch[0] : Y.mergeUpdates(batch),
    })
    // Our own clients' batch (never a remote one): texts it took past their limit are trimmed.
    if (this.guard) this.trimOverflow(grownTexts(applied))
    this.sinceSnapshot += batch.length
    this.logBytes += bytes
    // Compacted by count, and by bytes well before the size cap: the cap counts the log, and a long
    // log of small edits must not be what fills a document.
    if (
      !this.compactionQueued &&
      (this.sinceSnapshot >= this.limits.snapshotEveryUpdates || this.logBytes > this.limits.maxDocBytes / 4)
    ) {
      this.sinceSnapshot = 0
      this.compactionQueued = true
      // A failed compaction loses nothing (the log is intact): log it; the next one will try again.
      this.chain = this.chain.then(() =>
        this.compact()
          .catch((err) => {
            this.sinceSnapshot = this.limits.snapshotEveryUpdates
            this.log.error({ doc: this.name, err }, 'compaction failed')
          })
          .finally(() => {
            this.compactionQueued = false
          }),
      )
    }
  }

  /**
   * Applies durable updates to `doc` in one transaction and relays what was new, encoded once.
   * Returns that transaction (what it added: `grownTexts`).
   */
  private applyAndRelay(updates: Uint8Array[]): Y.Transaction {
    let merged: Uint8Array | null = null
    const collect = (u: Uint8Array) => {
      merged = merged === null ? u : Y.mergeUpdates([merged, u])
    }
    this.integrate()
    this.ydoc.on('update', collect)
    let transaction: Y.Transaction
    try {
      transaction = this.ydoc.transact((tr) => {
        for (const u of updates) {
          try {
            Y.applyUpdate(this.ydoc, u)
          } catch (err) {
            this.log.error({ doc: this.name, err }, 'a validated update failed to apply')
          }
        }
        return tr
      }, this)
    } finally {
      this.ydoc.off('update', collect)
    }
    if (merged === null) return transaction
    this.changed(merged)
    // One encoding, the same buffer to every recipient.
    const frame = encodeSyncUpdate(merged)
    for (const p of this.peers) this.sendTo(p, frame, 'doc')
    return transaction
  }

  /**
   * Each client clips its own edits to a text's `maxChars`, but two people typing into one text at
   * once can together take it past the limit: each edit fits, their merge does not. Refusing would
   * be wrong (the sender would resend the same update on every reconnect), so the server deletes
   * the tail, keeping the first `maxChars` characters, as its own change through the pipeline
   * (shape-checked, durable, relayed, published): every copy converges on the trimmed text.
   *
   * Only for batches of this process's own clients: an update from another process is trimmed, if
   * need be, by the process that took it in, so two processes never both delete. A trim only
   * deletes, so its own batch finds nothing to trim; a text that grows past its limit again while
   * its trim is on the way is looked at again once that trim is durable, never trimmed twice at once.
   */
  private trimOverflow(texts: Iterable<Y.Text>): void {
    const guard = this.guard
    if (!guard) return
    const over: [Y.Text, number][] = []
    for (const text of texts) {
      const shape = guard.shapeOf(text as unknown as Y.AbstractType<unknown>).shape
      const max = shape?.type === 'text' ? shape.maxChars : undefined
      if (max === undefined || text.length <= max) continue
      if (this.trimming.has(text)) this.trimming.set(text, true)
      else over.push([text, max])
    }
    if (over.length === 0) return
    for (const [text] of over) this.trimming.set(text, false)
    const done = (): Y.Text[] => {
      const again = over.filter(([text]) => this.trimming.get(text)).map(([text]) => text)
      for (const [text] of over) this.trimming.delete(text)
      return again
    }
    let trimmed: Promise<void>
    try {
      trimmed = this.stage((scratch) => {
        for (const [text, max] of over) keepFirst(sameTextIn(scratch, text), max)
      }, 'limit')
    } catch (err) {
      // A deletion is never out of shape; should it be refused anyway, the text stays as it is.
      done()
      this.log.error({ doc: this.name, err }, 'could not trim a text past its limit')
      return
    }
    // On failure the room fails too (storage): nothing to look at again.
    trimmed.then(
      () => {
        const again = done()
        if (again.length > 0 && !this.failed) this.trimOverflow(again)
      },
      () => done(),
    )
  }

  /**
   * Replaces the log so far with a snapshot. On a single server `doc` is exactly the durable state
   * at this point of the chain. With other processes writing too, `doc` may not have their
   * updates yet, so the snapshot is built from storage instead.
   */
  private async compact(): Promise<void> {
    if (!this.fanout) {
      // Up to what `doc` holds now, not when it was scheduled: batches relayed since then are in the
      // snapshot, and their log rows must go with it (else they would be stored, and counted, twice).
      const snapshot = this.encodeFull()
      await this.store.compact(this.name, snapshot, this.lastSeq, Y.encodeStateVector(this.doc))
      this.compacted(snapshot.byteLength)
      return
    }
    const stored = await this.store.loadDoc(this.name)
    const d = new Y.Doc()
    d.transact(() => {
      if (stored.snapshot) Y.applyUpdate(d, stored.snapshot)
      for (const u of stored.updates) Y.applyUpdate(d, u)
    })
    const snapshot = Y.encodeStateAsUpdate(d)
    await this.store.compact(this.name, snapshot, stored.lastSeq, Y.encodeStateVector(d))
    d.destroy()
    this.compacted(snapshot.byteLength)
  }

  /**
   * The log up to the compaction point is now one snapshot. Batches appended after it count again
   * as their relay runs (it comes after this in the chain).
   */
  private compacted(snapshotBytes: number): void {
    this.snapshotBytes = snapshotBytes
    this.logBytes = 0
  }

  /** From another process: already durable, so applied and relayed here without storing again. */
  private receiveRemote(m: FanoutMessage): void {
    if (this.failed) return
    if (!this.loaded) {
      this.remoteBacklog.push(m)
      return
    }
    if (m.kind === 'update') {
      // Stored by the other process: it counts towards the size cap here too.
      this.logBytes += m.payload.byteLength
      this.applyAndRelay([m.payload])
      return
    }
    let entries: AwarenessEntry[]
    try {
      entries = decodeAwarenessUpdate(m.payload)
    } catch {
      return
    }
    const now = Date.now()
    for (const e of entries) {
      const cur = this.presence.get(e.clientId)
      if (cur?.peer) continue
      if (cur && e.clock <= cur.clock) continue
      if (e.state === null) {
        if (!cur) continue
        this.forgetPresence(e.clientId)
        this.removedClocks.set(e.clientId, e.clock)
      } else {
        const json = JSON.stringify(e.state)
        const size = Buffer.byteLength(json)
        // Each process bounds its own participants; the document's total holds across processes too.
        if (!this.presenceFits(null, e.clientId, size)) continue
        this.putPresence(e.clientId, {
          clock: e.clock,
          json,
          size,
          owner: null,
          bytes: null,
          lastSeen: now,
          peer: null,
        })
      }
      this.remotePresenceChanged.add(e.clientId)
    }
    if (this.remotePresenceChanged.size > 0) this.scheduleFlush()
  }

  /** The bus to other processes dropped and came back: catch up from storage. */
  resync(): void {
    if (!this.loaded || this.failed) return
    this.chain = this.chain
      .then(async () => {
        const stored = await this.store.loadDoc(this.name)
        this.applyAndRelay(stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates)
      })
      .catch((err) => this.fail(err))
  }

  /**
   * Writes a frame unless the peer's queue is too long. Presence is skipped past the soft cap and
   * never closes anyone. A document frame that would take the queue past the hard cap closes the
   * peer (it resyncs on reconnect) — checked with the frame's own size, so one large send cannot slip
   * past. A greeting (the step-2 reply) may go past it once: a large document is larger than the cap;
   * the peer then has `slowReaderMs` to read it down under the cap, or is closed.
   */
  private sendTo(peer: Peer, frame: Uint8Array, what: 'doc' | 'greeting' | 'presence'): void {
    const queued = peer.bufferedAmount()
    const hard = this.limits.hardCapBytes
    if (what === 'presence') {
      if (queued <= this.limits.softCapBytes) peer.send(frame)
      return
    }
    const allowance = this.oversize.size === 0 ? 0 : (this.oversize.get(peer) ?? 0)
    if (queued + frame.byteLength > hard + allowance) {
      if (what !== 'greeting' || allowance > 0 || queued > hard) {
        peer.close(CloseCode.SlowConsumer, 'too far behind; reconnect to resync')
        return
      }
      this.oversize.set(peer, frame.byteLength)
      setTimeout(() => {
        if (!this.oversize.delete(peer) || !this.peers.has(peer)) return
        if (peer.bufferedAmount() > hard) peer.close(CloseCode.SlowConsumer, 'too slow to read the document')
      }, this.limits.slowReaderMs).unref()
    }
    peer.send(frame)
  }

  /** Storage failed: nothing unacknowledged may look durable. Close everyone; clients resend on reconnect. */
  private fail(err: unknown): void {
    if (this.failed) return
    this.failed = true
    const waiters = this.waiters
    this.waiters = null
    if (waiters) for (const w of waiters) w.reject(err)
    this.log.error({ doc: this.name, err }, 'document storage failed; closing its connections')
    for (const p of this.peers) p.close(1011, 'storage error')
    this.onFail(this)
  }

  /**
   * A change made by the server itself, through the same pipeline as a client's edit: `fn` edits a
   * scratch copy of the durable state, and what it changed is shape-checked, stored, applied, relayed
   * to every connection and published to other processes. Resolves once that is done; rejects if the
   * change is out of shape (nothing is stored then) or storage fails.
   */
  async transact(fn: (doc: Y.Doc) => void, origin?: unknown): Promise<void> {
    await this.ready
    if (this.failed || this.destroyed) throw new Error(`document ${this.name} is not open`)
    return this.stage(fn, origin)
  }

  /**
   * `transact` on a loaded room, synchronously up to the queueing: the change is in `pending` when
   * this returns (a trim staged from the relay of a batch is then flushed by `settle` too). Throws if
   * the change is out of shape; the promise says when it is durable and relayed.
   */
  private stage(fn: (doc: Y.Doc) => void, origin?: unknown): Promise<void> {
    const scratch = new Y.Doc()
    let update: Uint8Array | null = null
    try {
      Y.applyUpdate(scratch, this.unintegrated ?? Y.encodeStateAsUpdate(this.ydoc))
      scratch.on('update', (u: Uint8Array) => {
        update = update === null ? u : Y.mergeUpdates([update, u])
      })
      scratch.transact(() => fn(scratch), origin ?? 'server')
    } finally {
      scratch.destroy()
    }
    if (update === null) return Promise.resolve()
    const change: Uint8Array = update
    if (this.guard) {
      const verdict = this.guard.check(change)
      if (!verdict.ok) throw new Error(`server-side change refused: ${verdict.reason}`)
      verdict.record()
    }
    const done = new Promise<void>((resolve, reject) => {
      this.waiters ??= []
      this.waiters.push({ resolve, reject })
    })
    this.inflightBytes += change.byteLength
    this.pending.push(change)
    this.scheduleFlush()
    return done
  }

  /** Resolves when everything received so far is durable. */
  async settle(): Promise<void> {
    if (this.flushScheduled || this.pending.length > 0) this.flush()
    // Work queued while we waited (a compaction after an append, a trim after a relay) extends the
    // chain or the pending batch: wait for that too (a failed room flushes nothing more).
    let seen: Promise<void>
    do {
      if (this.pending.length > 0) this.flush()
      seen = this.chain
      await seen.catch(() => {})
    } while (seen !== this.chain || (!this.failed && (this.pending.length > 0 || this.trimming.size > 0)))
  }

  async destroy(): Promise<void> {
    clearInterval(this.timer)
    this.unsubscribe()
    // Frames arriving from now on are not acknowledged; their senders keep them and resend elsewhere.
    this.destroyed = true
    await this.settle()
    this.ydoc.destroy()
  }
}

/** Name, role and delegation in presence come from the session, never from the client. */
export const stampIdentity = (
  state: Record<string, unknown>,
  identity: PeerIdentity | null,
): Record<string, unknown> => {
  if (!identity) return state
  const user =
    typeof state.user === 'object' && state.user !== null ? (state.user as Record<string, unknown>) : {}
  return {
    ...state,
    user: {
      ...user,
      name: identity.name,
      role: identity.role,
      delegation: identity.delegation,
      participantId: identity.participantId,
    },
  }
}
