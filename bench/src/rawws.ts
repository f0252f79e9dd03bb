import { randomBytes } from 'node:crypto'
import net from 'node:net'

/**
 * A lean WebSocket client (RFC 6455) over a plain TCP socket: one handshake, masked binary frames
 * out, a header-only frame parser in. A thousand of these cost the generator core far less than a
 * thousand `ws` or provider instances, so the generator stays off the critical path.
 */
export class RawWs {
  private pending: Buffer | null = null
  private readonly maskKey = randomBytes(4)
  closed = false
  bytesIn = 0

  private constructor(
    private readonly socket: net.Socket,
    private readonly onMessage: (payload: Buffer) => void,
    private readonly onClose: () => void,
  ) {}

  static connect(opts: {
    port: number
    path: string
    headers?: Record<string, string>
    onMessage: (payload: Buffer) => void
    onClose?: () => void
    /** Called once the handshake is done, before any message is delivered. */
    onOpen?: (ws: RawWs) => void
  }): Promise<RawWs> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port: opts.port })
      socket.setNoDelay(true)
      const ws = new RawWs(socket, opts.onMessage, opts.onClose ?? (() => {}))
      let head = Buffer.alloc(0)
      const onHandshake = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk])
        const end = head.indexOf('\r\n\r\n')
        if (end < 0) return
        socket.off('data', onHandshake)
        const status = head.subarray(0, head.indexOf('\r\n')).toString()
        if (!status.includes(' 101 ')) {
          socket.destroy()
          reject(new Error(`handshake refused: ${status}`))
          return
        }
        socket.on('data', (c: Buffer) => ws.feed(c))
        socket.on('close', () => ws.handleClose())
        opts.onOpen?.(ws)
        resolve(ws)
        const rest = head.subarray(end + 4)
        if (rest.length > 0) ws.feed(rest)
      }
      socket.on('data', onHandshake)
      socket.on('error', (err) => {
        ws.handleClose()
        reject(err)
      })
      socket.once('connect', () => {
        const key = randomBytes(16).toString('base64')
        const extra = Object.entries(opts.headers ?? {})
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('')
        socket.write(
          `GET ${opts.path} HTTP/1.1\r\nHost: 127.0.0.1:${opts.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`,
        )
      })
    })
  }

  private handleClose(): void {
    if (this.closed) return
    this.closed = true
    this.onClose()
  }

  private feed(chunk: Buffer): void {
    this.bytesIn += chunk.length
    let buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk
    this.pending = null
    let off = 0
    const n = buf.length
    while (n - off >= 2) {
      const b0 = buf[off]
      let len = buf[off + 1] & 0x7f
      let hdr = 2
      if (len === 126) {
        if (n - off < 4) break
        len = buf.readUInt16BE(off + 2)
        hdr = 4
      } else if (len === 127) {
        if (n - off < 10) break
        len = buf.readUInt32BE(off + 2) * 2 ** 32 + buf.readUInt32BE(off + 6)
        hdr = 10
      }
      if (n - off < hdr + len) break
      const payload = buf.subarray(off + hdr, off + hdr + len)
      off += hdr + len
      const opcode = b0 & 0x0f
      // Servers under test send whole binary messages (no fragmentation, no compression offered).
      if (opcode === 2 || opcode === 1) this.onMessage(payload)
      else if (opcode === 9) this.sendFrame(0x8a, payload)
      else if (opcode === 8) {
        this.sendFrame(0x88, payload.subarray(0, 2))
        this.socket.end()
      }
    }
    if (off < n) {
      buf = buf.subarray(off)
      this.pending = Buffer.from(buf)
    }
  }

  private sendFrame(first: number, payload: Uint8Array): void {
    if (this.closed || this.socket.destroyed) return
    const len = payload.length
    const hdr = len < 126 ? 2 : len < 65536 ? 4 : 10
    const frame = Buffer.allocUnsafe(hdr + 4 + len)
    frame[0] = first
    if (hdr === 2) frame[1] = 0x80 | len
    else if (hdr === 4) {
      frame[1] = 0x80 | 126
      frame.writeUInt16BE(len, 2)
    } else {
      frame[1] = 0x80 | 127
      frame.writeUInt32BE(0, 2)
      frame.writeUInt32BE(len, 6)
    }
    const k = this.maskKey
    frame[hdr] = k[0]
    frame[hdr + 1] = k[1]
    frame[hdr + 2] = k[2]
    frame[hdr + 3] = k[3]
    const base = hdr + 4
    for (let i = 0; i < len; i++) frame[base + i] = payload[i] ^ k[i & 3]
    this.socket.write(frame)
  }

  send(payload: Uint8Array): void {
    this.sendFrame(0x82, payload)
  }

  sendText(text: string): void {
    this.sendFrame(0x81, Buffer.from(text))
  }

  close(): void {
    if (this.closed) return
    this.sendFrame(0x88, Buffer.from([0x03, 0xe8]))
    this.socket.end()
    setTimeout(() => this.socket.destroy(), 1000).unref()
  }

  destroy(): void {
    this.socket.destroy()
    this.handleClose()
  }
}
