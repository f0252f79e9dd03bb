import { randomBytes } from 'node:crypto'
import { writeBriefOutline } from '@roundtable/doc-schema'
import {
  type AmendmentId,
  type AmendmentView,
  type BracketId,
  type BracketView,
  type CommentId,
  type CommentView,
  DRAFTING_LIMITS,
  type DraftId,
  LIMITS,
  type VersionId,
} from '@roundtable/protocol'
import { AppError } from '../../errors.ts'
import type { StoredComment, StoredDraft } from '../../store/types.ts'
import { type MeetingCommands, type MeetingContext, requireDelegation } from '../context.ts'
import { VOTES } from '../votes/commands.ts'
import {
  adoptAmendment,
  commitAmendment,
  rejectAmendment,
  requireAmendment,
  undecided,
} from './amendments.ts'
import {
  commitVersion,
  emitDrafting,
  newDraftId,
  nextVersion,
  requireDraft,
  snapshotOf,
  storedDrafts,
  viewOfDraft,
  withDraftDoc,
} from './store.ts'
import {
  isEmptyDraft,
  replaceContent,
  replacePassage,
  resolveAnchor,
  draftFragment,
  docFrom,
} from './text.ts'
import { compareTexts, markdownOfSnapshot } from './versions.ts'

const rowId = (): string => randomBytes(9).toString('base64url')

const draftView = async (ctx: MeetingContext, d: StoredDraft) =>
  viewOfDraft(d, await ctx.store.listVersions(ctx.meetingId, d.id))

const commitDraft = async (ctx: MeetingContext, action: string, d: StoredDraft) => {
  await ctx.commit({
    action,
    detail: { draftId: d.id, title: d.title, kind: d.kind, delegationId: d.delegationId },
    writes: (store) => [store.putDraft(d)],
    next: {},
  })
  const draft = await draftView(ctx, d)
  emitDrafting(ctx, { type: 'draft', draft })
  return draft
}

/** Comments are judged against the document when read: a deleted passage shows as detached. */
const withDetached = async (
  ctx: MeetingContext,
  draftId: string,
  rows: StoredComment[],
): Promise<CommentView[]> => {
  const detached = await withDraftDoc(ctx.services.docs, ctx.meetingId, draftId, (doc) => {
    const roots = new Map<string, boolean>()
    for (const c of rows) if (c.parentId === null) roots.set(c.id, resolveAnchor(doc, c.anchor) === null)
    return roots
  })
  return rows.map((c) => ({ ...c, detached: detached.get(c.parentId ?? c.id) ?? false }))
}

const requireComment = async (ctx: MeetingContext, id: string): Promise<StoredComment> => {
  await ctx.settled()
  const c = (await ctx.store.listComments(ctx.meetingId, null)).find((x) => x.id === id)
  if (!c) throw new AppError('RT_ERR_NOT_FOUND', 'No such comment in this meeting.')
  return c
}

const commitComment = async (ctx: MeetingContext, action: string, c: StoredComment): Promise<CommentView> => {
  await ctx.commit({
    action,
    detail: { commentId: c.id, draftId: c.draftId, parentId: c.parentId },
    writes: (store) => [store.putComment(ctx.meetingId, c)],
    next: {},
  })
  const [comment] = await withDetached(ctx, c.draftId, [c])
  // A reply is judged by its thread's first comment, which this one-row check cannot see.
  const view = c.parentId ? { ...comment, detached: false } : comment
  emitDrafting(ctx, { type: 'comment', comment: view })
  return view
}

/** A new comment by the caller, not resolved: a thread's first (`parentId` null) or a reply in it. */
const newComment = (
  ctx: MeetingContext,
  at: Pick<StoredComment, 'draftId' | 'parentId' | 'anchor' | 'body'>,
): StoredComment => {
  const me = self(ctx)
  return {
    id: rowId() as CommentId,
    ...at,
    authorId: me.id,
    authorName: me.displayName,
    delegationId: me.delegationId,
    createdAt: ctx.now().toISOString(),
    resolved: false,
    resolvedBy: null,
    resolvedAt: null,
  }
}

