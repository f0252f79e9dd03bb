/**
 * Drafting through the meeting service (no sockets): drafts, comments, the amendment lifecycle
 * (propose, vote, apply; stale when the passage changed), brackets, versions (compare, restore).
 */
import type {
  AmendmentView,
  BracketView,
  CommentView,
  DraftView,
  VersionChange,
  VersionView,
  VoteView,
} from '@roundtable/protocol'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type DraftingEnv, setUpDrafting } from './drafting-setup.ts'

let env: DraftingEnv
beforeEach(async () => {
  env = await setUpDrafting()
})
afterEach(() => env.close())

const PASSAGE = 'Governments should share data across agencies.'

describe('drafts', () => {
  it('the brief is the first draft; drafts are created, titled and listed with their kind', async () => {
    const fr = await env.delegation('France')
    const alice = await env.person('delegate', 'Alice', fr.id)
    const first = await env.cmd<{ drafts: DraftView[] }>(alice, 'draft:list', {})
    expect(first.drafts.map((d) => [d.id, d.kind, d.docName])).toEqual([
      ['brief', 'policy_brief', 'draft-meeting.brief'],
    ])
    const { draft } = await env.cmd<{ draft: DraftView }>(alice, 'draft:create', {
      title: 'Rapport national',
      kind: 'country_report',
      delegationId: fr.id,
    })
    expect(draft.docName).toBe(`draft-meeting.draft-${draft.id}`)
    await expect(
      env.cmd(alice, 'draft:create', { title: 'X', kind: 'country_report' }),
    ).rejects.toMatchObject({
      code: 'RT_ERR_BAD_REQUEST',
    })
    await env.cmd(alice, 'draft:rename', { draftId: draft.id, title: 'Rapport de la France' })
    const { drafts } = await env.cmd<{ drafts: DraftView[] }>(alice, 'draft:list', {})
    expect(drafts.map((d) => [d.title, d.kind, d.delegationId])).toEqual([
      ['Policy brief', 'policy_brief', null],
      ['Rapport de la France', 'country_report', fr.id],
    ])
    expect(env.events.filter((e) => e.type === 'draft')).toHaveLength(2)
  })

  it('a closed vote seeds an empty draft with one heading per adopted priority, in order; never a full one', async () => {
    const d1 = await env.person('delegate', 'Ann')
    const d2 = await env.person('delegate', 'Ben')
    const { vote } = await env.cmd<{ vote: VoteView }>(env.chair, 'vote:create', {
      question: 'Priorities',
      options: ['Central co-ordination', 'Customer focus', 'Cross-agency work'],
      method: 'borda',
      secret: false,
      voters: 'delegates',
    })
    await env.cmd(env.chair, 'vote:open', { voteId: vote.id })
    await env.cmd(d1, 'vote:cast', { voteId: vote.id, ballot: { ranking: ['o2', 'o3', 'o1'] } })
    await env.cmd(d2, 'vote:cast', { voteId: vote.id, ballot: { ranking: ['o2', 'o1', 'o3'] } })
    await env.cmd(env.chair, 'vote:close', { voteId: vote.id })
    const { headings } = await env.cmd<{ headings: string[] }>(env.chair, 'draft:seedOutline', {
      draftId: 'brief',
      voteId: vote.id,
    })
    expect(headings[0]).toBe('Customer focus')
    expect(headings).toHaveLength(3)
    const doc = await env.readDoc('brief')
    const frag = doc.getXmlFragment('brief')
    const titles = frag
      .toArray()
      .filter((n) => (n as { nodeName?: string }).nodeName === 'heading')
      .map((n) => (n as { toArray(): { toString(): string }[] }).toArray()[0].toString())
    expect(titles).toEqual(headings)
    await expect(
      env.cmd(env.chair, 'draft:seedOutline', { draftId: 'brief', voteId: vote.id }),
    ).rejects.toMatchObject({
      code: 'RT_ERR_CONFLICT',
    })
  })
})

