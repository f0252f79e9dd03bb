import { z } from 'zod'
import type { Brand, DelegationId, ParticipantId } from '../ids.ts'
import { id, LIMITS, optionalText, text, wire } from './define.ts'
import type { VoteView } from './votes.ts'

/**
 * Drafting: the meeting's drafts (shared rich-text documents), comments and amendments anchored to
 * their passages, bracketed alternatives, and named versions. The text itself lives in the Yjs
 * document; everything here has one authority (the server) and travels as commands and
 * `meeting:drafting` events.
 */

export type DraftId = Brand<string, 'DraftId'>
export type CommentId = Brand<string, 'CommentId'>
export type AmendmentId = Brand<string, 'AmendmentId'>
export type BracketId = Brand<string, 'BracketId'>
export type VersionId = Brand<string, 'VersionId'>

/** Draft ids are short lowercase (they form the document name `<meetingId>.draft-<draftId>`). */
export const DRAFT_ID_PATTERN = /^[a-z0-9]{1,24}$/
/** The meeting's first draft is its brief: id `brief`, document `<meetingId>.brief`. */
export const BRIEF_DRAFT_ID = 'brief' as DraftId

export const DRAFT_KINDS = ['policy_brief', 'thematic_paper', 'country_report'] as const
export type DraftKind = (typeof DRAFT_KINDS)[number]

/** The document a draft's text lives in (its root is `brief`, the brief's rich-text shape). */
export const draftDocSuffix = (draftId: string): string =>
  draftId === BRIEF_DRAFT_ID ? 'brief' : `draft-${draftId}`

export const DRAFTING_LIMITS = {
  /** A comment or reply, characters. */
  comment: 4000,
  /** The quoted passage or an amendment's old/new text, characters. */
  passage: 20_000,
  /** Why an amendment is proposed, characters. */
  reason: 2000,
  /** Alternatives one bracket carries at most. */
  alternatives: 8,
  /** An encoded Yjs relative position as base64; a real one is well under 200 characters. */
  position: 512,
  /** Drafts one meeting holds at most. */
  drafts: 50,
} as const

const draftId = z.string().regex(DRAFT_ID_PATTERN, 'must be a draft id')
const base64 = z
  .string()
  .min(4)
  .max(DRAFTING_LIMITS.position)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64')
const passage = z.string().max(DRAFTING_LIMITS.passage)

/**
 * A passage of a draft: base64 of `Y.encodeRelativePosition` for its start and end, made with
 * `Y.createRelativePositionFromTypeIndex(xmlText, index)` over the XmlText node the selection starts
 * (ends) in — `assoc` 0 (the default) at the start, -1 at the end so text typed right after the
 * passage stays out of it. `quote` is the passage's text when anchored. An insertion point has
 * start = end and an empty quote.
 */
export const Anchor = z.strictObject({ start: base64, end: base64, quote: passage })
export type Anchor = z.infer<typeof Anchor>

export interface DraftView {
  id: DraftId
  title: string
  kind: DraftKind
  /** A country report's delegation; null for other kinds. */
  delegationId: DelegationId | null
  /** The Yjs document to open (`/yjs/<docName>`). */
  docName: string
  createdAt: string
  /** Id of the versions list's newest entry, or null before any. */
  latestVersionId: VersionId | null
}

export interface CommentView {
  id: CommentId
  draftId: DraftId
  /** The thread's first comment; null for the first comment itself (only it carries the anchor's meaning). */
  parentId: CommentId | null
  anchor: Anchor
  body: string
  authorId: ParticipantId
  authorName: string
  delegationId: DelegationId | null
  createdAt: string
  /** On a thread's first comment: the thread is resolved. */
  resolved: boolean
  resolvedBy: ParticipantId | null
  resolvedAt: string | null
  /** The server could not find the passage in the text when it last looked (deleted). */
  detached: boolean
}

export const AMENDMENT_TYPES = ['replace', 'insert', 'delete'] as const
export type AmendmentType = (typeof AMENDMENT_TYPES)[number]

/**
 * proposed → voting (put to a vote) → adopted (applied to the text) | rejected;
 * proposed/voting → stale when the passage no longer reads `oldText` at adoption (never applied blindly:
 * the chair reviews, then rejects it or adopts it again once the text reads as proposed).
 */
