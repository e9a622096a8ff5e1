import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { Podium } from './Podium'

const e = (rank: number, name: string, rating: number) => ({ rank, user_id: rank * 10, username: name, rating, rd: 50, provisional: false, xp: 0, level: 1, weekly_xp: 0, win_streak: 0 })

describe('Podium', () => {
  it('puts first in the middle, second left, third right', () => {
    render(<Podium entries={[e(1, 'zeus', 2300), e(2, 'ada', 2100), e(3, 'bob', 1900), e(4, 'eve', 1800)]} />)
    const places = screen.getAllByTestId('podium-place').map((li) => li.getAttribute('data-user'))
    expect(places).toEqual(['ada', 'zeus', 'bob'])
    expect(screen.getByRole('img', { name: 'Grandmaster tier' })).toBeTruthy()
  })
  it('needs three players', () => {
    const { container } = render(<Podium entries={[e(1, 'zeus', 2300), e(2, 'ada', 2100)]} />)
    expect(container.innerHTML).toBe('')
  })
})
