import { LIMITS } from '@roundtable/protocol'
import * as Y from 'yjs'

/**
 * Document kinds: each shared document kind is one definition — its name, the shape of its
 * content, and the field the web runtime binds. The server's registry adds who may write it.
 *
 * A shape says what may sit where: which roots a document has, and for every container (a map, an
 * array, a text, an XML element) what each child or key may hold. It is checked per item, so the
 * server can judge an update by the items it adds without walking the whole document
 * (`placeContent`), and a whole document can be judged by the same rules (`checkDoc`).
 */

/** A primitive stored in a map key, an array slot or an XML attribute. */
export type ValueRule =
  | {
      type: 'string'
      maxChars?: number
      pattern?: RegExp
      oneOf?: readonly string[]
      nullable?: boolean
    }
  | { type: 'integer'; min: number; max: number; nullable?: boolean }

export interface XmlElementRule {
  attrs: Readonly<Record<string, ValueRule>>
  /** Element names allowed as children. */
  children: readonly string[]
  /** Whether Y.XmlText children are allowed, and whether they may carry marks. */
  text?: 'marked' | 'plain'
}

/** The Yjs layout of a ProseMirror schema (y-prosemirror / y-tiptap). */
export interface XmlSchema {
  /** Element names allowed at the top of the fragment. */
  top: readonly string[]
  elements: Readonly<Record<string, XmlElementRule>>
  /** Mark name → the attributes its value may carry. */
  marks: Readonly<Record<string, Readonly<Record<string, ValueRule>>>>
}

/** A shared type and what it may contain. `closed`: nothing may be added any more, only deleted. */
export type TypeShape =
  | { type: 'map'; keys: Readonly<Record<string, Slot>>; closed?: boolean }
  | { type: 'record'; key: RegExp; value: Slot; closed?: boolean }
  | { type: 'array'; item: Slot; closed?: boolean }
  | { type: 'text'; maxChars?: number }
  | { type: 'xmlFragment'; schema: XmlSchema }
  | { type: 'xmlElement'; schema: XmlSchema; name: string }
  | { type: 'xmlText'; schema: XmlSchema; marks: boolean }

export type Slot = TypeShape | ValueRule

export interface DocKindSpec {
  readonly name: string
  /**
   * A family of documents rather than one per meeting: `<meetingId>.<name>-<member>`, the member an id
   * of FAMILY_MEMBER_PATTERN (a meeting's drafts: `<meetingId>.draft-<draftId>`).
   */
  readonly family?: boolean
  /** Every root the document may have. A root not listed here is refused. */
  readonly roots: Readonly<Record<string, TypeShape>>
  /** How the web runtime binds the document: the root it reads and as which Yjs type. */
  readonly client: { readonly field: string; readonly type: 'xmlFragment' | 'map' }
}

/** What an item carries, as far as the shape rules care. */
export type ItemContent =
  | {
      kind: 'type'
      type: 'map' | 'array' | 'text' | 'xmlText' | 'xmlElement' | 'xmlFragment' | 'xmlHook'
      nodeName?: string
    }
  | { kind: 'values'; values: readonly unknown[] }
  | { kind: 'string' }
  | { kind: 'format'; key: string; value: unknown }
  | { kind: 'deleted' }
  | { kind: 'other'; what: string }

export type Placement = { ok: true; shape: TypeShape | null } | { ok: false; reason: string }