export const AMENDMENT_STATUSES = ['proposed', 'voting', 'adopted', 'rejected', 'stale'] as const
export type AmendmentStatus = (typeof AMENDMENT_STATUSES)[number]

export interface AmendmentView {
  id: AmendmentId
  draftId: DraftId
  type: AmendmentType
  anchor: Anchor
  /** The passage's exact text when proposed ('' for an insertion). */
  oldText: string
  /** The wording proposed ('' for a deletion). */
  newText: string
  reason: string
  proposerId: ParticipantId
  proposerName: string
  delegationId: DelegationId | null
  status: AmendmentStatus
  /** The vote it was put to (a `motion` or `consent`), if any. */
  voteId: string | null
  /** How it was decided: by that vote, by consensus (the chair), or null while open. */
  decidedBy: 'vote' | 'consensus' | null
  /** Why it is stale, in English (the web app shows its own line by status). */
  staleReason: string | null
  createdAt: string
  decidedAt: string | null
  /** The version recorded right after it was applied. */
  versionId: VersionId | null
}

export interface BracketView {
  id: BracketId
  draftId: DraftId
  anchor: Anchor
  /** Two or more wordings, in the order given ("[shall | should]"). */
  alternatives: string[]
  status: 'open' | 'settled'
  /** Index into `alternatives`, once settled. */
  choice: number | null
  openedBy: ParticipantId
  openedAt: string
  settledAt: string | null
}

export const VERSION_REASONS = ['named', 'amendment', 'vote', 'restore', 'bracket', 'outline'] as const
export type VersionReason = (typeof VERSION_REASONS)[number]

export interface VersionView {
  id: VersionId
  draftId: DraftId
  /** 1, 2, … per draft. */
  number: number
  name: string
  reason: VersionReason
  /** For a restore: the version restored. */
  restoredFrom: VersionId | null
  createdAt: string
  createdBy: ParticipantId | null
}

/** Inline text with its marks, as a version or export reads it. */
export interface DraftInline {
  text: string
  bold?: true
  italic?: true
  strike?: true
  underline?: true
  code?: true
  href?: string
}

/** A draft's content as blocks (read-only views, exports). */
export type DraftBlock =
  | { type: 'heading'; level: number; content: DraftInline[] }
  | { type: 'paragraph'; content: DraftInline[] }
  | { type: 'bulletList' | 'orderedList'; items: DraftBlock[][] }
  | { type: 'blockquote'; blocks: DraftBlock[] }
  | { type: 'codeBlock'; text: string }
  | { type: 'horizontalRule' }

/** `GET /api/meetings/:id/drafts/:draftId/versions/:versionId`. */
export interface VersionContent {
  version: VersionView
  blocks: DraftBlock[]
  markdown: string
}

/** Word-level difference between two versions' text (Markdown): equal runs, insertions, deletions. */
export interface VersionChange {
  kind: 'equal' | 'insert' | 'delete'
  text: string
}

/** `meeting:drafting`: one thing changed; the web app replaces its copy by id. */
export type DraftingEvent =
  | { type: 'draft'; draft: DraftView }
  | { type: 'comment'; comment: CommentView }
  | { type: 'amendment'; amendment: AmendmentView }
  | { type: 'bracket'; bracket: BracketView }
  | { type: 'version'; version: VersionView }

