import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { MatchCards } from './MatchCards'

describe('MatchCards', () => {
  it('shows each player with avatar, name and the tier badge the server named', () => {
    render(<MatchCards names={['ada', 'bob']} cards={[
      { user_id: 7, username: 'ada', rating: 2450, tier: 'grandmaster', provisional: false },
      { user_id: 9, username: 'bob', rating: 1500, tier: 'gold', provisional: true },
    ]} />)
    const cards = screen.getAllByTestId('card-player')
    expect(cards.map((c) => c.getAttribute('data-user'))).toEqual(['ada', 'bob'])
    const badges = screen.getAllByTestId('tier-badge')
    expect(badges.map((b) => b.getAttribute('data-tier'))).toEqual(cards.map((c) => c.getAttribute('data-tier')))
    expect(badges[1].getAttribute('data-provisional')).toBe('true')
  })
  it('falls back to the names', () => {
    const { container } = render(<MatchCards names={['ada', 'bob']} cards={[]} />)
    expect(container.textContent).toBe('ada vs bob')
  })
})
