import { api, ApiError, type Me } from './api'
import { createStore, useStore } from './store'

// Who is signed in, as told by GET /api/v1/me. "loading" only at boot.
export type Session = { status: 'loading' } | { status: 'signed-out' } | { status: 'signed-in'; me: Me }

export const session = createStore<Session>({ status: 'loading' })

export function useSession(): Session {
  return useStore(session)
}

export async function refreshSession(): Promise<Session> {
  try {
    const me = await api.me()
    session.set({ status: 'signed-in', me })
  } catch (e) {
    if (e instanceof ApiError && (e.code === 'unauthenticated' || e.code === 'account_disabled')) session.set({ status: 'signed-out' })
    else {
      // The server is unreachable: show sign-in rather than spin forever; the form reports errors.
      session.set({ status: 'signed-out' })
    }
  }
  return session.get()
}

export function signedIn(me: Me): void {
  session.set({ status: 'signed-in', me })
}
