/**
 * Bracketed alternatives in a draft's text: "[shall | should]" carries two or more wordings
 * until the chair settles it. A bracket needs at least one `|` (a plain "[1]" is not one), and
 * brackets do not nest: the innermost pair wins.
 */
export interface Bracket {
  /** Offset of "[" in the text and one past "]". */
  from: number
  to: number
  options: string[]
}

const BRACKET = /\[([^[\]]*\|[^[\]]*)\]/g

export const findBrackets = (text: string): Bracket[] =>
  [...text.matchAll(BRACKET)].map((m) => ({
    from: m.index,
    to: m.index + m[0].length,
    options: m[1].split('|').map((o) => o.trim()),
  }))