describe('comments', () => {
  it('threads, resolve and reopen; a comment whose passage is deleted is kept, detached', async () => {
    const alice = await env.person('delegate', 'Alice')
    const bob = await env.person('delegate', 'Bob')
    await env.writeParagraphs('brief', ['Intro.', PASSAGE, 'Closing words.'])
    const anchor = await env.anchorOf('brief', 'share data')
    const { comment } = await env.cmd<{ comment: CommentView }>(alice, 'comment:add', {
      draftId: 'brief',
      anchor,
      body: 'Which data?',
    })
    const { comment: reply } = await env.cmd<{ comment: CommentView }>(bob, 'comment:reply', {
      commentId: comment.id,
      body: 'Registers.',
    })
    expect(reply.parentId).toBe(comment.id)
    await env.cmd(bob, 'comment:resolve', { commentId: comment.id })
    await expect(env.cmd(bob, 'comment:resolve', { commentId: comment.id })).rejects.toMatchObject({
      code: 'RT_ERR_CONFLICT',
    })
    await env.cmd(alice, 'comment:reopen', { commentId: comment.id })
    let list = (await env.cmd<{ comments: CommentView[] }>(bob, 'comment:list', { draftId: 'brief' }))
      .comments
    expect(list.map((c) => [c.body, c.resolved, c.detached])).toEqual([
      ['Which data?', false, false],
      ['Registers.', false, false],
    ])
    // Someone deletes the paragraph holding the passage.
    await env.edit('brief', (doc) => doc.getXmlFragment('brief').delete(1, 1))
    list = (await env.cmd<{ comments: CommentView[] }>(bob, 'comment:list', { draftId: 'brief' })).comments
    expect(list.map((c) => [c.body, c.detached])).toEqual([
      ['Which data?', true],
      ['Registers.', true],
    ])
    const observer = await env.person('observer', 'Olga')
    await expect(
      env.cmd(observer, 'comment:add', { draftId: 'brief', anchor, body: 'x' }),
    ).rejects.toMatchObject({
      code: 'RT_ERR_FORBIDDEN',
    })
  })
})