export const DRAFTING_COMMANDS = {
  'draft:create': wire<{ draft: DraftView }>()(
    'writeDoc',
    z.strictObject({
      title: text(LIMITS.title),
      kind: z.enum(DRAFT_KINDS),
      /** Required for a country report, refused otherwise. */
      delegationId: id.optional(),
    }),
  ),
  'draft:rename': wire<{ draft: DraftView }>()(
    'writeDoc',
    z.strictObject({ draftId, title: text(LIMITS.title) }),
  ),
  /** Every draft, the brief first; and the counts the drafting view shows. */
  'draft:list': wire<{ drafts: DraftView[] }>()('readDoc', z.strictObject({})),
  /** One heading per adopted priority of a closed vote, in order; only into an empty draft. */
  'draft:seedOutline': wire<{ draft: DraftView; headings: string[] }>()(
    'runDrafting',
    z.strictObject({ draftId, voteId: id }),
  ),

  'comment:add': wire<{ comment: CommentView }>()(
    'writeDoc',
    z.strictObject({ draftId, anchor: Anchor, body: text(DRAFTING_LIMITS.comment) }),
  ),
  'comment:reply': wire<{ comment: CommentView }>()(
    'writeDoc',
    z.strictObject({ commentId: id, body: text(DRAFTING_LIMITS.comment) }),
  ),
  /** Resolve or reopen a thread (its first comment's id). */
  'comment:resolve': wire<{ comment: CommentView }>()('writeDoc', z.strictObject({ commentId: id })),
  'comment:reopen': wire<{ comment: CommentView }>()('writeDoc', z.strictObject({ commentId: id })),
  /** Every comment of a draft, threads in order; `detached` as the server resolves them now. */
  'comment:list': wire<{ comments: CommentView[] }>()('readDoc', z.strictObject({ draftId })),

  'amendment:propose': wire<{ amendment: AmendmentView }>()(
    'writeDoc',
    z.strictObject({
      draftId,
      type: z.enum(AMENDMENT_TYPES),
      anchor: Anchor,
      /** Must equal `anchor.quote` ('' for an insertion). */
      oldText: passage,
      newText: passage,
      reason: optionalText(DRAFTING_LIMITS.reason).default(''),
    }),
  ),
  /** The chair puts it to a yes/no/abstain motion or a consent vote (created as a draft vote, then opened). */
  'amendment:putToVote': wire<{ amendment: AmendmentView; vote: VoteView }>()(
    'runDrafting',
    z.strictObject({
      amendmentId: id,
      method: z.enum(['motion', 'consent']),
      secret: z.boolean().default(false),
      voters: z.enum(['delegates', 'delegations']).default('delegations'),
      threshold: z.enum(['simple', 'absolute', 'two_thirds']).optional(),
      quorum: z.number().int().min(1).max(100_000).optional(),
      closesInSeconds: z
        .number()
        .int()
        .min(10)
        .max(24 * 3600)
        .optional(),
    }),
  ),
  /** Adopted by consensus: applied at once if the passage still reads `oldText`, else flagged stale. */
  'amendment:adopt': wire<{ amendment: AmendmentView }>()('runDrafting', z.strictObject({ amendmentId: id })),
  'amendment:reject': wire<{ amendment: AmendmentView }>()(
    'runDrafting',
    z.strictObject({ amendmentId: id }),
  ),
  'amendment:list': wire<{ amendments: AmendmentView[] }>()('readDoc', z.strictObject({ draftId })),

  /** Two or more wordings for a passage; the passage's current text need not be one of them. */
  'bracket:open': wire<{ bracket: BracketView }>()(
    'writeDoc',
    z.strictObject({
      draftId,
      anchor: Anchor,
      alternatives: z.array(passage.min(1)).min(2).max(DRAFTING_LIMITS.alternatives),
    }),
  ),
  /** The chair settles it: the chosen wording replaces the passage (through the document pipeline). */
  'bracket:settle': wire<{ bracket: BracketView }>()(
    'runDrafting',
    z.strictObject({
      bracketId: id,
      choice: z
        .number()
        .int()
        .min(0)
        .max(DRAFTING_LIMITS.alternatives - 1),
    }),
  ),
  'bracket:list': wire<{ brackets: BracketView[]; open: number }>()('readDoc', z.strictObject({ draftId })),

  'version:create': wire<{ version: VersionView }>()(
    'runDrafting',
    z.strictObject({ draftId, name: text(LIMITS.title) }),
  ),
  'version:list': wire<{ versions: VersionView[] }>()('readDoc', z.strictObject({ draftId })),
  /** Word-level changes from one version to another (either order). */
  'version:compare': wire<{ from: VersionView; to: VersionView; changes: VersionChange[] }>()(
    'readDoc',
    z.strictObject({ draftId, from: id, to: id }),
  ),
  /** Writes the version's content as a new edit, then records a version "restored from …". */
  'version:restore': wire<{ version: VersionView }>()(
    'runDrafting',
    z.strictObject({ draftId, versionId: id }),
  ),
} as const
