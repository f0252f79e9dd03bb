import type { BoardConfig } from '@roundtable/protocol'

/** The board's settings before the chair changes any: Schulze, rankings private, list open. */
export const DEFAULT_BOARD: BoardConfig = {
  method: 'schulze',
  reveal: false,
  frozen: false,
  optionsHash: null,
}
