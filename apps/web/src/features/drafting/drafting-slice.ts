import type {
  AmendmentView,
  BracketView,
  CommentView,
  DraftingEvent,
  DraftView,
  VersionView,
} from '@roundtable/protocol'
import type { StateCreator } from 'zustand/vanilla'

/** What a draft's side panels show; each list comes from its `…:list` and is kept by events. */
export interface DraftItems {
  comments: CommentView[]
  amendments: AmendmentView[]
  brackets: BracketView[]
  versions: VersionView[]
}

export interface DraftingData {
  /** Every draft of the meeting, the brief first (the server's order). */
  drafts: DraftView[]
  /** Per draft id, what has been read of it (a draft not opened yet has no entry). */
  draftItems: Record<string, DraftItems>
}

export interface DraftingSlice extends DraftingData {
  /** `draft:list` on every (re)connect replaces the list: drafts created meanwhile are in it. */
  applyDraftList(drafts: DraftView[]): void
  /** The four lists of one draft, read when it is opened (and again on reconnect). */
  applyDraftItems(draftId: string, items: Partial<DraftItems>): void
  /** `meeting:drafting`: one thing changed; its copy is replaced by id, a new one appended. */
  applyDrafting(ev: DraftingEvent): void
}

export const draftingInitial: DraftingData = { drafts: [], draftItems: {} }

const EMPTY: DraftItems = { comments: [], amendments: [], brackets: [], versions: [] }

const upsert = <T extends { id: string }>(list: T[], item: T): T[] =>
  list.some((x) => x.id === item.id) ? list.map((x) => (x.id === item.id ? item : x)) : [...list, item]

/** The brief first, then the others in order of creation (as the server lists them). */
const draftOrder = (a: DraftView, b: DraftView) =>
  a.id === 'brief' ? -1 : b.id === 'brief' ? 1 : a.createdAt.localeCompare(b.createdAt)

/** Applies one event to the lists of its draft (only drafts already read are kept up to date). */
export const applyDraftingEvent = (data: DraftingData, ev: DraftingEvent): DraftingData => {
  if (ev.type === 'draft') return { ...data, drafts: upsert(data.drafts, ev.draft).sort(draftOrder) }
  const item =
    ev.type === 'comment'
      ? ev.comment
      : ev.type === 'amendment'
        ? ev.amendment
        : ev.type === 'bracket'
          ? ev.bracket
          : ev.version
  const current = data.draftItems[item.draftId]
  if (!current) return data
  const next: DraftItems =
    ev.type === 'comment'
      ? { ...current, comments: upsert(current.comments, ev.comment) }
      : ev.type === 'amendment'
        ? { ...current, amendments: upsert(current.amendments, ev.amendment) }
        : ev.type === 'bracket'
          ? { ...current, brackets: upsert(current.brackets, ev.bracket) }
          : { ...current, versions: upsert(current.versions, ev.version).sort((a, b) => a.number - b.number) }
  return { ...data, draftItems: { ...data.draftItems, [item.draftId]: next } }
}

export const createDraftingSlice: StateCreator<DraftingSlice, [], [], DraftingSlice> = (set) => ({
  ...draftingInitial,
  applyDraftList: (drafts) => set({ drafts: [...drafts].sort(draftOrder) }),
  applyDraftItems: (draftId, items) =>
    set((st) => ({
      draftItems: { ...st.draftItems, [draftId]: { ...(st.draftItems[draftId] ?? EMPTY), ...items } },
    })),
  applyDrafting: (ev) =>
    set((st) => {
      const next = applyDraftingEvent(st, ev)
      return next === st ? st : { drafts: next.drafts, draftItems: next.draftItems }
    }),
})

/** A comment thread: its first comment and the replies, oldest first. */
export interface Thread {
  root: CommentView
  replies: CommentView[]
}

export const threadsOf = (comments: CommentView[]): Thread[] => {
  const byTime = [...comments].sort((a, b) => a.createdAt.localeCompare(b.createdAt))
  const roots = byTime.filter((c) => c.parentId === null)
  return roots.map((root) => ({ root, replies: byTime.filter((c) => c.parentId === root.id) }))
}
