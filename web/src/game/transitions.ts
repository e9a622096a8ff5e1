import { flushSync } from 'react-dom'
import { navigate } from '../lib/router'

export function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches
}

/**
 * Navigate between the stages of a match (lobby → match → result) with a
 * view transition instead of a hard cut; a plain navigation where the
 * browser has no View Transitions or the player asked for reduced motion.
 */
export function stageNavigate(to: string, stage: 'match' | 'result'): void {
  const d = document as Document & { startViewTransition?: (cb: () => void) => ViewTransitionLike | undefined }
  if (typeof d.startViewTransition !== 'function' || prefersReducedMotion()) {
    navigate(to)
    return
  }
  document.documentElement.dataset.stage = stage
  const t = d.startViewTransition(() => flushSync(() => navigate(to)))
  // The browser skips a transition whose DOM update is over its time limit
  // (a loaded machine) or whose viewport changes mid-way: ready (and
  // finished) reject, but the update, the navigation, still runs. Only the
  // animation is lost, so the rejection is no error (it was an uncaught one).
  t?.ready?.catch(() => undefined)
  t?.finished?.catch(() => undefined)
}

interface ViewTransitionLike {
  ready?: Promise<unknown>
  finished?: Promise<unknown>
}
