import type { DraftId, MeetingId } from '@roundtable/protocol'
import { dataFrom, type Row, versionFrom } from './rows.ts'
import type { DraftingStore } from './types.ts'

/** The four record tables share one layout: a row per record, its JSON replaced whole as it changes. */
export const DRAFTING_RECORD_TABLES = [
  'drafts',
  'draft_comments',
  'draft_amendments',
  'draft_brackets',
] as const
export type DraftingRecordTable = (typeof DRAFTING_RECORD_TABLES)[number]

/** The statements a dialect writes for drafting; everything else about the store is the same on both. */
export interface DraftingSql {
  /** Inserts a record's row, or replaces its `data` (keeping its place in creation order). */
  put(
    table: DraftingRecordTable,
    meetingId: MeetingId,
    id: string,
    draftId: string,
    data: string,
  ): Promise<void>
  /** The rows (with `data`) of the meeting, or of one of its drafts, in creation order. */
  list(
    table: DraftingRecordTable | 'draft_versions',
    meetingId: MeetingId,
    draftId: DraftId | null,
  ): Promise<Row[]>
  addVersion(
    meetingId: MeetingId,
    id: string,
    draftId: string,
    data: string,
    snapshot: Uint8Array,
  ): Promise<void>
  /** The version's row (with `data` and `snapshot`), if the meeting has it. */
  getVersion(meetingId: MeetingId, versionId: string): Promise<Row | undefined>
}

/** Drafts and what hangs on them, over a dialect's statements; versions keep their Yjs snapshot beside the JSON. */
export const draftingStore = (sql: DraftingSql): DraftingStore => {
  const put = (
    table: DraftingRecordTable,
    meetingId: MeetingId,
    id: string,
    draftId: string,
    data: unknown,
  ) => sql.put(table, meetingId, id, draftId, JSON.stringify(data))
  const list = async <T>(
    table: DraftingRecordTable | 'draft_versions',
    meetingId: MeetingId,
    draftId: DraftId | null,
  ): Promise<T[]> => (await sql.list(table, meetingId, draftId)).map((r) => dataFrom<T>(r))
  return {
    putDraft: (d) => put('drafts', d.meetingId, d.id, d.id, d),
    listDrafts: (meetingId) => list('drafts', meetingId, null),
    putComment: (meetingId, c) => put('draft_comments', meetingId, c.id, c.draftId, c),
    listComments: (meetingId, draftId) => list('draft_comments', meetingId, draftId),
    putAmendment: (meetingId, a) => put('draft_amendments', meetingId, a.id, a.draftId, a),
    listAmendments: (meetingId, draftId) => list('draft_amendments', meetingId, draftId),
    putBracket: (meetingId, b) => put('draft_brackets', meetingId, b.id, b.draftId, b),
    listBrackets: (meetingId, draftId) => list('draft_brackets', meetingId, draftId),
    addVersion: (meetingId, v, snapshot) =>
      sql.addVersion(meetingId, v.id, v.draftId, JSON.stringify(v), snapshot),
    listVersions: (meetingId, draftId) => list('draft_versions', meetingId, draftId),
    getVersion: async (meetingId, versionId) => {
      const r = await sql.getVersion(meetingId, versionId)
      return r ? versionFrom(r) : null
    },
  }
}
