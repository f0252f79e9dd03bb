import type { AmendmentView, CommentView, DraftView, VersionView } from '@roundtable/protocol'
import { describe, expect, it } from 'vitest'
import { createStore } from 'zustand/vanilla'
import { amendmentFlag, isOpen, trackedParts } from '../src/features/drafting/amendments.ts'
import {
  createDraftingSlice,
  type DraftingSlice,
  threadsOf,
} from '../src/features/drafting/drafting-slice.ts'
import { archiveUrl, browserTimeZone, draftExportUrl, minutesUrl } from '../src/features/drafting/links.ts'

const anchor = { start: 'AAAA', end: 'AAAA', quote: 'shall' }
const draft = (id: string, createdAt: string): DraftView =>
  ({
    id,
    title: id,
    kind: 'policy_brief',
    delegationId: null,
    docName: `m.${id}`,
    createdAt,
    latestVersionId: null,
  }) as DraftView
const comment = (id: string, parentId: string | null, createdAt: string, draftId = 'brief'): CommentView =>
  ({
    id,
    draftId,
    parentId,
    anchor,
    body: id,
    authorId: 'p',
    authorName: 'P',
    delegationId: null,
    createdAt,
    resolved: false,
    resolvedBy: null,
    resolvedAt: null,
    detached: false,
  }) as CommentView
const amendment = (over: Partial<AmendmentView>): AmendmentView =>
  ({
    id: 'a1',
    draftId: 'brief',
    type: 'replace',
    anchor,
    oldText: 'shall',
    newText: 'should',
    reason: '',
    proposerId: 'p',
    proposerName: 'P',
    delegationId: null,
    status: 'proposed',
    voteId: null,
    decidedBy: null,
    staleReason: null,
    createdAt: '2026-01-01T00:00:00Z',
    decidedAt: null,
    versionId: null,
    ...over,
  }) as AmendmentView

const store = () => createStore<DraftingSlice>()((...a) => createDraftingSlice(...a))

describe('drafting slice', () => {
  it('keeps the brief first and a new draft from an event at the end', () => {
    const s = store()
    s.getState().applyDraftList([draft('b2', '2026-01-02'), draft('brief', '2026-01-03')])
    s.getState().applyDrafting({ type: 'draft', draft: draft('c3', '2026-01-04') })
    expect(s.getState().drafts.map((d) => d.id)).toEqual(['brief', 'b2', 'c3'])
    s.getState().applyDrafting({ type: 'draft', draft: { ...draft('b2', '2026-01-02'), title: 'Renamed' } })
    expect(s.getState().drafts.map((d) => d.title)).toEqual(['brief', 'Renamed', 'c3'])
  })

  it('replaces an item by id and ignores events of drafts not read yet', () => {
    const s = store()
    s.getState().applyDraftItems('brief', { comments: [comment('c1', null, '1')] })
    s.getState().applyDrafting({ type: 'comment', comment: { ...comment('c1', null, '1'), resolved: true } })
    s.getState().applyDrafting({ type: 'comment', comment: comment('x', null, '1', 'other') })
    expect(s.getState().draftItems.brief.comments.map((c) => c.resolved)).toEqual([true])
    expect(s.getState().draftItems.other).toBeUndefined()
  })

  it('orders versions by number whatever order events arrive in', () => {
    const s = store()
    const v = (n: number) => ({ id: `v${n}`, draftId: 'brief', number: n }) as VersionView
    s.getState().applyDraftItems('brief', { versions: [v(1)] })
    s.getState().applyDrafting({ type: 'version', version: v(3) })
    s.getState().applyDrafting({ type: 'version', version: v(2) })
    expect(s.getState().draftItems.brief.versions.map((x) => x.number)).toEqual([1, 2, 3])
  })

  it('threads: replies under their first comment, oldest first', () => {
    const t = threadsOf([
      comment('r2', 'c1', '3'),
      comment('c2', null, '2'),
      comment('c1', null, '1'),
      comment('r1', 'c1', '2'),
    ])
    expect(t.map((x) => [x.root.id, x.replies.map((r) => r.id)])).toEqual([
      ['c1', ['r1', 'r2']],
      ['c2', []],
    ])
  })
})

describe('amendments beside the text', () => {
  const here = { from: 1, to: 6, detached: false as const }
  it('a passage that still reads as proposed is fine; an edited one is flagged for review', () => {
    expect(amendmentFlag(amendment({}), here, 'shall')).toBe('ok')
    expect(amendmentFlag(amendment({}), here, 'must')).toBe('changed')
    expect(amendmentFlag(amendment({ status: 'stale' }), here, 'shall')).toBe('changed')
  })
  it('a deleted passage is detached, but an insertion point has no passage to lose', () => {
    expect(amendmentFlag(amendment({}), { detached: true }, null)).toBe('detached')
    expect(amendmentFlag(amendment({ type: 'insert', oldText: '' }), { detached: true }, null)).toBe('ok')
  })
  it('a decided amendment is not flagged and no longer open', () => {
    expect(amendmentFlag(amendment({ status: 'adopted' }), { detached: true }, null)).toBe('ok')
    expect(isOpen(amendment({ status: 'rejected' }))).toBe(false)
    expect(isOpen(amendment({ status: 'stale' }))).toBe(true)
  })
  it('tracked parts by type', () => {
    expect(trackedParts(amendment({}))).toEqual({ struck: 'shall', inserted: 'should' })
    expect(trackedParts(amendment({ type: 'delete', newText: '' }))).toEqual({
      struck: 'shall',
      inserted: '',
    })
    expect(trackedParts(amendment({ type: 'insert', oldText: '', newText: 'x' }))).toEqual({
      struck: '',
      inserted: 'x',
    })
  })
})

describe('download routes (the wire contract)', () => {
  it('names the routes outside tools use', () => {
    expect(draftExportUrl('oecd', 'brief', 'docx')).toBe('/api/meetings/oecd/drafts/brief/export?format=docx')
    expect(minutesUrl('oecd', 'md', 'fr')).toBe('/api/meetings/oecd/minutes?format=md&lang=fr')
    expect(minutesUrl('oecd', 'pdf', 'en')).toBe('/api/meetings/oecd/minutes?format=pdf')
    expect(archiveUrl('oecd')).toBe('/api/meetings/oecd/archive')
  })
  it('passes the reader’s language and time zone (the zone encoded)', () => {
    expect(draftExportUrl('oecd', 'brief', 'pdf', { lang: 'fr', tz: 'Europe/Paris' })).toBe(
      '/api/meetings/oecd/drafts/brief/export?format=pdf&lang=fr&tz=Europe%2FParis',
    )
    expect(draftExportUrl('oecd', 'brief', 'md', { lang: 'en', tz: 'America/New_York' })).toBe(
      '/api/meetings/oecd/drafts/brief/export?format=md&tz=America%2FNew_York',
    )
    expect(minutesUrl('oecd', 'docx', 'fr', 'Asia/Kolkata')).toBe(
      '/api/meetings/oecd/minutes?format=docx&lang=fr&tz=Asia%2FKolkata',
    )
    expect(minutesUrl('oecd', 'md', 'en', undefined)).toBe('/api/meetings/oecd/minutes?format=md')
    expect(browserTimeZone()).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone)
  })
})
