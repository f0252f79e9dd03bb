import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/** y-websocket message types (first varuint of every frame). */
export const MessageType = { Sync: 0, Awareness: 1, Auth: 2, QueryAwareness: 3 } as const
/** y-protocols sync sub-types. */
export const SyncType = { Step1: 0, Step2: 1, Update: 2 } as const

/** A sync frame: the message type, the sync sub-type, then the payload with its length. */
const encodeSync = (type: (typeof SyncType)[keyof typeof SyncType], payload: Uint8Array): Uint8Array => {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MessageType.Sync)
  encoding.writeVarUint(e, type)
  encoding.writeVarUint8Array(e, payload)
  return encoding.toUint8Array(e)
}

export const encodeSyncStep1 = (stateVector: Uint8Array): Uint8Array =>
  encodeSync(SyncType.Step1, stateVector)
export const encodeSyncStep2 = (update: Uint8Array): Uint8Array => encodeSync(SyncType.Step2, update)
export const encodeSyncUpdate = (update: Uint8Array): Uint8Array => encodeSync(SyncType.Update, update)

export const encodeAwareness = (update: Uint8Array): Uint8Array => {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MessageType.Awareness)
  encoding.writeVarUint8Array(e, update)
  return encoding.toUint8Array(e)
}

/** Header of a final, unmasked binary WebSocket frame (RFC 6455 §5.2, as a server sends it) of `n` bytes. */
const writeFrameHeader = (out: Buffer, n: number): number => {
  out[0] = 0x82 // FIN + opcode 2 (binary)
  if (n < 126) {
    out[1] = n
    return 2
  }
  if (n < 65_536) {
    out[1] = 126
    out.writeUInt16BE(n, 2)
    return 4
  }
  out[1] = 127
  out.writeBigUInt64BE(BigInt(n), 2)
  return 10
}
const headerSize = (n: number) => (n < 126 ? 2 : n < 65_536 ? 4 : 10)

export const webSocketFrameHeader = (n: number): Buffer => {
  const out = Buffer.allocUnsafe(headerSize(n))
  writeFrameHeader(out, n)
  return out
}

/**
 * `payload` as one binary WebSocket frame, header and payload in one buffer: a broadcast builds it
 * once and each socket gets one write of it.
 */
export const webSocketBinaryFrame = (payload: Uint8Array): Buffer => {
  const out = Buffer.allocUnsafe(headerSize(payload.byteLength) + payload.byteLength)
  out.set(payload, writeFrameHeader(out, payload.byteLength))
  return out
}

export type Frame =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  | { type: 'sync-update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'query-awareness' }
  | { type: 'auth' }

/** Parses one frame; errors are values. Trailing bytes make a frame invalid. */
export const parseFrame = (data: Uint8Array): { frame: Frame } | { error: string } => {
  try {
    const d = decoding.createDecoder(data)
    const type = decoding.readVarUint(d)
    let frame: Frame
    switch (type) {
      case MessageType.Sync: {
        const sub = decoding.readVarUint(d)
        const payload = decoding.readVarUint8Array(d)
        if (sub === SyncType.Step1) frame = { type: 'sync-step1', stateVector: payload }
        else if (sub === SyncType.Step2 || sub === SyncType.Update)
          frame = { type: 'sync-update', update: payload }
        else return { error: `unknown sync message ${sub}` }
        break
      }
      case MessageType.Awareness:
        frame = { type: 'awareness', update: decoding.readVarUint8Array(d) }
        break
      case MessageType.QueryAwareness:
        frame = { type: 'query-awareness' }
        break
      case MessageType.Auth:
        frame = { type: 'auth' }
        decoding.readVarUint(d)
        // y-websocket's auth message carries a reason string we do not use
        if (decoding.hasContent(d)) decoding.readVarString(d)
        break
      default:
        return { error: `unknown message type ${type}` }
    }
    if (decoding.hasContent(d)) return { error: 'trailing bytes after message' }
    return { frame }
  } catch (err) {
    return { error: `malformed frame: ${(err as Error).message}` }
  }
}

/** One awareness entry as sent on the wire. */
export interface AwarenessEntry {
  clientId: number
  clock: number
  state: Record<string, unknown> | null
}

/** A presence state (cursor, name, colour) is small; this bounds what one client can make the server hold and relay. */
export const MAX_PRESENCE_STATE_CHARS = 16 * 1024
/** JSON nested deeper than this is refused: re-serialising it recursively could exhaust the stack. */
export const MAX_PRESENCE_DEPTH = 32

/** Deepest nesting of arrays and objects in a JSON text, ignoring brackets inside strings. */
export const jsonDepth = (text: string): number => {
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92)
        i++ // backslash: skip the escaped character
      else if (c === 34) inString = false
    } else if (c === 34) inString = true
    else if (c === 91 || c === 123) max = Math.max(max, ++depth)
    else if (c === 93 || c === 125) depth--
  }
  return max
}

export const decodeAwarenessUpdate = (update: Uint8Array): AwarenessEntry[] => {
  const d = decoding.createDecoder(update)
  const n = decoding.readVarUint(d)
  const out: AwarenessEntry[] = []
  for (let i = 0; i < n; i++) {
    const clientId = decoding.readVarUint(d)
    const clock = decoding.readVarUint(d)
    const text = decoding.readVarString(d)
    if (text.length > MAX_PRESENCE_STATE_CHARS) throw new Error('presence state too large')
    if (jsonDepth(text) > MAX_PRESENCE_DEPTH) throw new Error('presence state nested too deeply')
    const state = JSON.parse(text) as unknown
    if (state !== null && (typeof state !== 'object' || Array.isArray(state)))
      throw new Error('awareness state must be an object or null')
    out.push({ clientId, clock, state: state as Record<string, unknown> | null })
  }
  if (decoding.hasContent(d)) throw new Error('trailing bytes after awareness update')
  return out
}

export const encodeAwarenessEntries = (entries: AwarenessEntry[]): Uint8Array => {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, entries.length)
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(e, clientId)
    encoding.writeVarUint(e, clock)
    encoding.writeVarString(e, JSON.stringify(state))
  }
  return encoding.toUint8Array(e)
}
