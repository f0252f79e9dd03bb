import { z } from 'zod'
import { AGENDA_KINDS, type AgendaItem } from '../models.ts'
import { id, LIMITS, text, wire } from './define.ts'

const minutes = z
  .number()
  .int()
  .min(0)
  .max(24 * 60)

export const AGENDA_COMMANDS = {
  'agenda:add': wire<AgendaItem>()(
    'changeAgenda',
    z.strictObject({ title: text(LIMITS.title), kind: z.enum(AGENDA_KINDS), durationMinutes: minutes }),
  ),
  'agenda:update': wire<AgendaItem>()(
    'changeAgenda',
    z.strictObject({
      itemId: id,
      title: text(LIMITS.title).optional(),
      kind: z.enum(AGENDA_KINDS).optional(),
      durationMinutes: minutes.optional(),
    }),
  ),
  'agenda:remove': wire<{ itemId: string }>()('changeAgenda', z.strictObject({ itemId: id })),
  'agenda:reorder': wire<AgendaItem[]>()(
    'changeAgenda',
    z.strictObject({ itemIds: z.array(id).max(LIMITS.agendaItems) }),
  ),
  'agenda:setCurrent': wire<{ itemId: string | null }>()(
    'changeAgenda',
    z.strictObject({ itemId: id.nullable() }),
  ),
} as const
