/*
 * The `priorities` document: the room's shared list of priority areas (issue 12).
 *
 *   areas: Y.Map<PriorityId, Y.Map>   one entry per area, keyed by its id, never removed
 *     title, description: Y.Text       co-edited character by character
 *     proposer: string, proposerDelegationId: string | null, createdBy: string
 *     lastEditedBy: string             display name of the last title/description editor
 *     status: 'proposed' | 'merged' | 'withdrawn'
 *     mergedInto: PriorityId | null    set when status is 'merged'
 *     absorbed: Y.Array<PriorityId>    areas merged into this one (history; see mergeAreas)
 *     position: string                 fractional key (position.ts); order = position, then id
 *   priorities: Y.Array<Y.Map<string>> the legacy list, emptied by migrateLegacyPriorities
 *
 * Why this shape: every concurrent change lands on its own field. Two people typing in one
 * title each touch characters of one Y.Text; a move writes only the moved area's `position`
 * (so concurrent moves of one area end in one place, last writer wins, and no area is ever
 * duplicated or lost the way delete-and-reinsert in a Y.Array would); an area is never deleted,
 * only marked, so a merge or a withdrawal can be undone and nobody's text disappears.
 *
 * Every helper takes a Y.Doc and writes in one transaction; none knows about providers.
 */
import { type Brand, LIMITS } from '@roundtable/protocol'
import * as Y from 'yjs'
import { comparePositioned, isPosition, positionsBetween, type RandomSource } from './position.ts'

export type PriorityId = Brand<string, 'PriorityId'>

const PRIORITY_ID = /^[A-Za-z0-9_-]{1,64}$/
export const isPriorityId = (s: unknown): s is PriorityId => typeof s === 'string' && PRIORITY_ID.test(s)
export const asPriorityId = (s: string) => s as PriorityId

/** Names of the document's roots and of an area's fields. */
export const AREAS_FIELD = 'areas'
export const LEGACY_PRIORITIES_FIELD = 'priorities'
export const AREA_STATUS = { proposed: 'proposed', merged: 'merged', withdrawn: 'withdrawn' } as const
export type AreaStatus = (typeof AREA_STATUS)[keyof typeof AREA_STATUS]
export type AreaTextField = 'title' | 'description'
const TEXT_LIMIT: Record<AreaTextField, number> = { title: LIMITS.title, description: LIMITS.description }

/** One area as read from the document (plain data, a snapshot). */
export interface AreaView {
  id: PriorityId
  title: string
  description: string
  proposer: string
  proposerDelegationId: string | null
  createdBy: string
  lastEditedBy: string
  status: AreaStatus
  mergedInto: PriorityId | null
  /** Areas merged into this one that still are (a lost concurrent merge race is left out). */
  absorbed: PriorityId[]
  position: string
}

export const areasMap = (doc: Y.Doc): Y.Map<Y.Map<unknown>> => doc.getMap(AREAS_FIELD)
/** The legacy root; read by the migration only, never written with new content. */
export const legacyPrioritiesArray = (doc: Y.Doc): Y.Array<Y.Map<unknown>> =>
  doc.getArray(LEGACY_PRIORITIES_FIELD)

/** Options shared by the writers that place an area. */
export interface PlaceOptions {
  /** Jitter for new positions; Math.random unless given, null for deterministic keys (seeds, tests). */
  random?: RandomSource
}

// `random: null` asks for no jitter, so only a missing option falls back to Math.random.
const jitterOf = (options: PlaceOptions): RandomSource =>
  options.random === undefined ? Math.random : options.random

/** Where an area goes: next to another area, or at an index of the live list. */
export type AreaPlacement = { before?: PriorityId; after?: PriorityId } | number

/* ---------- reading ---------- */

const str = (v: unknown): string => (typeof v === 'string' ? v : v instanceof Y.Text ? v.toString() : '')
const statusOf = (v: unknown): AreaStatus =>
  v === AREA_STATUS.merged || v === AREA_STATUS.withdrawn ? v : AREA_STATUS.proposed

