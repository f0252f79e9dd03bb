import type { VoteView } from '@roundtable/protocol'
import type { StateCreator } from 'zustand/vanilla'

export interface VotesData {
  /** Every vote of the meeting, oldest first (the server's order of creation). */
  votes: VoteView[]
  /** Ids of the votes this person (or their delegation) has a ballot in. */
  voted: string[]
}

export interface VotesSlice extends VotesData {
  /** A `meeting:vote` event: the vote as it now is (a new one is appended). */
  applyVote(v: VoteView): void
  /** The `vote:list` answer on (re)connect replaces what we had: events missed while away are in it. */
  applyVoteList(l: { votes: VoteView[]; voted: string[] }): void
  /** Our own ballot was acknowledged. */
  markVoted(voteId: string): void
}

export const votesInitial: VotesData = { votes: [], voted: [] }

const byCreation = (a: VoteView, b: VoteView) => a.createdAt.localeCompare(b.createdAt)

export const createVotesSlice: StateCreator<VotesSlice, [], [], VotesSlice> = (set) => ({
  ...votesInitial,
  applyVote: (v) =>
    set((st) => {
      const at = st.votes.findIndex((x) => x.id === v.id)
      return {
        votes: at < 0 ? [...st.votes, v].sort(byCreation) : st.votes.map((x) => (x.id === v.id ? v : x)),
      }
    }),
  applyVoteList: ({ votes, voted }) => set({ votes: [...votes].sort(byCreation), voted }),
  markVoted: (voteId) => set((st) => (st.voted.includes(voteId) ? st : { voted: [...st.voted, voteId] })),
})
