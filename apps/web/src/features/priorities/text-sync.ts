/*
 * The pure half of binding a plain <input>/<textarea> to a Y.Text: turning what the browser did
 * into one splice, and keeping the caret where the person left it when someone else's edit lands.
 */

/** One splice of a text: at `index`, delete `deleteCount` UTF-16 units, insert `insert`. */
export interface Splice {
  index: number
  deleteCount: number
  insert: string
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff

/**
 * The splice that turns `old` into `next`, the field's value after an input event, or null when
 * they are equal. `caret` (selectionEnd after the event) breaks the ties a plain prefix/suffix diff
 * cannot see: typing "a" after the first "a" of "aa" inserts at 1, where the caret is, not at 2.
 * That matters with two writers: the character goes where this person typed it, next to their own.
 * Never cuts a surrogate pair in two.
 */
export const spliceOf = (old: string, next: string, caret?: number): Splice | null => {
  if (old === next) return null
  const both = Math.min(old.length, next.length)
  const commonPrefix = (max: number) => {
    let n = 0
    while (n < max && old.charCodeAt(n) === next.charCodeAt(n)) n++
    return n > 0 && isHigh(old.charCodeAt(n - 1)) ? n - 1 : n
  }
  const commonSuffix = (max: number) => {
    let n = 0
    while (n < max && old.charCodeAt(old.length - 1 - n) === next.charCodeAt(next.length - 1 - n)) n++
    return n > 0 && isLow(old.charCodeAt(old.length - n)) ? n - 1 : n
  }
  let prefix: number
  let suffix: number
  if (caret === undefined) {
    // No caret: the longest common start first, as doc-schema's setAreaText does.
    prefix = commonPrefix(both)
    suffix = commonSuffix(both - prefix)
  } else {
    // What follows the caret was not typed: the common end may not reach before it.
    const at = Math.max(0, Math.min(caret, next.length))
    suffix = commonSuffix(Math.min(both, next.length - at))
    prefix = commonPrefix(both - suffix)
  }
  return {
    index: prefix,
    deleteCount: old.length - prefix - suffix,
    insert: next.slice(prefix, next.length - suffix),
  }
}

/** A Y.Text change as Yjs reports it (YTextEvent.delta): retain, insert and delete runs, in order. */
export type TextDelta = ReadonlyArray<{ insert?: unknown; delete?: number; retain?: number }>

/**
 * Where an index of the text before a change is after it. Text inserted before the index, or
 * deleted before it, moves it; an insert exactly at the index leaves it in front of the new text,
 * so a person typing at the same spot as someone else keeps their own word together.
 */
export const shiftIndex = (index: number, delta: TextDelta): number => {
  let pos = 0 // in the old text
  let out = index
  for (const op of delta) {
    if (pos > index) break
    if (op.retain !== undefined) pos += op.retain
    else if (op.delete !== undefined) {
      if (pos < index) out -= Math.min(op.delete, index - pos)
      pos += op.delete
    } else if (op.insert !== undefined && pos < index) {
      out += typeof op.insert === 'string' ? op.insert.length : 1
    }
  }
  return Math.max(0, out)
}

export interface Selection {
  start: number
  end: number
  direction?: 'forward' | 'backward' | 'none'
}

/** The selection after a remote change: both ends shifted, a collapsed caret stays collapsed. */
export const shiftSelection = (sel: Selection, delta: TextDelta): Selection => {
  const start = shiftIndex(sel.start, delta)
  const end = sel.end === sel.start ? start : Math.max(start, shiftIndex(sel.end, delta))
  return { ...sel, start, end }
}