const areaMapOf = (doc: Y.Doc, id: string): Y.Map<unknown> | null => {
  const m = areasMap(doc).get(id)
  return m instanceof Y.Map ? m : null
}

/** The raw fields every reader shares; `absorbed` is filtered afterwards, against the others. */
const readArea = (id: string, m: Y.Map<unknown>): AreaView => {
  const mergedInto = m.get('mergedInto')
  const absorbed = m.get('absorbed')
  const delegation = m.get('proposerDelegationId')
  return {
    id: id as PriorityId,
    title: str(m.get('title')),
    description: str(m.get('description')),
    proposer: str(m.get('proposer')),
    proposerDelegationId: typeof delegation === 'string' ? delegation : null,
    createdBy: str(m.get('createdBy')),
    lastEditedBy: str(m.get('lastEditedBy')),
    status: statusOf(m.get('status')),
    mergedInto: isPriorityId(mergedInto) ? mergedInto : null,
    absorbed: absorbed instanceof Y.Array ? [...new Set(absorbed.toArray().filter(isPriorityId))] : [],
    position: str(m.get('position')),
  }
}

const readAll = (doc: Y.Doc): AreaView[] => {
  const out: AreaView[] = []
  for (const [id, m] of areasMap(doc).entries()) if (m instanceof Y.Map) out.push(readArea(id, m))
  out.sort(comparePositioned)
  const byId = new Map(out.map((a) => [a.id, a]))
  for (const a of out) a.absorbed = a.absorbed.filter((x) => isMergedInto(byId.get(x), a.id))
  return out
}

const isMergedInto = (a: AreaView | undefined, into: string) =>
  a !== undefined && a.status === AREA_STATUS.merged && a.mergedInto === into

/**
 * The area that now stands for `id`: follow `mergedInto` while the area is merged. A merge
 * into an area that does not exist stops the walk (the area stands for itself). Two people
 * merging A into B and B into A at once leave a cycle; the smallest id in the cycle stands
 * for all of it, so every peer picks the same one and no text drops out of the live list.
 */
const resolveIn = (byId: Map<string, AreaView>, id: PriorityId): PriorityId => {
  const seen: PriorityId[] = []
  let at = id
  for (;;) {
    const a = byId.get(at)
    if (!a || a.status !== AREA_STATUS.merged || a.mergedInto === null || !byId.has(a.mergedInto)) return at
    seen.push(at)
    at = a.mergedInto
    const loop = seen.indexOf(at)
    if (loop >= 0) return seen.slice(loop).sort()[0]
  }
}

/** Every area (proposed, merged and withdrawn) in working order: by position, then id. */
export const listAreas = (doc: Y.Doc): AreaView[] => readAll(doc)

/**
 * The areas on the table, in working order: not withdrawn and standing for themselves. That
 * is every 'proposed' area, plus, only after concurrent merges formed a cycle, the one
 * 'merged' area that stands for the cycle.
 */
export const liveAreas = (doc: Y.Doc): AreaView[] => liveOf(readAll(doc))

const liveOf = (all: AreaView[]): AreaView[] => {
  const byId = new Map(all.map((a) => [a.id as string, a]))
  return all.filter((a) => a.status !== AREA_STATUS.withdrawn && resolveIn(byId, a.id) === a.id)
}

export const areaById = (doc: Y.Doc, id: PriorityId): AreaView | null =>
  readAll(doc).find((a) => a.id === id) ?? null

/** The id of the area that holds `id`'s content now (itself unless merged); null if unknown. */
export const resolveArea = (doc: Y.Doc, id: PriorityId): PriorityId | null => {
  const all = readAll(doc)
  const byId = new Map(all.map((a) => [a.id as string, a]))
  return byId.has(id) ? resolveIn(byId, id) : null
}

/**
 * Calls `onChange` with every area (listAreas) after each change to the list, from this peer
 * or a remote one; not at subscription. Returns the unsubscribe function.
 */
