// The phases of the VS intro, from the server's start time as seen
// through the server clock: the client never decides when a match starts,
// it only shows the server's countdown.

export type IntroPhase = 'vs' | 'count' | 'go' | 'done'

/** How long GO stays on screen after the server's start (display only: the editor is live at 0). */
export const GO_MS = 900
/** The numbers 3-2-1 take the last COUNT_MS before the start; before that the players face off. */
export const COUNT_MS = 3000

export function introPhase(state: string, remainingMs: number | null): { phase: IntroPhase; count: number } {
  if (state === 'countdown' && remainingMs === null) return { phase: 'vs', count: 0 }
  if (state !== 'countdown' && state !== 'running') return { phase: 'done', count: 0 }
  if (remainingMs === null) return { phase: 'done', count: 0 }
  if (remainingMs > COUNT_MS) return { phase: 'vs', count: Math.ceil(remainingMs / 1000) }
  if (remainingMs > 0) return { phase: 'count', count: Math.ceil(remainingMs / 1000) }
  if (remainingMs > -GO_MS) return { phase: 'go', count: 0 }
  return { phase: 'done', count: 0 }
}
