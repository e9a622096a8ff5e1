import { fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import Review from './Review'

function respond(body: unknown, status = 200) {
  return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }))
}

const item = (over: Record<string, unknown> = {}) => ({
  match_id: 'm1', mode: 'ranked', problem_id: 'peak-count', finished_at: null, user_id: 7, username: 'ada', result: 'win',
  largest_paste: 900, reasons: ['pasted 900 characters after the editor had lost focus (away 12 s)'],
  similar: { submission_id: 's9', user_id: 3, username: 'dan', score: 0.97, lines: [1, 2], other_lines: [2, 3] },
  voided: false, banned: false, decided: false, decisions: [], ...over,
})

const evidence = (over: Record<string, unknown> = {}) => ({
  match_id: 'm1', problem_id: 'peak-count', mode: 'ranked', voided: false, decisions: [],
  players: [
    { user_id: 7, username: 'ada', pastes: [{ at_ms: 41000, units: 900, after_blur: true, blur_away_ms: 12000 }], largest_paste: 900, pasted_units: 900,
      typed_units: 40, blurs: 1, opens: 1, submission_id: 's1', source: 'n = int(input())\nprint(n)\n# mine', lang: 'python', banned: false,
      similar: [{ submission_id: 's9', user_id: 3, username: 'dan', score: 0.97, lines: [1, 2], other_lines: [2, 3], source: '# dan\nn = int(input())\nprint(n)', lang: 'python' }] },
    { user_id: 8, username: 'bob', pastes: [], largest_paste: 0, pasted_units: 0, typed_units: 300, blurs: 0, opens: 1, banned: false, similar: [] },
  ],
  ...over,
})

const voidDecision = { id: 5, match_id: 'm1', user_id: 0, action: 'void', reason: 'copied dan', admin_id: 1, admin: 'rhea', at: '2026-12-07T06:00:00Z',
  reverses: 0, reversed_by: 0, changes: [{ user_id: 7, rated: true, rating_before: 1662.3, rating_after: 1500, rd_before: 290, rd_after: 350,
    volatility_before: 0.06, volatility_after: 0.06, xp_before: 75, xp_after: 0, exact: true }] }

