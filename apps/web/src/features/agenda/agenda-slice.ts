import type { AgendaItem, AgendaItemId, MeetingState } from '@roundtable/protocol'
import type { StateCreator } from 'zustand/vanilla'

export interface AgendaData {
  /** In the server's order (by position). */
  agenda: AgendaItem[]
  currentItemId: AgendaItemId | null
}

export interface AgendaSlice extends AgendaData {
  applyAgenda(a: { agenda: AgendaItem[]; currentItemId: AgendaItemId | null }): void
}

export const agendaInitial: AgendaData = { agenda: [], currentItemId: null }

const byPosition = (a: AgendaItem, b: AgendaItem) => a.position - b.position

export const agendaFromState = (s: Pick<MeetingState, 'agenda' | 'currentItemId'>): AgendaData => ({
  agenda: [...s.agenda].sort(byPosition),
  currentItemId: s.currentItemId,
})

export const createAgendaSlice: StateCreator<AgendaSlice, [], [], AgendaSlice> = (set) => ({
  ...agendaInitial,
  applyAgenda: (a) => set(agendaFromState(a)),
})
