import type { AuditEntry } from '@roundtable/protocol'
import { describe, expect, it } from 'vitest'
import {
  actionArea,
  actionKey,
  actorName,
  detailParts,
  humanize,
  matches,
  mergeEntries,
} from '../src/features/audit/describe.ts'
import { translationsFor } from '../src/shared/i18n/index.ts'

const names = {
  participant: (id: string) => ({ p1: 'Mark Forman', p2: 'Amélie Durand' })[id] ?? null,
  delegation: (id: string) => ({ d1: 'France' })[id] ?? null,
  item: (id: string) => ({ i1: 'Opening' })[id] ?? null,
}
const entry = (seq: number, action: string, detail: Record<string, unknown> = {}): AuditEntry =>
  ({ seq, meetingId: 'm', at: '2026-01-01T00:00:00Z', actor: 'p1', action, detail }) as unknown as AuditEntry

describe('the audit log reads as sentences', () => {
  it('names people, delegations and items instead of ids, and leaves hashes and paths out', () => {
    const parts = detailParts(
      {
        participantId: 'p2',
        delegationId: 'd1',
        itemId: 'i1',
        optionsHash: 'abc',
        path: '/x',
        voteId: 'v9',
        role: 'observer',
        nested: { a: 1 },
      },
      names,
    )
    expect(parts).toEqual([
      { key: 'participant', value: 'Amélie Durand' },
      { key: 'delegation', value: 'France' },
      { key: 'item', value: 'Opening' },
      { key: 'role', value: 'observer' },
    ])
    expect(actorName('p1', names)).toBe('Mark Forman')
    expect(actorName('organiser', names)).toBe('organiser')
    expect(actorName('Mark F. (chair, p1)', names)).toBe('Mark Forman')
    expect(actorName('Ragna Reader (delegate, gone1)', names)).toBe('Ragna Reader')
    expect(detailParts({ participantId: 'gone1', name: 'Ragna Reader' }, names)).toEqual([
      { key: 'name', value: 'Ragna Reader' },
    ])
  })
  it('every action the server records has a sentence in English and French', () => {
    const en = translationsFor('en').auditLog as { actions: Record<string, string> }
    const fr = translationsFor('fr').auditLog as { actions: Record<string, string> }
    for (const a of [
      'agenda.setCurrent',
      'floor.grant',
      'floor.pointOfOrder',
      'vote.close',
      'participant.setRole',
    ]) {
      const k = actionKey(a).replace('auditLog.actions.', '')
      expect(en.actions[k], a).toBeTruthy()
      expect(fr.actions[k], a).toBeTruthy()
    }
  })
  it('an action with no sentence still reads as words, not a dotted code', () => {
    expect(humanize('floor.pointOfOrder')).toBe('floor: point of order')
    expect(actionArea('vote.cast')).toBe('vote')
  })
  it('filters by area and by words in what the row shows', () => {
    const e = entry(1, 'floor.grant')
    expect(matches(e, '', 'floor', '')).toBe(true)
    expect(matches(e, '', 'vote', '')).toBe(false)
    expect(matches(e, 'amélie', '', 'Mark Forman: gave the floor · person: Amélie Durand')).toBe(true)
    expect(matches(e, 'bob', '', 'Mark Forman: gave the floor')).toBe(false)
  })
  it('live re-fetches after the last seq add only newer entries, in order', () => {
    const held = [entry(1, 'a.b'), entry(2, 'a.c')]
    expect(mergeEntries(held, [entry(2, 'a.c'), entry(4, 'a.e'), entry(3, 'a.d')]).map((e) => e.seq)).toEqual(
      [1, 2, 3, 4],
    )
  })
})
