import type { AmendmentView, BracketView, DraftId, MeetingId, VersionView } from '@roundtable/protocol'
import type { DraftingStore, StoredComment, StoredDraft } from '../types.ts'
import type { PostgresContext } from './context.ts'

/** The four record tables share one layout: a row per record, its JSON replaced whole as it changes. */
const RECORD_TABLES = ['drafts', 'draft_comments', 'draft_amendments', 'draft_brackets'] as const
type RecordTable = (typeof RECORD_TABLES)[number]

/** Drafts and what hangs on them; versions keep their Yjs snapshot beside the JSON. */
export const postgresDrafting = ({ query, run }: PostgresContext): DraftingStore => {
  const put = async (
    table: RecordTable,
    meetingId: MeetingId,
    id: string,
    draftId: string,
    data: unknown,
  ) => {
    await run(
      `INSERT INTO ${table} (meeting_id, id, draft_id, data) VALUES ($1, $2, $3, $4)
       ON CONFLICT (meeting_id, id) DO UPDATE SET data = excluded.data`,
      [meetingId, id, draftId, JSON.stringify(data)],
    )
  }
  const list = async <T>(table: string, meetingId: MeetingId, draftId: DraftId | null): Promise<T[]> =>
    (draftId === null
      ? await query(`SELECT data FROM ${table} WHERE meeting_id = $1 ORDER BY seq`, [meetingId])
      : await query(`SELECT data FROM ${table} WHERE meeting_id = $1 AND draft_id = $2 ORDER BY seq`, [
          meetingId,
          draftId,
        ])
    ).map((r) => JSON.parse(r.data as string) as T)
  return {
    putDraft: (d: StoredDraft) => put('drafts', d.meetingId, d.id, d.id, d),
    listDrafts: (meetingId) => list<StoredDraft>('drafts', meetingId, null),
    putComment: (meetingId, c: StoredComment) => put('draft_comments', meetingId, c.id, c.draftId, c),
    listComments: (meetingId, draftId) => list<StoredComment>('draft_comments', meetingId, draftId),
    putAmendment: (meetingId, a: AmendmentView) => put('draft_amendments', meetingId, a.id, a.draftId, a),
    listAmendments: (meetingId, draftId) => list<AmendmentView>('draft_amendments', meetingId, draftId),
    putBracket: (meetingId, b: BracketView) => put('draft_brackets', meetingId, b.id, b.draftId, b),
    listBrackets: (meetingId, draftId) => list<BracketView>('draft_brackets', meetingId, draftId),
    addVersion: async (meetingId, v: VersionView, snapshot) => {
      await run(
        'INSERT INTO draft_versions (meeting_id, id, draft_id, data, snapshot) VALUES ($1, $2, $3, $4, $5)',
        [meetingId, v.id, v.draftId, JSON.stringify(v), Buffer.from(snapshot)],
      )
    },
    listVersions: (meetingId, draftId) => list<VersionView>('draft_versions', meetingId, draftId),
    getVersion: async (meetingId, versionId) => {
      const [r] = await query('SELECT data, snapshot FROM draft_versions WHERE meeting_id = $1 AND id = $2', [
        meetingId,
        versionId,
      ])
      return r
        ? {
            version: JSON.parse(r.data as string) as VersionView,
            snapshot: new Uint8Array(r.snapshot as Buffer),
          }
        : null
    },
  }
}

const recordTable = (t: RecordTable) => `
CREATE TABLE ${t} (seq BIGSERIAL PRIMARY KEY, meeting_id TEXT NOT NULL, id TEXT NOT NULL, draft_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE UNIQUE INDEX ${t}_by_id ON ${t} (meeting_id, id);
CREATE INDEX ${t}_by_draft ON ${t} (meeting_id, draft_id, seq);`

/** Migration: drafting's records. Never edit once released. */
export const POSTGRES_DRAFTING_SCHEMA = `${RECORD_TABLES.map(recordTable).join('\n')}
CREATE TABLE draft_versions (seq BIGSERIAL PRIMARY KEY, meeting_id TEXT NOT NULL, id TEXT NOT NULL, draft_id TEXT NOT NULL, data TEXT NOT NULL, snapshot BYTEA NOT NULL);
CREATE UNIQUE INDEX draft_versions_by_id ON draft_versions (meeting_id, id);
CREATE INDEX draft_versions_by_draft ON draft_versions (meeting_id, draft_id, seq);
`
