import { performance } from 'node:perf_hooks'
import type { MeetingId } from '@roundtable/protocol'
import type { VoteTimers } from '../context.ts'

/**
 * How often every process looks for timed votes past their time (ms): a vote opened by a process that
 * has since stopped still closes, at most this late. Closing twice is harmless (the second is refused).
 */
export const VOTE_SWEEP_MS = 2_000

/**
 * A vote's turnout is announced at most once per this long (ms): the first ballot after a quiet
 * spell at once, a burst together. 60 delegates voting at once cost one message to everyone, not 60.
 */
export const TURNOUT_COALESCE_MS = 200

/** Closes each timed vote when its time is up: a timer on the process that opened it, and a sweep on all. */
export class VoteTimerSet implements VoteTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>()
  private readonly sweeper: NodeJS.Timeout

  constructor(
    private readonly close: (meetingId: MeetingId, voteId: string) => Promise<void>,
    private readonly due: () => Promise<{ meetingId: MeetingId; voteId: string }[]>,
    private readonly log?: { error(obj: object, msg: string): void },
    private readonly comparing: (meetingId: MeetingId, voteId: string) => Promise<void> = async () => {},
    private readonly announcing: (meetingId: MeetingId, voteId: string) => Promise<void> = async () => {},
  ) {
    this.sweeper = setInterval(() => void this.sweep(), VOTE_SWEEP_MS)
    this.sweeper.unref()
  }

  /** Turnout announcements waiting, per vote, and when each vote's was last sent (ms, monotonic). */
  private readonly turnoutTimers = new Map<string, NodeJS.Timeout>()
  private readonly turnoutSent = new Map<string, number>()

  turnout(meetingId: MeetingId, voteId: string): void {
    if (this.turnoutTimers.has(voteId)) return
    const since = performance.now() - (this.turnoutSent.get(voteId) ?? Number.NEGATIVE_INFINITY)
    const t = setTimeout(
      () => {
        this.turnoutTimers.delete(voteId)
        this.turnoutSent.set(voteId, performance.now())
        this.announcing(meetingId, voteId).catch((err) =>
          this.log?.error({ err, meetingId, voteId }, 'announcing a vote’s turnout failed'),
        )
      },
      Math.max(0, TURNOUT_COALESCE_MS - since),
    )
    t.unref()
    this.turnoutTimers.set(voteId, t)
  }

  compare(meetingId: MeetingId, voteId: string): void {
    this.comparing(meetingId, voteId).catch((err) =>
      this.log?.error({ err, meetingId, voteId }, 'comparing a closed vote’s methods failed'),
    )
  }

  closeAt(meetingId: MeetingId, voteId: string, atIso: string): void {
    clearTimeout(this.timers.get(voteId))
    const t = setTimeout(
      () => {
        this.timers.delete(voteId)
        this.run(meetingId, voteId)
      },
      Math.max(0, Date.parse(atIso) - Date.now()),
    )
    t.unref()
    this.timers.set(voteId, t)
  }

  private run(meetingId: MeetingId, voteId: string): void {
    this.close(meetingId, voteId).catch((err) =>
      this.log?.error({ err, meetingId, voteId }, 'closing a timed vote failed'),
    )
  }

  private async sweep(): Promise<void> {
    try {
      for (const { meetingId, voteId } of await this.due())
        if (!this.timers.has(voteId)) this.run(meetingId, voteId)
    } catch (err) {
      this.log?.error({ err }, 'looking for timed votes failed')
    }
  }

  stop(): void {
    clearInterval(this.sweeper)
    for (const t of this.turnoutTimers.values()) clearTimeout(t)
    this.turnoutTimers.clear()
    for (const t of this.timers.values()) clearTimeout(t)
    this.timers.clear()
  }
}
