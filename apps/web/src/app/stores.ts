import { useStore } from 'zustand'
import { api } from '../shared/api/endpoints.ts'
import { createRouterStore, type RouterState } from './router.ts'
import { createSessionStore, type SessionState } from '../features/access/session.ts'

/** App-wide stores: one session and one router per page load. */
export const sessionStore = createSessionStore(api)
export const routerStore = createRouterStore({
  pathname: () => window.location.pathname,
  pushState: (d, u, url) => window.history.pushState(d, u, url),
  replaceState: (d, u, url) => window.history.replaceState(d, u, url),
})

window.addEventListener('popstate', () => routerStore.getState().sync())

export const useSession = <T>(select: (s: SessionState) => T): T => useStore(sessionStore, select)
export const useRouter = <T>(select: (s: RouterState) => T): T => useStore(routerStore, select)
export const navigate = (path: string, opts?: { replace?: boolean }) =>
  routerStore.getState().navigate(path, opts)