/** Describes a Yjs item's content. Subclasses are tested before their bases (XmlText is a Text, XmlHook a Map). */
export const describeContent = (content: unknown): ItemContent => {
  if (content instanceof Y.ContentString) return { kind: 'string' }
  if (content instanceof Y.ContentAny) return { kind: 'values', values: content.arr }
  if (content instanceof Y.ContentDeleted) return { kind: 'deleted' }
  if (content instanceof Y.ContentFormat) return { kind: 'format', key: content.key, value: content.value }
  if (content instanceof Y.ContentType) {
    const t = content.type
    if (t instanceof Y.XmlText) return { kind: 'type', type: 'xmlText' }
    if (t instanceof Y.Text) return { kind: 'type', type: 'text' }
    if (t instanceof Y.XmlElement) return { kind: 'type', type: 'xmlElement', nodeName: t.nodeName }
    if (t instanceof Y.XmlFragment) return { kind: 'type', type: 'xmlFragment' }
    if (t instanceof Y.XmlHook) return { kind: 'type', type: 'xmlHook' }
    if (t instanceof Y.Map) return { kind: 'type', type: 'map' }
    if (t instanceof Y.Array) return { kind: 'type', type: 'array' }
    return { kind: 'other', what: 'unknown shared type' }
  }
  if (content instanceof Y.ContentEmbed) return { kind: 'other', what: 'embed' }
  if (content instanceof Y.ContentJSON) return { kind: 'other', what: 'JSON content' }
  if (content instanceof Y.ContentBinary) return { kind: 'other', what: 'binary content' }
  if (content instanceof Y.ContentDoc) return { kind: 'other', what: 'subdocument' }
  return { kind: 'other', what: 'unknown content' }
}

const refuse = (reason: string): Placement => ({ ok: false, reason })
const PRIMITIVE: Placement = { ok: true, shape: null }

export const valueFits = (rule: ValueRule, v: unknown): boolean => {
  if (v === null) return rule.nullable === true
  switch (rule.type) {
    case 'string':
      return (
        typeof v === 'string' &&
        (rule.maxChars === undefined || v.length <= rule.maxChars) &&
        (rule.pattern === undefined || rule.pattern.test(v)) &&
        (rule.oneOf === undefined || rule.oneOf.includes(v))
      )
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v) && v >= rule.min && v <= rule.max
  }
}

const isTypeShape = (s: Slot): s is TypeShape => s.type !== 'string' && s.type !== 'integer'

/** A shared type of the kind `content` describes fits `slot`; returns the child's own shape. */
const placeType = (slot: Slot, content: Extract<ItemContent, { kind: 'type' }>, where: string): Placement => {
  if (!isTypeShape(slot)) return refuse(`${where}: a ${content.type} where a ${slot.type} belongs`)
  const want = slot.type === 'record' ? 'map' : slot.type
  if (content.type !== want) return refuse(`${where}: a ${content.type} where a ${want} belongs`)
  return { ok: true, shape: slot }
}

/** A map or array value: one primitive (a map entry holds one) or one shared type. */
const placeValue = (slot: Slot, content: ItemContent, where: string, single: boolean): Placement => {
  if (content.kind === 'type') return placeType(slot, content, where)
  if (content.kind === 'values') {
    if (isTypeShape(slot)) return refuse(`${where}: a plain value where a ${slot.type} belongs`)
    if (single && content.values.length !== 1) return refuse(`${where}: a map entry holds one value`)
    for (const v of content.values) if (!valueFits(slot, v)) return refuse(`${where}: value out of range`)
    return PRIMITIVE
  }
  return refuse(`${where}: ${contentName(content)} not allowed`)
}

const contentName = (c: ItemContent): string => {
  switch (c.kind) {
    case 'type':
      return c.nodeName === undefined ? `a ${c.type}` : `a ${c.type} <${c.nodeName}>`
    case 'values':
      return 'plain values'
    case 'string':
      return 'text'
    case 'format':
      return `formatting "${c.key}"`
    case 'deleted':
      return 'deleted content'
    case 'other':
      return c.what
  }
}

/** y-tiptap names overlapping marks `<mark>--<8 base64 chars>`. */
const HASHED_MARK = /^(.*)--[a-zA-Z0-9+/=]{8}$/

