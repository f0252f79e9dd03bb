import type { CommandName } from '@roundtable/protocol'
import type { ServerCommand } from '../kernel/registry.ts'
import { ACCESS } from './access/commands.ts'
import { AGENDA } from './agenda/commands.ts'
import { BOARD } from './board/commands.ts'
import { FLOOR } from './floor/commands.ts'
import { TIMING } from './timing/commands.ts'
import { VOTES } from './votes/commands.ts'
import type { MeetingServices } from './context.ts'
import type { Parts } from './parts.ts'
import { RECORDS } from './records/commands.ts'
import { DRAFTING } from './drafting/commands.ts'

/**
 * Every command the meeting serves, from each domain's folder. socket.io and HTTP serve exactly
 * these; a name in the protocol without a definition here does not compile.
 */
export const REGISTRY: { readonly [N in CommandName]: ServerCommand<N, Parts, MeetingServices> } = {
  ...AGENDA,
  ...ACCESS,
  ...RECORDS,
  ...BOARD,
  ...VOTES,
  ...FLOOR,
  ...TIMING,
  ...DRAFTING,
}
