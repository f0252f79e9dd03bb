import { type DocKindSpec, describeContent, placeContent, type TypeShape } from '@roundtable/doc-schema'
import * as Y from 'yjs'

/**
 * Judges an incoming update by the items it adds, against a document kind's shape, before it is
 * stored. No copy of the document is made and nothing is applied: the update's structs are decoded
 * (as the room did anyway to validate it) and each new item's place is found — its parent type and
 * key — from the update itself, from updates accepted but not yet applied, or from the document's
 * struct store (a binary search per client). Cost is proportional to the update, not the document.
 *
 * Deletions are not judged: removing content never adds anything out of shape.
 */

/** Where an item sits. `gone`: Yjs will discard it (its parent or a neighbour was garbage-collected). */
interface Located {
  /**
   * The shape of the container it is in; 'gone' when Yjs will not integrate it anywhere; 'unknown'
   * for a type that has no shape (a stray root stored before checks existed): nothing may be added there.
   */
  container: TypeShape | 'gone' | 'unknown'
  parentSub: string | null
  /** Its own shape if it is a shared type (its children go there); 'gone' for anything else. */
  self: TypeShape | 'gone' | 'unknown'
  /** How deep its container is: a root is 1, a type in a root 2, … */
  depth: number
}

const GONE: Located = { container: 'gone', parentSub: null, self: 'gone', depth: 0 }

/**
 * Shared types nested deeper than this are refused. Readers walk a document recursively (y-tiptap
 * and ProseMirror per level, so does this check): one client must not be able to send every
 * other client a document they cannot render. A real brief nests lists a handful of levels deep.
 */
export const MAX_TYPE_DEPTH = 64

export type ShapeVerdict =
  /**
   * `noop`: it adds nothing the document does not have (no new items, no new deletions): a client's
   * empty answer to a greeting, or a replay of what is stored. `adds`: it carries new items (not only
   * deletions), so it makes the document larger.
   */
  | { ok: true; noop: boolean; adds: boolean; record: () => void }
  | { ok: false; code: 'malformed' | 'shape' | 'missing'; reason: string }

interface ShadowEntry {
  clock: number
  end: number
  loc: Located
  generation: number
}

type Struct = Y.Item | Y.GC | Y.Skip

/** Finds the struct holding `clock` in a list sorted by clock, or undefined. */
const findStruct = (structs: Struct[], clock: number): Struct | undefined => {
  let lo = 0
  let hi = structs.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const s = structs[mid]
    if (clock < s.id.clock) hi = mid - 1
    else if (clock >= s.id.clock + s.length) lo = mid + 1
    else return s
  }
  return undefined
}

/**
 * Whether these deletions delete anything still there. Each range is looked up by binary search and
 * walked only until a live item is found, so a replayed deletion costs what applying it would.
 */
const deletesAnything = (
  store: Y.Doc['store'],
  ds: Map<number, { clock: number; len: number }[]>,
): boolean => {
  for (const [client, ranges] of ds) {
    const structs = store.clients.get(client) as Struct[] | undefined
    const state = Y.getState(store, client)
    for (const { clock, len } of ranges) {
      // Deleting what this server does not have yet: Yjs keeps it pending, so it is new.
      if (!structs || clock + len > state) return true
      for (let i = Y.findIndexSS(structs as Y.Item[], clock); i < structs.length; i++) {
        const s = structs[i]
        if (s.id.clock >= clock + len) break
        if (!s.deleted) return true
      }
    }
  }
  return false
}

export class ShapeGuard {
  /** Shapes and depths of the document's types. A type never moves, so neither ever changes. */
  private readonly typeShapes = new WeakMap<
    Y.AbstractType<unknown>,
    { shape: TypeShape | null; depth: number }
  >()
  /** Items of updates accepted and not yet in the document, by client, until `applied` says so. */
  private readonly shadow = new Map<number, ShadowEntry[]>()
  private generation = 0

  constructor(
    readonly spec: DocKindSpec,
    /** The room's document (durable state). */
    private readonly doc: () => Y.Doc,
  ) {}

  /** The generation the next accepted update gets; `applied(g)` forgets everything up to it. */
  get lastGeneration(): number {
    return this.generation
  }

  /** Updates accepted up to generation `upTo` are now in the document (or were refused by it). */
  applied(upTo: number): void {
    for (const [client, entries] of this.shadow) {
      const left = entries.filter((e) => e.generation > upTo)
      if (left.length === 0) this.shadow.delete(client)
      else this.shadow.set(client, left)
    }
  }

