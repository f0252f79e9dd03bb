import { createStore } from 'zustand/vanilla'

/** The pages the app has, matched from the path. */
export type Route =
  | { name: 'home' }
  | { name: 'join'; token: string }
  | { name: 'meeting'; meetingId: string }
  | { name: 'follow'; meetingId: string }
  | { name: 'projector'; meetingId: string }
  | { name: 'organiserClaim'; token: string }
  | { name: 'organise' }
  | { name: 'notFound' }

const PATTERNS: [RegExp, (m: RegExpExecArray) => Route][] = [
  [/^\/$/, () => ({ name: 'home' })],
  [/^\/join\/([A-Za-z0-9_-]+)\/?$/, (m) => ({ name: 'join', token: m[1] })],
  [/^\/m\/([A-Za-z0-9_-]{1,64})\/?$/, (m) => ({ name: 'meeting', meetingId: m[1] })],
  [/^\/m\/([A-Za-z0-9_-]{1,64})\/follow\/?$/, (m) => ({ name: 'follow', meetingId: m[1] })],
  [/^\/m\/([A-Za-z0-9_-]{1,64})\/projector\/?$/, (m) => ({ name: 'projector', meetingId: m[1] })],
  [/^\/organiser\/([A-Za-z0-9_-]+)\/?$/, (m) => ({ name: 'organiserClaim', token: m[1] })],
  [/^\/organise\/?$/, () => ({ name: 'organise' })],
]

export const matchRoute = (path: string): Route => {
  for (const [re, make] of PATTERNS) {
    const m = re.exec(path)
    if (m) return make(m)
  }
  return { name: 'notFound' }
}

export interface RouterState {
  path: string
  route: Route
  /** Pushes (or replaces) a history entry and renders the matching page. */
  navigate(path: string, opts?: { replace?: boolean }): void
  /** Re-reads the location (after back/forward). */
  sync(): void
}

/** The slice of `window.history` + `window.location` the router uses (a fake one in tests). */
export interface HistoryLike {
  pathname(): string
  pushState(data: unknown, unused: string, url: string): void
  replaceState(data: unknown, unused: string, url: string): void
}

export const createRouterStore = (h: HistoryLike) =>
  createStore<RouterState>()((set) => ({
    path: h.pathname(),
    route: matchRoute(h.pathname()),
    navigate(path, opts) {
      if (opts?.replace) h.replaceState(null, '', path)
      else h.pushState(null, '', path)
      set({ path, route: matchRoute(path) })
    },
    sync() {
      set({ path: h.pathname(), route: matchRoute(h.pathname()) })
    },
  }))

export type RouterStore = ReturnType<typeof createRouterStore>
