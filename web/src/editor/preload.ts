// Monaco (a 3.4 MB chunk, bundled: no CDN) and the match room start loading
// as soon as a match is likely: queued, a match found, or a match in the
// snapshot (a reload mid-match). The lazy() imports of App and MatchRoom
// then resolve from the module cache, so the editor is ready at GO.

let started: Promise<unknown> | null = null

export function preloadEditor(): Promise<unknown> {
  started ??= Promise.all([import('../screens/MatchRoom'), import('./CodeEditor')]).catch((e) => {
    started = null // a failed fetch (offline) is tried again next time
    throw e
  })
  return started
}
