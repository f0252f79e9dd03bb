import type { DraftBlock, MeetingId, VersionView } from '@roundtable/protocol'
import type { Election } from '@roundtable/tally'
import { AppError } from '../../errors.ts'
import type { Store, StoredDraft } from '../../store/types.ts'
import type { DocWriter } from '../context.ts'
import { draftsFrom, withDraftDoc } from '../drafting/store.ts'
import { blocksOf, markdownOf } from '../drafting/text.ts'
import { DEFAULT_TIMING, TIMING_STATE_KEY, type Timing } from '../timing/state.ts'
import type { MeetingRecord } from './minutes.ts'

/** What the outputs read: the committed record, the documents as the pipeline holds them, and two service reads. */
export interface RecordSources {
  store: Store
  docs: DocWriter
  voteBallots(meetingId: MeetingId, voteId: string): Promise<Election & Record<string, unknown>>
  boardElection(meetingId: MeetingId): Promise<Election>
  now?: () => Date
}

export const draftContent = async (src: RecordSources, meetingId: MeetingId, draftId: string) =>
  withDraftDoc(src.docs, meetingId, draftId, (doc) => {
    const blocks: DraftBlock[] = blocksOf(doc)
    return { blocks, markdown: markdownOf(blocks) }
  })

export const meetingOrThrow = async (src: RecordSources, meetingId: MeetingId) => {
  const meeting = await src.store.getMeeting(meetingId)
  if (!meeting) throw new AppError('RT_ERR_NOT_FOUND', 'No such meeting.')
  return meeting
}

export const listDrafts = async (src: RecordSources, meetingId: MeetingId): Promise<StoredDraft[]> =>
  draftsFrom(src.store, meetingId, (await meetingOrThrow(src, meetingId)).createdAt)

/** The whole record of a meeting, as the minutes read it. */
export const collectRecord = async (src: RecordSources, meetingId: MeetingId): Promise<MeetingRecord> => {
  const { store } = src
  const meeting = await meetingOrThrow(src, meetingId)
  const [delegations, participants, agenda, timing, turns, votes, roll, amendments, versions] =
    await Promise.all([
      store.listDelegations(meetingId),
      store.listParticipants(meetingId),
      store.listAgenda(meetingId),
      store.getMeetingState(meetingId, TIMING_STATE_KEY),
      store.listFloorTurns(meetingId),
      store.listVotes(meetingId),
      store.listVoteRoll(meetingId),
      store.listAmendments(meetingId, null),
      store.listVersions(meetingId, null),
    ])
  const delegates = participants.filter((p) => p.role === 'delegate' && !p.removed).length
  const drafts: { draft: StoredDraft; blocks: DraftBlock[]; versions: VersionView[] }[] = []
  for (const draft of await draftsFrom(store, meetingId, meeting.createdAt))
    drafts.push({
      draft,
      blocks: (await draftContent(src, meetingId, draft.id)).blocks,
      versions: versions.filter((v) => v.draftId === draft.id),
    })
  return {
    meeting,
    delegations,
    participants,
    agenda,
    timing: (timing as Timing | null) ?? DEFAULT_TIMING,
    turns,
    votes: votes.map((vote) => ({
      vote,
      cast: roll.filter((r) => r.voteId === vote.id).length,
      eligible: vote.voters === 'delegations' ? delegations.length : delegates,
    })),
    amendments,
    drafts,
    generatedAt: (src.now ?? (() => new Date()))(),
  }
}

/**
 * [ARCHIVE] The meeting as JSON, enough to recount every vote: each closed vote's anonymous ballots as
 * an election `pnpm --silent tally` reads (no voter ids: a ballot row holds none for a secret vote,
 * and the archive leaves out those of open votes too — the roll, kept apart, says who voted), the
 * board's rankings as its election, every draft's content and versions, and the audit log.
 */
export const meetingArchive = async (src: RecordSources, meetingId: MeetingId) => {
  const { store } = src
  const record = await collectRecord(src, meetingId)
  const [comments, brackets, audit, board] = await Promise.all([
    store.listComments(meetingId, null),
    store.listBrackets(meetingId, null),
    store.listAudit(meetingId, 0),
    store.getBoard(meetingId),
  ])
  const votes = []
  for (const { vote, cast, eligible } of record.votes) {
    const { slotKey: _key, ...rules } = vote
    votes.push({
      ...rules,
      turnout: { cast, eligible },
      election: vote.status === 'closed' ? await src.voteBallots(meetingId, vote.id) : null,
    })
  }
  return {
    format: 'roundtable-archive/1',
    exportedAt: record.generatedAt.toISOString(),
    meeting: record.meeting,
    delegations: record.delegations,
    participants: record.participants.map((p) => ({
      id: p.id,
      displayName: p.displayName,
      role: p.role,
      delegationId: p.delegationId,
      removed: p.removed,
    })),
    agenda: record.agenda,
    timing: record.timing,
    floorTurns: record.turns,
    drafts: record.drafts.map((d) => ({
      ...d.draft,
      content: { blocks: d.blocks, markdown: markdownOf(d.blocks) },
      versions: d.versions,
    })),
    comments,
    amendments: record.amendments,
    brackets,
    votes,
    board: { config: board, election: await src.boardElection(meetingId) },
    audit,
  }
}
