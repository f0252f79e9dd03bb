import { performance } from 'node:perf_hooks'
import { RawWs } from './rawws.ts'
import { scanTags, type Tracker } from './yclient.ts'

const E_MARK = Buffer.from('@@e')
const AGENDA_EVENT = Buffer.from('42["meeting:agenda"')

/**
 * A lean socket.io client: Engine.IO v4 over WebSocket (open `0{…}`, ping `2` → pong `3`),
 * socket.io v5 packets (`40` connect, `42[event, data]` events, `42<id>[…]` with ack `43<id>[…]`).
 * Broadcast events are scanned for tags in the raw text instead of JSON-parsing 20 000 of them a
 * second on the generator's core.
 */
export class EioClient {
  ws!: RawWs
  connected = false
  private ackId = 0
  private readonly acks = new Map<number, (reply: string) => void>()
  private readonly last: Int32Array
  onConnected: (() => void) | null = null
  onError: ((why: string) => void) | null = null

  constructor(
    private readonly port: number,
    private readonly cookie: string | undefined,
    readonly source: number,
    private readonly tracker: Tracker,
  ) {
    this.last = new Int32Array(tracker.sources)
  }

  async connect(): Promise<void> {
    await RawWs.connect({
      port: this.port,
      path: '/socket.io/?EIO=4&transport=websocket',
      headers: this.cookie ? { Cookie: this.cookie } : {},
      onOpen: (ws) => {
        this.ws = ws
      },
      onMessage: (m) => this.onMessage(m),
    })
  }

  private onMessage(m: Buffer): void {
    const t = m[0]
    if (t === 0x32 /* '2' ping */) {
      this.ws.sendText('3')
      return
    }
    if (t === 0x30 /* '0' open */) {
      this.ws.sendText('40')
      return
    }
    if (t !== 0x34 /* '4' message */) return
    const kind = m[1]
    if (kind === 0x30 /* '0' connected */) {
      this.connected = true
      this.onConnected?.()
    } else if (kind === 0x34 /* '4' connect error */) {
      this.onError?.(m.toString())
    } else if (kind === 0x32 /* '2' event */) {
      if (this.connected && m.subarray(0, AGENDA_EVENT.length).equals(AGENDA_EVENT))
        scanTags(m, E_MARK, this.last, this.source, this.tracker, performance.now())
    } else if (kind === 0x33 /* '3' ack */) {
      let i = 2
      let id = 0
      while (m[i] >= 0x30 && m[i] <= 0x39) id = id * 10 + (m[i++] - 0x30)
      const cb = this.acks.get(id)
      this.acks.delete(id)
      cb?.(m.subarray(i).toString())
    }
  }

  emit(event: string, data: unknown, ack?: (reply: string) => void): void {
    if (ack) {
      const id = ++this.ackId
      this.acks.set(id, ack)
      this.ws.sendText(`42${id}${JSON.stringify([event, data])}`)
    } else this.ws.sendText(`42${JSON.stringify([event, data])}`)
  }

  close(): void {
    this.ws?.destroy()
  }
}
