import type { DraftId } from '@roundtable/protocol'
import { useEffect } from 'react'
import { useConnection, useMeeting, useRuntime } from '../../app/meeting-runtime.tsx'
import type { DraftItems } from './drafting-slice.ts'

const EMPTY: DraftItems = { comments: [], amendments: [], brackets: [], versions: [] }

/**
 * A draft's comments, amendments, brackets and versions: read when it is opened and again after
 * every reconnect (events missed meanwhile are in the lists); kept up to date by events.
 */
export const useDraftItems = (draftId: DraftId): DraftItems => {
  const rt = useRuntime()
  const channel = useConnection((s) => s.channel)
  useEffect(() => {
    if (channel !== 'connected') return
    const c = rt.channel
    const apply = rt.meeting.getState().applyDraftItems
    void c
      .command('comment:list', { draftId })
      .then((r) => r.data && apply(draftId, { comments: r.data.comments }))
    void c
      .command('amendment:list', { draftId })
      .then((r) => r.data && apply(draftId, { amendments: r.data.amendments }))
    void c
      .command('bracket:list', { draftId })
      .then((r) => r.data && apply(draftId, { brackets: r.data.brackets }))
    void c
      .command('version:list', { draftId })
      .then((r) => r.data && apply(draftId, { versions: r.data.versions }))
  }, [rt, draftId, channel])
  return useMeeting((s) => s.draftItems[draftId]) ?? EMPTY
}
