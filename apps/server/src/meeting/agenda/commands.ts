import { type AgendaItem, asAgendaItemId } from '@roundtable/protocol'
import { AppError } from '../../errors.ts'
import { newId } from '../tokens.ts'
import type { MeetingCommands, MeetingContext } from '../context.ts'
import type { Parts } from '../parts.ts'
import { type Timing, TIMING_STATE_KEY, timingAfterSwitch } from '../timing/state.ts'

type Agenda = Parts['agenda']

/** Commits a change to the agenda and announces the agenda as durable once it is. */
const commitAgenda = async (
  ctx: MeetingContext,
  action: string,
  detail: Record<string, unknown>,
  writes: () => Promise<unknown>[],
  agenda: Agenda,
  timing?: Timing,
): Promise<void> => {
  const durable = await ctx.commit({ action, detail, writes, next: timing ? { agenda, timing } : { agenda } })
  ctx.after(() => {
    ctx.services.events.emit('agenda', ctx.meetingId, {
      agenda: durable.agenda!.items,
      currentItemId: durable.agenda!.currentItemId,
    })
    if (durable.timing) ctx.services.events.emit('timing', ctx.meetingId, durable.timing)
  })
}

const requireItem = async (ctx: MeetingContext, id: string): Promise<AgendaItem> => {
  const item = (await ctx.part('agenda')).items.find((i) => i.id === id)
  if (!item) throw new AppError('RT_ERR_NOT_FOUND', 'No such agenda item in this meeting.')
  return item
}

export const AGENDA = {
  'agenda:add': {
    changes: ['agenda'],
    async run(ctx, a) {
      const before = await ctx.part('agenda')
      const { items } = before
      if (items.length >= 100) throw new AppError('RT_ERR_CONFLICT', 'An agenda holds at most 100 items.')
      const item: AgendaItem = {
        id: asAgendaItemId(newId()),
        meetingId: ctx.meetingId,
        position: items.length ? Math.max(...items.map((i) => i.position)) + 1 : 0,
        title: a.title,
        kind: a.kind,
        durationMinutes: a.durationMinutes,
      }
      await commitAgenda(
        ctx,
        'agenda.add',
        { itemId: item.id, title: item.title },
        () => [ctx.store.putAgendaItem(item)],
        { ...before, items: [...items, item] },
      )
      return item
    },
  },
  'agenda:update': {
    changes: ['agenda'],
    async run(ctx, a) {
      const item = await requireItem(ctx, a.itemId)
      const next: AgendaItem = {
        ...item,
        title: a.title ?? item.title,
        kind: a.kind ?? item.kind,
        durationMinutes: a.durationMinutes ?? item.durationMinutes,
      }
      const before = await ctx.part('agenda')
      await commitAgenda(
        ctx,
        'agenda.update',
        { itemId: item.id, before: item, after: next },
        () => [ctx.store.putAgendaItem(next)],
        { ...before, items: before.items.map((i) => (i.id === item.id ? next : i)) },
      )
      return next
    },
  },
  'agenda:remove': {
    changes: ['agenda', 'timing'],
    async run(ctx, a) {
      const item = await requireItem(ctx, a.itemId)
      const before = await ctx.part('agenda')
      const wasCurrent = before.currentItemId === item.id
      const timing = wasCurrent
        ? timingAfterSwitch(await ctx.part('timing'), null, ctx.now().toISOString())
        : undefined
      await commitAgenda(
        ctx,
        'agenda.remove',
        { itemId: item.id, title: item.title },
        () => [
          ctx.store.deleteAgendaItem(ctx.meetingId, item.id),
          ...(wasCurrent ? [ctx.store.setCurrentItem(ctx.meetingId, null)] : []),
          ...(timing ? [ctx.store.putMeetingState(ctx.meetingId, TIMING_STATE_KEY, timing)] : []),
        ],
        {
          items: before.items.filter((i) => i.id !== item.id),
          currentItemId: wasCurrent ? null : before.currentItemId,
        },
        timing,
      )
      return { itemId: item.id }
    },
  },
  'agenda:reorder': {
    changes: ['agenda'],
    async run(ctx, a) {
      const before = await ctx.part('agenda')
      const { items } = before
      const ids = new Set(items.map((i) => i.id as string))
      if (
        a.itemIds.length !== ids.size ||
        new Set(a.itemIds).size !== ids.size ||
        !a.itemIds.every((i) => ids.has(i))
      )
        throw new AppError('RT_ERR_CONFLICT', 'The new order must list every agenda item exactly once.')
      const byId = new Map(items.map((i) => [i.id as string, i]))
      const next = a.itemIds.map((id, position) => ({ ...byId.get(id)!, position }))
      await commitAgenda(
        ctx,
        'agenda.reorder',
        { itemIds: a.itemIds },
        () => next.map((i) => ctx.store.putAgendaItem(i)),
        { ...before, items: next },
      )
      return next
    },
  },
  'agenda:setCurrent': {
    changes: ['agenda', 'timing'],
    async run(ctx, a) {
      if (a.itemId !== null) await requireItem(ctx, a.itemId)
      const currentItemId = a.itemId === null ? null : asAgendaItemId(a.itemId)
      const before = await ctx.part('agenda')
      // The clock of the item that was current stops, the new one's starts: one commit with the switch.
      const timing =
        before.currentItemId === currentItemId
          ? undefined
          : timingAfterSwitch(await ctx.part('timing'), currentItemId, ctx.now().toISOString())
      await commitAgenda(
        ctx,
        'agenda.setCurrent',
        { itemId: a.itemId },
        () => [
          ctx.store.setCurrentItem(ctx.meetingId, currentItemId),
          ...(timing ? [ctx.store.putMeetingState(ctx.meetingId, TIMING_STATE_KEY, timing)] : []),
        ],
        { ...before, currentItemId },
        timing,
      )
      return { itemId: a.itemId }
    },
  },
} satisfies MeetingCommands<
  'agenda:add' | 'agenda:update' | 'agenda:remove' | 'agenda:reorder' | 'agenda:setCurrent'
>