const placeXmlChild = (
  schema: XmlSchema,
  allowed: readonly string[],
  text: 'marked' | 'plain' | undefined,
  parentSub: string | null,
  content: ItemContent,
  where: string,
): Placement => {
  if (parentSub !== null) return refuse(`${where}: attribute "${parentSub}" not allowed`)
  if (content.kind === 'type' && content.type === 'xmlElement') {
    const name = content.nodeName ?? ''
    if (!allowed.includes(name) || !Object.hasOwn(schema.elements, name))
      return refuse(`${where}: element <${name}> not allowed`)
    return { ok: true, shape: { type: 'xmlElement', schema, name } }
  }
  if (content.kind === 'type' && content.type === 'xmlText') {
    if (!text) return refuse(`${where}: text not allowed here`)
    return { ok: true, shape: { type: 'xmlText', schema, marks: text === 'marked' } }
  }
  return refuse(`${where}: ${contentName(content)} not allowed`)
}

/**
 * Whether an item with this key (`parentSub`, null for sequence content) and content may sit in a
 * container of shape `parent`; if it is itself a shared type, also its shape. Deleted content is
 * always allowed (it holds nothing).
 */
export const placeContent = (
  parent: TypeShape,
  parentSub: string | null,
  content: ItemContent,
  where: string = parent.type,
): Placement => {
  if (content.kind === 'deleted') return PRIMITIVE
  switch (parent.type) {
    case 'map': {
      if (parent.closed) return refuse(`${where}: closed, content may only be removed`)
      if (parentSub === null) return refuse(`${where}: a map holds keyed entries only`)
      const slot = Object.hasOwn(parent.keys, parentSub) ? parent.keys[parentSub] : undefined
      if (!slot) return refuse(`${where}: unknown key "${parentSub}"`)
      return placeValue(slot, content, `${where}.${parentSub}`, true)
    }
    case 'record': {
      if (parent.closed) return refuse(`${where}: closed, content may only be removed`)
      if (parentSub === null) return refuse(`${where}: a map holds keyed entries only`)
      if (!parent.key.test(parentSub)) return refuse(`${where}: key "${parentSub.slice(0, 80)}" not allowed`)
      return placeValue(parent.value, content, `${where}[${parentSub}]`, true)
    }
    case 'array':
      if (parent.closed) return refuse(`${where}: closed, content may only be removed`)
      if (parentSub !== null) return refuse(`${where}: an array holds no keys`)
      return placeValue(parent.item, content, `${where}[]`, false)
    case 'text':
      if (parentSub !== null) return refuse(`${where}: a text holds no attributes`)
      if (content.kind !== 'string')
        return refuse(`${where}: ${contentName(content)} not allowed in plain text`)
      return PRIMITIVE
    case 'xmlText': {
      if (parentSub !== null) return refuse(`${where}: a text holds no attributes`)
      if (content.kind === 'string') return PRIMITIVE
      if (content.kind === 'format' && parent.marks) {
        const name = HASHED_MARK.exec(content.key)?.[1] ?? content.key
        const attrs = Object.hasOwn(parent.schema.marks, name) ? parent.schema.marks[name] : undefined
        if (!attrs) return refuse(`${where}: unknown mark "${content.key.slice(0, 80)}"`)
        const v = content.value
        if (v === null) return PRIMITIVE
        if (typeof v !== 'object' || Array.isArray(v))
          return refuse(`${where}: mark "${name}" attributes must be an object`)
        for (const [k, a] of Object.entries(v as Record<string, unknown>)) {
          const rule = Object.hasOwn(attrs, k) ? attrs[k] : undefined
          if (!rule || !valueFits(rule, a))
            return refuse(`${where}: mark "${name}" attribute "${k}" not allowed`)
        }
        return PRIMITIVE
      }
      return refuse(`${where}: ${contentName(content)} not allowed in this text`)
    }
    case 'xmlFragment':
      return placeXmlChild(parent.schema, parent.schema.top, undefined, parentSub, content, where)
    case 'xmlElement': {
      const rule = parent.schema.elements[parent.name]
      const here = `${where}<${parent.name}>`
      if (parentSub !== null) {
        const attr = Object.hasOwn(rule.attrs, parentSub) ? rule.attrs[parentSub] : undefined
        if (!attr) return refuse(`${here}: attribute "${parentSub.slice(0, 80)}" not allowed`)
        return placeValue(attr, content, `${here}@${parentSub}`, true)
      }
      return placeXmlChild(parent.schema, rule.children, rule.text, null, content, here)
    }
  }
}

