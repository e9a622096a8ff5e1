// The app-wide arena session: one ArenaClient feeding one store through the
// reducer. Screens read the store and call the actions below.

import { createStore, useStore } from '../lib/store'
import { toastError } from '../lib/toast'
import { ArenaClient, RequestError, wsURL } from './client'
import { initialState, reduce, type Action, type ArenaState } from './reducer'
import type { ClientRequests, ClientType, ServerMessage } from './types'

export const arenaStore = createStore<ArenaState>(initialState)
export const dispatch = (a: Action) => arenaStore.set((s) => reduce(s, a))

let client: ArenaClient | null = null
// Listeners of every server message besides the store (the chat keeps its
// channels' messages itself, per mounted panel).
const messageListeners = new Set<(m: ServerMessage) => void>()

/** Calls fn with every server message until the returned function is called. */
export function onServerMessage(fn: (m: ServerMessage) => void): () => void {
  messageListeners.add(fn)
  return () => {
    messageListeners.delete(fn)
  }
}
let onUnauthenticated: (() => void) | null = null
let onlineListener: (() => void) | null = null
// The user asked to sign out: the server closing the socket meanwhile (it
// closes every socket of a session it ends, at once) is that, not "your
// session has ended".
let signingOut = false

export function beginSignOut(): void {
  signingOut = true
}

export function endSignOut(): void {
  signingOut = false
}

export function startArena(opts: { onUnauthenticated: () => void }): ArenaClient {
  onUnauthenticated = opts.onUnauthenticated
  if (client) return client
  client = new ArenaClient({
    url: wsURL(),
    onMessage: (m, answered) => {
      dispatch({ kind: 'message', msg: m })
      messageListeners.forEach((fn) => fn(m))
      // Errors that answer a request are shown by the caller; every other
      // one here: pushed, or answering a request no caller waits for any
      // more (an oversized frame the server refused, a request timed out).
      // An unauthenticated one announces the 4401 close that follows: the
      // status below says it (or not, during a sign-out the user asked for).
      if (m.type === 'error' && !answered && m.data.code !== 'unauthenticated') {
        toastError(m.data.code, m.data.message, m.data.retry_after_ms)
      }
    },
    onStatus: (status, attempt) => {
      dispatch({ kind: 'conn', status, attempt })
      if (status === 'unauthenticated' && !signingOut) onUnauthenticated?.()
    },
  })
  client.start()
  if (!onlineListener) {
    onlineListener = () => client?.nudge()
    window.addEventListener('online', onlineListener)
  }
  return client
}

export function stopArena(): void {
  client?.stop()
  client = null
  signingOut = false
  arenaStore.set(initialState)
}

export function arenaClient(): ArenaClient | null {
  return client
}

export function useArena<S>(select: (s: ArenaState) => S): S {
  return useStore(arenaStore, select)
}

/** Send a request; on failure show the mapped error toast and resolve null. */
export async function act<T extends ClientType>(type: T, data: ClientRequests[T], opts: { onError?: (e: RequestError) => void } = {}): Promise<ServerMessage | null> {
  if (!client) {
    toastError('offline')
    opts.onError?.(new RequestError('offline', 'not connected'))
    return null
  }
  try {
    return await client.request(type, data)
  } catch (e) {
    const err = e instanceof RequestError ? e : new RequestError('internal', String(e))
    toastError(err.code, err.message, err.data.retry_after_ms)
    opts.onError?.(err)
    return null
  }
}
