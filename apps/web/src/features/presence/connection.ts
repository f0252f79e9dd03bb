import { createStore } from 'zustand/vanilla'

export type LinkStatus = 'connecting' | 'connected' | 'disconnected'

export interface DocLink {
  status: LinkStatus
  /** The provider has received the server's state at least once since it (re)connected. */
  synced: boolean
  /** Local edits the server has not echoed back yet (see UnsavedTracker). */
  unsaved: boolean
}

export interface ConnectionInputs {
  /** The socket.io meeting channel. */
  channel: LinkStatus
  /** Each shared document's y-websocket provider, by document name. */
  docs: Record<string, DocLink>
  /** `navigator.onLine`: false means the device has no network at all. */
  browserOnline: boolean
  /** True once any link was connected: before that we are "connecting", after it "reconnecting". */
  everConnected: boolean
}

export interface ConnectionState extends ConnectionInputs {
  setChannel(s: LinkStatus): void
  setDoc(name: string, patch: Partial<DocLink>): void
  removeDoc(name: string): void
  setBrowserOnline(online: boolean): void
  reset(): void
}

/** What the header shows. `saving` is connected with an edit on its way. */
export type ConnectionView =
  | { kind: 'connecting'; unsaved: false }
  | { kind: 'connected'; unsaved: false }
  | { kind: 'saving'; unsaved: true }
  | { kind: 'reconnecting'; unsaved: boolean }
  | { kind: 'offline'; unsaved: boolean }

const initial: ConnectionInputs = {
  channel: 'connecting',
  docs: {},
  browserOnline: true,
  everConnected: false,
}

const isConnected = (s: ConnectionInputs) =>
  s.channel === 'connected' && Object.values(s.docs).every((d) => d.status === 'connected' && d.synced)

/** Pure: inputs → the one state the user sees. */
export const connectionView = (s: ConnectionInputs): ConnectionView => {
  const unsaved = Object.values(s.docs).some((d) => d.unsaved)
  if (!s.browserOnline) return { kind: 'offline', unsaved }
  if (isConnected(s))
    return unsaved ? { kind: 'saving', unsaved: true } : { kind: 'connected', unsaved: false }
  if (!s.everConnected && !unsaved) return { kind: 'connecting', unsaved: false }
  return { kind: 'reconnecting', unsaved }
}

export const createConnectionStore = () =>
  createStore<ConnectionState>()((set) => ({
    ...initial,
    setChannel: (channel) =>
      set((s) => ({ channel, everConnected: s.everConnected || channel === 'connected' })),
    setDoc: (name, patch) =>
      set((s) => {
        const prev = s.docs[name] ?? { status: 'connecting', synced: false, unsaved: false }
        const next = { ...prev, ...patch }
        // A provider that drops its socket must sync again before it counts as connected.
        if (patch.status && patch.status !== 'connected') next.synced = false
        return {
          docs: { ...s.docs, [name]: next },
          everConnected: s.everConnected || next.status === 'connected',
        }
      }),
    removeDoc: (name) =>
      set((s) => {
        const { [name]: _gone, ...docs } = s.docs
        return { docs }
      }),
    setBrowserOnline: (browserOnline) => set({ browserOnline }),
    reset: () => set({ ...initial, docs: {} }),
  }))

export type ConnectionStore = ReturnType<typeof createConnectionStore>
