import type { CommandArgs, CommandName, CommandResult, Participant } from '@roundtable/protocol'
import type { Change, Turn } from './kernel.ts'

/** What a command's handler runs with: its meeting's turn, and who sent it. */
export interface CommandContext<P, S> extends Omit<Turn<P>, 'commit'> {
  /** The sender as the meeting's earlier commands left them; null for the organiser. */
  readonly self: Participant | null
  /** Who did it, as the audit log names them. */
  readonly by: string
  /** The domains' shared services (invitations, participants, …). */
  readonly services: S
  /** The command's one audited change (its actor is the sender, the parts it changes the command's). */
  commit(change: Omit<Change<P>, 'actor' | 'changes'>): Promise<Partial<P>>
  now(): Date
}

/**
 * The server half of a command (the wire half — name, payload schema, permission, result type — is
 * in packages/protocol): the parts of the meeting it changes, and its handler, which validates
 * against the state, commits, and registers its announcements with `after`.
 */
export interface ServerCommand<N extends CommandName, P, S> {
  readonly changes: readonly (keyof P)[]
  run(ctx: CommandContext<P, S>, args: CommandArgs<N>): Promise<CommandResult<N>>
}

/** A domain's commands; the service's registry must hold one for every name in the protocol. */
export type DomainCommands<Names extends CommandName, P, S> = {
  readonly [N in Names]: ServerCommand<N, P, S>
}
