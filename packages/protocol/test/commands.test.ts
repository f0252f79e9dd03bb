import { describe, expect, it } from 'vitest'
import { COMMANDS, CreateMeetingBody, can, JoinBody, parseWith, PERMISSIONS, ROLES } from '../src/index.ts'

describe('command schemas', () => {
  it('accept a well-formed payload and apply defaults', () => {
    const r = parseWith(COMMANDS['invitation:create'], { role: 'observer' })
    expect(r.data).toEqual({ role: 'observer', delegationId: null, label: '', expiresInHours: null })
  })

  it.each([
    [
      'unknown keys',
      COMMANDS['agenda:add'],
      { title: 'x', kind: 'discussion', durationMinutes: 1, extra: 1 },
    ],
    ['a bad kind', COMMANDS['agenda:add'], { title: 'x', kind: 'party', durationMinutes: 1 }],
    ['a blank title', COMMANDS['agenda:add'], { title: '   ', kind: 'discussion', durationMinutes: 1 }],
    ['a NUL in a name', JoinBody, { displayName: 'Ma\u0000rie' }],
    [
      'a control character in a place',
      CreateMeetingBody,
      { title: 'M', date: '2003-06-09', place: 'a\u0007b' },
    ],
    ['a bad date', CreateMeetingBody, { title: 'M', date: '9 June 2003' }],
    ['a non-id', COMMANDS['agenda:remove'], { itemId: '../../etc' }],
    ['a negative duration', COMMANDS['agenda:add'], { title: 'x', kind: 'vote', durationMinutes: -1 }],
    ['a prototype key', COMMANDS['audit:list'], JSON.parse('{"__proto__": {"x": 1}}')],
  ])('refuse %s with field-level issues', (_what, schema, input) => {
    const r = parseWith(schema, input)
    expect(r.data).toBeUndefined()
    expect(r.error!.length).toBeGreaterThan(0)
  })

  it('trims names; descriptions keep their line breaks', () => {
    expect(parseWith(JoinBody, { displayName: '  Marie  ' }).data).toEqual({ displayName: 'Marie' })
    expect(
      parseWith(CreateMeetingBody, { title: 'M', date: '2003-06-09', description: 'line 1\nline 2' }).data
        ?.description,
    ).toBe('line 1\nline 2')
  })
})

describe('roles', () => {
  it('only the chair manages; observers only read and show presence', () => {
    expect(ROLES.filter((r) => can(r, 'changeAgenda'))).toEqual(['chair'])
    expect(ROLES.filter((r) => can(r, 'writeDoc'))).toEqual(['chair', 'delegate'])
    expect(ROLES.filter((r) => can(r, 'readDoc'))).toEqual([...ROLES])
    // The chair may do everything but cast a ballot: delegates vote.
    for (const p of Object.keys(PERMISSIONS) as (keyof typeof PERMISSIONS)[])
      expect(can('chair', p)).toBe(p !== 'castVote')
  })
})
