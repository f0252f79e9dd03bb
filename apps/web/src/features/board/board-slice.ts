import type { BoardRanking, BoardView } from '@roundtable/protocol'
import type { StateCreator } from 'zustand/vanilla'

export interface BoardData {
  /** The room's aggregate as last pushed (`meeting:board`) or read (`board:state`); null until then. */
  board: BoardView | null
  /**
   * This person's ranking as the server saved it, read with `board:state` on every (re)connect:
   * undefined until read, null when they have not ranked.
   */
  savedRanking: BoardRanking | null | undefined
}

export interface BoardSlice extends BoardData {
  applyBoard(b: BoardView): void
  applyBoardState(s: { board: BoardView; mine: BoardRanking | null }): void
}

export const boardInitial: BoardData = { board: null, savedRanking: undefined }

/** Counted after the one we hold? Events and a `board:state` answer can cross on the wire. */
const newer = (next: BoardView, held: BoardView | null) => !held || next.countedAt >= held.countedAt

export const createBoardSlice: StateCreator<BoardSlice, [], [], BoardSlice> = (set, get) => ({
  ...boardInitial,
  applyBoard: (b) => {
    if (newer(b, get().board)) set({ board: b })
  },
  applyBoardState: (s) =>
    set({ savedRanking: s.mine, ...(newer(s.board, get().board) ? { board: s.board } : {}) }),
})