export const observeAreas = (doc: Y.Doc, onChange: (areas: AreaView[]) => void): (() => void) => {
  const map = areasMap(doc)
  const handler = () => onChange(readAll(doc))
  map.observeDeep(handler)
  return () => map.unobserveDeep(handler)
}

/* ---------- placing ---------- */

/** `index` read as a gap in `others` (the list without the area being placed); null if invalid. */
const gapOf = (all: AreaView[], others: AreaView[], at: AreaPlacement | undefined): number | null => {
  if (at === undefined) return others.length
  const indexOf = (id: PriorityId) => others.findIndex((a) => a.id === id)
  if (typeof at === 'number') {
    if (!Number.isFinite(at)) return null
    const live = liveOf(all).filter((a) => others.includes(a))
    const i = Math.max(0, Math.floor(at))
    if (i < live.length) return others.indexOf(live[i])
    return live.length === 0 ? others.length : others.indexOf(live[live.length - 1]) + 1
  }
  const after = at.after !== undefined ? indexOf(at.after) : null
  const before = at.before !== undefined ? indexOf(at.before) : null
  if (after === -1 || before === -1) return null
  if (after !== null && before !== null) return after < before ? after + 1 : null
  if (after !== null) return after + 1
  if (before !== null) return before
  return others.length
}

/**
 * A position for an area going into gap `g` of `others`, plus the positions of any neighbours
 * that must move with it. Normally that is none. Neighbours sharing one key (an unlikely tie
 * from concurrent inserts) or holding a malformed key have no room between them, so the run of
 * them around the gap is given fresh keys, in its current order, next to the new one.
 */
const planPlacement = (
  others: AreaView[],
  g: number,
  random: RandomSource,
): { position: string; moves: [PriorityId, string][] } => {
  let lo = g - 1
  while (lo >= 0 && !isPosition(others[lo].position)) lo--
  const low = lo >= 0 ? others[lo].position : null
  let hi = g
  while (
    hi < others.length &&
    (!isPosition(others[hi].position) || (low !== null && others[hi].position <= low))
  )
    hi++
  const high = hi < others.length ? others[hi].position : null
  const moved = [...others.slice(lo + 1, g), null, ...others.slice(g, hi)]
  const keys = positionsBetween(low, high, moved.length, random)
  const moves: [PriorityId, string][] = []
  let position = ''
  moved.forEach((a, i) => {
    if (a === null) position = keys[i]
    else moves.push([a.id, keys[i]])
  })
  return { position, moves }
}

const applyMoves = (doc: Y.Doc, moves: [PriorityId, string][]) => {
  for (const [id, position] of moves) areaMapOf(doc, id)?.set('position', position)
}

/* ---------- writing ---------- */

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
/** Replaces a lone half of a surrogate pair by U+FFFD, as String.prototype.toWellFormed does. */
const wellFormed = (s: string) => s.replace(LONE_SURROGATE, '\ufffd')

/** Makes text well-formed and cuts it to `limit` UTF-16 units without splitting a surrogate pair. */
const clip = (text: string, limit: number): string => {
  const s = wellFormed(text)
  if (s.length <= limit) return s
  const cut = s.slice(0, limit)
  return isHigh(cut.charCodeAt(cut.length - 1)) ? cut.slice(0, -1) : cut
}

/** A fresh id (getRandomValues: it exists on plain-http origins too, where randomUUID does not). */
export const newPriorityId = (): PriorityId =>
  `p-${Array.from(globalThis.crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('')}` as PriorityId

export interface ProposeInput {
  id?: PriorityId
  title: string
  description: string
  proposer: string
  proposerDelegationId: string | null
  createdBy: string
  /** Where the new area goes; at the end unless given. */
  at?: AreaPlacement
}

/**
 * Adds a proposed area and returns its id, at the end or where `at` says (an `at` naming an
 * area that is not there also means the end). Texts longer than LIMITS are cut to them. Throws
 * on an id that is malformed or taken: ids come from the caller's code, not from a person.
 */
