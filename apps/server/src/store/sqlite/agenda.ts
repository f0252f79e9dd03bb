import type { AgendaItemId } from '@roundtable/protocol'
import { agendaFrom, type Row } from '../rows.ts'
import type { AgendaStore } from '../types.ts'
import type { SqliteContext } from './context.ts'

/** Agenda items, and the current one (a column of the meeting's row). */
export const sqliteAgenda = ({ read, stmt, exec }: SqliteContext): AgendaStore => ({
  getCurrentItem: (id) =>
    read(() => {
      const r = stmt('SELECT current_item_id FROM meetings WHERE id = ?').get(id) as Row | undefined
      return (r?.current_item_id as AgendaItemId | null) ?? null
    }),
  setCurrentItem: async (id, itemId) => {
    await exec('UPDATE meetings SET current_item_id = ? WHERE id = ?', itemId, id)
  },

  putAgendaItem: async (i) => {
    await exec(
      'INSERT OR REPLACE INTO agenda_items (id, meeting_id, position, title, kind, duration_minutes) VALUES (?, ?, ?, ?, ?, ?)',
      i.id,
      i.meetingId,
      i.position,
      i.title,
      i.kind,
      i.durationMinutes,
    )
  },
  deleteAgendaItem: async (meetingId, id) =>
    (await exec('DELETE FROM agenda_items WHERE id = ? AND meeting_id = ?', id, meetingId)).changes > 0,
  listAgenda: (meetingId) =>
    read(() =>
      (
        stmt('SELECT * FROM agenda_items WHERE meeting_id = ? ORDER BY position, id').all(meetingId) as Row[]
      ).map(agendaFrom),
    ),
})
