import { describe, expect, it } from 'vitest'
import { _test } from './api'

describe('problem shapes', () => {
  it('reads the protocol shape', () => {
    const r = _test.normalizeProblemList({ problems: [{ id: 'peak-count', title: 'Signal Peaks', difficulty: 800, tags: ['arrays'], solved: true }], tags: ['arrays', 'math'] })
    expect(r.problems[0]).toEqual({ id: 'peak-count', title: 'Signal Peaks', difficulty: 800, tags: ['arrays'], solved: true })
    expect(r.tags).toEqual(['arrays', 'math'])
  })

  it('reads the catalog shape and derives the tag list', () => {
    const r = _test.normalizeProblemList({ problems: [{ id: 'a', name: 'A', difficulty: 900, tags: ['math'] }, { id: 'b', name: 'B', tags: ['arrays', 'math'] }], total: 2 })
    expect(r.problems.map((p) => p.title)).toEqual(['A', 'B'])
    expect(r.problems[1].difficulty).toBe(0)
    expect(r.tags).toEqual(['arrays', 'math'])
  })

  it('never throws on garbage', () => {
    expect(_test.normalizeProblemList(null)).toEqual({ problems: [], tags: [] })
    expect(_test.normalizeProblem({}).samples).toEqual([])
  })

  it('maps catalog statement fields', () => {
    const p = _test.normalizeProblem({ id: 'x', name: 'X', statement: '$n$', memory_mib: 256, languages: [{ id: 'python', name: 'Python 3' }, 'cpp'] })
    expect(p).toMatchObject({ title: 'X', statement_md: '$n$', memory_mb: 256, languages: ['python', 'cpp'] })
  })
})
