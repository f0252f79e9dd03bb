import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ERRORS } from '@roundtable/protocol'
import { describe, expect, it } from 'vitest'
import { translationsFor } from '../src/shared/i18n/index.ts'

// The shared translations with every feature's merged in, as the app loads them.
const en = translationsFor('en')
const fr = translationsFor('fr')

type Tree = { [k: string]: string | Tree }
const PLURAL = /_(zero|one|two|few|many|other)$/

/** Every leaf key, plural forms folded into their base key. */
const leafKeys = (tree: Tree, prefix = ''): Set<string> => {
  const out = new Set<string>()
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.add(prefix + k.replace(PLURAL, ''))
    else for (const sub of leafKeys(v, `${prefix}${k}.`)) out.add(sub)
  }
  return out
}

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.tsx?$/.test(name) ? [p] : []
  })

describe('translations', () => {
  const enKeys = leafKeys(en as Tree)
  const frKeys = leafKeys(fr as Tree)

  it('English and French have the same keys', () => {
    expect([...enKeys].filter((k) => !frKeys.has(k))).toEqual([])
    expect([...frKeys].filter((k) => !enKeys.has(k))).toEqual([])
  })

  it('every literal key the code uses exists', () => {
    const used = new Set<string>()
    for (const file of sourceFiles(join(import.meta.dirname, '../src'))) {
      const text = readFileSync(file, 'utf8')
      for (const m of text.matchAll(/\bt\('([a-zA-Z]+\.[a-zA-Z0-9_.]+)'/g)) used.add(m[1])
      for (const m of text.matchAll(/\bkey: '([a-zA-Z]+\.[a-zA-Z0-9_.]+)'/g)) used.add(m[1])
    }
    expect(used.size).toBeGreaterThan(100)
    expect([...used].filter((k) => !enKeys.has(k))).toEqual([])
  })

  it('every server error code has a message in both languages', () => {
    for (const code of Object.keys(ERRORS)) {
      expect(enKeys.has(`errors.${code}`), code).toBe(true)
      expect(frKeys.has(`errors.${code}`), code).toBe(true)
    }
  })
})
