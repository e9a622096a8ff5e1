// Imported first by main.tsx, so this runs before the rest of the app's
// modules are evaluated. On a match room URL (a reload mid-match, a link
// back into the match) Monaco and the match room start loading at once,
// instead of after the session check, the WebSocket's hello and the
// snapshot: the 3.4 MB editor chunk's fetch and evaluation overlap with
// those round trips. The language table is asked for too, so the editor
// opens in its language's mode (not plaintext, then a switch and a grammar
// load). Anywhere else nothing is loaded here (preload.ts starts the load
// when a match becomes likely).
import { loadLanguages } from '../lib/languages'
import { preloadEditor } from './preload'

export const MATCH_ROOM_PATH = /^\/match\/[^/]+\/?$/

export function preloadForPath(path: string): boolean {
  if (!MATCH_ROOM_PATH.test(path)) return false
  preloadEditor().catch(() => undefined) // a failed fetch is tried again by the match room itself
  void loadLanguages() // signed out: it fails quietly and the match room asks again after sign-in
  return true
}

preloadForPath(window.location.pathname)
