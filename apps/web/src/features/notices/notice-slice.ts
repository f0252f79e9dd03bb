import type { StateCreator } from 'zustand/vanilla'
import type { ClientError } from '../../shared/api/http.ts'

/** A message for the live region; the component translates it. */
export interface Notice {
  id: number
  kind: 'error' | 'success'
  /** An error from the server or the network… */
  error?: ClientError
  /** …or a translation key of ours. */
  key?: string
  values?: Record<string, string>
}

export interface NoticeSlice {
  notice: Notice | null
  notify(n: Omit<Notice, 'id'>): void
  clearNotice(): void
}

let noticeSeq = 0

export const createNoticeSlice: StateCreator<NoticeSlice, [], [], NoticeSlice> = (set) => ({
  notice: null,
  notify: (n) => set({ notice: { ...n, id: ++noticeSeq } }),
  clearNotice: () => set({ notice: null }),
})
