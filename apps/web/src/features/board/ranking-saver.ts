import type { BoardRanking } from '@roundtable/protocol'
import type { ClientError } from '../../shared/api/http.ts'

/** Quiet time after the last change before the ranking is sent: a drag burst is one save (ms). */
export const SAVE_AFTER_MS = 300

/** Refusals that say the message never arrived, not that the server disagreed. */
export const LINK_ERRORS: ReadonlySet<string> = new Set(['RT_ERR_NETWORK', 'RT_ERR_TIMEOUT'])

export type SaveStatus =
  | { kind: 'idle' }
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'saved' }
  | { kind: 'failed'; error: ClientError }

export interface RankingSaver {
  /** A new ranking: sent once nothing changed for `delayMs`, replacing any not yet sent. */
  save(ranking: BoardRanking): void
  /** Sends the newest ranking now (after a refusal, or when the link is back). */
  retry(): Promise<void>
  /** Sends a ranking still waiting, at once (the screen goes away). */
  flush(): void
}

/**
 * Sends a person's ranking after each burst of changes, the last one winning, and says honestly
 * whether the server has it: "saved" only from the server's ack of the newest ranking, never from
 * an older one that crossed a newer edit. No React: the hook around it only keeps the status.
 */
export const createRankingSaver = (
  send: (ranking: BoardRanking) => Promise<{ error?: ClientError }>,
  onStatus: (s: SaveStatus) => void,
  delayMs = SAVE_AFTER_MS,
): RankingSaver => {
  let timer: ReturnType<typeof setTimeout> | null = null
  let sent = 0
  let latest: BoardRanking | null = null
  const go = async () => {
    timer = null
    if (!latest) return
    const mine = ++sent
    onStatus({ kind: 'saving' })
    const r = await send(latest)
    // A newer ranking went out, or waits to: its own ack decides what is shown.
    if (mine !== sent || timer) return
    onStatus(r.error ? { kind: 'failed', error: r.error } : { kind: 'saved' })
  }
  return {
    save(ranking) {
      latest = ranking
      onStatus({ kind: 'pending' })
      if (timer) clearTimeout(timer)
      timer = setTimeout(() => void go(), delayMs)
    },
    retry: go,
    flush() {
      if (!timer) return
      clearTimeout(timer)
      void go()
    },
  }
}

/** Edits the server has not taken yet: a fresh copy from the server must not overwrite them. */
export const holdsEdits = (s: SaveStatus) =>
  s.kind === 'pending' || s.kind === 'saving' || s.kind === 'failed'