export const proposeArea = (doc: Y.Doc, input: ProposeInput, options: PlaceOptions = {}): PriorityId => {
  const id = input.id ?? newPriorityId()
  if (!isPriorityId(id)) throw new RangeError(`not a priority id: ${JSON.stringify(id)}`)
  if (areasMap(doc).has(id)) throw new RangeError(`priority ${id} exists`)
  const all = readAll(doc)
  const g = gapOf(all, all, input.at) ?? all.length
  const { position, moves } = planPlacement(all, g, jitterOf(options))
  doc.transact(() => {
    const m = areasMap(doc).set(id, new Y.Map<unknown>())
    m.set('title', new Y.Text(clip(input.title, LIMITS.title)))
    m.set('description', new Y.Text(clip(input.description, LIMITS.description)))
    m.set('proposer', input.proposer)
    m.set('proposerDelegationId', input.proposerDelegationId)
    m.set('createdBy', input.createdBy)
    m.set('lastEditedBy', '')
    m.set('status', AREA_STATUS.proposed)
    m.set('mergedInto', null)
    m.set('absorbed', new Y.Array<string>())
    m.set('position', position)
    applyMoves(doc, moves)
  })
  return id
}

const textOf = (
  doc: Y.Doc,
  id: PriorityId,
  field: AreaTextField,
): { area: Y.Map<unknown>; text: Y.Text } | null => {
  const area = areaMapOf(doc, id)
  const text = area?.get(field)
  return area && text instanceof Y.Text ? { area, text } : null
}

/**
 * Splices one area's title or description: deletes `deleteCount` characters at `index` and
 * inserts `insert` there (what an editor's input event reports). Out-of-range numbers are
 * clamped; an insert that would pass the field's limit is cut (each writer stays within it; two
 * people inserting at once can still pass it together). Returns whether anything changed.
 */
export const editAreaText = (
  doc: Y.Doc,
  id: PriorityId,
  field: AreaTextField,
  index: number,
  deleteCount: number,
  insert: string,
  editedBy: string,
): boolean => {
  const found = textOf(doc, id, field)
  if (!found) return false
  const { area, text } = found
  const old = text.toString()
  // A splice inside a surrogate pair would make Yjs put U+FFFD in each half, each peer in its
  // own way, and the copies would no longer agree: both ends move out to whole characters.
  const inPair = (i: number) =>
    i > 0 && i < old.length && isHigh(old.charCodeAt(i - 1)) && isLow(old.charCodeAt(i))
  let at = Math.min(Math.max(0, Math.floor(index) || 0), old.length)
  if (inPair(at)) at--
  let end = Math.min(at + Math.max(0, Math.floor(deleteCount) || 0), old.length)
  if (inPair(end)) end++
  const del = end - at
  const ins = clip(insert, Math.max(0, TEXT_LIMIT[field] - (old.length - del)))
  if (del === 0 && ins === '') return false
  doc.transact(() => {
    if (del > 0) text.delete(at, del)
    if (ins) text.insert(at, ins)
    area.set('lastEditedBy', editedBy)
  })
  return true
}

/**
 * Replaces an area's title or description with `next` by its smallest splice (common prefix
 * and suffix kept), so that two people saving edits to different parts of one text at once
 * both keep their characters, where overwriting the whole text would keep only one of them.
 * Returns whether anything changed.
 */