const setResolved = async (ctx: MeetingContext, id: string, resolved: boolean) => {
  const c = await requireComment(ctx, id)
  if (c.parentId !== null)
    throw new AppError('RT_ERR_BAD_REQUEST', "Resolve a thread by its first comment's id.")
  if (c.resolved === resolved)
    throw new AppError('RT_ERR_CONFLICT', resolved ? 'Already resolved.' : 'Not resolved.')
  const next: StoredComment = {
    ...c,
    resolved,
    resolvedBy: resolved ? (ctx.self?.id ?? null) : null,
    resolvedAt: resolved ? ctx.now().toISOString() : null,
  }
  return { comment: await commitComment(ctx, resolved ? 'comment.resolve' : 'comment.reopen', next) }
}

/** Adopts or rejects by consensus an amendment still undecided and not on a vote (its vote decides it). */
const byConsensus = async (
  ctx: MeetingContext,
  id: string,
  decide: typeof adoptAmendment | typeof rejectAmendment,
) => {
  const amendment = await requireAmendment(ctx, id)
  if (!undecided(amendment)) throw new AppError('RT_ERR_CONFLICT', 'This amendment has been decided.')
  if (amendment.status === 'voting')
    throw new AppError('RT_ERR_CONFLICT', 'This amendment is being voted on: its vote decides it.')
  return { amendment: await decide(ctx, amendment, 'consensus') }
}

const requireBracket = async (ctx: MeetingContext, id: string): Promise<BracketView> => {
  await ctx.settled()
  const b = (await ctx.store.listBrackets(ctx.meetingId, null)).find((x) => x.id === id)
  if (!b) throw new AppError('RT_ERR_NOT_FOUND', 'No such bracket in this meeting.')
  return b
}

const requireVersion = async (ctx: MeetingContext, draftId: string, versionId: string) => {
  await ctx.settled()
  const v = await ctx.store.getVersion(ctx.meetingId, versionId)
  if (!v || v.version.draftId !== draftId)
    throw new AppError('RT_ERR_NOT_FOUND', 'No such version of this draft.')
  return v
}

const self = (ctx: MeetingContext) => {
  if (!ctx.self) throw new AppError('RT_ERR_FORBIDDEN')
  return ctx.self
}

/** The short wording a vote on an amendment is put as (the vote's question has a title's length). */
const questionOf = (a: AmendmentView): string => {
  const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s)
  const q =
    a.type === 'insert'
      ? `Insert “${clip(a.newText, 80)}”`
      : a.type === 'delete'
        ? `Delete “${clip(a.oldText, 80)}”`
        : `Replace “${clip(a.oldText, 60)}” by “${clip(a.newText, 60)}”`
  return clip(`Amendment: ${q}`, LIMITS.title)
}

