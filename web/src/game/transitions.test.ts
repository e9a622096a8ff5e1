import { afterEach, describe, expect, it, vi } from 'vitest'
import { stageNavigate } from './transitions'

type Doc = { startViewTransition?: unknown }

describe('stageNavigate', () => {
  afterEach(() => {
    delete (document as unknown as Doc).startViewTransition
    history.replaceState(null, '', '/')
  })

  it('navigates, and a transition the browser skips is no uncaught error', async () => {
    const unhandled: unknown[] = []
    const onUnhandled = (e: unknown) => unhandled.push(e)
    process.on('unhandledRejection', onUnhandled)
    try {
      // What Chromium does under load: the update runs, ready and finished reject.
      ;(document as unknown as Doc).startViewTransition = vi.fn((cb: () => void) => {
        cb()
        const skipped = new DOMException('Transition was aborted because of timeout in DOM update', 'TimeoutError')
        return { ready: Promise.reject(skipped), finished: Promise.reject(skipped), updateCallbackDone: Promise.resolve() }
      })
      stageNavigate('/match/m1', 'match')
      expect(location.pathname).toBe('/match/m1')
      expect(document.documentElement.dataset.stage).toBe('match')
      await new Promise((r) => setTimeout(r, 50))
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })

  it('navigates without a transition where the browser has none', () => {
    stageNavigate('/result/m1', 'result')
    expect(location.pathname).toBe('/result/m1')
  })
})
