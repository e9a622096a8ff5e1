import { cleanup, configure } from '@testing-library/react'
import { MotionGlobalConfig } from 'motion/react'
import { afterEach } from 'vitest'

// happy-dom's Web Animations cancel with an AbortError that motion does not
// catch; tests check content, not animation, so animations are skipped.
MotionGlobalConfig.skipAnimations = true
// Without Element.animate motion falls back to its own frame loop.
delete (Element.prototype as { animate?: unknown }).animate

// findBy*/waitFor give up after 1 s by default, a figure a loaded machine
// reaches; 30 s is hang-only (what they wait for is there in milliseconds).
configure({ asyncUtilTimeout: 30_000 })

afterEach(() => {
  cleanup()
  localStorage.clear()
})
