import { readFileSync } from 'node:fs'
import { count, type Election, type Options, type Result } from '../src/index.ts'

export interface PublishedCase {
  id: string
  source: string
  method: string
  candidates: string[]
  ballots: Election['ballots']
  // biome-ignore lint/suspicious/noExplicitAny: expected values vary per case, as copied from the source
  expected: Record<string, any>
}

export function loadCases(file: string): Map<string, PublishedCase> {
  const cases = JSON.parse(
    readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8'),
  ) as PublishedCase[]
  return new Map(cases.map((c) => [c.id, c]))
}

export function run(c: PublishedCase, method: Election['method'], options: Options = {}): Result {
  return count({ method, candidates: c.candidates, ballots: c.ballots, options })
}

/** Flattens a ranking of tiers, failing if any tier holds a tie. */
export function strict(ranking: string[][]): string[] {
  for (const t of ranking) if (t.length !== 1) throw new Error(`unexpected tie ${JSON.stringify(t)}`)
  return ranking.map((t) => t[0])
}
