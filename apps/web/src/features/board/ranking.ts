/*
 * A person's ranking as the board screen edits it, and as the server stores it.
 *
 * The wire form is tiers, best first (`[[a], [b, c], [d]]`: b and c share second place; an area left
 * out is unranked). The screen edits a flat list instead, each entry flagged "same rank as the one
 * above": a drag or a move button then changes one index, and a tie is one checkbox, so every edit is
 * small and a screen reader can name it ("moved to position 2 of 8").
 */
import type { BoardRanking, PriorityId } from '@roundtable/protocol'

/** One ranked area on the screen; `tied` joins it to the tier of the entry above it. */
export interface RankEntry {
  id: PriorityId
  tied: boolean
}

/** The flat list for tiers: the first of each tier starts it, the others are tied to it. */
export const tiersToEntries = (tiers: BoardRanking): RankEntry[] =>
  tiers.flatMap((tier) => tier.map((id, i) => ({ id, tied: i > 0 })))

/** Tiers for a flat list (a `tied` flag on the first entry means nothing: there is nothing above it). */
export const entriesToTiers = (entries: readonly RankEntry[]): BoardRanking => {
  const tiers: PriorityId[][] = []
  for (const e of entries) {
    if (e.tied && tiers.length > 0) tiers[tiers.length - 1].push(e.id)
    else tiers.push([e.id])
  }
  return tiers
}

/** The first entry can not be tied to anything; one place fixes it after every edit. */
const normalise = (entries: RankEntry[]): RankEntry[] =>
  entries.length > 0 && entries[0].tied ? [{ ...entries[0], tied: false }, ...entries.slice(1)] : entries

/**
 * The ranking against the areas on the table now: areas merged away or withdrawn drop out (and
 * a tier left empty with them), each area counts once (its best place), and every live area not
 * ranked is listed, in the room's working order, as not ranked.
 */
export const reconcile = (
  entries: readonly RankEntry[],
  live: readonly PriorityId[],
): { ranked: RankEntry[]; unranked: PriorityId[] } => {
  const onTable = new Set(live)
  const seen = new Set<PriorityId>()
  const ranked: RankEntry[] = []
  for (const e of entries) {
    if (!onTable.has(e.id) || seen.has(e.id)) continue
    seen.add(e.id)
    ranked.push(e)
  }
  return { ranked: fixTierStarts(entries, ranked), unranked: live.filter((id) => !seen.has(id)) }
}

/**
 * After entries were dropped, an entry that was tied to a dropped tier start would join the tier
 * above it instead. Recompute each kept entry's flag from the tiers it was in: tied only to an
 * entry kept in the same original tier.
 */
const fixTierStarts = (original: readonly RankEntry[], kept: RankEntry[]): RankEntry[] => {
  const tierOf = new Map<PriorityId, number>()
  let tier = -1
  for (const e of original) {
    if (!e.tied || tier < 0) tier++
    if (!tierOf.has(e.id)) tierOf.set(e.id, tier)
  }
  return normalise(
    kept.map((e, i) => ({ id: e.id, tied: i > 0 && tierOf.get(kept[i - 1].id) === tierOf.get(e.id) })),
  )
}

/**
 * Moves the entry at `from` to index `to`. The moved area leaves its tier (the next of that tier
 * starts it); it gets a place of its own, unless it lands inside a tier, which it then joins, so
 * the areas of that tier stay tied together.
 */
export const moveEntry = (entries: readonly RankEntry[], from: number, to: number): RankEntry[] => {
  if (from === to || from < 0 || from >= entries.length || to < 0 || to >= entries.length) return [...entries]
  const next = [...entries]
  const [moved] = next.splice(from, 1)
  if (!moved.tied && next[from]?.tied) next[from] = { ...next[from], tied: false }
  const inside = to > 0 && next[to]?.tied === true
  next.splice(to, 0, { ...moved, tied: inside })
  return normalise(next)
}

export const setTied = (entries: readonly RankEntry[], index: number, tied: boolean): RankEntry[] =>
  normalise(entries.map((e, i) => (i === index ? { ...e, tied } : e)))

/** Adds an area at the bottom of the ranking (its own place). */
export const rankLast = (entries: readonly RankEntry[], id: PriorityId): RankEntry[] =>
  entries.some((e) => e.id === id) ? [...entries] : [...entries, { id, tied: false }]

/** Takes an area out of the ranking (it becomes "not ranked"). */
export const unrank = (entries: readonly RankEntry[], id: PriorityId): RankEntry[] => {
  const i = entries.findIndex((e) => e.id === id)
  if (i < 0) return [...entries]
  const next = entries.filter((_, j) => j !== i)
  // The heir of a tier start starts the tier.
  if (!entries[i].tied && entries[i + 1]?.tied) next[i] = { ...next[i], tied: false }
  return normalise(next)
}

/** The place shown beside each entry: its tier's number, marked "=" when it shares the tier. */
export const placesOf = (entries: readonly RankEntry[]): { place: number; shared: boolean }[] => {
  const out: { place: number; shared: boolean }[] = []
  let place = 0
  entries.forEach((e, i) => {
    if (!e.tied || i === 0) place++
    out.push({ place, shared: e.tied || entries[i + 1]?.tied === true })
  })
  return out
}
