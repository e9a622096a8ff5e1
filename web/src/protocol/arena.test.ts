import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { toasts } from '../lib/toast'
import { beginSignOut, startArena, stopArena } from './arena'
import { FakeSocket } from './fakesocket.testutil'

// The server ends a session's sockets with a pushed unauthenticated error
// frame, then a 4401 close. The player hears it once, from the close, and
// not at all when they signed out themselves (the e2e auth test caught two
// toasts on the sign-in page after "Sign out").
describe('arena session end', () => {
  beforeEach(() => {
    FakeSocket.all = []
    toasts.set([])
    vi.stubGlobal('WebSocket', FakeSocket)
  })
  afterEach(() => {
    stopArena()
    vi.unstubAllGlobals()
  })

  const endSession = () => {
    const sock = FakeSocket.all[FakeSocket.all.length - 1]
    sock.open()
    sock.reply('error', { code: 'unauthenticated', message: 'your session ended; sign in again' })
    sock.close(4401)
  }

  it('an ended session is announced once, by the close', () => {
    const ended = vi.fn()
    startArena({ onUnauthenticated: ended })
    endSession()
    expect(ended).toHaveBeenCalledTimes(1)
    expect(toasts.get()).toEqual([])
  })

  it('a sign-out the user asked for is not announced', () => {
    const ended = vi.fn()
    startArena({ onUnauthenticated: ended })
    beginSignOut()
    endSession()
    expect(ended).not.toHaveBeenCalled()
    expect(toasts.get()).toEqual([])
  })

  it('other pushed errors still toast', () => {
    startArena({ onUnauthenticated: vi.fn() })
    const sock = FakeSocket.all[FakeSocket.all.length - 1]
    sock.open()
    sock.reply('error', { code: 'frame_too_large', message: 'frame over 64 KiB' })
    expect(toasts.get().map((t) => t.code)).toEqual(['frame_too_large'])
  })
})
