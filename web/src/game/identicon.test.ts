import { describe, expect, it } from 'vitest'
import { fnv1a, identicon } from './identicon'

describe('identicon', () => {
  it('is deterministic', () => {
    expect(identicon(42)).toEqual(identicon(42))
    expect(identicon('42')).toEqual(identicon(42))
  })
  it('is left-right symmetric, never empty and never full', () => {
    for (let id = 1; id <= 500; id++) {
      const { cells } = identicon(id)
      expect(cells).toHaveLength(25)
      for (let r = 0; r < 5; r++) for (let c = 0; c < 2; c++) expect(cells[r * 5 + c]).toBe(cells[r * 5 + 4 - c])
      const n = cells.filter(Boolean).length
      expect(n).toBeGreaterThan(0)
      expect(n).toBeLessThan(25)
    }
  })
  it('tells users apart', () => {
    const seen = new Set<string>()
    for (let id = 1; id <= 500; id++) {
      const ic = identicon(id)
      seen.add(ic.cells.map(Number).join('') + ':' + ic.hue)
    }
    expect(seen.size).toBe(500)
    // Neighbouring ids differ (a hash, not a counter).
    expect(identicon(7).cells).not.toEqual(identicon(8).cells)
  })
  it('hashes with FNV-1a', () => {
    expect(fnv1a('')).toBe(0x811c9dc5)
    expect(fnv1a('a')).toBe(0xe40c292c)
  })
})
