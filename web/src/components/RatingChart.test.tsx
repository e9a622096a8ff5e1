import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { RatingChart } from './RatingChart'

describe('RatingChart', () => {
  it('draws one point per match and describes the trend for screen readers', () => {
    const pts = [1500, 1532, 1511, 1580].map((rating, i) => ({ at: `2026-11-2${i}T10:00:00Z`, rating }))
    const { container } = render(<RatingChart points={pts} />)
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe('Rating history: 4 matches, from 1500 to 1580')
    expect(container.querySelectorAll('circle')).toHaveLength(4)
    // Higher rating is drawn higher (smaller y).
    const ys = [...container.querySelectorAll('circle')].map((c) => Number(c.getAttribute('cy')))
    expect(ys[3]).toBeLessThan(ys[0])
    expect(ys[1]).toBeLessThan(ys[2])
  })

  it('handles one match and a flat history without dividing by zero', () => {
    const { container } = render(<RatingChart points={[{ at: '2026-11-26T00:00:00Z', rating: 1500 }]} />)
    const c = container.querySelector('circle')!
    expect(Number.isFinite(Number(c.getAttribute('cx')))).toBe(true)
    expect(Number.isFinite(Number(c.getAttribute('cy')))).toBe(true)
  })

  it('says so when there is no history', () => {
    render(<RatingChart points={[]} />)
    expect(screen.getByText('No rated matches yet.')).toBeTruthy()
  })
})
