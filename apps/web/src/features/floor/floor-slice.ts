import type { FloorView } from '@roundtable/protocol'
import type { StateCreator } from 'zustand/vanilla'
import type { TimingSlice } from '../agenda/timing-slice.ts'

export interface FloorData {
  /** The speaker queue as the server last sent it; null until then. */
  floor: FloorView | null
}

export interface FloorSlice extends FloorData {
  /** A `meeting:floor` event or a `floor:*` command's answer. */
  applyFloor(f: FloorView): void
}

export const floorInitial: FloorData = { floor: null }

export const createFloorSlice: StateCreator<
  FloorSlice & Pick<TimingSlice, 'noteServerTime'>,
  [],
  [],
  FloorSlice
> = (set, get) => ({
  ...floorInitial,
  applyFloor: (floor) => {
    set({ floor })
    get().noteServerTime(floor.serverNow)
  },
})
