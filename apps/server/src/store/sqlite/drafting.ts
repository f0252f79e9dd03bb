import { DRAFTING_RECORD_TABLES, type DraftingRecordTable, draftingStore } from '../drafting.ts'
import type { Row } from '../rows.ts'
import type { DraftingStore } from '../types.ts'
import type { SqliteContext } from './context.ts'

/** Drafting's statements on SQLite (the store's shape is shared: ../drafting.ts). */
export const sqliteDrafting = ({ read, stmt, exec }: SqliteContext): DraftingStore =>
  draftingStore({
    // seq keeps creation order when a row is replaced (INSERT … ON CONFLICT updates the first row in place).
    put: async (table, meetingId, id, draftId, data) => {
      await exec(
        `INSERT INTO ${table} (meeting_id, id, draft_id, data) VALUES (?, ?, ?, ?)
       ON CONFLICT (meeting_id, id) DO UPDATE SET data = excluded.data`,
        meetingId,
        id,
        draftId,
        data,
      )
    },
    list: (table, meetingId, draftId) =>
      read(
        () =>
          (draftId === null
            ? stmt(`SELECT data FROM ${table} WHERE meeting_id = ? ORDER BY seq`).all(meetingId)
            : stmt(`SELECT data FROM ${table} WHERE meeting_id = ? AND draft_id = ? ORDER BY seq`).all(
                meetingId,
                draftId,
              )) as Row[],
      ),
    addVersion: async (meetingId, id, draftId, data, snapshot) => {
      await exec(
        'INSERT INTO draft_versions (meeting_id, id, draft_id, data, snapshot) VALUES (?, ?, ?, ?, ?)',
        meetingId,
        id,
        draftId,
        data,
        snapshot,
      )
    },
    getVersion: (meetingId, versionId) =>
      read(
        () =>
          stmt('SELECT data, snapshot FROM draft_versions WHERE meeting_id = ? AND id = ?').get(
            meetingId,
            versionId,
          ) as Row | undefined,
      ),
  })

const recordTable = (t: DraftingRecordTable) => `
CREATE TABLE ${t} (seq INTEGER PRIMARY KEY AUTOINCREMENT, meeting_id TEXT NOT NULL, id TEXT NOT NULL, draft_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE UNIQUE INDEX ${t}_by_id ON ${t} (meeting_id, id);
CREATE INDEX ${t}_by_draft ON ${t} (meeting_id, draft_id, seq);`

/** Migration: drafting's records. Never edit once released. */
export const SQLITE_DRAFTING_SCHEMA = `${DRAFTING_RECORD_TABLES.map(recordTable).join('\n')}
CREATE TABLE draft_versions (seq INTEGER PRIMARY KEY AUTOINCREMENT, meeting_id TEXT NOT NULL, id TEXT NOT NULL, draft_id TEXT NOT NULL, data TEXT NOT NULL, snapshot BLOB NOT NULL);
CREATE UNIQUE INDEX draft_versions_by_id ON draft_versions (meeting_id, id);
CREATE INDEX draft_versions_by_draft ON draft_versions (meeting_id, draft_id, seq);
`
