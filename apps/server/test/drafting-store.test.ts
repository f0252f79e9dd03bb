/** Drafting's store part on both dialects: rows replaced whole, listed in creation order, versions with their bytes. */
import pg from 'pg'
import {
  type AmendmentView,
  asMeetingId,
  type BracketView,
  type DraftId,
  type VersionView,
} from '@roundtable/protocol'
import { describe, expect, it } from 'vitest'
import { openPostgresStore } from '../src/store/postgres.ts'
import { openSqliteStore } from '../src/store/sqlite.ts'
import type { Store, StoredComment } from '../src/store/types.ts'

const connectionString = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const m = asMeetingId('m1')
const other = asMeetingId('m2')
const draftId = 'abc123' as DraftId

const comment = (id: string, body: string): StoredComment =>
  ({
    id,
    draftId,
    parentId: null,
    anchor: { start: 'AAAA', end: 'AAAA', quote: 'x' },
    body,
    authorId: 'p1',
    authorName: 'Amélie',
    delegationId: null,
    createdAt: '2003-06-09T10:00:00.000Z',
    resolved: false,
    resolvedBy: null,
    resolvedAt: null,
  }) as StoredComment

const contract = (name: string, open: () => Promise<{ store: Store; done: () => Promise<void> }>) =>
  describe(`drafting store (${name})`, () => {
    it('keeps drafts, comments, amendments, brackets and versions per meeting, in creation order', async () => {
      const { store, done } = await open()
      try {
        await store.putDraft({
          id: draftId,
          meetingId: m,
          title: 'Rapport',
          kind: 'country_report',
          delegationId: null,
          createdAt: 'x',
        } as never)
        await store.putDraft({
          id: draftId,
          meetingId: m,
          title: 'Rapport national',
          kind: 'country_report',
          delegationId: null,
          createdAt: 'x',
        } as never)
        expect((await store.listDrafts(m)).map((d) => d.title)).toEqual(['Rapport national'])
        expect(await store.listDrafts(other)).toEqual([])

        await store.putComment(m, comment('c1', 'first'))
        await store.putComment(m, comment('c2', 'second'))
        await store.putComment(m, { ...comment('c1', 'first, edited'), resolved: true })
        expect((await store.listComments(m, draftId)).map((c) => [c.id, c.body, c.resolved])).toEqual([
          ['c1', 'first, edited', true],
          ['c2', 'second', false],
        ])
        expect(await store.listComments(m, 'zzz' as DraftId)).toEqual([])

        const a = { id: 'a1', draftId, status: 'proposed' } as AmendmentView
        await store.putAmendment(m, a)
        await store.putAmendment(m, { ...a, status: 'adopted' })
        expect((await store.listAmendments(m, null)).map((x) => x.status)).toEqual(['adopted'])
        await store.putBracket(m, { id: 'b1', draftId, status: 'open' } as BracketView)
        expect(await store.listBrackets(m, draftId)).toHaveLength(1)

        const bytes = new Uint8Array([0, 1, 2, 255, 128])
        const v = { id: 'v1', draftId, number: 1, name: 'Première lecture' } as VersionView
        await store.addVersion(m, v, bytes)
        await store.addVersion(m, { ...v, id: 'v2' as VersionView['id'], number: 2 }, new Uint8Array([9]))
        expect((await store.listVersions(m, draftId)).map((x) => x.id)).toEqual(['v1', 'v2'])
        const got = await store.getVersion(m, 'v1')
        expect(got?.version.name).toBe('Première lecture')
        expect([...(got?.snapshot ?? [])]).toEqual([...bytes])
        expect(await store.getVersion(other, 'v1')).toBeNull()
        // A version is never replaced.
        await expect(store.addVersion(m, v, bytes)).rejects.toThrow()
      } finally {
        await done()
      }
    })
  })

contract('sqlite', async () => {
  const store = openSqliteStore({ path: ':memory:' })
  return { store, done: () => store.close() }
})

contract('postgres', async () => {
  const schema = `rt_drafting_${process.pid}_${Date.now().toString(36)}`
  const store = await openPostgresStore({ connectionString, schema })
  return {
    store,
    done: async () => {
      await store.close()
      const c = new pg.Client({ connectionString })
      await c.connect()
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await c.end()
    },
  }
})
