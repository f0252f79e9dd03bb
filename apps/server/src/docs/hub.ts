import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { CloseCode } from '@roundtable/protocol'
import { type WebSocket, WebSocketServer } from 'ws'
import type * as Y from 'yjs'
import type { DocFanout } from '../scale/fanout.ts'
import type { DocStore } from '../store/types.ts'
import { BadConnectionLog } from './bad-log.ts'
import type { DocKinds } from './kinds.ts'
import type { Peer, PeerIdentity } from './peer.ts'
import { DEFAULT_ROOM_LIMITS, DocRoom, type RoomLimits, type RoomLogger } from './room.ts'
import { webSocketBinaryFrame, webSocketFrameHeader } from './wire.ts'

export type UpgradeDecision =
  | { ok: true; docName: string; identity: PeerIdentity | null; canWrite: boolean }
  | { ok: false; status: 400 | 401 | 403 | 404; reason: string }

export interface DocHubOptions {
  store: DocStore
  /** The document kinds served: names, shapes (every update is checked) and write policies. */
  kinds: DocKinds
  log: RoomLogger
  limits?: Partial<RoomLimits>
  /** Largest accepted frame (bytes); a larger one closes that connection. */
  maxFrameBytes: number
  /**
   * Connections one participant may have open to one document in this process (tabs and devices);
   * one more is closed with 4429 as soon as it opens. Default 8.
   */
  connectionsPerParticipant?: number
  /** Other server processes (scale-out). */
  fanout?: DocFanout
  /** Decides, before the upgrade completes, who may open which document. */
  authorize: (req: IncomingMessage, docName: string) => Promise<UpgradeDecision>
  /**
   * The participant's current rights, read again from storage. Called right after a connection
   * opens (a role change during the upgrade would otherwise be missed) and, with other processes,
   * every few seconds as a safety net for role changes announced on the bus. Null: no longer allowed.
   */
  current?: (
    participantIds: string[],
  ) => Promise<Map<string, { identity: PeerIdentity; canWrite: boolean } | null>>
}

/**
 * Frames per connection: a burst of 1 000, then 500 a second. A person typing sends ~20; scripts
 * and imports send more. What a frame can cost is bounded elsewhere (cached full state, presence
 * caps), so this only stops floods.
 */
const FRAME_RATE = { burst: 1_000, perSecond: 500 }
/** Bytes per connection: a burst of 8 MiB (a large paste), then 2 MiB a second. */
const BYTE_RATE = { burst: 8 << 20, perSecond: 2 << 20 }
/** An upgrade whose authorization takes longer than this is refused (ms). */
const AUTHORIZE_TIMEOUT_MS = 5_000
/** With other processes, live connections' rights are re-read this often (ms). */
const RECHECK_MS = 3_000
/** A person has a few tabs and devices open on one document, not 200. */
const CONNECTIONS_PER_PARTICIPANT = 8

let nextPeerId = 1

/**
 * The last payload framed and its frame. A room broadcasts one payload object to every peer in a row:
 * the frame is built once and each socket gets a single write of the same buffer.
 */
let framedPayload: Uint8Array | null = null
let framed: Buffer | null = null
/** Larger payloads (greetings, a big paste) are not copied behind a header: header and payload go as two buffers of one write. */
const COPY_MAX_BYTES = 16 * 1024
const writeFrame = (socket: Duplex, payload: Uint8Array): void => {
  if (payload.byteLength > COPY_MAX_BYTES) {
    socket.cork()
    socket.write(webSocketFrameHeader(payload.byteLength))
    socket.write(payload)
    socket.uncork()
    return
  }
  if (payload !== framedPayload || framed === null) {
    framed = webSocketBinaryFrame(payload)
    framedPayload = payload
  }
  socket.write(framed)
}

/** Keeps one room per open document and adapts `ws` sockets to the room's Peer interface. */
export class DocHub {
  readonly rooms = new Map<string, DocRoom>()
  /** Rooms kept open by server-side writes under way (`transact`), whether or not anyone is connected. */
  private readonly holds = new Map<DocRoom, number>()
  private readonly unloading = new Map<string, Promise<void>>()
  private readonly wss: WebSocketServer
  private readonly limits: RoomLimits
  private closed = false
  readonly kinds: DocKinds
  /** One line per bad connection, few a minute, across all rooms. */
  private readonly badLog: BadConnectionLog
  private readonly connectionsPerParticipant: number

