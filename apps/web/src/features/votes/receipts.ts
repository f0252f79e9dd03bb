/**
 * A voter's receipts, kept in this browser per meeting and vote so they can find them later in the
 * published ballots. Only the receipt and when it was given: the ballot itself is not kept, so a
 * shared device does not tell the next person how a secret vote was cast.
 */
export interface StoredReceipt {
  receipt: string
  /** ISO time the server acknowledged the ballot; the last one counts. */
  at: string
}

/** The part of `Storage` we use (localStorage in the page, a map in tests). */
export type ReceiptStorage = Pick<Storage, 'getItem' | 'setItem'>

const keyOf = (meetingId: string, voteId: string) => `roundtable.receipt.${meetingId}.${voteId}`

const browserStorage = (): ReceiptStorage | null => {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage
  } catch {
    return null
  }
}

export const saveReceipt = (
  meetingId: string,
  voteId: string,
  r: StoredReceipt,
  storage: ReceiptStorage | null = browserStorage(),
): void => {
  try {
    storage?.setItem(keyOf(meetingId, voteId), JSON.stringify(r))
  } catch {
    // full or private mode: the receipt is still on screen for this visit
  }
}

/** The stored receipt, or null when there is none or what is stored is not one of ours. */
export const loadReceipt = (
  meetingId: string,
  voteId: string,
  storage: ReceiptStorage | null = browserStorage(),
): StoredReceipt | null => {
  let raw: string | null = null
  try {
    raw = storage?.getItem(keyOf(meetingId, voteId)) ?? null
  } catch {
    return null
  }
  if (!raw) return null
  try {
    const v = JSON.parse(raw) as unknown
    if (
      v &&
      typeof v === 'object' &&
      typeof (v as StoredReceipt).receipt === 'string' &&
      typeof (v as StoredReceipt).at === 'string'
    )
      return { receipt: (v as StoredReceipt).receipt, at: (v as StoredReceipt).at }
  } catch {
    // not JSON: someone else's key, or an old format
  }
  return null
}

/** The published ballots as `GET …/ballots` returns them (only what the check reads). */
export interface PublishedBallots {
  ballots: { receipt?: string; [part: string]: unknown }[]
}

/**
 * Looks a receipt up in the published ballots: the ballot it names (without the receipt), or
 * null. Receipts are compared without spaces and case, as someone typing one from paper would.
 */
export const findReceipt = (
  published: PublishedBallots,
  receipt: string,
): { index: number; ballot: Record<string, unknown> } | null => {
  const norm = (s: string) => s.replace(/\s+/g, '').toUpperCase()
  const want = norm(receipt)
  if (!want) return null
  const index = published.ballots.findIndex((b) => typeof b.receipt === 'string' && norm(b.receipt) === want)
  if (index < 0) return null
  const { receipt: _r, ...ballot } = published.ballots[index]
  return { index, ballot }
}
