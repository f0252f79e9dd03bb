import type {
  AgendaItem,
  AmendmentView,
  Delegation,
  DraftBlock,
  DraftInline,
  FloorTurn,
  Meeting,
  Participant,
  VersionView,
} from '@roundtable/protocol'
import type { StoredDraft, StoredVote } from '../../store/types.ts'
import type { Timing } from '../timing/state.ts'
import { CATALOGUES, dayOf, type MinutesLang, type OutputClock, UTC_CLOCK } from './catalogue.ts'
import type { OutputDocument } from './render.ts'

/** Everything the minutes are made from, read from the record (store and documents). */
export interface MeetingRecord {
  meeting: Meeting
  delegations: Delegation[]
  participants: Participant[]
  agenda: AgendaItem[]
  timing: Timing
  turns: FloorTurn[]
  /** Votes with how many could vote (the delegates or delegations of the meeting). */
  votes: { vote: StoredVote; cast: number; eligible: number }[]
  amendments: AmendmentView[]
  drafts: { draft: StoredDraft; blocks: DraftBlock[]; versions: VersionView[] }[]
  generatedAt: Date
}

const p = (text: string): DraftBlock => ({ type: 'paragraph', content: [{ text }] })
const h = (level: number, text: string): DraftBlock => ({ type: 'heading', level, content: [{ text }] })
const bullets = (items: DraftInline[][]): DraftBlock => ({
  type: 'bulletList',
  items: items.map((content) => [{ type: 'paragraph', content }]),
})
/** "Label: value" with the label in bold. */
const field = (label: string, value: string, colon: string): DraftInline[] => [
  { text: `${label}${colon}`, bold: true },
  { text: ` ${value}` },
]

/**
 * [MIN] The minutes from the record: attendance by delegation, agenda items with their times,
 * speakers and speaking time, every vote with its rules, options hash, turnout, method, result and
 * working, the amendments decided (and those still open), and the adopted texts. Every time is in
 * `clock`'s zone (the reader's, else UTC) and says which.
 */
