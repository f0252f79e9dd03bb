import * as Y from 'yjs'

/**
 * Knows whether the server has every local edit.
 *
 * The server writes each update to storage before it relays it, and it relays to every peer,
 * the sender included. So everything the server sends us is durable, and our own edit coming
 * back is its acknowledgement. We mirror what the server sent into `confirmed`, a shadow
 * Y.Doc; our edits are saved exactly when the local document holds nothing that `confirmed`
 * lacks. Comparing snapshots (state vector + delete set) covers deletions too, which a state
 * vector alone would miss. The comparison runs only while something is unsaved and only when
 * the server speaks, so typing costs one flag.
 */
export class UnsavedTracker {
  readonly confirmed = new Y.Doc()
  private dirty = false
  private readonly onLocalUpdate = (_update: Uint8Array, origin: unknown) => {
    if (this.isRemote(origin) || this.dirty) return
    this.dirty = true
    this.onChange(true)
  }

  constructor(
    private readonly local: Y.Doc,
    /** Updates with this origin came from the server (the provider); anything else is ours. */
    private readonly isRemote: (origin: unknown) => boolean,
    private readonly onChange: (unsaved: boolean) => void,
  ) {
    local.on('update', this.onLocalUpdate)
  }

  get unsaved(): boolean {
    return this.dirty
  }

  /** Feed every document update the server sent (sync step 2 or a relayed update). */
  serverUpdate(update: Uint8Array): void {
    Y.applyUpdate(this.confirmed, update, 'server')
    this.recheck()
  }

  /** Re-derives the flag from the two documents. */
  recheck(): void {
    if (!this.dirty) return
    if (Y.equalSnapshots(Y.snapshot(this.local), Y.snapshot(this.confirmed))) {
      this.dirty = false
      this.onChange(false)
    }
  }

  destroy(): void {
    this.local.off('update', this.onLocalUpdate)
    this.confirmed.destroy()
  }
}

/* y-websocket frames: varUint message type (0 = sync), varUint sync type, varUint8Array payload. */
export const SYNC_STEP2 = 1
export const SYNC_UPDATE = 2

const readVarUint = (buf: Uint8Array, at: { pos: number }): number => {
  let num = 0
  let mult = 1
  for (;;) {
    if (at.pos >= buf.length) throw new RangeError('truncated varUint')
    const byte = buf[at.pos++]
    num += (byte & 0x7f) * mult
    if (byte < 0x80) return num
    mult *= 128
    if (mult > 2 ** 53) throw new RangeError('varUint too large')
  }
}

/**
 * Reads the document update out of the body of a sync message (after the message type), or
 * null for a sync step 1 (a state vector, which carries no content).
 */
export const syncMessageUpdate = (buf: Uint8Array, pos: number): Uint8Array | null => {
  const at = { pos }
  const type = readVarUint(buf, at)
  if (type !== SYNC_STEP2 && type !== SYNC_UPDATE) return null
  const len = readVarUint(buf, at)
  return buf.subarray(at.pos, at.pos + len)
}
