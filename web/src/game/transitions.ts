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
  const d = document as Document & { startViewTransition?: (cb: () => void) => unknown }
  if (typeof d.startViewTransition !== 'function' || prefersReducedMotion()) {
    navigate(to)
    return
  }
  document.documentElement.dataset.stage = stage
  d.startViewTransition(() => flushSync(() => navigate(to)))
}
