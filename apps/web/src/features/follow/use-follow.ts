import { can } from '@roundtable/protocol'
import { useCallback, useEffect, useRef, useState } from 'react'
import { useMeeting } from '../../app/meeting-runtime.tsx'
import { useCommand } from '../../app/use-command.ts'
import {
  follow,
  type FollowEvent,
  type FollowState,
  loadFollowing,
  saveFollowing,
  toolForTab,
} from './follow.ts'

const storage = (): Storage | null => {
  try {
    return window.localStorage
  } catch {
    return null
  }
}

export interface FollowControl {
  tab: string
  /** The chair's tab sends everyone there; anyone else's may stop following. */
  select(tab: string): void
  following: boolean
  setFollowing(on: boolean): void
  /** Whether this person leads rather than follows (the chair). */
  leads: boolean
}

/**
 * The meeting page's tab, following the chair's focus. The chair leads: their choice of a tool
 * tab is sent as `agenda:focus`. Everyone else follows unless they chose not to (kept per person).
 */
export const useFollow = (initialTab: string, { joinCurrent = false } = {}): FollowControl => {
  const me = useMeeting((s) => s.me)
  const focus = useMeeting((s) => s.timing?.focus ?? null)
  const timed = useMeeting((s) => s.timing !== null)
  const primed = useRef(false)
  const command = useCommand()
  const leads = me ? can(me.role, 'changeAgenda') : false
  const [state, setState] = useState<FollowState>(() => ({
    following: me ? loadFollowing(storage(), me.id) : true,
    tab: initialTab,
    // A focus from before this page opened is acted on too: a late joiner lands where the chair is.
    seenAt: null,
  }))
  const dispatch = useCallback((e: FollowEvent) => setState((s) => follow(s, e)), [])
  const focusRef = useRef(focus)
  focusRef.current = focus
  useEffect(() => {
    if (leads || !timed) return
    if (!primed.current) {
      primed.current = true
      // On the meeting page the chair's earlier focus is history: the page opens where it always
      // does and moves with the next one. The follow view goes straight where the chair is.
      if (!joinCurrent) {
        setState((s) => ({ ...s, seenAt: focus?.at ?? null }))
        return
      }
    }
    dispatch({ type: 'focus', focus })
  }, [focus, timed, leads, joinCurrent, dispatch])
  const select = useCallback(
    (tab: string) => {
      dispatch({ type: 'select', tab, focus: leads ? null : focusRef.current })
      const tool = toolForTab(tab)
      if (leads && tool && focusRef.current?.tool !== tool) void command('agenda:focus', { tool })
    },
    [dispatch, leads, command],
  )
  const setFollowing = useCallback(
    (on: boolean) => {
      if (me) saveFollowing(storage(), me.id, on)
      dispatch({ type: 'setFollowing', following: on, focus: focusRef.current })
    },
    [dispatch, me],
  )
  return { tab: state.tab, select, following: state.following, setFollowing, leads }
}