describe('Review', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('lists the flagged players with their reasons and closest similar submission, and opens the evidence side by side', async () => {
    const fetch = vi.fn((url: string) => url.startsWith('/api/v1/admin/review') ? respond({ items: [item()] }) : respond(evidence()))
    vi.stubGlobal('fetch', fetch)
    render(<Review />)
    await screen.findByText(/lost focus \(away 12 s\)/)
    expect(screen.getAllByTestId('review-item')).toHaveLength(1)
    expect(screen.getByTestId('queue-similar').textContent).toMatch(/97% like dan's submission/)
    fireEvent.click(screen.getByRole('button', { name: 'Evidence' }))
    const sim = await screen.findByTestId('similar')
    expect(sim.textContent).toMatch(/97% like submission s9 of dan/)
    expect(screen.getByText(/paste of 900 at 41 s, after 12 s away/)).toBeTruthy()
    // Both sides, each with its own shared lines marked.
    const [mine, theirs] = within(sim).getAllByRole('figure')
    const marked = (el: HTMLElement) => [...el.querySelectorAll('[data-shared="true"]')].map((n) => n.textContent?.replace(/^▌\d+shared: /, ''))
    expect(marked(mine)).toEqual(['n = int(input())', 'print(n)'])
    expect(marked(theirs)).toEqual(['n = int(input())', 'print(n)'])
    expect(within(sim).getAllByText('shared:', { exact: false })).toHaveLength(4)
    expect(screen.getByRole('link', { name: 'Replay' }).getAttribute('href')).toBe('/replay/m1')
    expect(fetch).toHaveBeenCalledWith('/api/v1/admin/matches/m1/evidence', expect.anything())
  })

  it('records a decision only with a reason, shows it in the history and offers its reversal', async () => {
    let decided = false
    const posts: unknown[] = []
    const fetch = vi.fn((url: string, init?: RequestInit) => {
      if (init?.method === 'POST') {
        posts.push(JSON.parse(String(init.body)))
        decided = true
        return respond(voidDecision, 201)
      }
      if (url.startsWith('/api/v1/admin/review')) return respond({ items: [item(decided ? { voided: true, decided: true, decisions: [voidDecision] } : {})] })
      return respond(evidence(decided ? { voided: true, decisions: [voidDecision] } : {}))
    })
    vi.stubGlobal('fetch', fetch)
    render(<Review />)
    fireEvent.click(await screen.findByRole('button', { name: 'Evidence' }))
    const voidButton = await screen.findByRole('button', { name: 'Void match' })
    fireEvent.click(voidButton)
    expect((await screen.findByTestId('decision-status')).textContent).toMatch(/Give a reason first/)
    expect(posts).toHaveLength(0)

    fireEvent.change(screen.getByRole('textbox', { name: /Reason/ }), { target: { value: '  copied dan  ' } })
    fireEvent.click(voidButton)
    await waitFor(() => expect(screen.getByTestId('decision-status').textContent).toMatch(/Recorded: voided the match/))
    expect(posts).toEqual([{ action: 'void', reason: 'copied dan' }])
    const entry = await screen.findByTestId('history-entry')
    expect(entry.textContent).toMatch(/#5 rhea voided the match/)
    expect(entry.textContent).toMatch(/copied dan/)
    expect(entry.textContent).toMatch(/ada: rating 1662\.3 → 1500\.0, XP 75 → 0 \(exact\)/)
    expect(await screen.findByTestId('chip-voided')).toBeTruthy()
    expect((screen.getByRole('button', { name: 'Void match' }) as HTMLButtonElement).disabled).toBe(true)

    fireEvent.change(screen.getByRole('textbox', { name: /Reason/ }), { target: { value: 'his own notes' } })
    fireEvent.click(within(entry).getByRole('button', { name: 'Unvoid #5' }))
    await waitFor(() => expect(posts).toHaveLength(2))
    expect(posts[1]).toEqual({ reverses: 5, reason: 'his own notes' })
  })

  it('shows the open items first; decided ones under Decided, a decision of this visit stays in view', async () => {
    const stood = { ...voidDecision, id: 6, match_id: 'm2' }
    const items = [item(), item({ match_id: 'm2', username: 'eve', user_id: 9, voided: true, decided: true, decisions: [stood] }),
      item({ match_id: 'm3', username: 'fay', user_id: 10, decided: false, decisions: [{ ...voidDecision, id: 7, match_id: 'm3', reversed_by: 8 }] })]
    const fetch = vi.fn((url: string) => url.startsWith('/api/v1/admin/review') ? respond({ items }) : respond(evidence()))
    vi.stubGlobal('fetch', fetch)
    render(<Review />)
    await screen.findByText('Open (2)')
    expect(fetch).toHaveBeenCalledWith('/api/v1/admin/review?limit=50&status=all', expect.anything())
    const names = () => screen.queryAllByTestId('review-item').map((el) => el.querySelector('h2')?.textContent?.split(' ')[0])
    expect(names()).toEqual(['ada', 'fay'])
    expect(screen.getByTestId('view-open').getAttribute('aria-pressed')).toBe('true')
    fireEvent.click(screen.getByRole('button', { name: 'Decided (1)' }))
    expect(names()).toEqual(['eve'])
    expect(screen.getByTestId('chip-decided')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'All (3)' }))
    expect(names()).toEqual(['ada', 'eve', 'fay'])

    // ada decided now: the server says decided, and she stays in the Open view until it is chosen again.
    fireEvent.click(screen.getByRole('button', { name: 'Open (2)' }))
    items[0] = item({ voided: true, decided: true, decisions: [voidDecision] })
    fetch.mockImplementation((url: string, init?: RequestInit) => init?.method === 'POST' ? respond(voidDecision, 201)
      : url.startsWith('/api/v1/admin/review') ? respond({ items }) : respond(evidence()))
    fireEvent.click(screen.getAllByRole('button', { name: 'Evidence' })[0])
    fireEvent.change(await screen.findByRole('textbox', { name: /Reason/ }), { target: { value: 'copied dan' } })
    fireEvent.click(screen.getByRole('button', { name: 'Void match' }))
    await screen.findByText('Open (1)')
    expect(names()).toEqual(['ada', 'fay'])
    fireEvent.click(screen.getByRole('button', { name: 'Open (1)' }))
    expect(names()).toEqual(['fay'])
  })

  it('shows a refused decision', async () => {
    const fetch = vi.fn((url: string, init?: RequestInit) => {
      if (init?.method === 'POST') return respond({ error: { code: 'decision_conflict', message: 'the match is not finished, or is voided already' } }, 409)
      return url.startsWith('/api/v1/admin/review') ? respond({ items: [item()] }) : respond(evidence())
    })
    vi.stubGlobal('fetch', fetch)
    render(<Review />)
    fireEvent.click(await screen.findByRole('button', { name: 'Evidence' }))
    fireEvent.change(await screen.findByRole('textbox', { name: /Reason/ }), { target: { value: 'x' } })
    fireEvent.click(screen.getByRole('button', { name: 'Ban player ada' }))
    await waitFor(() => expect(screen.getByTestId('decision-status').textContent).toMatch(/voided already|not in a state|conflict/i))
  })

  it('says so to a non-administrator', async () => {
    vi.stubGlobal('fetch', vi.fn(() => respond({ error: { code: 'forbidden', message: 'administrators only' } }, 403)))
    render(<Review />)
    await screen.findByTestId('review-error')
  })
})
