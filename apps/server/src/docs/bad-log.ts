import type { Peer } from './peer.ts'

export interface RoomLogger {
  warn(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

/** Bad connections logged per window and process; more are counted and summed up in one line. */
const LINES_PER_WINDOW = 20
const WINDOW_MS = 60_000

/**
 * Warnings about connections that sent something bad: one line per connection, whatever it keeps
 * sending, and at most 20 a minute for the whole process (a fuzzer or a hostile script opens many),
 * then one line saying how many were left out. A log is for people to read, not a second flood.
 */
export class BadConnectionLog {
  private readonly logged = new WeakSet<Peer>()
  private windowStart = 0
  private inWindow = 0
  private suppressed = 0

  constructor(
    private readonly log: RoomLogger,
    private readonly perWindow = LINES_PER_WINDOW,
    private readonly windowMs = WINDOW_MS,
  ) {}

  warn(peer: Peer, obj: object, msg: string): void {
    if (this.logged.has(peer)) return
    this.logged.add(peer)
    const now = Date.now()
    if (now - this.windowStart >= this.windowMs) {
      if (this.suppressed > 0)
        this.log.warn({ connections: this.suppressed }, 'more bad connections, not logged one by one')
      this.windowStart = now
      this.inWindow = 0
      this.suppressed = 0
    }
    if (this.inWindow >= this.perWindow) {
      this.suppressed++
      return
    }
    this.inWindow++
    this.log.warn(obj, msg)
  }
}