  check(update: Uint8Array): ShapeVerdict {
    let structs: Struct[]
    let deletes: Map<number, { clock: number; len: number }[]>
    try {
      const decoded = Y.decodeUpdate(update)
      structs = decoded.structs
      deletes = decoded.ds.clients as unknown as Map<number, { clock: number; len: number }[]>
    } catch {
      return { ok: false, code: 'malformed', reason: 'malformed document update' }
    }
    const doc = this.doc()
    const store = doc.store
    const own = new Map<number, Struct[]>()
    for (const s of structs) {
      let list = own.get(s.id.client)
      if (!list) {
        list = []
        own.set(s.id.client, list)
      }
      list.push(s)
    }
    const located = new Map<Y.Item, Located>()

    /** What holds `id`: a located struct, the struct of this update still to locate, or 'missing'. */
    const lookup = (id: Y.ID): Located | Y.Item | 'missing' => {
      if (id.clock < Y.getState(store, id.client)) {
        const structs = store.clients.get(id.client) as Struct[]
        const s = structs[Y.findIndexSS(structs as Y.Item[], id.clock)]
        return s instanceof Y.Item ? this.locateInDoc(s) : GONE
      }
      const entries = this.shadow.get(id.client)
      if (entries)
        for (let i = entries.length - 1; i >= 0; i--)
          if (id.clock >= entries[i].clock && id.clock < entries[i].end) return entries[i].loc
      const s = findStruct(own.get(id.client) ?? [], id.clock)
      if (s === undefined || s instanceof Y.Skip) return 'missing'
      if (s instanceof Y.GC) return GONE
      return located.get(s) ?? s
    }

    /** The id an item's place derives from: its parent type's item, or (no parent given) a neighbour. */
    const basis = (item: Y.Item): Y.ID | null => {
      const parent = item.parent as unknown
      if (parent instanceof Y.ID) return parent
      if (parent !== null) return null
      return item.origin ?? item.rightOrigin
    }

    /** Locates `item` once its basis is located (or it has none). */
    const place = (item: Y.Item, base: Located | null): Located | string => {
      const parent = item.parent as unknown
      let container: TypeShape | 'gone' | 'unknown'
      let parentSub = item.parentSub
      let depth: number
      if (typeof parent === 'string') {
        const root = Object.hasOwn(this.spec.roots, parent) ? this.spec.roots[parent] : undefined
        if (!root) return `root "${parent.slice(0, 40)}" is not part of a ${this.spec.name} document`
        container = root
        depth = 1
      } else if (parent !== null) {
        container = (base as Located).self
        depth = (base as Located).depth + 1
      } else {
        const b = base as Located
        container = b.container
        parentSub = b.parentSub
        depth = b.depth
      }
      if (container === 'gone') return GONE
      if (container === 'unknown')
        return `content under a type that is not part of a ${this.spec.name} document`
      const content = describeContent(item.content)
      const placed = placeContent(container, parentSub, content)
      if (!placed.ok) return placed.reason
      if (placed.shape && depth >= MAX_TYPE_DEPTH) return `nested more than ${MAX_TYPE_DEPTH} levels deep`
      return { container, parentSub, self: placed.shape ?? 'gone', depth }
    }

    let adds = false
    // Depth-first over each item's basis, with an explicit stack: chains of neighbours in one update
    // can be long, and recursion could exhaust the call stack.
    for (const s of structs) {
      if (s instanceof Y.Skip) continue
      // Already in the document: Yjs will skip it.
      if (s.id.clock + s.length <= Y.getState(store, s.id.client)) continue
      adds = true
      if (!(s instanceof Y.Item) || located.has(s)) continue
      const stack: Y.Item[] = [s]
      const onStack = new Set<Y.Item>([s])
      while (stack.length > 0) {
        const top = stack[stack.length - 1]
        const id = basis(top)
        let base: Located | null = null
        if (id !== null) {
          const found = lookup(id)
          if (found === 'missing')
            return { ok: false, code: 'missing', reason: 'update builds on content the server does not have' }
          if (found instanceof Y.Item) {
            if (onStack.has(found)) return { ok: false, code: 'malformed', reason: 'cyclic document update' }
            stack.push(found)
            onStack.add(found)
            continue
          }
          base = found
        }
        const loc = place(top, base)
        if (typeof loc === 'string') return { ok: false, code: 'shape', reason: loc }
        located.set(top, loc)
        stack.pop()
        onStack.delete(top)
      }
    }

    return {
      ok: true,
      noop: !adds && !deletesAnything(store, deletes),
      adds,
      record: () => {
        const generation = ++this.generation
        for (const s of structs) {
          if (s instanceof Y.Skip) continue
          const loc = s instanceof Y.Item ? located.get(s) : GONE
          if (!loc) continue
          let entries = this.shadow.get(s.id.client)
          if (!entries) {
            entries = []
            this.shadow.set(s.id.client, entries)
          }
          entries.push({ clock: s.id.clock, end: s.id.clock + s.length, loc, generation })
        }
      },
    }
  }

  /** Where an item of the document sits, from its integrated parent. */
  private locateInDoc(item: Y.Item): Located {
    const parent = item.parent as Y.AbstractType<unknown> | null
    if (!parent) return GONE
    // Content added under a deleted type is deleted as it is integrated.
    if (parent._item?.deleted) return GONE
    const known = this.shapeOf(parent)
    let self: TypeShape | 'gone' | 'unknown' = 'gone'
    if (item.content instanceof Y.ContentType && !item.deleted)
      self = this.shapeOf(item.content.type as Y.AbstractType<unknown>).shape ?? 'unknown'
    return { container: known.shape ?? 'unknown', parentSub: item.parentSub, self, depth: known.depth }
  }

  /**
   * The shape and depth of a type in the document; shape null if it has none (a root of no kind, or
   * stored before checks). Public for the room, which reads a text's `maxChars` after applying a batch.
   */
  shapeOf(type: Y.AbstractType<unknown>): { shape: TypeShape | null; depth: number } {
    const known = this.typeShapes.get(type)
    if (known !== undefined) return known
    let shape: TypeShape | null = null
    let depth = 1
    const item = type._item
    if (item === null) {
      for (const [name, root] of this.doc().share)
        if (root === type) shape = Object.hasOwn(this.spec.roots, name) ? this.spec.roots[name] : null
    } else {
      const parent = item.parent as Y.AbstractType<unknown> | null
      const container = parent ? this.shapeOf(parent) : null
      depth = (container?.depth ?? 0) + 1
      if (container?.shape) {
        // What is already there keeps its shape in a closed container (only additions are refused).
        const c = container.shape
        const open = 'closed' in c && c.closed ? { ...c, closed: false } : c
        const placed = placeContent(open, item.parentSub, describeContent(item.content))
        shape = placed.ok ? placed.shape : null
      }
    }
    const out = { shape, depth }
    this.typeShapes.set(type, out)
    return out
  }
}
