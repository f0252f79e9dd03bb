import type {
  Delegation,
  MeetingState,
  Participant,
  ParticipantView,
  PresenceChange,
} from '@roundtable/protocol'
import type { StateCreator } from 'zustand/vanilla'

/** Who is in the meeting, in which role and delegation, and who we are. */
export interface AccessData {
  delegations: Delegation[]
  participants: ParticipantView[]
  me: Participant | null
  /** Set when the server ended our session (we were removed): the page stops reconnecting. */
  ended: boolean
}

export interface AccessSlice extends AccessData {
  /** One participant joined or changed; `removed` drops them. */
  applyParticipant(p: ParticipantView): void
  /** Some participants came online or went away. */
  applyPresence(change: PresenceChange): void
  applyDelegations(d: Delegation[]): void
  applyMe(p: Participant): void
  endSession(): void
}

export const accessInitial: AccessData = { delegations: [], participants: [], me: null, ended: false }

/** This slice's part of a full `meeting:state`; a fresh state also means we are in again. */
export const accessFromState = (s: MeetingState): AccessData => ({
  delegations: s.delegations,
  participants: s.participants,
  me: s.me,
  ended: false,
})

const stripOnline = (p: ParticipantView): Participant => {
  const { online: _online, ...rest } = p
  return rest
}

export const createAccessSlice: StateCreator<AccessSlice, [], [], AccessSlice> = (set) => ({
  ...accessInitial,
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
})

/** The delegation's name for a participant, or null. */
export const delegationName = (delegations: Delegation[], id: string | null): string | null =>
  id ? (delegations.find((d) => d.id === id)?.name ?? null) : null
