import { type DocKindSpec, DOC_KINDS } from '@roundtable/doc-schema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { DEFAULT_DOC_KINDS, type DocKindDefinition, DocKinds } from '../src/docs/kinds.ts'
import { ShapeGuard } from '../src/docs/shape.ts'

/** A kind added the way later drafts will be: one definition, nothing else in the server changes. */
const MINUTES: DocKindSpec = {
  name: 'minutes',
  roots: { lines: { type: 'array', item: { type: 'text', maxChars: 500 } } },
  client: { field: 'lines', type: 'map' },
}
const minutes: DocKindDefinition = { spec: MINUTES, write: { roles: ['chair'] } }

describe('document kind registry', () => {
  it('serves the kinds a meeting has, and parses only their names', () => {
    const kinds = new DocKinds()
    // `draft` is a family: `<meetingId>.draft-<draftId>`, one document per draft.
    expect(kinds.names.sort()).toEqual([...DOC_KINDS, 'draft'].sort())
    expect(kinds.parse('oecd-egov-2003.draft-k3x9')?.kind.spec.name).toBe('draft')
    expect(kinds.parse('oecd-egov-2003.brief')?.kind.spec.name).toBe('brief')
    expect(kinds.parse('oecd-egov-2003.priorities')?.meetingId).toBe('oecd-egov-2003')
    for (const bad of [
      'oecd.minutes',
      'oecd',
      '.brief',
      'a b.brief',
      'oecd.brief.x',
      `${'m'.repeat(65)}.brief`,
      'oecd.draft',
      'oecd.draft-',
      'oecd.draft-UPPER',
      'oecd.brief-x',
    ])
      expect(kinds.parse(bad), bad).toBeNull()
  })

  it('a new kind is one definition: its name, shape and write policy come with it', () => {
    const kinds = new DocKinds([...DEFAULT_DOC_KINDS, minutes])
    const parsed = kinds.parse('m1.minutes')
    expect(parsed?.kind).toBe(minutes)
    expect(kinds.roleMayWrite(minutes, 'chair')).toBe(true)
    expect(kinds.roleMayWrite(minutes, 'delegate')).toBe(false)
    expect(kinds.roleMayWrite(DEFAULT_DOC_KINDS[0], 'delegate')).toBe(true)
    expect(kinds.roleMayWrite(DEFAULT_DOC_KINDS[0], 'observer')).toBe(false)
    // Its shape is what the server checks its updates against.
    const server = new Y.Doc()
    const guard = new ShapeGuard(MINUTES, () => server)
    const client = new Y.Doc()
    const updates: Uint8Array[] = []
    client.on('update', (u: Uint8Array) => updates.push(u))
    client.getArray('lines').push([new Y.Text('Item 1 opened')])
    client.getArray('lines').push(['a plain string'])
    const first = guard.check(updates[0])
    expect(first.ok).toBe(true)
    if (first.ok) first.record()
    expect(guard.check(updates[1])).toMatchObject({ ok: false, code: 'shape' })
  })

  it('refuses a kind registered twice or with a name a document name cannot carry', () => {
    expect(() => new DocKinds([minutes, minutes])).toThrow(/twice/)
    expect(() => new DocKinds([{ ...minutes, spec: { ...MINUTES, name: 'Bad.Name' } }])).toThrow(/invalid/)
  })

  it('freezing is per document and says why', () => {
    const kinds = new DocKinds()
    kinds.setWritable('m1.priorities', false, 'ranking frozen')
    expect(kinds.frozenReason('m1.priorities')).toBe('ranking frozen')
    expect(kinds.frozenReason('m2.priorities')).toBeNull()
    kinds.setWritable('m1.priorities', true)
    expect(kinds.frozenReason('m1.priorities')).toBeNull()
  })
})
