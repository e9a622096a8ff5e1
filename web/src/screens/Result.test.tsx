import { act, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { session } from '../lib/session'
import { arenaStore, dispatch } from '../protocol/arena'
import { initialState } from '../protocol/reducer'
import type { CoachReport, MatchFinished, ServerMessage } from '../protocol/types'
import quadraticJSON from '../test/fixtures/coach-pairs-quadratic.json'
import { Result } from './Result'

const quadratic = quadraticJSON as CoachReport
const me = { id: 7, username: 'ada', display_name: 'ada', avatar_url: '', role: 'player', rating: 1500, rd: 350, volatility: 0.06, xp: 0, level: 1, created_at: '2026-11-26T04:00:00.000Z', matches_played: 0 }
const PAIRS = `# Compares every pair: O(n^2).
data = open(0).read().split()
n = int(data[0])
a = list(map(int, data[1:1 + n]))
inv = 0
for i in range(n):
    ai = a[i]
    for j in range(i + 1, n):
        if ai > a[j]:
            inv += 1
print(inv)
`

const finished = (over: Partial<MatchFinished> = {}): MatchFinished => ({
  match_id: 'm1', mode: 'ranked', rule: 'fastest', outcome: 'won', reason: 'accepted', winner_id: 9, finished_at: '2026-11-26T04:24:10.500Z',
  ratings: [{ user_id: 7, before: 1532.4, after: 1516.1, delta: -16.3, rd: 80 }, { user_id: 9, before: 1561, after: 1578.5, delta: 17.5, rd: 70 }],
  xp: [{ user_id: 7, gained: 20, total: 990, level: 2, level_up: false, win_streak: 0 }, { user_id: 9, gained: 140, total: 1380, level: 3, level_up: true, win_streak: 3 }],
  solutions: [
    { user_id: 7, username: 'ada', lang: 'python', verdict: 'AC', passed: 12, total: 12, code: PAIRS, chars: 0, measure: null },
    { user_id: 9, username: 'grace', lang: 'cpp', verdict: 'WA', passed: 3, total: 12, code: 'int main(){}\n', chars: 12, measure: null },
  ],
  coach: [],
  ...over,
})

const push = (type: string, data: unknown) => act(() => dispatch({ kind: 'message', msg: { v: 1, type, data } as ServerMessage }))

beforeEach(() => {
  // No server here: a request the test did not answer stays unanswered, as on
  // a slow API (jsdom would try 127.0.0.1:3000 and log a refused connection).
  vi.stubGlobal('fetch', vi.fn(() => new Promise<Response>(() => {})))
  session.set({ status: 'signed-in', me })
  arenaStore.set({ ...initialState, conn: 'open', synced: true })
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

// The page asks the API again after 1.5–2 s (pollWithBackoff). Its timers
// are fast-forwarded instead of waited for: a loaded machine can run them
// seconds late, past any waitFor timeout.
const fakePollTimers = () => vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout'] })
const nextPoll = () => act(() => vi.advanceTimersByTimeAsync(2000))

describe('Result', () => {
  it('rating ends on the server number, XP shows the gain and the total', async () => {
    push('match.finished', finished())
    render(<Result matchId="m1" />)
    expect(screen.getByTestId('result-headline').textContent).toBe('Defeat')
    const rating = screen.getByTestId('rating-value')
    await waitFor(() => expect(rating.getAttribute('data-settled')).toBe('true'))
    expect(rating.textContent).toBe('1516') // the animation ends exactly on "after"
    expect(screen.getByTestId('rating-delta').getAttribute('data-delta')).toBe('-16')
    expect(screen.getByTestId('rating-delta').textContent).toContain('−16')
    await waitFor(() => expect(screen.getByTestId('xp-gained').getAttribute('data-settled')).toBe('true'))
    expect(screen.getByTestId('xp-gained').textContent).toBe('+20')
    expect(screen.getByTestId('xp-total').textContent).toBe('990 XP in total · Level 2')
  })

  it('shows my win streak from the server, and names the player who offers a rematch', async () => {
    push('match.state', { match_id: 'm1', mode: 'ranked', state: 'running', you: 7, spectating: false, server_now: '', starts_at: null, deadline: null, duration_s: 600,
      problem: null, players: [{ user_id: 7, username: 'ada' }, { user_id: 9, username: 'grace' }] })
    push('match.finished', finished({ winner_id: 7, solutions: [], xp: [{ user_id: 7, gained: 140, total: 1380, level: 3, level_up: false, win_streak: 4 }] }))
    render(<Result matchId="m1" />)
    expect(screen.getByTestId('result-streak').querySelector('[data-testid="win-streak"]')?.getAttribute('data-streak')).toBe('4')
    push('rematch.state', { match_id: 'm1', state: 'open', accepted: [9], by: null, new_match_id: null, server_now: '2026-12-07T02:00:00.000Z', expires_at: '2026-12-07T02:00:30.000Z' })
    expect(screen.getByTestId('rematch-text').textContent).toContain('grace wants a rematch!')
  })

  it('coach reports arrive per player: panel, verdict, plot, and highlighted evidence lines', async () => {
    push('match.finished', finished())
    render(<Result matchId="m1" />)
    const [mine, theirs] = screen.getAllByRole('article')
    // Accepted: waiting for its report; not accepted: never analysed.
    expect(within(mine).getByTestId('coach').getAttribute('data-state')).toBe('pending')
    expect(within(theirs).getByText(/explains accepted solutions/)).toBeTruthy()
    push('match.coach', { match_id: 'm1', coach: [{ user_id: 7, submission_id: 's_1', time: 'O(n^2)', space: 'O(n)', confidence: 0.9,
      intended_time: 'O(n log n)', explanation: quadratic.text, report: quadratic }] })
    await waitFor(() => expect(within(mine).getByTestId('coach').getAttribute('data-state')).toBe('done'))
    expect(within(mine).getByTestId('coach-verdict').getAttribute('data-verdict')).toBe('slower')
    expect(within(mine).getAllByTestId('coach-point')).toHaveLength(6)
    // Evidence: lines 6–10 (the loops) and line 2 (the allocation) are marked in the code.
    const marked = [...within(mine).getByTestId('solution-code').querySelectorAll('[data-marked="true"]')].map((e) => Number(e.getAttribute('data-line')))
    expect(marked.sort((a, b) => a - b)).toEqual([2, 6, 7, 8, 9, 10])
    expect(within(mine).getByTestId('solution-code').querySelector('[data-line="8"]')!.textContent).toContain('for j in range(i + 1, n):')
  })

  it('loaded over REST: the XP gain without a made-up total, and it asks again until the report is there', async () => {
    const detail = (coach: unknown) => ({
      match: { match_id: 'm1', mode: 'casual', state: 'finished', outcome: 'won', reason: 'accepted', winner_id: 7, problem: { id: 'p', title: 'P', difficulty: 800 },
        finished_at: 'x', players: [{ user_id: 7, username: 'ada', rating: 1500 }, { user_id: 9, username: 'grace', rating: 1500 }] },
      timeline: [], ratings: [], xp: [{ user_id: 7, gained: 125, total: 0, level: 0, level_up: false, win_streak: 0 }],
      submissions: [{ submission_id: 's_1', user_id: 7, lang: 'python', verdict: 'AC', passed: 5, total: 5, received_at: 'x', code: 'print(1)\n', chars: 0, measure: null }],
      coach,
    })
    const answers = [detail(null), detail([{ user_id: 7, submission_id: 's_1', time: 'O(1)', space: 'O(1)', explanation: 'Prints a constant.' }])]
    const f = vi.fn(async () => new Response(JSON.stringify(answers.length > 1 ? answers.shift() : answers[0]), { status: 200 }))
    vi.stubGlobal('fetch', f)
    fakePollTimers()
    render(<Result matchId="m1" />)
    await screen.findByTestId('result-headline')
    expect(screen.getByTestId('result-headline').textContent).toBe('Victory')
    expect(screen.getByText('Unrated match')).toBeTruthy()
    expect(screen.getByTestId('xp-gained').getAttribute('data-value')).toBe('125')
    expect(screen.queryByTestId('xp-total')).toBeNull()
    expect(screen.getByText('earned in this match')).toBeTruthy()
    await nextPoll()
    await waitFor(() => expect(screen.getByTestId('coach-explanation').textContent).toBe('Prints a constant.'))
    expect(f.mock.calls.length).toBeGreaterThanOrEqual(2)
  })

  it('shortest: the solutions in character order, each with its count', () => {
    push('match.finished', finished({ rule: 'shortest', outcome: 'shortest', reason: 'shortest', winner_id: 9, solutions: [
      { user_id: 7, username: 'ada', lang: 'python', verdict: 'AC', passed: 12, total: 12, code: PAIRS, chars: 120, measure: null },
      { user_id: 9, username: 'grace', lang: 'cpp', verdict: 'AC', passed: 12, total: 12, code: 'int main(){}\n', chars: 12, measure: null },
    ] }))
    render(<Result matchId="m1" />)
    expect(screen.getByTestId('rule-badge').dataset.rule).toBe('shortest')
    expect(screen.getByText(/Fewest characters among the accepted solutions/)).toBeTruthy()
    expect(screen.getAllByTestId('chars').map((e) => e.dataset.chars)).toEqual(['12', '120'])
    expect(screen.queryByTestId('bigo-curves')).toBeNull()
  })

  it('bigo: both measured growth curves on one chart, with each measure', () => {
    const linear = { ...quadratic, time: 'O(n log n)', verdict: 'meets',
      empirical: { ...quadratic.empirical!, points: [{ n: 1000, cpu_seconds: 0.001, peak_bytes: 1 }, { n: 2000, cpu_seconds: 0.0021, peak_bytes: 1 }, { n: 4000, cpu_seconds: 0.0045, peak_bytes: 1 }] } } as CoachReport
    push('match.finished', finished({ rule: 'bigo', winner_id: 9, solutions: [
      { user_id: 7, username: 'ada', lang: 'python', verdict: 'AC', passed: 12, total: 12, code: PAIRS, chars: 1, measure: 'slower' },
      { user_id: 9, username: 'grace', lang: 'python', verdict: 'AC', passed: 12, total: 12, code: 'print(1)\n', chars: 1, measure: 'meets' },
    ], coach: [
      { user_id: 7, submission_id: 'a', time: 'O(n^2)', space: 'O(n)', intended_time: 'O(n log n)', explanation: '', report: quadratic },
      { user_id: 9, submission_id: 'b', time: 'O(n log n)', space: 'O(n)', intended_time: 'O(n log n)', explanation: '', report: linear },
    ] }))
    render(<Result matchId="m1" />)
    expect(screen.getByText(/at or below the intended complexity/)).toBeTruthy()
    const chart = screen.getByTestId('bigo-curves')
    const series = within(chart).getAllByTestId('bigo-series')
    expect(series.map((g) => g.dataset.user)).toEqual(['7', '9'])
    expect(Number(series[1].dataset.points)).toBe(3)
    expect(within(chart).getAllByTestId('bigo-legend').map((l) => l.dataset.measure)).toEqual(['slower', 'meets'])
    expect(screen.getAllByTestId('measure').map((e) => e.dataset.measure)).toEqual(['slower', 'meets'])
  })

  it('a spectator sees who won, not "Defeat"', () => {
    session.set({ status: 'signed-in', me: { ...me, id: 42, username: 'eve' } })
    push('match.finished', finished())
    render(<Result matchId="m1" />)
    expect(screen.getByTestId('result-headline').textContent).toBe('grace wins')
  })

  it('practice: my accepted submission\'s report is fetched from the REST API when no match.coach came', async () => {
    const f = vi.fn(async (url: string) => url === '/api/v1/submissions/s_9/coach'
      ? new Response(JSON.stringify({ status: 'done', report: quadratic }), { status: 200 })
      : new Response('{}', { status: 404 }))
    vi.stubGlobal('fetch', f)
    fakePollTimers()
    push('submission.result', { match_id: 'p1', submission_id: 's_9', lang: 'python', verdict: 'AC', passed: 12, total: 12 })
    push('match.finished', finished({ match_id: 'p1', mode: 'practice', winner_id: 7, ratings: [], xp: [{ user_id: 7, gained: 25, total: 25, level: 1, level_up: false, win_streak: 0 }],
      solutions: [{ user_id: 7, username: 'ada', lang: 'python', verdict: 'AC', passed: 12, total: 12, code: PAIRS, chars: 0, measure: null }] }))
    render(<Result matchId="p1" />)
    expect(screen.getByTestId('result-headline').textContent).toBe('Solved')
    expect(screen.getByTestId('coach').getAttribute('data-state')).toBe('pending')
    await nextPoll()
    await waitFor(() => expect(screen.getByTestId('coach').getAttribute('data-state')).toBe('done'))
    expect(screen.getByTestId('coach-verdict').getAttribute('data-verdict')).toBe('slower')
    expect(screen.getByTestId('coach-time').textContent).toBe('O(n²)')
    expect(f.mock.calls.map((c) => c[0])).toEqual(['/api/v1/submissions/s_9/coach'])
    expect(screen.getByTestId('solution-code').querySelectorAll('[data-marked="true"]')).toHaveLength(6)
  })

  it('practice: a failed analysis is said, not spun forever', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ status: 'failed', error: 'over the CPU budget' }), { status: 200 })))
    fakePollTimers()
    push('submission.result', { match_id: 'p2', submission_id: 's_10', lang: 'python', verdict: 'AC', passed: 1, total: 1 })
    push('match.finished', finished({ match_id: 'p2', mode: 'practice', winner_id: 7, ratings: [], xp: [],
      solutions: [{ user_id: 7, username: 'ada', lang: 'python', verdict: 'AC', passed: 1, total: 1, code: 'print(1)\n', chars: 0, measure: null }] }))
    render(<Result matchId="p2" />)
    await nextPoll()
    await waitFor(() => expect(screen.getByTestId('coach').getAttribute('data-state')).toBe('failed'))
    expect(screen.getByText(/could not analyse this solution: over the CPU budget/)).toBeTruthy()
  })

  it('hostile evidence ranges (lines 1–10^9, reversed, negative) mark only real lines', () => {
    const report = { ...quadratic, static: { ...quadratic.static!, evidence: [{ start: 1, end: 1e9, class: 'O(n)', note: 'all', tag: '' }, { start: 9, end: 2, class: 'O(n)', note: 'reversed', tag: '' }, { start: -4, end: -1, class: 'O(n)', note: 'negative', tag: '' }], space_evidence: null } }
    push('match.finished', finished({ coach: [{ user_id: 7, time: 'O(n)', space: 'O(1)', submission_id: 's1', intended_time: '', explanation: 'x', report }] }))
    const t0 = performance.now()
    render(<Result matchId="m1" />)
    const code = screen.getAllByTestId('solution-code')[0]
    expect([...code.querySelectorAll('[data-marked="true"]')].map((e) => Number(e.getAttribute('data-line')))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    // Rendering takes well under a second, a few on a loaded machine; an
    // uncapped walk over 10^9 lines takes minutes (or runs out of memory).
    expect(performance.now() - t0).toBeLessThan(20_000)
  })
})
