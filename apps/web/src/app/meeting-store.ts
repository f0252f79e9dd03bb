import type { Meeting, MeetingState } from '@roundtable/protocol'
import { createStore } from 'zustand/vanilla'
import {
  type AccessData,
  type AccessSlice,
  accessFromState,
  accessInitial,
  createAccessSlice,
} from '../features/access/access-slice.ts'
import {
  type AgendaData,
  type AgendaSlice,
  agendaFromState,
  agendaInitial,
  createAgendaSlice,
} from '../features/agenda/agenda-slice.ts'
import {
  createTimingSlice,
  type TimingData,
  type TimingSlice,
  timingInitial,
} from '../features/agenda/timing-slice.ts'
import {
  createFloorSlice,
  type FloorData,
  type FloorSlice,
  floorInitial,
} from '../features/floor/floor-slice.ts'
import { createNoticeSlice, type NoticeSlice } from '../features/notices/notice-slice.ts'
import {
  createVotesSlice,
  type VotesData,
  type VotesSlice,
  votesInitial,
} from '../features/votes/vote-slice.ts'
import {
  type BoardData,
  type BoardSlice,
  boardInitial,
  createBoardSlice,
} from '../features/board/board-slice.ts'
import {
  createDraftingSlice,
  type DraftingData,
  type DraftingSlice,
  draftingInitial,
} from '../features/drafting/drafting-slice.ts'

export interface MeetingData
  extends AccessData,
    AgendaData,
    TimingData,
    FloorData,
    BoardData,
    VotesData,
    DraftingData {
  meeting: Meeting | null
  notice: NoticeSlice['notice']
}

export interface MeetingStoreState
  extends MeetingData,
    AccessSlice,
    AgendaSlice,
    TimingSlice,
    FloorSlice,
    NoticeSlice,
    BoardSlice,
    VotesSlice,
    DraftingSlice {
  /** A full `meeting:state` replaces every slice's server-held part at once. */
  applyState(s: MeetingState): void
  reset(): void
}

const initial: MeetingData = {
  meeting: null,
  ...accessInitial,
  ...agendaInitial,
  ...timingInitial,
  ...floorInitial,
  ...boardInitial,
  ...votesInitial,
  ...draftingInitial,
  notice: null,
}

/**
 * Meeting state as the server pushes it, one slice per feature; the server decides, this store
 * only mirrors. One store, not one per feature: `meeting:state` must land in a single update.
 */
export const createMeetingStore = () =>
  createStore<MeetingStoreState>()((set, get, api) => ({
    meeting: null,
    ...createAccessSlice(set, get, api),
    ...createAgendaSlice(set, get, api),
    ...createTimingSlice(set, get, api),
    ...createFloorSlice(set, get, api),
    ...createNoticeSlice(set, get, api),
    ...createVotesSlice(set, get, api),
    ...createBoardSlice(set, get, api),
    ...createDraftingSlice(set, get, api),
    applyState: (s) => set({ meeting: s.meeting, ...accessFromState(s), ...agendaFromState(s) }),
    reset: () => set({ ...initial }),
  }))

export type MeetingStore = ReturnType<typeof createMeetingStore>