describe('amendments', () => {
  const propose = async (who: Parameters<DraftingEnv['cmd']>[0], oldText: string, newText: string) =>
    (
      await env.cmd<{ amendment: AmendmentView }>(who, 'amendment:propose', {
        draftId: 'brief',
        type: 'replace',
        anchor: await env.anchorOf('brief', oldText),
        oldText,
        newText,
        reason: 'Stronger wording.',
      })
    ).amendment

  it('[AM-VOTE] propose, put to a motion, the motion carries: applied to the text in one step, with a version', async () => {
    const ca = await env.delegation('Canada')
    const alice = await env.person('delegate', 'Alice', ca.id)
    const bob = await env.person('delegate', 'Bob', (await env.delegation('Mexico')).id)
    await env.writeParagraphs('brief', [PASSAGE])
    const a = await propose(alice, 'should', 'shall')
    expect(a).toMatchObject({ status: 'proposed', delegationId: ca.id, oldText: 'should', newText: 'shall' })
    // Proposed, the text is unchanged.
    expect(await env.text('brief')).toBe(PASSAGE)
    await expect(env.cmd(alice, 'amendment:adopt', { amendmentId: a.id })).rejects.toMatchObject({
      code: 'RT_ERR_FORBIDDEN',
    })
    const { amendment, vote } = await env.cmd<{ amendment: AmendmentView; vote: VoteView }>(
      env.chair,
      'amendment:putToVote',
      { amendmentId: a.id, method: 'motion' },
    )
    expect(amendment.status).toBe('voting')
    expect(vote).toMatchObject({ method: 'motion', status: 'open', voters: 'delegations' })
    await env.cmd(alice, 'vote:cast', { voteId: vote.id, ballot: { vote: 'yes' } })
    await env.cmd(bob, 'vote:cast', { voteId: vote.id, ballot: { vote: 'yes' } })
    await env.cmd(env.chair, 'vote:close', { voteId: vote.id })
    expect(await env.text('brief')).toBe('Governments shall share data across agencies.')
    const [after] = (
      await env.cmd<{ amendments: AmendmentView[] }>(bob, 'amendment:list', { draftId: 'brief' })
    ).amendments
    expect(after).toMatchObject({ status: 'adopted', decidedBy: 'vote', voteId: vote.id })
    const { versions } = await env.cmd<{ versions: VersionView[] }>(bob, 'version:list', { draftId: 'brief' })
    expect(versions.map((v) => v.reason)).toEqual(['amendment'])
    expect(versions[0].id).toBe(after.versionId)
  })

  it('a motion that fails rejects the amendment; the rejected one stays in the record and the text is unchanged', async () => {
    const alice = await env.person('delegate', 'Alice', (await env.delegation('Canada')).id)
    await env.writeParagraphs('brief', [PASSAGE])
    const a = await propose(alice, 'should', 'must')
    const { vote } = await env.cmd<{ vote: VoteView }>(env.chair, 'amendment:putToVote', {
      amendmentId: a.id,
      method: 'motion',
    })
    await env.cmd(alice, 'vote:cast', { voteId: vote.id, ballot: { vote: 'no' } })
    await env.cmd(env.chair, 'vote:close', { voteId: vote.id })
    expect(await env.text('brief')).toBe(PASSAGE)
    const [after] = (
      await env.cmd<{ amendments: AmendmentView[] }>(alice, 'amendment:list', { draftId: 'brief' })
    ).amendments
    expect(after).toMatchObject({ status: 'rejected', decidedBy: 'vote' })
  })

  it('[AM-APPLY] a stale amendment (passage edited since) is flagged, not applied', async () => {
    const alice = await env.person('delegate', 'Alice')
    await env.writeParagraphs('brief', [PASSAGE])
    const a = await propose(alice, 'share data across', 'share records across')
    // Someone edits inside the passage before it is decided.
    await env.edit('brief', (doc) => {
      const p = doc.getXmlFragment('brief').get(0) as unknown as { get(i: number): import('yjs').XmlText }
      const t = p.get(0)
      const at = t.toString().indexOf('data')
      t.delete(at, 4)
      t.insert(at, 'information')
    })
    const before = await env.text('brief')
    const { amendment } = await env.cmd<{ amendment: AmendmentView }>(env.chair, 'amendment:adopt', {
      amendmentId: a.id,
    })
    expect(amendment.status).toBe('stale')
    expect(amendment.staleReason).toMatch(/changed/)
    expect(await env.text('brief')).toBe(before)
    expect(
      (await env.cmd<{ versions: VersionView[] }>(alice, 'version:list', { draftId: 'brief' })).versions,
    ).toEqual([])
    // The chair reviews it and rejects it: it stays in the record.
    const { amendment: rejected } = await env.cmd<{ amendment: AmendmentView }>(
      env.chair,
      'amendment:reject',
      {
        amendmentId: a.id,
      },
    )
    expect(rejected.status).toBe('rejected')
  })

  it('adopted by consensus: an insertion and a deletion, each applied once', async () => {
    const alice = await env.person('delegate', 'Alice')
    await env.writeParagraphs('brief', [PASSAGE])
    const doc = await env.readDoc('brief')
    const { anchorIn, textNodes } = await import('../src/meeting/drafting/text.ts')
    const t = textNodes(doc)[0]
    const at = PASSAGE.indexOf('data') + 4
    const { amendment: ins } = await env.cmd<{ amendment: AmendmentView }>(alice, 'amendment:propose', {
      draftId: 'brief',
      type: 'insert',
      anchor: anchorIn(t, at, at),
      oldText: '',
      newText: ' and services',
    })
    await env.cmd(env.chair, 'amendment:adopt', { amendmentId: ins.id })
    expect(await env.text('brief')).toBe('Governments should share data and services across agencies.')
    const del = await env.cmd<{ amendment: AmendmentView }>(alice, 'amendment:propose', {
      draftId: 'brief',
      type: 'delete',
      anchor: await env.anchorOf('brief', ' across agencies'),
      oldText: ' across agencies',
      newText: '',
    })
    await env.cmd(env.chair, 'amendment:adopt', { amendmentId: del.amendment.id })
    expect(await env.text('brief')).toBe('Governments should share data and services.')
    await expect(
      env.cmd(env.chair, 'amendment:adopt', { amendmentId: del.amendment.id }),
    ).rejects.toMatchObject({
      code: 'RT_ERR_CONFLICT',
    })
  })
})

