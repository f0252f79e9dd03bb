import type { EventEmitter } from 'node:events'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { webSocketBinaryFrame, webSocketFrameHeader } from '../src/docs/wire.ts'

// ws's own framer and parser, the reference (exported by ws, not declared by @types/ws).
const { Sender, Receiver } = createRequire(import.meta.url)('ws') as {
  Sender: { frame(data: Buffer, options: Record<string, unknown>): Buffer[] }
  Receiver: new (options: { isServer: boolean }) => EventEmitter & { write(chunk: Buffer): void }
}

describe('webSocketBinaryFrame', () => {
  // Every length class of RFC 6455's payload length: 7 bits, 16 bits, 64 bits, and their edges.
  const sizes = [0, 1, 125, 126, 127, 65_535, 65_536, 200_000]
  const payloadOf = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 255)

  it.each(sizes)('%i bytes: byte for byte the frame ws itself would send', (n) => {
    const payload = payloadOf(n)
    const expected = Buffer.concat(
      Sender.frame(Buffer.from(payload), { fin: true, opcode: 2, mask: false, readOnly: false, rsv1: false }),
    )
    expect(Buffer.compare(webSocketBinaryFrame(payload), expected)).toBe(0)
  })

  it("ws's own parser reads the frames back: binary messages with the same bytes", async () => {
    const receiver = new Receiver({ isServer: false })
    const got: Buffer[] = []
    receiver.on('message', (data: Buffer, isBinary: boolean) => {
      expect(isBinary).toBe(true)
      got.push(data)
    })
    const errors: Error[] = []
    receiver.on('error', (err: Error) => errors.push(err))
    const all = Buffer.concat(sizes.map((n) => webSocketBinaryFrame(payloadOf(n))))
    // Delivered in odd-sized chunks, as TCP may.
    for (let at = 0; at < all.length; at += 9_973) receiver.write(all.subarray(at, at + 9_973))
    await new Promise((r) => setImmediate(r))
    expect(errors).toEqual([])
    expect(got.map((b) => b.length)).toEqual(sizes)
    for (const [i, b] of got.entries()) expect(Buffer.compare(b, Buffer.from(payloadOf(sizes[i])))).toBe(0)
  })

  it.each(sizes)('%i bytes: the header alone is the frame without its payload', (n) => {
    const frame = webSocketBinaryFrame(payloadOf(n))
    expect(Buffer.compare(webSocketFrameHeader(n), frame.subarray(0, frame.length - n))).toBe(0)
  })

  it('a view into a larger buffer frames only its own bytes', () => {
    const backing = payloadOf(1000)
    const view = backing.subarray(100, 110)
    const frame = webSocketBinaryFrame(view)
    expect(frame.length).toBe(12)
    expect([...frame.subarray(2)]).toEqual([...view])
  })
})