/* ---------- the kinds ---------- */

/** PriorityId: the keys of `areas` and the ids it refers to. */
export const PRIORITY_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/
/** A fractional position key as position.ts writes them: base 62, no trailing 0, at most 128 digits. */
const POSITION_PATTERN = /^[0-9A-Za-z]{0,127}[1-9A-Za-z]$/

const HEADING_LEVELS = { type: 'integer', min: 1, max: 6 } as const
const BLOCKS = [
  'paragraph',
  'heading',
  'bulletList',
  'orderedList',
  'blockquote',
  'codeBlock',
  'horizontalRule',
]
const INLINE = ['hardBreak']
const optionalString = (maxChars: number): ValueRule => ({ type: 'string', maxChars, nullable: true })

/**
 * The brief's editor schema: Tiptap StarterKit 3 as BriefEditor configures it (heading levels are
 * StarterKit's default 1–6: the editor's input rules can make any of them). Attributes are those
 * the nodes and marks declare; y-tiptap writes an attribute only when it is not null.
 */
export const BRIEF_SCHEMA: XmlSchema = {
  top: BLOCKS,
  elements: {
    paragraph: { attrs: {}, children: INLINE, text: 'marked' },
    heading: { attrs: { level: HEADING_LEVELS }, children: INLINE, text: 'marked' },
    blockquote: { attrs: {}, children: BLOCKS },
    bulletList: { attrs: {}, children: ['listItem'] },
    orderedList: {
      attrs: { start: { type: 'integer', min: -1e9, max: 1e9 }, type: optionalString(16) },
      children: ['listItem'],
    },
    listItem: { attrs: {}, children: BLOCKS },
    codeBlock: { attrs: { language: optionalString(64) }, children: [], text: 'plain' },
    horizontalRule: { attrs: {}, children: [] },
    hardBreak: { attrs: {}, children: [] },
  },
  marks: {
    bold: {},
    italic: {},
    strike: {},
    underline: {},
    code: {},
    link: {
      href: optionalString(2048),
      target: optionalString(32),
      rel: optionalString(128),
      class: optionalString(128),
      title: optionalString(512),
    },
  },
}

export const BRIEF_KIND: DocKindSpec = {
  name: 'brief',
  roots: { brief: { type: 'xmlFragment', schema: BRIEF_SCHEMA } },
  client: { field: 'brief', type: 'xmlFragment' },
}

const str = (maxChars: number): ValueRule => ({ type: 'string', maxChars })
const priorityRef: ValueRule = { type: 'string', pattern: PRIORITY_ID_PATTERN }

/** One priority area (notes/priorities-shape.md). */
export const AREA_SHAPE: TypeShape = {
  type: 'map',
  keys: {
    title: { type: 'text', maxChars: LIMITS.title },
    description: { type: 'text', maxChars: LIMITS.description },
    proposer: str(200),
    proposerDelegationId: { type: 'string', maxChars: 64, nullable: true },
    createdBy: str(64),
    lastEditedBy: str(200),
    status: { type: 'string', oneOf: ['proposed', 'merged', 'withdrawn'] },
    mergedInto: { ...priorityRef, nullable: true },
    absorbed: { type: 'array', item: priorityRef },
    position: { type: 'string', pattern: POSITION_PATTERN },
  },
}

/** The legacy list (Y.Array of Y.Map<string>): migrated out, only deletions allowed. */
const LEGACY_PRIORITIES: TypeShape = {
  type: 'array',
  closed: true,
  item: {
    type: 'map',
    closed: true,
    keys: { id: str(64), title: str(LIMITS.title), description: str(LIMITS.description), proposer: str(200) },
  },
}

export const PRIORITIES_KIND: DocKindSpec = {
  name: 'priorities',
  roots: {
    areas: { type: 'record', key: PRIORITY_ID_PATTERN, value: AREA_SHAPE },
    priorities: LEGACY_PRIORITIES,
  },
  client: { field: 'areas', type: 'map' },
}