export const DRAFTING = {
  'draft:list': {
    changes: [],
    async run(ctx) {
      await ctx.settled()
      const versions = await ctx.store.listVersions(ctx.meetingId, null)
      return { drafts: (await storedDrafts(ctx)).map((d) => viewOfDraft(d, versions)) }
    },
  },
  'draft:create': {
    changes: [],
    async run(ctx, a) {
      await ctx.settled()
      if ((await storedDrafts(ctx)).length >= DRAFTING_LIMITS.drafts)
        throw new AppError('RT_ERR_CONFLICT', `A meeting holds at most ${DRAFTING_LIMITS.drafts} drafts.`)
      if (a.kind === 'country_report') {
        if (!a.delegationId)
          throw new AppError('RT_ERR_BAD_REQUEST', 'A country report names its delegation.')
        await requireDelegation(ctx, a.delegationId as never)
      } else if (a.delegationId)
        throw new AppError('RT_ERR_BAD_REQUEST', 'Only a country report belongs to a delegation.')
      const d: StoredDraft = {
        id: newDraftId(),
        meetingId: ctx.meetingId,
        title: a.title,
        kind: a.kind,
        delegationId: (a.delegationId ?? null) as StoredDraft['delegationId'],
        createdAt: ctx.now().toISOString(),
      }
      return { draft: await commitDraft(ctx, 'draft.create', d) }
    },
  },
  'draft:rename': {
    changes: [],
    async run(ctx, a) {
      const d = await requireDraft(ctx, a.draftId)
      return { draft: await commitDraft(ctx, 'draft.rename', { ...d, title: a.title }) }
    },
  },
  'draft:seedOutline': {
    changes: [],
    async run(ctx, a) {
      const d = await requireDraft(ctx, a.draftId)
      const state = (await ctx.part('votes')).get(a.voteId)
      const vote = state?.vote
      if (!vote) throw new AppError('RT_ERR_NOT_FOUND', 'No such vote in this meeting.')
      if (vote.status !== 'closed' || !vote.result)
        throw new AppError('RT_ERR_CONFLICT', 'Only a closed vote has an adopted ranking.')
      if (!vote.result.quorumMet) throw new AppError('RT_ERR_CONFLICT', 'The vote did not reach its quorum.')
      if (vote.method === 'motion' || vote.method === 'consent')
        throw new AppError('RT_ERR_CONFLICT', 'A motion adopts no ranking of priorities.')
      // With seats, the adopted priorities are the winners; otherwise the whole order.
      const order = vote.result.ranking.flat()
      const adopted = vote.seats ? order.filter((o) => vote.result!.winners.includes(o)) : order
      const labels = new Map(vote.options.map((o) => [o.id, o.label]))
      const headings = adopted.map((o) => labels.get(o) ?? o)
      if (headings.length === 0) throw new AppError('RT_ERR_CONFLICT', 'The vote adopted nothing.')
      const snapshot = await withDraftDoc(ctx.services.docs, ctx.meetingId, d.id, (doc) => {
        if (!isEmptyDraft(doc)) return null
        const frag = draftFragment(doc)
        if (frag.length > 0) frag.delete(0, frag.length)
        writeBriefOutline(
          doc,
          headings.flatMap((text) => [
            { type: 'heading' as const, level: 2 as const, text },
            { type: 'paragraph' as const, text: '' },
          ]),
        )
        return snapshotOf(doc)
      })
      if (!snapshot)
        throw new AppError('RT_ERR_CONFLICT', 'The draft has text already: an outline seeds an empty one.')
      const version = await nextVersion(
        ctx,
        d.id,
        `Outline from the vote: ${vote.question}`.slice(0, 200),
        'outline',
      )
      await commitVersion(ctx, version, snapshot, { action: 'draft.seedOutline' })
      return { draft: await draftView(ctx, d), headings }
    },
  },

  'comment:add': {
    changes: [],
    async run(ctx, a) {
      const d = await requireDraft(ctx, a.draftId)
      const c = newComment(ctx, { draftId: d.id, parentId: null, anchor: a.anchor, body: a.body })
      return { comment: await commitComment(ctx, 'comment.add', c) }
    },
  },
  'comment:reply': {
    changes: [],
    async run(ctx, a) {
      const parent = await requireComment(ctx, a.commentId)
      const root = parent.parentId ? await requireComment(ctx, parent.parentId) : parent
      const c = newComment(ctx, {
        draftId: root.draftId,
        parentId: root.id,
        anchor: root.anchor,
        body: a.body,
      })
      return { comment: await commitComment(ctx, 'comment.reply', c) }
    },
  },
  'comment:resolve': { changes: [], run: (ctx, a) => setResolved(ctx, a.commentId, true) },
  'comment:reopen': { changes: [], run: (ctx, a) => setResolved(ctx, a.commentId, false) },
  'comment:list': {
    changes: [],
    async run(ctx, a) {
      const d = await requireDraft(ctx, a.draftId)
      return { comments: await withDetached(ctx, d.id, await ctx.store.listComments(ctx.meetingId, d.id)) }
    },
  },

  'amendment:propose': {
    changes: [],
    async run(ctx, a) {
      const d = await requireDraft(ctx, a.draftId)
      if (a.oldText !== a.anchor.quote)
        throw new AppError('RT_ERR_BAD_REQUEST', 'The old text must be the passage quoted by the anchor.')
      const shapeOk =
        a.type === 'insert'
          ? a.oldText === '' && a.newText !== ''
          : a.type === 'delete'
            ? a.oldText !== '' && a.newText === ''
            : a.oldText !== '' && a.newText !== '' && a.oldText !== a.newText
      if (!shapeOk)
        throw new AppError(
          'RT_ERR_BAD_REQUEST',
          'An insertion has new text only, a deletion old text only, a replacement both (and different).',
        )
      const me = self(ctx)
      const amendment: AmendmentView = {
        id: rowId() as AmendmentId,
        draftId: d.id,
        type: a.type,
        anchor: a.anchor,
        oldText: a.oldText,
        newText: a.newText,
        reason: a.reason,
        proposerId: me.id,
        proposerName: me.displayName,
        delegationId: me.delegationId,
        status: 'proposed',
        voteId: null,
        decidedBy: null,
        staleReason: null,
        createdAt: ctx.now().toISOString(),
        decidedAt: null,
        versionId: null,
      }
      const detail = { amendmentId: amendment.id, draftId: d.id, type: a.type, delegationId: me.delegationId }
      return { amendment: await commitAmendment(ctx, 'amendment.propose', detail, amendment) }
    },
  },
  'amendment:putToVote': {
    // The votes domain's own commands create and open the vote, in this turn: its part changes.
    changes: ['votes'],
    async run(ctx, a) {
      const amendment = await requireAmendment(ctx, a.amendmentId)
      if (amendment.status !== 'proposed')
        throw new AppError('RT_ERR_CONFLICT', 'Only a proposed amendment can be put to the vote.')
      const created = await VOTES['vote:create'].run(ctx, {
        question: questionOf(amendment),
        options: ['Adopt the amendment'],
        method: a.method,
        secret: a.secret,
        voters: a.voters,
        ...(a.threshold ? { threshold: a.threshold } : {}),
        ...(a.quorum ? { quorum: a.quorum } : {}),
        ...(a.closesInSeconds ? { closesInSeconds: a.closesInSeconds } : {}),
      })
      const { vote } = await VOTES['vote:open'].run(ctx, { voteId: created.vote.id })
      const voting = await commitAmendment(
        ctx,
        'amendment.putToVote',
        { amendmentId: amendment.id, voteId: vote.id, method: a.method },
        { ...amendment, status: 'voting', voteId: vote.id },
      )
      return { amendment: voting, vote }
    },
  },
  'amendment:adopt': { changes: [], run: (ctx, a) => byConsensus(ctx, a.amendmentId, adoptAmendment) },
  'amendment:reject': { changes: [], run: (ctx, a) => byConsensus(ctx, a.amendmentId, rejectAmendment) },
  'amendment:list': {
    changes: [],
    async run(ctx, a) {
      const d = await requireDraft(ctx, a.draftId)
      return { amendments: await ctx.store.listAmendments(ctx.meetingId, d.id) }
    },
  },

  'bracket:open': {
    changes: [],
    async run(ctx, a) {
      const d = await requireDraft(ctx, a.draftId)
      if (new Set(a.alternatives).size !== a.alternatives.length)
        throw new AppError('RT_ERR_BAD_REQUEST', 'Two alternatives have the same wording.')
      const bracket: BracketView = {
        id: rowId() as BracketId,
        draftId: d.id,
        anchor: a.anchor,
        alternatives: a.alternatives,
        status: 'open',
        choice: null,
        openedBy: self(ctx).id,
        openedAt: ctx.now().toISOString(),
        settledAt: null,
      }
      await ctx.commit({
        action: 'bracket.open',
        detail: { bracketId: bracket.id, draftId: d.id, alternatives: a.alternatives },
        writes: (store) => [store.putBracket(ctx.meetingId, bracket)],
        next: {},
      })
      emitDrafting(ctx, { type: 'bracket', bracket })
      return { bracket }
    },
  },
  'bracket:settle': {
    changes: [],
    async run(ctx, a) {
      const b = await requireBracket(ctx, a.bracketId)
      if (b.status !== 'open') throw new AppError('RT_ERR_CONFLICT', 'This bracket is settled.')
      const wording = b.alternatives[a.choice]
      if (wording === undefined) throw new AppError('RT_ERR_BAD_REQUEST', 'No such alternative.')
      const snapshot = await withDraftDoc(ctx.services.docs, ctx.meetingId, b.draftId, (doc) => {
        const p = resolveAnchor(doc, b.anchor)
        if (!p?.single) return null
        replacePassage(p, wording)
        return snapshotOf(doc)
      })
      if (!snapshot)
        throw new AppError('RT_ERR_CONFLICT', 'The bracketed passage was deleted or now spans paragraphs.')
      const settled: BracketView = {
        ...b,
        status: 'settled',
        choice: a.choice,
        settledAt: ctx.now().toISOString(),
      }
      const version = await nextVersion(
        ctx,
        b.draftId,
        `Bracket settled: “${wording}”`.slice(0, 200),
        'bracket',
      )
      await commitVersion(ctx, version, snapshot, {
        action: 'bracket.settle',
        writes: (store) => [store.putBracket(ctx.meetingId, settled)],
      })
      emitDrafting(ctx, { type: 'bracket', bracket: settled })
      return { bracket: settled }
    },
  },
  'bracket:list': {
    changes: [],
    async run(ctx, a) {
      const d = await requireDraft(ctx, a.draftId)
      const brackets = await ctx.store.listBrackets(ctx.meetingId, d.id)
      return { brackets, open: brackets.filter((b) => b.status === 'open').length }
    },
  },

  'version:create': {
    changes: [],
    async run(ctx, a) {
      const d = await requireDraft(ctx, a.draftId)
      const snapshot = await withDraftDoc(ctx.services.docs, ctx.meetingId, d.id, snapshotOf)
      const version = await nextVersion(ctx, d.id, a.name, 'named')
      await commitVersion(ctx, version, snapshot)
      return { version }
    },
  },
  'version:list': {
    changes: [],
    async run(ctx, a) {
      const d = await requireDraft(ctx, a.draftId)
      return { versions: await ctx.store.listVersions(ctx.meetingId, d.id) }
    },
  },
  'version:compare': {
    changes: [],
    async run(ctx, a) {
      const from = await requireVersion(ctx, a.draftId, a.from)
      const to = await requireVersion(ctx, a.draftId, a.to)
      return {
        from: from.version,
        to: to.version,
        changes: compareTexts(markdownOfSnapshot(from.snapshot), markdownOfSnapshot(to.snapshot)),
      }
    },
  },
  'version:restore': {
    changes: [],
    async run(ctx, a) {
      const source = await requireVersion(ctx, a.draftId, a.versionId)
      const old = docFrom(source.snapshot)
      // [VER-RESTORE] A new edit that makes the text read as the version did: history is kept, never rewound.
      const snapshot = await withDraftDoc(ctx.services.docs, ctx.meetingId, a.draftId, (doc) => {
        replaceContent(doc, old)
        return snapshotOf(doc)
      })
      old.destroy()
      const version = await nextVersion(
        ctx,
        a.draftId as DraftId,
        `Restored from “${source.version.name}” (v${source.version.number})`.slice(0, 200),
        'restore',
        source.version.id as VersionId,
      )
      await commitVersion(ctx, version, snapshot, { action: 'version.restore' })
      return { version }
    },
  },
} satisfies MeetingCommands<
  | 'draft:list'
  | 'draft:create'
  | 'draft:rename'
  | 'draft:seedOutline'
  | 'comment:add'
  | 'comment:reply'
  | 'comment:resolve'
  | 'comment:reopen'
  | 'comment:list'
  | 'amendment:propose'
  | 'amendment:putToVote'
  | 'amendment:adopt'
  | 'amendment:reject'
  | 'amendment:list'
  | 'bracket:open'
  | 'bracket:settle'
  | 'bracket:list'
  | 'version:create'
  | 'version:list'
  | 'version:compare'
  | 'version:restore'
>
