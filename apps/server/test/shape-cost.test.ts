import { BRIEF_FIELD, BRIEF_KIND } from '@roundtable/doc-schema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ShapeGuard } from '../src/docs/shape.ts'

/** A brief of about `bytes` of text: paragraphs of 500 characters, one every tenth a heading. */
const bigBrief = (bytes: number): Y.Doc => {
  const doc = new Y.Doc()
  const frag = doc.getXmlFragment(BRIEF_FIELD)
  const blocks: Y.XmlElement[] = []
  for (let i = 0; i * 500 < bytes; i++) {
    const el = new Y.XmlElement(i % 10 === 0 ? 'heading' : 'paragraph')
    if (i % 10 === 0) el.setAttribute('level', 2 as unknown as string)
    el.insert(0, [new Y.XmlText(`${i} `.padEnd(500, 'lorem ipsum '))])
    blocks.push(el)
  }
  frag.insert(0, blocks)
  return doc
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

describe('cost of the shape check', () => {
  it('a keystroke into a 1 MB brief costs microseconds, independent of the document size', () => {
    const server = bigBrief(1 << 20)
    expect(Y.encodeStateAsUpdate(server).byteLength).toBeGreaterThan(1 << 20)
    const guard = new ShapeGuard(BRIEF_KIND, () => server)
    // A client with the same document, typing in the middle of it, one update per keystroke.
    const client = new Y.Doc()
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
    let last: Uint8Array | null = null
    client.on('update', (u: Uint8Array) => {
      last = u
    })
    const frag = client.getXmlFragment(BRIEF_FIELD)
    const text = (frag.get(Math.floor(frag.length / 2)) as Y.XmlElement).get(0) as Y.XmlText
    const check: number[] = []
    const decode: number[] = []
    const KEYSTROKES = 2_000
    const waiting: Uint8Array[] = []
    for (let i = 0; i < KEYSTROKES; i++) {
      text.insert(10 + (i % 50), 'k', i % 7 === 0 ? { bold: {} } : undefined)
      const u = last as unknown as Uint8Array
      let t = performance.now()
      Y.decodeUpdate(u) // what the room did before checks existed: decode to validate
      decode.push(performance.now() - t)
      t = performance.now()
      const verdict = guard.check(u)
      check.push(performance.now() - t)
      if (!verdict.ok) throw new Error(verdict.reason)
      verdict.record()
      // Applied in pairs, as a room applies a turn's batch once durable: every other keystroke is
      // checked while the one before it is accepted but not yet in the document.
      waiting.push(u)
      if (i % 2 === 1) {
        const g = guard.lastGeneration
        for (const w of waiting.splice(0)) Y.applyUpdate(server, w)
        guard.applied(g)
      }
    }
    const checkUs = median(check.slice(100)) * 1000
    const decodeUs = median(decode.slice(100)) * 1000
    console.log(
      `shape check per keystroke on a ${(Y.encodeStateAsUpdate(server).byteLength / 1e6).toFixed(2)} MB brief: median ${checkUs.toFixed(1)} µs (decode alone ${decodeUs.toFixed(1)} µs), first ${(check[0] * 1000).toFixed(0)} µs`,
    )
    // Generous bounds (a shared 2-core machine): what matters is that it does not grow with the document.
    expect(checkUs).toBeLessThan(200)
  })
})
