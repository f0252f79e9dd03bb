import type { AgendaItemId } from '@roundtable/protocol'
import { agendaFrom } from '../rows.ts'
import type { AgendaStore } from '../types.ts'
import type { PostgresContext } from './context.ts'

/** Agenda items, and the current one (a column of the meeting's row). */
export const postgresAgenda = ({ query, run }: PostgresContext): AgendaStore => ({
  getCurrentItem: async (id) => {
    const [r] = await query('SELECT current_item_id FROM meetings WHERE id = $1', [id])
    return (r?.current_item_id as AgendaItemId | null) ?? null
  },
  setCurrentItem: async (id, itemId) => {
    await run('UPDATE meetings SET current_item_id = $1 WHERE id = $2', [itemId, id])
  },

  putAgendaItem: async (i) => {
    await run(
      `INSERT INTO agenda_items (id, meeting_id, position, title, kind, duration_minutes) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET meeting_id = excluded.meeting_id, position = excluded.position,
         title = excluded.title, kind = excluded.kind, duration_minutes = excluded.duration_minutes`,
      [i.id, i.meetingId, i.position, i.title, i.kind, i.durationMinutes],
    )
  },
  deleteAgendaItem: async (meetingId, id) =>
    ((await run('DELETE FROM agenda_items WHERE id = $1 AND meeting_id = $2', [id, meetingId])).rowCount ??
      0) > 0,
  listAgenda: async (meetingId) =>
    (await query('SELECT * FROM agenda_items WHERE meeting_id = $1 ORDER BY position, id', [meetingId])).map(
      agendaFrom,
    ),
})
