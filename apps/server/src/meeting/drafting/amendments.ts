import type { AmendmentView, DraftId } from '@roundtable/protocol'
import { AppError } from '../../errors.ts'
import type { StoredVote } from '../../store/types.ts'
import type { MeetingContext } from '../context.ts'
import { commitVersion, emitDrafting, nextVersion, snapshotOf, storedDrafts, withDraftDoc } from './store.ts'
import { blocksOf, markdownOf, replacePassage, resolveAnchor } from './text.ts'
import { markdownOfSnapshot } from './versions.ts'

export const requireAmendment = async (ctx: MeetingContext, id: string): Promise<AmendmentView> => {
  await ctx.settled()
  const a = (await ctx.store.listAmendments(ctx.meetingId, null)).find((x) => x.id === id)
  if (!a) throw new AppError('RT_ERR_NOT_FOUND', 'No such amendment in this meeting.')
  return a
}

/** Commits an amendment as it now stands, audited as `action` with `detail`, and announces it. */
export const commitAmendment = async (
  ctx: MeetingContext,
  action: string,
  detail: Record<string, unknown>,
  amendment: AmendmentView,
): Promise<AmendmentView> => {
  await ctx.commit({
    action,
    detail,
    writes: (store) => [store.putAmendment(ctx.meetingId, amendment)],
    next: {},
  })
  emitDrafting(ctx, { type: 'amendment', amendment })
  return amendment
}

/** Still to be decided: proposed, put to a vote, or flagged stale and awaiting review. */
export const undecided = (a: AmendmentView): boolean =>
  a.status === 'proposed' || a.status === 'voting' || a.status === 'stale'

/**
 * [AM-APPLY] Adopts an amendment: in one server-side edit, only if the anchored passage still reads
 * exactly `oldText` (and lies within one paragraph); otherwise it is flagged stale and the text is
 * left alone. Applied, it is recorded with the version the edit made.
 */
export const adoptAmendment = async (
  ctx: MeetingContext,
  a: AmendmentView,
  decidedBy: 'vote' | 'consensus',
): Promise<AmendmentView> => {
  const outcome = await withDraftDoc(ctx.services.docs, ctx.meetingId, a.draftId, (doc) => {
    const p = resolveAnchor(doc, a.anchor)
    if (!p) return { stale: 'The passage was deleted since the amendment was proposed.' }
    if (!p.single) return { stale: 'The passage now spans paragraphs.' }
    if (p.text !== a.oldText) return { stale: 'The passage changed since the amendment was proposed.' }
    replacePassage(p, a.newText)
    return { snapshot: snapshotOf(doc) }
  })
  const now = ctx.now().toISOString()
  if ('stale' in outcome && outcome.stale) {
    const stale: AmendmentView = { ...a, status: 'stale', staleReason: outcome.stale, decidedBy: null }
    return commitAmendment(
      ctx,
      'amendment.stale',
      { amendmentId: a.id, draftId: a.draftId, reason: outcome.stale },
      stale,
    )
  }
  const delegation = (await ctx.part('delegations')).find((d) => d.id === a.delegationId)
  const version = await nextVersion(
    ctx,
    a.draftId,
    `Amendment (${delegation?.name ?? a.proposerName}) applied`,
    'amendment',
  )
  const adopted: AmendmentView = {
    ...a,
    status: 'adopted',
    decidedBy,
    decidedAt: now,
    staleReason: null,
    versionId: version.id,
  }
  await commitVersion(ctx, version, (outcome as { snapshot: Uint8Array }).snapshot, {
    action: 'amendment.adopt',
    writes: (store) => [store.putAmendment(ctx.meetingId, adopted)],
  })
  emitDrafting(ctx, { type: 'amendment', amendment: adopted })
  return adopted
}

export const rejectAmendment = async (
  ctx: MeetingContext,
  a: AmendmentView,
  decidedBy: 'vote' | 'consensus',
): Promise<AmendmentView> => {
  const rejected: AmendmentView = { ...a, status: 'rejected', decidedBy, decidedAt: ctx.now().toISOString() }
  return commitAmendment(
    ctx,
    'amendment.reject',
    { amendmentId: a.id, draftId: a.draftId, by: decidedBy },
    rejected,
  )
}

/** Whether a closed motion or consent vote carried its one proposal. */
export const carried = (vote: StoredVote): boolean => {
  const r = vote.result
  if (!r?.quorumMet) return false
  return vote.method === 'motion' ? r.winners.includes('yes') : r.winners.length > 0
}

/**
 * [AM-VOTE] Runs in the closing vote's turn: the amendment it decides is adopted (and applied) if the
 * motion carried, rejected if not; then every draft whose text changed since its last version gets a
 * version named after the vote, so the record shows the text as it stood at each decision.
 */
export const afterVoteClosed = async (ctx: MeetingContext, vote: StoredVote): Promise<void> => {
  await ctx.settled()
  const linked = (await ctx.store.listAmendments(ctx.meetingId, null)).filter(
    (a) => a.voteId === vote.id && a.status === 'voting',
  )
  for (const a of linked) {
    if (carried(vote)) await adoptAmendment(ctx, a, 'vote')
    else await rejectAmendment(ctx, a, 'vote')
  }
  await ctx.settled()
  const versions = await ctx.store.listVersions(ctx.meetingId, null)
  for (const d of await storedDrafts(ctx)) {
    const { markdown, snapshot, empty } = await withDraftDoc(
      ctx.services.docs,
      ctx.meetingId,
      d.id,
      (doc) => {
        const blocks = blocksOf(doc)
        return { markdown: markdownOf(blocks), snapshot: snapshotOf(doc), empty: blocks.length === 0 }
      },
    )
    if (empty) continue
    const last = versions.filter((v) => v.draftId === d.id).at(-1)
    if (last) {
      const stored = await ctx.store.getVersion(ctx.meetingId, last.id)
      if (stored && markdownOfSnapshot(stored.snapshot) === markdown) continue
    }
    const version = await nextVersion(
      ctx,
      d.id as DraftId,
      `After the vote: ${vote.question}`.slice(0, 200),
      'vote',
    )
    await commitVersion(ctx, version, snapshot)
  }
}