export const setAreaText = (
  doc: Y.Doc,
  id: PriorityId,
  field: AreaTextField,
  next: string,
  editedBy: string,
): boolean => {
  const found = textOf(doc, id, field)
  if (!found) return false
  const old = found.text.toString()
  const target = clip(next, TEXT_LIMIT[field])
  if (old === target) return false
  const max = Math.min(old.length, target.length)
  let prefix = 0
  while (prefix < max && old.charCodeAt(prefix) === target.charCodeAt(prefix)) prefix++
  // Never cut between the two halves of a surrogate pair.
  if (prefix > 0 && isHigh(old.charCodeAt(prefix - 1))) prefix--
  let suffix = 0
  while (
    suffix < max - prefix &&
    old.charCodeAt(old.length - 1 - suffix) === target.charCodeAt(target.length - 1 - suffix)
  )
    suffix++
  if (suffix > 0 && isLow(old.charCodeAt(old.length - suffix))) suffix--
  return editAreaText(
    doc,
    id,
    field,
    prefix,
    old.length - prefix - suffix,
    target.slice(prefix, target.length - suffix),
    editedBy,
  )
}

/**
 * Moves an area: right after or before another one (both given: right after `after`, which
 * must come before `before`), or to an index of the live list. Only the area's `position` is
 * written (its neighbours' too, only when they tie; see planPlacement). Returns whether it moved.
 */
export const moveArea = (
  doc: Y.Doc,
  id: PriorityId,
  to: AreaPlacement,
  options: PlaceOptions = {},
): boolean => {
  const all = readAll(doc)
  const self = all.findIndex((a) => a.id === id)
  if (self < 0) return false
  if (typeof to !== 'number' && (to.after === id || to.before === id)) return false
  const others = all.filter((a) => a.id !== id)
  const g = gapOf(all, others, to)
  // In gap `self` of the others it already is where it was asked to go.
  if (g === null || g === self) return false
  const { position, moves } = planPlacement(others, g, jitterOf(options))
  doc.transact(() => {
    areaMapOf(doc, id)?.set('position', position)
    applyMoves(doc, moves)
  })
  return true
}

/**
 * Merges `from` into `into`: `from` is marked merged (kept, with its text, so the merge can be
 * undone by restoreArea) and `into` records it in `absorbed`. The title and description of
 * `into` stay as they are: appending `from`'s text automatically would, on two peers merging
 * at once, append it twice, and the people merging are better placed to fold in what matters
 * by editing `into` themselves. Both must be live. Returns whether it merged.
 *
 * `absorbed` is history, not truth: if two people merge one area into two different ones at
 * once, both record it but `mergedInto` names one; readers only list the ones that agree.
 */
export const mergeAreas = (doc: Y.Doc, { from, into }: { from: PriorityId; into: PriorityId }): boolean => {
  if (from === into) return false
  const live = new Set(liveAreas(doc).map((a) => a.id as string))
  const fromMap = areaMapOf(doc, from)
  const intoMap = areaMapOf(doc, into)
  if (!fromMap || !intoMap || !live.has(from) || !live.has(into)) return false
  doc.transact(() => {
    fromMap.set('status', AREA_STATUS.merged)
    fromMap.set('mergedInto', into)
    let absorbed = intoMap.get('absorbed')
    if (!(absorbed instanceof Y.Array)) absorbed = intoMap.set('absorbed', new Y.Array<string>())
    const list = absorbed as Y.Array<string>
    if (!list.toArray().includes(from)) list.push([from])
  })
  return true
}

/** Takes a live area off the table (kept, restorable). Returns whether it changed. */
export const withdrawArea = (doc: Y.Doc, id: PriorityId): boolean => {
  const m = areaMapOf(doc, id)
  if (!m || !liveAreas(doc).some((a) => a.id === id)) return false
  doc.transact(() => {
    m.set('status', AREA_STATUS.withdrawn)
    m.set('mergedInto', null)
  })
  return true
}

/**
 * Puts a withdrawn or merged area back on the table where it stands in the order; a merged
 * one leaves the `absorbed` list of the area it was merged into. Returns whether it changed.
 */
export const restoreArea = (doc: Y.Doc, id: PriorityId): boolean => {
  const m = areaMapOf(doc, id)
  if (!m) return false
  const status = statusOf(m.get('status'))
  if (status === AREA_STATUS.proposed) return false
  const formerInto = m.get('mergedInto')
  doc.transact(() => {
    m.set('status', AREA_STATUS.proposed)
    m.set('mergedInto', null)
    const into = typeof formerInto === 'string' ? areaMapOf(doc, formerInto) : null
    const absorbed = into?.get('absorbed')
    if (absorbed instanceof Y.Array)
      // From the end, so the indices still to visit do not shift.
      for (let i = absorbed.length - 1; i >= 0; i--) if (absorbed.get(i) === id) absorbed.delete(i, 1)
  })
  return true
}

