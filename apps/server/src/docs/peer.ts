import type { Role } from '@roundtable/protocol'

/** Who is behind a connection, as the server knows it; stamped into their presence. */
export interface PeerIdentity {
  participantId: string
  meetingId: string
  name: string
  role: Role
  delegation: string | null
}

/**
 * The minimal socket a room talks to. The WebSocket shell adapts real sockets to it;
 * tests can drive a room with plain objects.
 */
export interface Peer {
  readonly id: number
  identity: PeerIdentity | null
  /** Observers' document updates are dropped, never applied or relayed. */
  canWrite: boolean
  /** Set by close(): from then on nothing the peer sends is processed, even before the socket is gone. */
  readonly closed: boolean
  send(frame: Uint8Array): void
  /** Bytes queued in the socket and not yet sent. */
  bufferedAmount(): number
  close(code: number, reason: string): void
}