describe('brackets', () => {
  it('open brackets are listed and counted; settling applies the chosen wording through the pipeline', async () => {
    const alice = await env.person('delegate', 'Alice')
    await env.writeParagraphs('brief', [PASSAGE])
    const { bracket } = await env.cmd<{ bracket: BracketView }>(alice, 'bracket:open', {
      draftId: 'brief',
      anchor: await env.anchorOf('brief', 'should'),
      alternatives: ['shall', 'should'],
    })
    expect((await env.cmd<{ open: number }>(alice, 'bracket:list', { draftId: 'brief' })).open).toBe(1)
    await env.cmd(env.chair, 'bracket:settle', { bracketId: bracket.id, choice: 0 })
    expect(await env.text('brief')).toBe('Governments shall share data across agencies.')
    const after = await env.cmd<{ brackets: BracketView[]; open: number }>(alice, 'bracket:list', {
      draftId: 'brief',
    })
    expect(after.open).toBe(0)
    expect(after.brackets[0]).toMatchObject({ status: 'settled', choice: 0 })
  })
})

describe('versions', () => {
  it('[VER-DIFF] compare shows exactly the changes between two versions', async () => {
    await env.writeParagraphs('brief', ['Leaders set the direction.', 'Agencies co-operate.'])
    const v1 = (
      await env.cmd<{ version: VersionView }>(env.chair, 'version:create', {
        draftId: 'brief',
        name: 'First reading',
      })
    ).version
    await env.edit('brief', (doc) => {
      const frag = doc.getXmlFragment('brief')
      const t0 = (frag.get(0) as unknown as { get(i: number): import('yjs').XmlText }).get(0)
      t0.delete(0, 'Leaders'.length)
      t0.insert(0, 'Senior officials')
      const t1 = (frag.get(1) as unknown as { get(i: number): import('yjs').XmlText }).get(0)
      t1.insert('Agencies'.length, ' closely')
    })
    const v2 = (
      await env.cmd<{ version: VersionView }>(env.chair, 'version:create', {
        draftId: 'brief',
        name: 'Second reading',
      })
    ).version
    expect([v1.number, v2.number]).toEqual([1, 2])
    const { changes } = await env.cmd<{ changes: VersionChange[] }>(env.chair, 'version:compare', {
      draftId: 'brief',
      from: v1.id,
      to: v2.id,
    })
    const changed = changes.filter((c) => c.kind !== 'equal').map((c) => [c.kind, c.text.trim()])
    expect(changed).toEqual([
      ['delete', 'Leaders'],
      ['insert', 'Senior officials'],
      ['insert', 'closely'],
    ])
    expect(changes.map((c) => (c.kind === 'delete' ? '' : c.text)).join('')).toBe(
      'Senior officials set the direction.\n\nAgencies closely co-operate.',
    )
  })

  it('[VER-RESTORE] restore writes the old text as a new edit and a new version "restored from"; history kept', async () => {
    await env.writeParagraphs('brief', ['Original wording.'])
    const v1 = (
      await env.cmd<{ version: VersionView }>(env.chair, 'version:create', {
        draftId: 'brief',
        name: 'Agreed',
      })
    ).version
    await env.edit('brief', (doc) => {
      const t = (
        doc.getXmlFragment('brief').get(0) as unknown as { get(i: number): import('yjs').XmlText }
      ).get(0)
      t.insert(0, 'Changed. ')
    })
    const v2 = (
      await env.cmd<{ version: VersionView }>(env.chair, 'version:create', {
        draftId: 'brief',
        name: 'Later',
      })
    ).version
    const { version } = await env.cmd<{ version: VersionView }>(env.chair, 'version:restore', {
      draftId: 'brief',
      versionId: v1.id,
    })
    expect(version).toMatchObject({ number: 3, reason: 'restore', restoredFrom: v1.id })
    expect(version.name).toContain('Agreed')
    expect(await env.text('brief')).toBe('Original wording.')
    const { versions } = await env.cmd<{ versions: VersionView[] }>(env.chair, 'version:list', {
      draftId: 'brief',
    })
    expect(versions.map((v) => v.id)).toEqual([v1.id, v2.id, version.id])
    // The earlier versions still read as they did.
    const { changes } = await env.cmd<{ changes: VersionChange[] }>(env.chair, 'version:compare', {
      draftId: 'brief',
      from: v2.id,
      to: version.id,
    })
    expect(changes.filter((c) => c.kind !== 'equal').map((c) => [c.kind, c.text.trim()])).toEqual([
      ['delete', 'Changed.'],
    ])
    // A delegate may not restore.
    const alice = await env.person('delegate', 'Alice')
    await expect(
      env.cmd(alice, 'version:restore', { draftId: 'brief', versionId: v1.id }),
    ).rejects.toMatchObject({
      code: 'RT_ERR_FORBIDDEN',
    })
  })
})
