import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import Review from './Review'

function respond(body: unknown, status = 200) {
  return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }))
}

describe('Review', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('lists the flagged players with their reasons and opens the evidence', async () => {
    const fetch = vi.fn((url: string) => {
      if (url.startsWith('/api/v1/admin/review')) {
        return respond({ items: [{ match_id: 'm1', mode: 'ranked', problem_id: 'peak-count', finished_at: null, user_id: 7, username: 'ada', result: 'win',
          largest_paste: 900, reasons: ['pasted 900 characters after the editor had lost focus (away 12 s)'] }] })
      }
      return respond({ match_id: 'm1', problem_id: 'peak-count', players: [{ user_id: 7, username: 'ada', pastes: [{ at_ms: 41000, units: 900, after_blur: true, blur_away_ms: 12000 }],
        largest_paste: 900, pasted_units: 900, typed_units: 40, blurs: 1, opens: 1, similar: [{ submission_id: 's9', user_id: 3, score: 0.97, lines: [1, 2], other_lines: [2, 3] }] }] })
    })
    vi.stubGlobal('fetch', fetch)
    render(<Review />)
    await screen.findByText(/lost focus \(away 12 s\)/)
    expect(screen.getAllByTestId('review-item')).toHaveLength(1)
    fireEvent.click(screen.getByRole('button', { name: 'Evidence' }))
    await waitFor(() => expect(screen.getByText(/97% like submission s9/)).toBeTruthy())
    expect(screen.getByText(/paste of 900 at 41 s, after 12 s away/)).toBeTruthy()
    expect(fetch).toHaveBeenCalledWith('/api/v1/admin/matches/m1/evidence', expect.anything())
  })

  it('says so to a non-administrator', async () => {
    vi.stubGlobal('fetch', vi.fn(() => respond({ error: { code: 'forbidden', message: 'administrators only' } }, 403)))
    render(<Review />)
    await screen.findByTestId('review-error')
  })
})