  constructor(private readonly opts: DocHubOptions) {
    this.limits = { ...DEFAULT_ROOM_LIMITS, ...opts.limits }
    this.kinds = opts.kinds
    this.badLog = new BadConnectionLog(opts.log)
    this.connectionsPerParticipant = opts.connectionsPerParticipant ?? CONNECTIONS_PER_PARTICIPANT
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: opts.maxFrameBytes,
      perMessageDeflate: false,
    })
    if (opts.fanout) {
      // Messages published while our bus connection was down are lost: catch up from storage.
      opts.fanout.onReconnect(() => {
        for (const room of this.rooms.values()) room.resync()
      })
      this.recheckTimer = setInterval(() => void this.recheckAll(), RECHECK_MS)
      this.recheckTimer.unref()
    }
  }

  private recheckTimer: NodeJS.Timeout | null = null
  /** Open connections by participant, so a rights change finds them without scanning every room. */
  private readonly byParticipant = new Map<string, Set<{ room: DocRoom; peer: Peer }>>()

  /** Applies the stored rights of these participants to their open connections. */
  private async recheck(participantIds: string[]): Promise<void> {
    if (!this.opts.current || participantIds.length === 0) return
    try {
      const rights = await this.opts.current(participantIds)
      for (const [id, r] of rights)
        this.updateParticipant(id, r ? { identity: r.identity, canWrite: r.canWrite } : { remove: true })
    } catch (err) {
      this.opts.log.warn({ err }, 'could not re-read participants')
    }
  }

  private recheckAll(): Promise<void> {
    const ids = new Set<string>()
    for (const { peer } of this.allPeers()) if (peer.identity) ids.add(peer.identity.participantId)
    return this.recheck([...ids])
  }

  /** For the HTTP server's 'upgrade' event on `/yjs/<docName>`. */
  async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, docName: string): Promise<void> {
    socket.on('error', () => socket.destroy())
    let decision: UpgradeDecision
    try {
      let timer: NodeJS.Timeout | undefined
      decision = this.closed
        ? { ok: false, status: 404, reason: 'shutting down' }
        : await Promise.race([
            this.opts.authorize(req, docName),
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new Error('authorization timed out')), AUTHORIZE_TIMEOUT_MS)
            }),
          ]).finally(() => clearTimeout(timer))
    } catch (err) {
      this.opts.log.error({ err }, 'upgrade authorization failed')
      decision = { ok: false, status: 400, reason: 'bad request' }
    }
    if (!decision.ok) {
      const text = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[
        decision.status
      ]
      socket.end(`HTTP/1.1 ${decision.status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
      return
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.connect(ws, socket, decision))
  }

  /**
   * `socket` is the one `ws` wraps. Frames are written to it directly, framed once per broadcast: with
   * compression off, `ws` writes each of its own frames (close, pong) whole and at once, so frames
   * never interleave; `ws.bufferedAmount` counts what waits in the socket either way.
   */
  private connect(ws: WebSocket, socket: Duplex, decision: Extract<UpgradeDecision, { ok: true }>): void {
    const pid = decision.identity?.participantId
    if (pid && this.openTo(pid, decision.docName) >= this.connectionsPerParticipant) {
      // Closed with a reason a client can show ("close another tab"), not an opaque refused upgrade.
      ws.close(CloseCode.TooManyConnections, 'too many connections to this document')
      setTimeout(() => ws.terminate(), 5_000).unref()
      return
    }
    const frames = { tokens: FRAME_RATE.burst, bytes: BYTE_RATE.burst, at: Date.now() }
    const peer: Peer & { ws: WebSocket; closed: boolean } = {
      id: nextPeerId++,
      ws,
      identity: decision.identity,
      canWrite: this.mayWrite(decision.docName, decision.identity, decision.canWrite),
      closed: false,
      send: (frame) => {
        if (ws.readyState === ws.OPEN && socket.writable) writeFrame(socket, frame)
      },
      bufferedAmount: () => ws.bufferedAmount,
      close: (code, reason) => {
        // Effective at once: a client that ignores the close frame can send nothing more that counts.
        peer.closed = true
        peer.canWrite = false
        if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason)
        // A peer that stops reading never completes the closing handshake.
        setTimeout(() => ws.terminate(), 5_000).unref()
      },
    }
    const room = this.join(decision.docName, peer)
    const entry = { room, peer }
    if (pid) {
      let set = this.byParticipant.get(pid)
      if (!set) {
        set = new Set()
        this.byParticipant.set(pid, set)
      }
      set.add(entry)
    }
    ws.on('message', (data, isBinary) => {
      if (peer.closed) return
      if (!isBinary) return peer.close(CloseCode.BadFrame, 'binary frames only')
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)
      const now = Date.now()
      const elapsed = (now - frames.at) / 1000
      frames.at = now
      frames.tokens = Math.min(FRAME_RATE.burst, frames.tokens + elapsed * FRAME_RATE.perSecond) - 1
      frames.bytes =
        Math.min(BYTE_RATE.burst, frames.bytes + elapsed * BYTE_RATE.perSecond) - bytes.byteLength
      if (frames.tokens < 0 || frames.bytes < 0)
        return peer.close(CloseCode.SlowConsumer, 'too many frames; slow down')
      room.receive(peer, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    })
    // Rights may have changed while the upgrade was being authorized.
    if (decision.identity) void this.recheck([decision.identity.participantId])
    ws.on('error', () => {})
    ws.on('close', () => {
      if (pid) {
        const set = this.byParticipant.get(pid)
        set?.delete(entry)
        if (set?.size === 0) this.byParticipant.delete(pid)
      }
      this.leave(room, peer)
    })
  }

  /** How many connections this participant has open to this document here. */
  private openTo(participantId: string, docName: string): number {
    let n = 0
    for (const { room } of this.byParticipant.get(participantId) ?? []) if (room.name === docName) n++
    return n
  }

  /** A general write right, narrowed by the document kind's write policy for the peer's role. */
  private mayWrite(docName: string, identity: PeerIdentity | null, canWrite: boolean): boolean {
    if (!canWrite || identity === null) return canWrite
    const kind = this.kinds.parse(docName)?.kind
    return kind !== undefined && this.kinds.roleMayWrite(kind, identity.role)
  }

  private join(name: string, peer: Peer): DocRoom {
    const room = this.open(name)
    room.addPeer(peer)
    return room
  }

  private open(name: string): DocRoom {
    let room = this.rooms.get(name)
    if (!room) {
      room = new DocRoom(name, {
        store: this.opts.store,
        log: this.opts.log,
        badLog: this.badLog,
        limits: this.limits,
        fanout: this.opts.fanout,
        kind: this.kinds.parse(name)?.kind.spec,
        writable: () => this.kinds.frozenReason(name) === null,
        // A room being unloaded may still be writing: the next one loads after it has finished.
        after: this.unloading.get(name),
        onFail: (failed) => {
          if (this.rooms.get(name) === failed) this.rooms.delete(name)
          this.unload(name, failed)
        },
      })
      this.rooms.set(name, room)
    }
    return room
  }

  private leave(room: DocRoom, peer: Peer): void {
    room.removePeer(peer)
    this.release(room)
  }

  /** Unloads a room nobody has open and no server-side write holds. */
  private release(room: DocRoom): void {
    if (room.peers.size === 0 && !this.holds.has(room) && this.rooms.get(room.name) === room) {
      this.rooms.delete(room.name)
      this.unload(room.name, room)
    }
  }

  private unload(name: string, room: DocRoom): void {
    const prev = this.unloading.get(name) ?? Promise.resolve()
    const done = prev.then(() => room.destroy()).catch(() => {})
    this.unloading.set(name, done)
    done.then(() => {
      if (this.unloading.get(name) === done) this.unloading.delete(name)
    })
  }

  /**
   * Changes a document from the server (a migration, the board's frozen ranking, …) through the
   * same pipeline as a client's edit: `fn` edits a copy of the document, and the change is
   * shape-checked, made durable, applied, relayed to every connection and published to other
   * processes. Loads the document if nobody has it open. Resolves once durable and relayed.
   */
  async transact(docName: string, fn: (doc: Y.Doc) => void, origin?: unknown): Promise<void> {
    if (this.closed) throw new Error('shutting down')
    if (!this.kinds.parse(docName)) throw new Error(`not a document: ${docName}`)
    const room = this.open(docName)
    this.holds.set(room, (this.holds.get(room) ?? 0) + 1)
    try {
      await room.transact(fn, origin)
    } finally {
      const n = (this.holds.get(room) ?? 1) - 1
      if (n > 0) this.holds.set(room, n)
      else {
        this.holds.delete(room)
        this.release(room)
      }
    }
  }

  /** Every live peer, for role changes and removals. */
  *allPeers(): Iterable<{ room: DocRoom; peer: Peer }> {
    for (const room of this.rooms.values()) for (const peer of room.peers) yield { room, peer }
  }

  /** Applies a participant's new identity or write right to their open documents at once. */
  updateParticipant(
    participantId: string,
    change: { identity?: PeerIdentity; canWrite?: boolean; remove?: boolean },
  ) {
    for (const { room, peer } of this.byParticipant.get(participantId) ?? []) {
      if (change.remove) {
        peer.close(CloseCode.SessionEnded, 'removed from the meeting')
        continue
      }
      // The re-check after every upgrade usually finds nothing new: then presence is left alone.
      if (change.identity && !sameIdentity(peer.identity, change.identity)) {
        peer.identity = change.identity
        room.restamp(peer)
      }
      if (change.canWrite !== undefined)
        peer.canWrite = this.mayWrite(room.name, peer.identity, change.canWrite)
    }
  }

  /** Stops accepting, makes everything received durable, closes every connection. */
  async close(): Promise<void> {
    this.closed = true
    if (this.recheckTimer) clearInterval(this.recheckTimer)
    const rooms = [...this.rooms.values()]
    await Promise.all(rooms.map((r) => r.settle()))
    for (const r of rooms) for (const p of r.peers) p.close(CloseCode.GoingAway, 'server shutting down')
    await Promise.all(rooms.map((r) => r.destroy()))
    await Promise.all([...this.unloading.values()])
    this.rooms.clear()
    this.wss.close()
  }
}

const sameIdentity = (a: PeerIdentity | null, b: PeerIdentity): boolean =>
  a !== null &&
  a.participantId === b.participantId &&
  a.meetingId === b.meetingId &&
  a.name === b.name &&
  a.role === b.role &&
  a.delegation === b.delegation
