import { describe, expect, it } from 'vitest'
import { formatClock, ServerClock } from './clock'

describe('ServerClock', () => {
  it('uses the server time, not the local clock', () => {
    let local = Date.parse('2026-11-26T04:00:00.000Z') // local clock 5 minutes behind the server
    const c = new ServerClock(() => local)
    c.observe('2026-11-26T04:05:00.000Z')
    expect(c.offset).toBe(5 * 60_000)
    expect(c.remaining('2026-11-26T04:15:00.000Z')).toBe(10 * 60_000)
    local += 1000
    expect(c.remaining('2026-11-26T04:15:00.000Z')).toBe(10 * 60_000 - 1000)
  })

  it('corrects by half the round trip and prefers the sample with the smallest round trip', () => {
    const local = 1_000_000
    const c = new ServerClock(() => local)
    // Pushed message: rtt unknown.
    c.observe(new Date(local + 700).toISOString(), Infinity, local)
    expect(c.offset).toBe(700)
    // A reply after a 400 ms round trip: the server stamped it ~200 ms ago.
    c.observe(new Date(local + 500).toISOString(), 400, local)
    expect(c.offset).toBe(700) // 500 − (−200)
    // A faster round trip wins.
    c.observe(new Date(local + 520).toISOString(), 40, local)
    expect(c.offset).toBe(540)
    // A slower one later does not displace it.
    c.observe(new Date(local + 9000).toISOString(), 3000, local)
    expect(c.offset).toBe(540)
  })

  it('ignores garbage timestamps', () => {
    const c = new ServerClock(() => 0)
    c.observe('not a time')
    c.observe(undefined)
    expect(c.offset).toBe(0)
  })

  it('notifies subscribers when the offset changes', () => {
    const c = new ServerClock(() => 0)
    let n = 0
    c.subscribe(() => n++)
    c.observe(new Date(100).toISOString())
    c.observe(new Date(100).toISOString())
    expect(n).toBe(1)
  })
})

describe('formatClock', () => {
  it.each([
    [0, '0:00'],
    [-5000, '0:00'],
    [999, '0:01'],
    [61_000, '1:01'],
    [20 * 60_000, '20:00'],
    [3_600_000 + 62_000, '1:01:02'],
  ])('%d ms → %s', (ms, want) => expect(formatClock(ms)).toBe(want))
})
