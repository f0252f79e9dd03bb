import type { MeetingId } from '@roundtable/protocol'
import type { VoteTimers } from '../context.ts'

/**
 * How often every process looks for timed votes past their time (ms): a vote opened by a process that
 * has since stopped still closes, at most this late. Closing twice is harmless (the second is refused).
 */
export const VOTE_SWEEP_MS = 2_000

/** Closes each timed vote when its time is up: a timer on the process that opened it, and a sweep on all. */
export class VoteTimerSet implements VoteTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>()
  private readonly sweeper: NodeJS.Timeout

  constructor(
    private readonly close: (meetingId: MeetingId, voteId: string) => Promise<void>,
    private readonly due: () => Promise<{ meetingId: MeetingId; voteId: string }[]>,
    private readonly log?: { error(obj: object, msg: string): void },
    private readonly comparing: (meetingId: MeetingId, voteId: string) => Promise<void> = async () => {},
  ) {
    this.sweeper = setInterval(() => void this.sweep(), VOTE_SWEEP_MS)
    this.sweeper.unref()
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
    for (const t of this.timers.values()) clearTimeout(t)
    this.timers.clear()
  }
}
