import { act, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ServerClock } from '../lib/clock'
import { Countdown } from './Countdown'

describe('Countdown', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('counts down to the server deadline whatever the local clock says', () => {
    // The local clock is 3 minutes ahead of the server.
    vi.setSystemTime(new Date('2026-11-26T04:03:00.000Z'))
    const clock = new ServerClock()
    clock.observe('2026-11-26T04:00:00.000Z', 0)
    render(<Countdown clock={clock} deadline="2026-11-26T04:10:00.000Z" />)
    // Trusting the local clock would show 7:00; the server says 10:00.
    expect(screen.getByTestId('countdown').textContent).toContain('10:00')
    act(() => {
      vi.advanceTimersByTime(61_000)
    })
    expect(screen.getByTestId('countdown').textContent).toContain('8:59')
  })

  it('re-renders when a fresher offset arrives', () => {
    vi.setSystemTime(new Date('2026-11-26T04:00:00.000Z'))
    const clock = new ServerClock()
    clock.observe('2026-11-26T04:00:00.000Z', 100)
    render(<Countdown clock={clock} deadline="2026-11-26T04:01:00.000Z" />)
    expect(screen.getByTestId('countdown').textContent).toContain('1:00')
    act(() => clock.observe('2026-11-26T04:00:30.000Z', 10)) // better sample: server is 30 s ahead
    expect(screen.getByTestId('countdown').textContent).toContain('0:30')
  })

  it('stops at zero and warns in the last minute', () => {
    vi.setSystemTime(new Date('2026-11-26T04:00:00.000Z'))
    const clock = new ServerClock()
    clock.observe('2026-11-26T04:00:00.000Z', 0)
    render(<Countdown clock={clock} deadline="2026-11-26T04:00:05.000Z" />)
    const el = screen.getByTestId('countdown')
    expect(el.querySelector('.text-blood')).not.toBeNull()
    act(() => {
      vi.advanceTimersByTime(10_000)
    })
    expect(el.textContent).toContain('0:00')
    expect(el.getAttribute('data-remaining-ms')).toBe('0')
  })
})