/** A family member's id: lowercase, short (the document name's kind part stays within 32 characters). */
export const FAMILY_MEMBER_PATTERN = /^[a-z0-9]{1,24}$/

/**
 * A meeting's further drafts (thematic papers, country reports, more briefs): each its own document
 * `<meetingId>.draft-<draftId>`, with the brief's rich-text shape under the same root, so one editor
 * binding and one reader serve the brief and every draft.
 */
export const DRAFT_KIND: DocKindSpec = {
  name: 'draft',
  family: true,
  roots: { brief: { type: 'xmlFragment', schema: BRIEF_SCHEMA } },
  client: { field: 'brief', type: 'xmlFragment' },
}

/** Every kind a meeting has. Adding a kind is adding one spec here (and its write policy on the server). */
export const DOC_KIND_SPECS: readonly DocKindSpec[] = [BRIEF_KIND, PRIORITIES_KIND, DRAFT_KIND]

/** The kind spec a document-name suffix (after `<meetingId>.`) belongs to: `brief`, or `draft-<id>` for a family. */
export const kindOfSuffix = (
  suffix: string,
  specs: readonly DocKindSpec[] = DOC_KIND_SPECS,
): DocKindSpec | undefined => {
  const direct = specs.find((k) => !k.family && k.name === suffix)
  if (direct) return direct
  const dash = suffix.indexOf('-')
  if (dash < 0) return undefined
  const family = specs.find((k) => k.family && k.name === suffix.slice(0, dash))
  return family && FAMILY_MEMBER_PATTERN.test(suffix.slice(dash + 1)) ? family : undefined
}

/* ---------- checking a whole document ---------- */

/** Where a child is, for messages: `areas[id].title`, `brief<blockquote>`. */
const childWhere = (parent: TypeShape, where: string, key: string | null): string => {
  switch (parent.type) {
    case 'record':
      return `${where}[${key}]`
    case 'map':
      return `${where}.${key}`
    case 'array':
      return `${where}[]`
    case 'xmlElement':
      return `${where}<${parent.name}>`
    default:
      return where
  }
}

interface Walkable {
  _start: Y.Item | null
  _map: Map<string, Y.Item>
}

/**
 * Every problem with a document's current (not deleted) content, by the same rules the server
 * applies to each incoming item. For tests, imports and migrations: it walks the whole document.
 */
export const checkDoc = (spec: DocKindSpec, doc: Y.Doc): string[] => {
  const problems: string[] = []
  const visit = (type: Walkable, shape: TypeShape, where: string) => {
    // What a closed container holds is judged as content; `closed` only refuses additions.
    const open = 'closed' in shape && shape.closed ? { ...shape, closed: false } : shape
    const items: Y.Item[] = []
    for (let it = type._start; it !== null; it = it.right) items.push(it)
    for (const it of type._map.values()) items.push(it)
    for (const it of items) {
      if (it.deleted) continue
      const placed = placeContent(open, it.parentSub, describeContent(it.content), where)
      if (!placed.ok) problems.push(placed.reason)
      else if (placed.shape)
        visit(
          (it.content as Y.ContentType).type as unknown as Walkable,
          placed.shape,
          childWhere(shape, where, it.parentSub),
        )
    }
    if (shape.type === 'text' && shape.maxChars !== undefined) {
      const length = (type as unknown as { _length: number })._length
      if (length > shape.maxChars) problems.push(`${where}: ${length} characters, at most ${shape.maxChars}`)
    }
  }
  for (const [name, type] of doc.share) {
    const shape = Object.hasOwn(spec.roots, name) ? spec.roots[name] : undefined
    const t = type as unknown as Walkable
    const empty = t._start === null && t._map.size === 0
    if (!shape) {
      if (!empty) problems.push(`root "${name}" is not part of a ${spec.name} document`)
      continue
    }
    visit(t, shape, name)
  }
  return problems
}