export const minutesDocument = (
  r: MeetingRecord,
  lang: MinutesLang,
  clock: OutputClock = UTC_CLOCK,
): OutputDocument => {
  const t = CATALOGUES[lang]
  const c = t.colon
  const blocks: DraftBlock[] = []
  const delegationName = new Map(r.delegations.map((d) => [d.id as string, d.name]))
  const people = r.participants.filter((x) => !x.removed)
  /** "14:05–14:30 UTC+02:00"; each end with its own offset if summer time began or ended between. */
  const window = (from: string | null | undefined, to: string | null | undefined) => {
    if (from && to && clock.offset(from) === clock.offset(to)) return `${clock.time(from)}–${clock.at(to)}`
    return `${from ? clock.at(from) : '—'}–${to ? clock.at(to) : '…'}`
  }

  // Attendance
  blocks.push(h(2, t.attendance))
  const attendance: DraftInline[][] = []
  const chairs = people.filter((x) => x.role === 'chair')
  if (chairs.length) attendance.push(field(t.chair, chairs.map((x) => x.displayName).join(', '), c))
  for (const d of r.delegations) {
    const names = people
      .filter((x) => x.delegationId === d.id && x.role === 'delegate')
      .map((x) => x.displayName)
    attendance.push(field(d.name, names.length ? names.join(', ') : '—', c))
  }
  const loose = people.filter((x) => x.role === 'delegate' && !x.delegationId).map((x) => x.displayName)
  if (loose.length) attendance.push(field(t.noDelegation, loose.join(', '), c))
  const observers = people.filter((x) => x.role === 'observer').map((x) => x.displayName)
  if (observers.length) attendance.push(field(t.observers, observers.join(', '), c))
  blocks.push(bullets(attendance))

  // Agenda with times, in the zone the heading names
  blocks.push(h(2, `${t.agenda} (${clock.zone})`))
  blocks.push({
    type: 'orderedList',
    items: r.agenda.map((item) => {
      const runs = r.timing.log.filter((e) => e.itemId === item.id)
      const times = runs.length
        ? runs.map((e) => `${clock.time(e.startedAt)}–${e.endedAt ? clock.time(e.endedAt) : '…'}`).join(', ')
        : t.notOpened
      return [
        {
          type: 'paragraph' as const,
          content: [
            { text: item.title, bold: true as const },
            { text: ` — ${times} (${t.planned(item.durationMinutes)})` },
          ],
        },
      ]
    }),
  })

  // Speakers
  blocks.push(h(2, t.speakers))
  const itemTitle = new Map(r.agenda.map((a) => [a.id as string, a.title]))
  if (r.turns.length === 0) blocks.push(p(t.noSpeakers))
  else {
    blocks.push(
      bullets(
        r.turns.map((turn) => [
          { text: turn.name, bold: true },
          {
            text: `${turn.delegationId ? ` (${delegationName.get(turn.delegationId) ?? turn.delegationId})` : ''}, ${clock.at(turn.startedAt)}, ${t.minutes(Math.round(turn.seconds / 6) / 10)}${turn.pointOfOrder ? `, ${t.pointOfOrder}` : ''}${turn.agendaItemId ? ` — ${itemTitle.get(turn.agendaItemId) ?? ''}` : ''}`,
          },
        ]),
      ),
    )
    const spoken = new Map<string, number>()
    for (const turn of r.turns) {
      const key = turn.delegationId ? (delegationName.get(turn.delegationId) ?? turn.delegationId) : turn.name
      spoken.set(key, (spoken.get(key) ?? 0) + turn.seconds)
    }
    blocks.push(h(3, t.speakingTime))
    blocks.push(
      bullets(
        [...spoken].map(([who, s]) =>
          field(who, `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`, c),
        ),
      ),
    )
  }

  // Votes
  blocks.push(h(2, t.votes))
  if (r.votes.length === 0) blocks.push(p(t.noVotes))
  r.votes.forEach(({ vote, cast, eligible }, n) => {
    const label = new Map(vote.options.map((o) => [o.id, o.label]))
    const name = (id: string) => (vote.method === 'motion' ? id : (label.get(id) ?? id))
    blocks.push(h(3, `${n + 1}. ${vote.question}`))
    const rules: DraftInline[][] = [
      field(t.method, `${t.methods[vote.method]} — ${t.secret(vote.secret)}, ${t.votersBy(vote.voters)}`, c),
    ]
    if (vote.threshold) rules.push(field(t.threshold, vote.threshold, c))
    if (vote.quorum) rules.push(field(t.quorum, String(vote.quorum), c))
    if (vote.seats) rules.push(field(t.seats, String(vote.seats), c))
    if (vote.options.length > 1 || vote.method !== 'motion')
      rules.push([{ text: vote.options.map((o) => o.label).join(' · ') }])
    if (vote.optionsHash) rules.push([...field(t.optionsHash, '', c), { text: vote.optionsHash, code: true }])
    rules.push([
      { text: t.turnout(cast, eligible) },
      {
        text: ` (${window(vote.openedAt, vote.closedAt)}, ${t.status[vote.status]})`,
      },
    ])
    const result = vote.result
    if (result) {
      const outcome =
        vote.method === 'motion'
          ? result.winners.includes('yes')
            ? t.adopted
            : t.notAdopted
          : vote.method === 'consent'
            ? result.winners.length > 0
              ? t.adopted
              : t.notAdopted
            : result.winners.map(name).join(', ')
      rules.push(field(t.result, outcome, c))
      if (vote.method !== 'motion' && vote.method !== 'consent')
        rules.push(field(t.ranking, result.ranking.map((tier) => tier.map(name).join(' = ')).join(' > '), c))
      if (!result.quorumMet) rules.push([{ text: t.quorumNotMet, italic: true }])
      if (result.tie) rules.push([{ text: t.tie, italic: true }])
      rules.push(field(t.working, result.explanation, c))
    }
    blocks.push(bullets(rules))
  })

  // Amendments
  blocks.push(h(2, t.amendments))
  if (r.amendments.length === 0) blocks.push(p(t.noAmendments))
  else
    blocks.push(
      bullets(
        r.amendments.map((a) => {
          const who = a.delegationId ? (delegationName.get(a.delegationId) ?? a.delegationId) : a.proposerName
          const change =
            a.type === 'insert'
              ? t.quote(a.newText)
              : a.type === 'delete'
                ? t.quote(a.oldText)
                : `${t.quote(a.oldText)} → ${t.quote(a.newText)}`
          const how = a.decidedBy === 'vote' ? t.byVote : a.decidedBy === 'consensus' ? t.byConsensus : ''
          return [
            { text: `${t.amendmentTypes[a.type]} `, bold: true },
            { text: `${change} — ${t.proposedBy} ${who}: ` },
            { text: `${t.amendmentStatuses[a.status]}${how ? ` ${how}` : ''}`, bold: true },
            ...(a.reason ? [{ text: ` (${t.reason}${c} ${a.reason})` }] : []),
          ]
        }),
      ),
    )

  // Adopted texts
  blocks.push(h(2, t.adoptedTexts))
  for (const d of r.drafts) {
    blocks.push(h(3, `${t.draftKinds[d.draft.kind]}${t.colon} ${d.draft.title}`))
    const last = d.versions.at(-1)
    blocks.push({
      type: 'paragraph',
      content: [{ text: last ? t.version(last.number, last.name) : t.noVersion, italic: true }],
    })
    // The draft's own headings sit below the minutes' (levels 4 and beyond).
    const shifted = d.blocks.map((b) =>
      b.type === 'heading' ? { ...b, level: Math.min(6, b.level + 3) } : b,
    )
    blocks.push(...(shifted.length ? shifted : [p(t.emptyDraft)]))
  }

  return {
    title: t.minutesOf(r.meeting.title),
    meta: [
      t.held(dayOf(r.meeting.date, lang), r.meeting.place),
      t.generated(clock.stamp(r.generatedAt, lang)),
    ],
    blocks,
    lang,
  }
}
