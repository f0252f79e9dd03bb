import type { VersionChange } from '@roundtable/protocol'
import { diffWords } from 'diff'
import { blocksOf, docFrom, markdownOf } from './text.ts'

/** A version's content as Markdown, read from its snapshot. */
export const markdownOfSnapshot = (snapshot: Uint8Array): string => {
  const doc = docFrom(snapshot)
  try {
    return markdownOf(blocksOf(doc))
  } finally {
    doc.destroy()
  }
}

export const contentOfSnapshot = (snapshot: Uint8Array) => {
  const doc = docFrom(snapshot)
  try {
    const blocks = blocksOf(doc)
    return { blocks, markdown: markdownOf(blocks) }
  } finally {
    doc.destroy()
  }
}

/** [VER-DIFF] Word-level changes from one text to another: equal runs, insertions, deletions, in order. */
export const compareTexts = (from: string, to: string): VersionChange[] =>
  diffWords(from, to).map((part) => ({
    kind: part.added ? 'insert' : part.removed ? 'delete' : 'equal',
    text: part.value,
  }))
