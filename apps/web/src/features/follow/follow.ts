import type { AgendaKind, MeetingTool, TimingView } from '@roundtable/protocol'

/** The tool an agenda item is worked in: where the chair's console goes when it opens. */
export const TOOL_FOR_KIND = {
  priority_ranking: 'board',
  vote: 'votes',
  drafting: 'brief',
  discussion: 'floor',
} as const satisfies Record<AgendaKind, MeetingTool>

/** The tab of the meeting page that shows a tool ('agenda' has none of its own: the floor shows the item). */
export const tabForTool = (tool: MeetingTool): string => (tool === 'agenda' ? 'floor' : tool)

/** The tool a tab shows, when it is one the chair can send everyone to. */
export const toolForTab = (tab: string): MeetingTool | null =>
  tab === 'floor' || tab === 'board' || tab === 'brief' || tab === 'votes' ? tab : null

export type Focus = NonNullable<TimingView['focus']>

export interface FollowState {
  /** Whether the view goes where the chair's goes. */
  following: boolean
  /** The tab shown. */
  tab: string
  /** The last focus acted on (its `at`), so a repeat of the same event moves nobody twice. */
  seenAt: string | null
}

export type FollowEvent =
  /** The chair's focus as the server last sent it (on every `meeting:timing`). */
  | { type: 'focus'; focus: Focus | null }
  /** The person chose a tab. */
  | { type: 'select'; tab: string; focus: Focus | null }
  /** "Follow the chair" switched on or off. */
  | { type: 'setFollowing'; following: boolean; focus: Focus | null }

/**
 * Follow the chair. A new focus moves a follower's view; choosing another tab than the chair's
 * stops following (one click brings it back); choosing the chair's own tab changes nothing.
 */
export const follow = (s: FollowState, e: FollowEvent): FollowState => {
  switch (e.type) {
    case 'focus': {
      if (!e.focus || e.focus.at === s.seenAt) return s
      const next = { ...s, seenAt: e.focus.at }
      return s.following ? { ...next, tab: tabForTool(e.focus.tool) } : next
    }
    case 'select': {
      const chairs = e.focus ? tabForTool(e.focus.tool) : null
      // With no focus yet there is nothing to stop following.
      return { ...s, tab: e.tab, following: s.following && (chairs === null || chairs === e.tab) }
    }
    case 'setFollowing':
      return {
        ...s,
        following: e.following,
        tab: e.following && e.focus ? tabForTool(e.focus.tool) : s.tab,
        seenAt: e.focus?.at ?? s.seenAt,
      }
    default: {
      const never: never = e
      return never
    }
  }
}

/** Where "follow the chair" is kept, per person: a shared computer keeps each one's choice. */
export interface FollowStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

const key = (participantId: string) => `roundtable.follow.${participantId}`

/** On unless this person switched it off. */
export const loadFollowing = (store: FollowStorage | null, participantId: string): boolean => {
  try {
    return store?.getItem(key(participantId)) !== 'off'
  } catch {
    return true
  }
}

export const saveFollowing = (store: FollowStorage | null, participantId: string, on: boolean): void => {
  try {
    store?.setItem(key(participantId), on ? 'on' : 'off')
  } catch {
    // private mode: the choice lasts for this page only
  }
}
