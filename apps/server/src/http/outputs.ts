import { asMeetingId, DRAFT_ID_PATTERN, ID_PATTERN, type Participant, parseWith } from '@roundtable/protocol'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { AppError } from '../errors.ts'
import { viewOfDraft } from '../meeting/drafting/store.ts'
import { contentOfSnapshot } from '../meeting/drafting/versions.ts'
import { CATALOGUES, clockOf, dayOf, MINUTES_LANGS } from '../meeting/records/catalogue.ts'
import {
  collectRecord,
  draftContent,
  listDrafts,
  meetingArchive,
  type RecordSources,
} from '../meeting/records/collect.ts'
import { minutesDocument } from '../meeting/records/minutes.ts'
import { CONTENT_TYPES, OUTPUT_FORMATS, render } from '../meeting/records/render.ts'
import type { DocWriter } from '../meeting/context.ts'
import type { Actor, MeetingService } from '../meeting/service.ts'
import type { Store } from '../store/types.ts'

interface OutputDeps {
  store: Store
  /** Documents are read (and never written) through the hub: the content as every client has it. */
  hub: DocWriter
  service: Pick<MeetingService, 'voteBallots' | 'boardElection'>
  now?: () => Date
  /** A participant of this meeting (routes.ts's check: session cookie, same meeting). */
  requireMember(req: FastifyRequest, meetingId: string): Promise<Actor>
  /** Charges the participant's command budget (a generated PDF costs more than a read). */
  spend(actor: Actor): void
}

const Params = z.object({ id: z.string().regex(ID_PATTERN) })
const DraftParams = Params.extend({ draftId: z.string().regex(DRAFT_ID_PATTERN) })
const VersionParams = DraftParams.extend({ versionId: z.string().regex(ID_PATTERN) })
/** A draft and the minutes take the same query: format, the reader's language and time zone. */
const OutputQuery = z.object({
  format: z.enum(OUTPUT_FORMATS).default('md'),
  lang: z.enum(MINUTES_LANGS).default('en'),
  tz: z.string().max(100).optional(),
})

const parse = <S extends z.ZodType>(schema: S, input: unknown): z.output<S> => {
  const r = parseWith(schema, input)
  if (r.error) throw new AppError('RT_ERR_BAD_REQUEST', undefined, r.error)
  return r.data
}

/** The query of an output, its `tz` resolved to a clock: an unknown zone is refused before anything renders. */
const parseOutputQuery = (input: unknown) => {
  const { tz, ...query } = parse(OutputQuery, input)
  const clock = clockOf(tz)
  if ('error' in clock)
    throw new AppError('RT_ERR_BAD_REQUEST', clock.error, [{ path: 'tz', message: clock.error }])
  return { ...query, clock: clock.data }
}

/** A file name safe in a Content-Disposition header: ASCII letters, digits and dashes. */
const fileName = (title: string) =>
  title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'document'

const participantOf = (actor: Actor): Participant => {
  if (actor.kind !== 'participant') throw new AppError('RT_ERR_FORBIDDEN')
  return actor.participant
}

/**
 * The meeting's outputs over HTTP (wire contract: outside tools rely on these paths and shapes):
 * drafts listed and exported, a version read-only, the minutes, and the archive (the chair's only).
 */
export const registerOutputRoutes = (app: FastifyInstance, deps: OutputDeps): void => {
  const sources: RecordSources = {
    store: deps.store,
    docs: deps.hub,
    voteBallots: (m, v) => deps.service.voteBallots(m, v),
    boardElection: (m) => deps.service.boardElection(m),
    now: deps.now,
  }
  const send = (reply: FastifyReply, format: (typeof OUTPUT_FORMATS)[number], title: string, body: Buffer) =>
    reply
      .header('content-type', CONTENT_TYPES[format])
      .header('content-disposition', `attachment; filename="${fileName(title)}.${format}"`)
      .send(body)

  app.get('/api/meetings/:id/drafts', async (req) => {
    const { id } = parse(Params, req.params)
    participantOf(await deps.requireMember(req, id))
    const meetingId = asMeetingId(id)
    const versions = await sources.store.listVersions(meetingId, null)
    return (await listDrafts(sources, meetingId)).map((d) => {
      const v = viewOfDraft(d, versions)
      return { id: v.id, title: v.title, kind: v.kind, delegationId: v.delegationId, docName: v.docName }
    })
  })

  app.get('/api/meetings/:id/drafts/:draftId/export', async (req, reply) => {
    const { id, draftId } = parse(DraftParams, req.params)
    const { format, lang, clock } = parseOutputQuery(req.query)
    const actor = await deps.requireMember(req, id)
    participantOf(actor)
    deps.spend(actor)
    const meetingId = asMeetingId(id)
    const draft = (await listDrafts(sources, meetingId)).find((d) => d.id === draftId)
    if (!draft) throw new AppError('RT_ERR_NOT_FOUND', 'No such draft in this meeting.')
    const meeting = (await sources.store.getMeeting(meetingId))!
    const [content, versions] = await Promise.all([
      draftContent(sources, meetingId, draft.id),
      sources.store.listVersions(meetingId, draft.id),
    ])
    const t = CATALOGUES[lang]
    const last = versions.at(-1)
    const now = (sources.now ?? (() => new Date()))()
    const body = await render(
      {
        title: draft.title,
        meta: [
          `${meeting.title} — ${dayOf(meeting.date, lang)}${meeting.place ? `, ${meeting.place}` : ''}`,
          `${t.draftKinds[draft.kind]} · ${last ? t.version(last.number, last.name) : t.noVersion} · ${t.exported(clock.stamp(now, lang))}`,
        ],
        blocks: content.blocks,
        lang,
      },
      format,
    )
    return send(reply, format, draft.title, body)
  })

  app.get('/api/meetings/:id/drafts/:draftId/versions/:versionId', async (req) => {
    const { id, draftId, versionId } = parse(VersionParams, req.params)
    participantOf(await deps.requireMember(req, id))
    const stored = await sources.store.getVersion(asMeetingId(id), versionId)
    if (!stored || stored.version.draftId !== draftId)
      throw new AppError('RT_ERR_NOT_FOUND', 'No such version of this draft.')
    return { version: stored.version, ...contentOfSnapshot(stored.snapshot) }
  })

  app.get('/api/meetings/:id/minutes', async (req, reply) => {
    const { id } = parse(Params, req.params)
    const { format, lang, clock } = parseOutputQuery(req.query)
    const actor = await deps.requireMember(req, id)
    participantOf(actor)
    deps.spend(actor)
    const doc = minutesDocument(await collectRecord(sources, asMeetingId(id)), lang, clock)
    return send(reply, format, doc.title, await render(doc, format))
  })

  app.get('/api/meetings/:id/archive', async (req, reply) => {
    const { id } = parse(Params, req.params)
    const actor = await deps.requireMember(req, id)
    if (participantOf(actor).role !== 'chair')
      throw new AppError('RT_ERR_FORBIDDEN', 'The archive is the chair’s.')
    deps.spend(actor)
    reply.header('content-disposition', `attachment; filename="archive-${id}.json"`)
    return meetingArchive(sources, asMeetingId(id))
  })
}
