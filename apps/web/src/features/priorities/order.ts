import { type AreaView, moveArea, type PriorityId } from '@roundtable/doc-schema'
import type * as Y from 'yjs'

/**
 * Where to put the live area at `from` so it ends at index `to` of the live list, named by its
 * neighbour rather than by index: "after C" still means after C when someone else moves or adds
 * an area at the same moment, where "index 3" could mean another place once their change lands.
 */
export const placementFor = (
  live: readonly { id: PriorityId }[],
  from: number,
  to: number,
): { after: PriorityId } | { before: PriorityId } | null => {
  if (from === to || from < 0 || to < 0 || from >= live.length || to >= live.length) return null
  return to > from ? { after: live[to].id } : { before: live[to].id }
}

/** Moves a live area from index `from` to index `to` of the working order (fractional positions). */
export const moveLive = (doc: Y.Doc, live: readonly AreaView[], from: number, to: number): boolean => {
  const place = placementFor(live, from, to)
  return place ? moveArea(doc, live[from].id, place) : false
}
