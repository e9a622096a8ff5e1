import { describe, expect, it, vi } from 'vitest'

vi.mock('./preload', () => ({ preloadEditor: vi.fn(() => Promise.resolve()) }))
vi.mock('../lib/languages', () => ({ loadLanguages: vi.fn(() => Promise.resolve()) }))

describe('early editor preload', () => {
  it('starts loading Monaco and the language table on a match room URL only', async () => {
    const { preloadForPath } = await import('./early')
    const { preloadEditor } = await import('./preload')
    const { loadLanguages } = await import('../lib/languages')
    vi.mocked(preloadEditor).mockClear()
    vi.mocked(loadLanguages).mockClear()
    for (const path of ['/', '/spectate/m1', '/result/m1', '/practice', '/match', '/match/', '/match/m1/x']) {
      expect(preloadForPath(path)).toBe(false)
    }
    expect(preloadEditor).not.toHaveBeenCalled()
    expect(loadLanguages).not.toHaveBeenCalled()
    expect(preloadForPath('/match/abc123')).toBe(true)
    expect(preloadEditor).toHaveBeenCalledTimes(1)
    expect(loadLanguages).toHaveBeenCalledTimes(1)
  })
})
