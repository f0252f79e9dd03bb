// The recount command as other tools call it: a child process, JSON in, JSON out.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { loadCases } from './helpers.ts'

const BIN = fileURLToPath(new URL('../bin/tally.mjs', import.meta.url))
const recount = (input: string) =>
  spawnSync(process.execPath, [BIN], { input, encoding: 'utf8', timeout: 20_000 })
const cases = loadCases('published-cases.json')

describe('recount command', () => {
  it('[CLI-1] prints one JSON result and nothing else', () => {
    const c = cases.get('tn-irv')!
    const out = recount(JSON.stringify({ method: 'irv', candidates: c.candidates, ballots: c.ballots }))
    expect(out.status).toBe(0)
    expect(out.stderr).toBe('')
    const result = JSON.parse(out.stdout)
    expect(result).toMatchObject({ method: 'irv', winners: ['Knoxville'], rounds: c.expected.rounds })
  })

  it('[CLI-1] counts an STV election with options and the issue example ballot shapes', () => {
    const c = cases.get('stv-enwiki-food')!
    const out = recount(
      JSON.stringify({ method: 'stv', candidates: c.candidates, ballots: c.ballots, options: { seats: 3 } }),
    )
    expect(JSON.parse(out.stdout)).toMatchObject({ elected: ['Chocolate', 'Orange', 'Strawberry'], quota: 6 })
    const schulze = recount(
      '{ "method": "schulze", "candidates": ["A","B","C"], "ballots": [ {"ranking": ["A", ["B","C"]], "count": 3} ] }',
    )
    expect(JSON.parse(schulze.stdout)).toMatchObject({ winners: ['A'], ranking: [['A'], ['B', 'C']] })
  })

  it.each([
    ['not JSON', '{ nope'],
    ['an unknown method', '{"method":"dictator","candidates":["A"],"ballots":[]}'],
    ['an unknown candidate', '{"method":"irv","candidates":["A"],"ballots":[{"ranking":["Z"]}]}'],
    ['a ballot that does not fit', '{"method":"approval","candidates":["A"],"ballots":[{"ranking":["A"]}]}'],
  ])('[CLI-2] %s: message on stderr, empty stdout, exit 1', (_, input) => {
    const out = recount(input)
    expect(out.status).toBe(1)
    expect(out.stdout).toBe('')
    expect(out.stderr).toMatch(/^tally: /)
  })

  it('[CLI-3] an option the method does not read is a warning on stderr, the result still on stdout', () => {
    const out = recount(
      '{"method":"plurality","candidates":["A","B"],"ballots":[{"choice":"A"}],"options":{"seats":2}}',
    )
    expect(out.status).toBe(0)
    expect(out.stderr).toContain('warning')
    expect(JSON.parse(out.stdout).winners).toEqual(['A'])
  })
})
