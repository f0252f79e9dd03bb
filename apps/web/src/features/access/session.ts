import type { Participant } from '@roundtable/protocol'
import { createStore } from 'zustand/vanilla'
import type { Api } from '../../shared/api/endpoints.ts'
import type { ClientError } from '../../shared/api/http.ts'

export interface SessionState {
  /** `unknown` until the first check; `none` when the server knows no session of ours. */
  status: 'unknown' | 'loading' | 'ready' | 'none'
  participant: Participant | null
  organiser: boolean
  error: ClientError | null
  /** Asks the server who we are. */
  load(): Promise<void>
  join(token: string, displayName: string): Promise<Participant | null>
  claimOrganiser(token: string): Promise<boolean>
  logout(): Promise<void>
  /** The meeting channel told us our role changed. */
  setParticipant(p: Participant | null): void
}

export type SessionApi = Pick<Api, 'session' | 'join' | 'claimOrganiser' | 'logout'>

export const createSessionStore = (api: SessionApi) =>
  createStore<SessionState>()((set, get) => ({
    status: 'unknown',
    participant: null,
    organiser: false,
    error: null,
    async load() {
      set({ status: 'loading', error: null })
      const r = await api.session()
      if (r.error) {
        // 401 means "no session": a normal answer, not an error to show.
        if (r.error.code === 'RT_ERR_UNAUTHORIZED')
          set({ status: 'none', participant: null, organiser: false })
        else set({ status: 'none', error: r.error })
        return
      }
      set({ status: 'ready', participant: r.data.participant, organiser: r.data.organiser })
    },
    async join(token, displayName) {
      set({ error: null })
      const r = await api.join(token, displayName)
      if (r.error) {
        set({ error: r.error })
        return null
      }
      set({ status: 'ready', participant: r.data.participant })
      return r.data.participant
    },
    async claimOrganiser(token) {
      set({ error: null })
      const r = await api.claimOrganiser(token)
      if (r.error) {
        set({ error: r.error })
        return false
      }
      set({ status: 'ready', organiser: true })
      return true
    },
    async logout() {
      await api.logout()
      set({ status: 'none', participant: null, organiser: false, error: null })
    },
    setParticipant(p) {
      set({ participant: p, status: p || get().organiser ? 'ready' : 'none' })
    },
  }))

export type SessionStore = ReturnType<typeof createSessionStore>
