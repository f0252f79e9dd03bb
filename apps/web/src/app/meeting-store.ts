import type {
  AgendaItem,
  AgendaItemId,
  Delegation,
  Meeting,
  MeetingState,
  Participant,
  ParticipantView,
  PresenceChange,
} from '@roundtable/protocol'
import { createStore } from 'zustand/vanilla'
import type { ClientError } from '../shared/api/http.ts'

/** A message for the live region; the component translates it. */
export interface Notice {
  id: number
  kind: 'error' | 'success'
  /** An error from the server or the network… */
  error?: ClientError
  /** …or a translation key of ours. */
  key?: string
  values?: Record<string, string>
}

export interface MeetingData {
  meeting: Meeting | null
  delegations: Delegation[]
  agenda: AgendaItem[]
  currentItemId: AgendaItemId | null
  participants: ParticipantView[]
  me: Participant | null
  /** Set when the server ended our session (we were removed): the page stops reconnecting. */
  ended: boolean
  notice: Notice | null
}

export interface MeetingStoreState extends MeetingData {
  applyState(s: MeetingState): void
  applyAgenda(a: { agenda: AgendaItem[]; currentItemId: AgendaItemId | null }): void
  /** One participant joined or changed; `removed` drops them. */
  applyParticipant(p: ParticipantView): void
  /** Some participants came online or went away. */
  applyPresence(change: PresenceChange): void
  applyDelegations(d: Delegation[]): void
  applyMe(p: Participant): void
  endSession(): void
  notify(n: Omit<Notice, 'id'>): void
  clearNotice(): void
  reset(): void
}

const byPosition = (a: AgendaItem, b: AgendaItem) => a.position - b.position

const initial: MeetingData = {
  meeting: null,
  delegations: [],
  agenda: [],
  currentItemId: null,
  participants: [],
  me: null,
  ended: false,
  notice: null,
}

let noticeSeq = 0

/** Meeting state as the server pushes it; the server decides, this store only mirrors. */
export const createMeetingStore = () =>
  createStore<MeetingStoreState>()((set) => ({
    ...initial,
    applyState: (s) =>
      set({
        meeting: s.meeting,
        delegations: s.delegations,
        agenda: [...s.agenda].sort(byPosition),
        currentItemId: s.currentItemId,
        participants: s.participants,
        me: s.me,
        ended: false,
      }),
    applyAgenda: ({ agenda, currentItemId }) => set({ agenda: [...agenda].sort(byPosition), currentItemId }),
    applyParticipant: (p) =>
      set((st) => {
        const others = st.participants.filter((x) => x.id !== p.id)
        const at = st.participants.findIndex((x) => x.id === p.id)
        const participants = p.removed
          ? others
          : at < 0
            ? [...st.participants, p]
            : st.participants.map((x) => (x.id === p.id ? p : x))
        // Our own row is the freshest word on our role too (a role change arrives both ways).
        const isMe = st.me !== null && st.me.id === p.id
        return { participants, me: isMe && !p.removed ? stripOnline(p) : st.me }
      }),
    applyPresence: ({ online, offline }) =>
      set((st) => {
        const on = new Set<string>(online)
        const off = new Set<string>(offline)
        return {
          participants: st.participants.map((p) =>
            on.has(p.id) ? { ...p, online: true } : off.has(p.id) ? { ...p, online: false } : p,
          ),
        }
      }),
    applyDelegations: (delegations) => set({ delegations }),
    applyMe: (me) => set({ me }),
    endSession: () => set({ ended: true }),
    notify: (n) => set({ notice: { ...n, id: ++noticeSeq } }),
    clearNotice: () => set({ notice: null }),
    reset: () => set({ ...initial }),
  }))

const stripOnline = (p: ParticipantView): Participant => {
  const { online: _online, ...rest } = p
  return rest
}

export type MeetingStore = ReturnType<typeof createMeetingStore>

/** The delegation's name for a participant, or null. */
export const delegationName = (delegations: Delegation[], id: string | null): string | null =>
  id ? (delegations.find((d) => d.id === id)?.name ?? null) : null
