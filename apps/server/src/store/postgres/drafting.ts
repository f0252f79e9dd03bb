import { DRAFTING_RECORD_TABLES, type DraftingRecordTable, draftingStore } from '../drafting.ts'
import type { DraftingStore } from '../types.ts'
import type { PostgresContext } from './context.ts'

/** Drafting's statements on PostgreSQL (the store's shape is shared: ../drafting.ts). */
export const postgresDrafting = ({ query, run }: PostgresContext): DraftingStore =>
  draftingStore({
    put: async (table, meetingId, id, draftId, data) => {
      await run(
        `INSERT INTO ${table} (meeting_id, id, draft_id, data) VALUES ($1, $2, $3, $4)
       ON CONFLICT (meeting_id, id) DO UPDATE SET data = excluded.data`,
        [meetingId, id, draftId, data],
      )
    },
    list: (table, meetingId, draftId) =>
      draftId === null
        ? query(`SELECT data FROM ${table} WHERE meeting_id = $1 ORDER BY seq`, [meetingId])
        : query(`SELECT data FROM ${table} WHERE meeting_id = $1 AND draft_id = $2 ORDER BY seq`, [
            meetingId,
            draftId,
          ]),
    addVersion: async (meetingId, id, draftId, data, snapshot) => {
      await run(
        'INSERT INTO draft_versions (meeting_id, id, draft_id, data, snapshot) VALUES ($1, $2, $3, $4, $5)',
        [meetingId, id, draftId, data, Buffer.from(snapshot)],
      )
    },
    getVersion: async (meetingId, versionId) =>
      (
        await query('SELECT data, snapshot FROM draft_versions WHERE meeting_id = $1 AND id = $2', [
          meetingId,
          versionId,
        ])
      )[0],
  })

const recordTable = (t: DraftingRecordTable) => `
CREATE TABLE ${t} (seq BIGSERIAL PRIMARY KEY, meeting_id TEXT NOT NULL, id TEXT NOT NULL, draft_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE UNIQUE INDEX ${t}_by_id ON ${t} (meeting_id, id);
CREATE INDEX ${t}_by_draft ON ${t} (meeting_id, draft_id, seq);`

/** Migration: drafting's records. Never edit once released. */
export const POSTGRES_DRAFTING_SCHEMA = `${DRAFTING_RECORD_TABLES.map(recordTable).join('\n')}
CREATE TABLE draft_versions (seq BIGSERIAL PRIMARY KEY, meeting_id TEXT NOT NULL, id TEXT NOT NULL, draft_id TEXT NOT NULL, data TEXT NOT NULL, snapshot BYTEA NOT NULL);
CREATE UNIQUE INDEX draft_versions_by_id ON draft_versions (meeting_id, id);
CREATE INDEX draft_versions_by_draft ON draft_versions (meeting_id, draft_id, seq);
`
