import { render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { CardPlayer } from '../protocol/types'
import { OnlineNow } from './OnlineNow'

const card = (user_id: number, username: string, rating: number, tier: string, provisional = false): CardPlayer => ({ user_id, username, rating, tier, provisional })

describe('OnlineNow', () => {
  it("lists who is online with the server's tiers, and the count per tier in tier order", () => {
    render(<OnlineNow meId={2} tiers={{ gold: 2, grandmaster: 1 }}
      players={[card(1, 'zeus', 2310, 'grandmaster'), card(2, 'ada', 1500, 'gold', true), card(3, 'bob', 1450, 'gold')]} />)
    const rows = screen.getAllByTestId('online-player')
    expect(rows.map((r) => [r.dataset.user, r.dataset.tier, r.dataset.provisional])).toEqual([['zeus', 'grandmaster', 'false'], ['ada', 'gold', 'true'], ['bob', 'gold', 'false']])
    expect(within(rows[1]).getByRole('img', { name: 'Gold tier, provisional' })).toBeTruthy()
    expect(within(rows[1]).getByText('(you)')).toBeTruthy()
    expect(within(rows[0]).getByRole('link', { name: 'zeus' }).getAttribute('href')).toBe('/users/zeus')
    expect(screen.getAllByTestId('online-tier').map((t) => [t.dataset.tier, t.dataset.count])).toEqual([['gold', '2'], ['grandmaster', '1']])
    expect(screen.getByTestId('online-now').dataset.count).toBe('3')
    expect(screen.queryByTestId('online-more')).toBeNull()
  })
  it('says how many more are online than the bounded list shows', () => {
    render(<OnlineNow tiers={{ bronze: 40, silver: 30 }} players={[card(1, 'ada', 1300, 'silver')]} />)
    expect(screen.getByTestId('online-more').textContent).toBe('and 69 more')
    expect(screen.getByText('70 online')).toBeTruthy()
  })
  it('follows the pushes: a player who left is gone', () => {
    const { rerender } = render(<OnlineNow tiers={{ gold: 2 }} players={[card(1, 'ada', 1500, 'gold'), card(2, 'bob', 1450, 'gold')]} />)
    expect(screen.getAllByTestId('online-player')).toHaveLength(2)
    rerender(<OnlineNow tiers={{ gold: 1 }} players={[card(1, 'ada', 1500, 'gold')]} />)
    expect(screen.getAllByTestId('online-player').map((r) => r.dataset.user)).toEqual(['ada'])
    expect(screen.getAllByTestId('online-tier').map((t) => t.dataset.count)).toEqual(['1'])
  })
  it('shows nothing for a server that sends no online list, and says so when nobody is listed', () => {
    const { container, rerender } = render(<OnlineNow tiers={undefined} players={undefined} />)
    expect(container.innerHTML).toBe('')
    rerender(<OnlineNow tiers={{}} players={[]} />)
    expect(screen.getByText('Nobody else is here yet.')).toBeTruthy()
  })
})
