import { describe, expect, it } from 'vitest'
import { PROVISIONAL_RD, TIERS } from '../protocol/generated'
import { isProvisional, nextTier, tierChange, tierOf, TIER_COLORS } from './tiers'

describe('tierOf', () => {
  it('follows the bands of README "Game rules"', () => {
    const cases: [number, string][] = [
      [100, 'bronze'], [1199.9, 'bronze'], [1200, 'silver'], [1399, 'silver'], [1400, 'gold'], [1500, 'gold'],
      [1600, 'platinum'], [1799.4, 'platinum'], [1800, 'diamond'], [2000, 'master'], [2199, 'master'], [2200, 'grandmaster'], [3100, 'grandmaster'],
    ]
    for (const [r, id] of cases) expect(tierOf(r).id, `rating ${r}`).toBe(id)
  })
  it('puts nonsense in the lowest tier rather than failing', () => {
    expect(tierOf(Number.NaN).id).toBe('bronze')
    expect(tierOf(-50).id).toBe('bronze')
  })
  it('has art for every tier the server defines', () => {
    for (const t of TIERS) expect(TIER_COLORS[t.id]).toHaveLength(3)
  })
})

describe('nextTier', () => {
  it('names the next band and the points to it', () => {
    expect(nextTier(1500)).toEqual({ tier: TIERS[3], needed: 100 })
    expect(nextTier(1599.2)?.needed).toBe(1)
    expect(nextTier(2300)).toBeNull()
  })
})

describe('tierChange', () => {
  it('says when a match crosses a band', () => {
    expect(tierChange(1590, 1610)).toBe('up')
    expect(tierChange(1405, 1395)).toBe('down')
    expect(tierChange(1500, 1580)).toBeNull()
  })
})

describe('isProvisional', () => {
  it("prefers the server's flag", () => {
    expect(isProvisional({ rd: 350, provisional: false })).toBe(false)
    expect(isProvisional({ rd: 50, provisional: true })).toBe(true)
  })
  it('otherwise applies the RD rule', () => {
    expect(isProvisional({ rd: PROVISIONAL_RD + 0.1 })).toBe(true)
    expect(isProvisional({ rd: PROVISIONAL_RD })).toBe(false)
    expect(isProvisional({})).toBe(false)
  })
})
