import { describe, expect, it } from 'vitest'
import { introPhase } from './intro'

describe('introPhase', () => {
  it('faces off, counts 3-2-1 on the server clock, then GO, then gets out of the way', () => {
    expect(introPhase('countdown', 4800)).toEqual({ phase: 'vs', count: 5 })
    expect(introPhase('countdown', 3001)).toEqual({ phase: 'vs', count: 4 })
    expect(introPhase('countdown', 3000)).toEqual({ phase: 'count', count: 3 })
    expect(introPhase('countdown', 2000)).toEqual({ phase: 'count', count: 2 })
    expect(introPhase('countdown', 1)).toEqual({ phase: 'count', count: 1 })
    expect(introPhase('running', 0)).toEqual({ phase: 'go', count: 0 })
    expect(introPhase('running', -899)).toEqual({ phase: 'go', count: 0 })
    expect(introPhase('running', -900)).toEqual({ phase: 'done', count: 0 })
  })
  it('shows the players while the start time is not known yet', () => {
    expect(introPhase('countdown', null)).toEqual({ phase: 'vs', count: 0 })
  })
  it('shows nothing for a match that is long running, found or finished', () => {
    expect(introPhase('running', -60_000).phase).toBe('done')
    expect(introPhase('found', 5000).phase).toBe('done')
    expect(introPhase('finished', 2000).phase).toBe('done')
  })
  it('a running match whose start is still ahead (the server said running early) still counts', () => {
    expect(introPhase('running', 1500)).toEqual({ phase: 'count', count: 2 })
  })
})
