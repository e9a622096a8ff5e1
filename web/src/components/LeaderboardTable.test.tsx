import { render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { LeaderboardTable } from './LeaderboardTable'

const e = (rank: number, name: string, win_streak: number) =>
  ({ rank, user_id: rank, username: name, rating: 1600 - rank, rd: 60, provisional: false, xp: 0, level: 1, weekly_xp: 0, win_streak })

describe('LeaderboardTable', () => {
  it("shows each row's win streak from the server, and none for no streak", () => {
    render(<LeaderboardTable entries={[e(1, 'ada', 3), e(2, 'bob', 0), e(3, 'cyd', 1)]} />)
    const row = (name: string) => screen.getAllByTestId('lb-row').find((r) => r.dataset.user === name)!
    expect(within(row('ada')).getByTestId('win-streak').dataset.streak).toBe('3')
    expect(within(row('ada')).getByLabelText('3 wins in a row')).toBeTruthy()
    expect(within(row('bob')).queryByTestId('win-streak')).toBeNull()
    expect(within(row('cyd')).getByLabelText('1 win in a row')).toBeTruthy()
  })
})
