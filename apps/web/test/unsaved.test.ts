import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { syncMessageUpdate, UnsavedTracker } from '../src/shared/api/unsaved.ts'

/** A server that relays every update to every peer, the sender included, like ours. */
const SERVER = Symbol('server')

const setup = () => {
  const server = new Y.Doc()
  const local = new Y.Doc()
  const changes: boolean[] = []
  const tracker = new UnsavedTracker(
    local,
    (o) => o === SERVER,
    (u) => changes.push(u),
  )
  // Initial sync: the server's state arrives as sync step 2.
  server.getText('t').insert(0, 'hello')
  const initial = Y.encodeStateAsUpdate(server)
  Y.applyUpdate(local, initial, SERVER)
  tracker.serverUpdate(initial)
  /** Sends our pending changes to the server; returns its relay (the echo). */
  const roundTrip = () => {
    const diff = Y.encodeStateAsUpdate(local, Y.encodeStateVector(server))
    let echo: Uint8Array | null = null
    server.once('update', (u: Uint8Array) => {
      echo = u
    })
    Y.applyUpdate(server, diff)
    return echo
  }
  return { server, local, tracker, changes, roundTrip }
}

describe('UnsavedTracker', () => {
  it('is saved after the initial sync', () => {
    const { tracker } = setup()
    expect(tracker.unsaved).toBe(false)
  })

  it('marks a local insert unsaved until the server echoes it', () => {
    const { local, tracker, changes, roundTrip } = setup()
    local.getText('t').insert(5, ' world')
    expect(tracker.unsaved).toBe(true)
    const echo = roundTrip()!
    Y.applyUpdate(local, echo, SERVER)
    tracker.serverUpdate(echo)
    expect(tracker.unsaved).toBe(false)
    expect(changes).toEqual([true, false])
  })

  it('tracks a deletion, which leaves the state vector unchanged', () => {
    const { local, server, tracker, roundTrip } = setup()
    local.getText('t').delete(0, 1)
    expect(tracker.unsaved).toBe(true)
    // Someone else's update arriving first does not cover our deletion.
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(server))
    const before = Y.encodeStateVector(other)
    other.getText('u').insert(0, 'x')
    const theirs = Y.encodeStateAsUpdate(other, before)
    Y.applyUpdate(local, theirs, SERVER)
    tracker.serverUpdate(theirs)
    expect(tracker.unsaved).toBe(true)
    const echo = roundTrip()!
    tracker.serverUpdate(echo)
    expect(tracker.unsaved).toBe(false)
  })

  it('keeps offline edits unsaved across a reconnect until the server has them', () => {
    const { local, tracker, server, roundTrip } = setup()
    local.getText('t').insert(0, 'offline ')
    // Reconnect: the server answers our state vector with what we lack (nothing new here).
    const step2 = Y.encodeStateAsUpdate(server, Y.encodeStateVector(local))
    tracker.serverUpdate(step2)
    expect(tracker.unsaved).toBe(true)
    tracker.serverUpdate(roundTrip()!)
    expect(tracker.unsaved).toBe(false)
  })

  it('reads the update out of y-websocket sync frames and skips step 1', () => {
    const payload = new Uint8Array(200).fill(7)
    // [messageSync=0][update=2][len=200 as varUint: 0xc8 0x01][payload]
    const frame = new Uint8Array([0, 2, 0xc8, 0x01, ...payload])
    expect(syncMessageUpdate(frame, 1)).toEqual(payload)
    expect(syncMessageUpdate(new Uint8Array([0, 0, 1, 0]), 1)).toBeNull()
  })
})
