import type { EventEmitter } from 'node:events'
import { performance } from 'node:perf_hooks'
import type { BoardView, MeetingId } from '@roundtable/protocol'
import type { Store } from '../../store/types.ts'
import type { AreaIndex, BoardLive, MeetingEvents } from '../context.ts'
import type { Parts } from '../parts.ts'
import { countBoard, SERIES_MAX_POINTS } from './aggregate.ts'

/**
 * The board is counted at most once per this long (ms): the first change after a quiet spell is
 * counted at once; changes arriving while a count is recent wait for the next slot together. 60
 * delegates dragging cost one count per slot, not one per message, and everyone sees a change
 * within this long plus the count.
 */
export const BOARD_COALESCE_MS = 150

interface Deps {
  store: Store
  events: EventEmitter<MeetingEvents>
  /** The board part as committed. */
  durableBoard: (meetingId: MeetingId) => Promise<Parts['board']>
  areas: (meetingId: MeetingId) => Promise<AreaIndex>
  now: () => Date
  log?: { error(obj: object, msg: string): void }
}

/** Counts each meeting's board once per burst of changes and announces it (`board` event). */
export class BoardCounter implements BoardLive {
  private readonly timers = new Map<MeetingId, NodeJS.Timeout>()
  /** When each meeting's board was last counted for an announcement (ms, monotonic). */
  private readonly countedAt = new Map<MeetingId, number>()
  private readonly last = new Map<MeetingId, Promise<BoardView>>()
  private readonly series = new Map<MeetingId, Promise<BoardView['series']>>()

  constructor(private readonly deps: Deps) {}

  changed(meetingId: MeetingId): void {
    if (this.timers.has(meetingId)) return
    const since = performance.now() - (this.countedAt.get(meetingId) ?? Number.NEGATIVE_INFINITY)
    const timer = setTimeout(
      () => {
        this.timers.delete(meetingId)
        this.countedAt.set(meetingId, performance.now())
        const counted = this.count(meetingId, true)
        this.last.set(meetingId, counted)
        counted.then(
          (view) => this.deps.events.emit('board', meetingId, view),
          (err) => {
            this.last.delete(meetingId)
            this.deps.log?.error({ err, meetingId }, 'counting the board failed')
          },
        )
      },
      Math.max(0, BOARD_COALESCE_MS - since),
    )
    timer.unref()
    this.timers.set(meetingId, timer)
  }

  frozenChanged(meetingId: MeetingId, frozen: boolean): void {
    this.deps.events.emit('frozen', meetingId, frozen)
  }

  view(meetingId: MeetingId): Promise<BoardView> {
    let v = this.last.get(meetingId)
    if (!v) {
      v = this.count(meetingId, false)
      this.last.set(meetingId, v)
      v.catch(() => this.last.delete(meetingId))
    }
    return v
  }

  /** Stops pending counts (the server is closing). */
  close(): void {
    for (const t of this.timers.values()) clearTimeout(t)
    this.timers.clear()
  }

  private seriesOf(meetingId: MeetingId): Promise<BoardView['series']> {
    let s = this.series.get(meetingId)
    if (!s) {
      s = this.deps.store.listBoardPoints(meetingId)
      this.series.set(meetingId, s)
      s.catch(() => this.series.delete(meetingId))
    }
    return s
  }

  /** One count; `record` adds a point to W over the session (a burst), otherwise it only reads. */
  private async count(meetingId: MeetingId, record: boolean): Promise<BoardView> {
    const [board, areas, points] = await Promise.all([
      this.deps.durableBoard(meetingId),
      this.deps.areas(meetingId),
      this.seriesOf(meetingId),
    ])
    const at = this.deps.now().toISOString()
    const view = countBoard(board.config, areas.live, [...board.rankings.values()], points, at)
    if (!record) return view
    const point = { at, kendallW: view.kendallW, voters: view.voters }
    const prev = points.at(-1)
    // A point only when agreement moved: a burst that changed nothing adds nothing to the chart.
    if (!prev || prev.kendallW !== point.kendallW || prev.voters !== point.voters) {
      const next = [...points, point].slice(-SERIES_MAX_POINTS)
      this.series.set(meetingId, Promise.resolve(next))
      this.deps.store
        .appendBoardPoint(meetingId, point)
        .catch((err) => this.deps.log?.error({ err, meetingId }, 'storing a board point failed'))
      return { ...view, series: next }
    }
    return view
  }
}
