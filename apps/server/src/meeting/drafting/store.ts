import { randomBytes } from 'node:crypto'
import {
  BRIEF_DRAFT_ID,
  type DraftId,
  type DraftView,
  type DraftingEvent,
  draftDocSuffix,
  type MeetingId,
  type VersionId,
  type VersionReason,
  type VersionView,
} from '@roundtable/protocol'
import * as Y from 'yjs'
import { AppError } from '../../errors.ts'
import type { DraftingStore, StoredDraft } from '../../store/types.ts'
import type { DocWriter, MeetingContext } from '../context.ts'

/**
 * Drafting's records live in their own tables (store/<dialect>/drafting.ts), not in a cached part:
 * commands read them after `ctx.settled()`, inside the meeting's turn, so no other command of the
 * meeting interleaves between the read and the commit.
 */

/** Draft ids go into document names (`draft-<id>`): lowercase letters and digits only. */
export const newDraftId = (): DraftId => {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
  return Array.from(randomBytes(12), (b) => alphabet[b % alphabet.length]).join('') as DraftId
}

export const draftDocName = (meetingId: MeetingId, draftId: string): string =>
  `${meetingId}.${draftDocSuffix(draftId)}`

/** The brief exists from the start, before anyone titles it: listed first with a default title. */
const briefDraft = (meetingId: MeetingId, createdAt: string): StoredDraft => ({
  id: BRIEF_DRAFT_ID,
  meetingId,
  title: 'Policy brief',
  kind: 'policy_brief',
  delegationId: null,
  createdAt,
})

/** Every draft of the meeting, the brief first, as storage holds them (a command settles first). */
export const draftsFrom = async (store: DraftingStore, meetingId: MeetingId, meetingCreatedAt: string) => {
  const rows = await store.listDrafts(meetingId)
  const brief = rows.find((d) => d.id === BRIEF_DRAFT_ID) ?? briefDraft(meetingId, meetingCreatedAt)
  return [brief, ...rows.filter((d) => d.id !== BRIEF_DRAFT_ID)]
}

export const storedDrafts = async (ctx: Pick<MeetingContext, 'store' | 'meetingId' | 'part'>) =>
  draftsFrom(ctx.store, ctx.meetingId, (await ctx.part('meeting'))?.createdAt ?? new Date(0).toISOString())

export const viewOfDraft = (d: StoredDraft, versions: readonly VersionView[]): DraftView => ({
  id: d.id,
  title: d.title,
  kind: d.kind,
  delegationId: d.delegationId,
  docName: draftDocName(d.meetingId, d.id),
  createdAt: d.createdAt,
  latestVersionId: versions.filter((v) => v.draftId === d.id).at(-1)?.id ?? null,
})

export const requireDraft = async (ctx: MeetingContext, draftId: string): Promise<StoredDraft> => {
  await ctx.settled()
  const d = (await storedDrafts(ctx)).find((x) => x.id === draftId)
  if (!d) throw new AppError('RT_ERR_NOT_FOUND', 'No such draft in this meeting.')
  return d
}

/**
 * Runs `fn` over the draft's document as the pipeline holds it now; whatever `fn` changes is one
 * server-side edit (shape-checked, durable, relayed). A `fn` that changes nothing is a read.
 */
export const withDraftDoc = async <T>(
  docs: DocWriter,
  meetingId: MeetingId,
  draftId: string,
  fn: (doc: Y.Doc) => T,
): Promise<T> => {
  let out: { value: T } | null = null
  await docs.transact(draftDocName(meetingId, draftId), (doc) => {
    out = { value: fn(doc) }
  })
  if (!out) throw new Error('document write did not run')
  return (out as { value: T }).value
}

/** The document's whole state now, as a version keeps it. */
export const snapshotOf = (doc: Y.Doc): Uint8Array => Y.encodeStateAsUpdate(doc)

export const emitDrafting = (ctx: MeetingContext, event: DraftingEvent): void =>
  ctx.after(() => ctx.services.events.emit('drafting', ctx.meetingId, event))

/** The next version of a draft (the caller commits it, with its snapshot). */
export const nextVersion = async (
  ctx: MeetingContext,
  draftId: DraftId,
  name: string,
  reason: VersionReason,
  restoredFrom: VersionId | null = null,
): Promise<VersionView> => {
  const existing = await ctx.store.listVersions(ctx.meetingId, draftId)
  return {
    id: randomBytes(9).toString('base64url') as VersionId,
    draftId,
    number: existing.length + 1,
    name,
    reason,
    restoredFrom,
    createdAt: ctx.now().toISOString(),
    createdBy: ctx.self?.id ?? null,
  }
}

/** Commits a version and announces it. */
export const commitVersion = async (
  ctx: MeetingContext,
  version: VersionView,
  snapshot: Uint8Array,
  extra: { action?: string; writes?: Parameters<MeetingContext['commit']>[0]['writes'] } = {},
): Promise<void> => {
  await ctx.commit({
    action: extra.action ?? 'version.create',
    detail: {
      draftId: version.draftId,
      versionId: version.id,
      number: version.number,
      name: version.name,
      reason: version.reason,
    },
    writes: (store) => [...(extra.writes?.(store) ?? []), store.addVersion(ctx.meetingId, version, snapshot)],
    next: {},
  })
  emitDrafting(ctx, { type: 'version', version })
}
