import type { AmendmentView } from '@roundtable/protocol'
import type { Resolved } from './anchors.ts'

/**
 * How an amendment is shown beside the text. The server decides its status; the client also
 * flags, before anyone tries to adopt it, a passage that no longer reads as it did when proposed
 * (someone edited it since), so the chair reviews it instead of putting a stale text to the vote.
 */
export type AmendmentFlag = 'ok' | 'changed' | 'detached'

export const amendmentFlag = (
  a: Pick<AmendmentView, 'type' | 'oldText' | 'status'>,
  where: Resolved | null,
  currentText: string | null,
): AmendmentFlag => {
  if (a.status === 'adopted' || a.status === 'rejected') return 'ok'
  if (a.status === 'stale') return 'changed'
  if (where === null) return 'ok'
  if (where.detached) return a.type === 'insert' ? 'ok' : 'detached'
  if (a.type === 'insert') return 'ok'
  return currentText === a.oldText ? 'ok' : 'changed'
}

/** Whether the chair may still decide it. */
export const isOpen = (a: Pick<AmendmentView, 'status'>): boolean =>
  a.status === 'proposed' || a.status === 'voting' || a.status === 'stale'

/** The parts of a tracked change: what is struck and what is inserted. */
export const trackedParts = (a: Pick<AmendmentView, 'type' | 'oldText' | 'newText'>) => ({
  struck: a.type === 'insert' ? '' : a.oldText,
  inserted: a.type === 'delete' ? '' : a.newText,
})
