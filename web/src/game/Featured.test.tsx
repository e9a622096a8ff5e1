import { fireEvent, render, screen } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { Featured } from './Featured'

const today = { date: '2026-12-07', id: 'peak-count', title: 'Peak Count', difficulty: 1100 }

describe('Featured', () => {
  it("shows the server's problem of the day and practises that problem", () => {
    const onPractice = vi.fn()
    render(<Featured featured={today} disabled={false} onPractice={onPractice} />)
    expect(screen.getByRole('heading', { name: 'Problem of the day' })).toBeTruthy()
    expect(screen.getByText('Peak Count')).toBeTruthy()
    expect(screen.getByText('2026-12-07').getAttribute('datetime')).toBe('2026-12-07')
    fireEvent.click(screen.getByRole('button', { name: 'Practice it' }))
    expect(onPractice).toHaveBeenCalledWith('peak-count')
  })
  it('cannot start while offline or queued, and is absent without a featured problem', () => {
    const onPractice = vi.fn()
    const { rerender, container } = render(<Featured featured={today} disabled onPractice={onPractice} />)
    fireEvent.click(screen.getByRole('button', { name: 'Practice it' }))
    expect(onPractice).not.toHaveBeenCalled()
    rerender(<Featured featured={null} disabled={false} onPractice={onPractice} />)
    expect(container.innerHTML).toBe('')
  })
})
