import { performance } from 'node:perf_hooks'
import { RawWs } from './rawws.ts'

/**
 * A lean socket.io client for the meeting scenarios (Engine.IO v4 over WebSocket, socket.io v5
 * packets): acks by id, and the events it is asked to watch handed over raw with their arrival time
 * (parsing is left to the scenario, which parses only what it measures).
 */
export class MeetClient {
  ws!: RawWs
  connected = false
  private ackId = 0
  private readonly acks = new Map<number, (reply: string, at: number) => void>()
  private readonly prefixes: { prefix: Buffer; on: (m: Buffer, at: number) => void }[] = []
  onConnected: (() => void) | null = null
  onError: ((why: string) => void) | null = null

  constructor(
    private readonly port: number,
    private readonly cookie: string | undefined,
  ) {}

  /** Calls `on` for every `event` received (the raw packet `42["event",…]`). */
  watch(event: string, on: (m: Buffer, at: number) => void): void {
    this.prefixes.push({ prefix: Buffer.from(`42["${event}"`), on })
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
    if (t === 0x32 /* ping */) return void this.ws.sendText('3')
    if (t === 0x30 /* open */) return void this.ws.sendText('40')
    if (t !== 0x34) return
    const kind = m[1]
    if (kind === 0x30) {
      this.connected = true
      this.onConnected?.()
    } else if (kind === 0x34) this.onError?.(m.toString())
    else if (kind === 0x32) {
      const at = performance.now()
      for (const p of this.prefixes) if (m.subarray(0, p.prefix.length).equals(p.prefix)) p.on(m, at)
    } else if (kind === 0x33) {
      const at = performance.now()
      let i = 2
      let id = 0
      while (m[i] >= 0x30 && m[i] <= 0x39) id = id * 10 + (m[i++] - 0x30)
      const cb = this.acks.get(id)
      this.acks.delete(id)
      cb?.(m.subarray(i).toString(), at)
    }
  }

  /** Sends a command; resolves with the ack's JSON and when it arrived. */
  call<T = unknown>(
    event: string,
    data: unknown,
  ): Promise<{ ack: { ok: boolean; data?: T; error?: unknown }; at: number }> {
    return new Promise((resolve) => {
      const id = ++this.ackId
      this.acks.set(id, (reply, at) => resolve({ ack: (JSON.parse(reply) as [never])[0], at }))
      this.ws.sendText(`42${id}${JSON.stringify([event, data])}`)
    })
  }

  close(): void {
    this.ws?.destroy()
  }
}

/** Connects clients a few at a time (a storm of handshakes measures the handshake, not the scenario). */
export const connectAll = async (clients: MeetClient[], concurrency = 20): Promise<void> => {
  let next = 0
  const worker = async () => {
    while (next < clients.length) {
      const c = clients[next++]
      const ready = new Promise<void>((resolve, reject) => {
        c.onConnected = resolve
        c.onError = (why) => reject(new Error(`socket.io connect refused: ${why}`))
      })
      await c.connect()
      await ready
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}