/* ---------- the legacy list ---------- */

/**
 * Moves every item of the legacy `priorities` array into `areas` (status 'proposed', after any
 * existing areas, in legacy order) and empties the array. Returns whether anything changed.
 *
 * The server runs it once when it loads a document, before any client syncs, so in practice
 * one peer migrates. Should two peers migrate the same legacy items at once, they write the
 * same keys of `areas` with the same content (legacy id, texts, deterministic positions: no
 * jitter), Yjs keeps one of the two writes per key, and both deletions of a legacy item are the
 * same deletion: one area per legacy item, identical everywhere. A legacy item without a usable
 * id (malformed, or repeating an earlier one) gets one derived from its own Yjs item id, which
 * is the same on every peer. An item whose id is already in `areas` is only removed.
 */
export const migrateLegacyPriorities = (doc: Y.Doc): boolean => {
  const legacy = legacyPrioritiesArray(doc)
  if (legacy.length === 0) return false
  const existing = areasMap(doc)
  const items: { id: PriorityId; m: Y.Map<unknown> }[] = []
  const taken = new Set<string>(existing.keys())
  for (const m of legacy.toArray()) {
    if (!(m instanceof Y.Map)) continue
    const given = m.get('id')
    let id = isPriorityId(given) && !taken.has(given) ? given : null
    if (id === null && isPriorityId(given) && existing.has(given)) continue // migrated already
    if (id === null) {
      const item = m._item?.id
      id = asPriorityId(item ? `legacy-${item.client.toString(36)}-${item.clock.toString(36)}` : '')
      if (!isPriorityId(id) || taken.has(id)) continue
    }
    taken.add(id)
    items.push({ id, m })
  }
  const all = readAll(doc)
  const last =
    all
      .map((a) => a.position)
      .filter(isPosition)
      .sort()
      .at(-1) ?? null
  const positions = positionsBetween(last, null, items.length, null)
  doc.transact(() => {
    items.forEach(({ id, m }, i) => {
      const area = existing.set(id, new Y.Map<unknown>())
      area.set('title', new Y.Text(clip(str(m.get('title')), LIMITS.title)))
      area.set('description', new Y.Text(clip(str(m.get('description')), LIMITS.description)))
      area.set('proposer', str(m.get('proposer')))
      area.set('proposerDelegationId', null)
      area.set('createdBy', '')
      area.set('lastEditedBy', '')
      area.set('status', AREA_STATUS.proposed)
      area.set('mergedInto', null)
      area.set('absorbed', new Y.Array<string>())
      area.set('position', positions[i])
    })
    legacy.delete(0, legacy.length)
  })
  return true
}

/* ---------- adapters for the callers of the first shape ---------- */

/** @deprecated the first shape's view of an area; use AreaView. */
export interface PriorityArea {
  id: string
  title: string
  description: string
  proposer: string
}

/**
 * @deprecated use proposeArea. Adds a proposed area (new shape) at the end, with
 * deterministic positions: the seed is its one writer.
 */
export const addPriority = (doc: Y.Doc, area: PriorityArea): void => {
  proposeArea(
    doc,
    {
      id: asPriorityId(area.id),
      title: area.title,
      description: area.description,
      proposer: area.proposer,
      proposerDelegationId: null,
      createdBy: '',
    },
    { random: null },
  )
}

/** @deprecated use liveAreas. The live areas in working order, in the first shape's fields. */
export const listPriorities = (doc: Y.Doc): PriorityArea[] =>
  liveAreas(doc).map(({ id, title, description, proposer }) => ({ id, title, description, proposer }))
