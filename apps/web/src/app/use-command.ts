import type { CommandInput, CommandName } from '@roundtable/protocol'
import { useCallback } from 'react'
import type { CommandOutcome } from '../shared/api/meeting-channel.ts'
import { useRuntime } from './meeting-runtime.tsx'

/**
 * Sends a meeting command; a refusal is announced in the page's live region (translated by
 * code) and also returned, so a form can keep its input.
 */
export const useCommand = () => {
  const rt = useRuntime()
  return useCallback(
    async <N extends CommandName>(
      name: N,
      payload: CommandInput<N>,
      success?: { key: string; values?: Record<string, string> },
    ): Promise<CommandOutcome<N>> => {
      const r = await rt.channel.command(name, payload)
      const notify = rt.meeting.getState().notify
      if (r.error) notify({ kind: 'error', error: r.error })
      else if (success) notify({ kind: 'success', ...success })
      return r
    },
    [rt],
  )
}
