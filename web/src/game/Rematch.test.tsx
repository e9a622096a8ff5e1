import { act as rtlAct, fireEvent, render, screen } from '@testing-library/react'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { initialState } from '../protocol/reducer'
import type { ClientType, MatchFinished, RematchState, ServerMessage } from '../protocol/types'

let sent: { type: ClientType; data: unknown }[] = []
vi.mock('../protocol/arena', async (orig) => {
  const real = await orig<typeof import('../protocol/arena')>()
  // The socket is not there: requests are recorded, and the test pushes what the server would.
  return { ...real, act: vi.fn(async (type: ClientType, data: unknown) => { sent.push({ type, data }); return null }) }
})
const { arenaStore, dispatch } = await import('../protocol/arena')
const { Rematch, rematchText } = await import('./Rematch')

const f = { match_id: 'm1', mode: 'ranked', rule: 'fastest', outcome: 'won', reason: '', winner_id: 9, finished_at: '', ratings: [], xp: [], solutions: [], coach: [] } as MatchFinished
const names: Record<number, string> = { 7: 'ada', 9: 'grace' }
const name = (id: number) => names[id] ?? `#${id}`
const state = (over: Partial<RematchState>): RematchState => ({
  match_id: 'm1', state: 'open', accepted: [9], by: null, new_match_id: null,
  server_now: '2026-12-07T02:00:00.000Z', expires_at: '2026-12-07T02:00:30.000Z', ...over,
})
const push = (data: RematchState) => rtlAct(() => dispatch({ kind: 'message', msg: { v: 1, type: 'rematch.state', data } as ServerMessage }))

beforeEach(() => {
  sent = []
  arenaStore.set({ ...initialState, conn: 'open', synced: true })
})

describe('Rematch', () => {
  it('offers, then shows only what the server says', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['Date'] })
    render(<Rematch f={f} me={7} name={name} />)
    vi.advanceTimersByTime(5000) // the page was open a while before the offer: the seconds left are still the server's 30
    await rtlAct(async () => { fireEvent.click(screen.getByTestId('rematch-offer')) })
    expect(sent).toEqual([{ type: 'rematch.offer', data: { match_id: 'm1' } }])
    // Nothing changes until the server answers.
    expect(screen.queryByTestId('rematch')).toBeNull()
    push(state({ accepted: [7] }))
    expect(screen.getByTestId('rematch').getAttribute('data-state')).toBe('open')
    expect(screen.getByTestId('rematch-text').textContent).toContain('waiting for your opponent')
    expect(screen.getByTestId('rematch-left').textContent).toContain('30s')
    await rtlAct(async () => { fireEvent.click(screen.getByTestId('rematch-withdraw')) })
    expect(sent.at(-1)).toEqual({ type: 'rematch.decline', data: { match_id: 'm1' } })
    push(state({ accepted: [7], state: 'declined', by: 9 }))
    expect(screen.getByTestId('rematch-text').textContent).toBe('grace declined the rematch')
    expect(screen.queryByRole('button')).toBeNull()
    vi.useRealTimers()
  })

  it('the other player accepts or declines the offer', async () => {
    push(state({}))
    render(<Rematch f={f} me={7} name={name} />)
    expect(screen.getByTestId('rematch-text').textContent).toContain('grace wants a rematch!')
    await rtlAct(async () => { fireEvent.click(screen.getByTestId('rematch-accept')) })
    expect(sent).toEqual([{ type: 'rematch.offer', data: { match_id: 'm1' } }])
    await rtlAct(async () => { fireEvent.click(screen.getByTestId('rematch-decline')) })
    expect(sent.at(-1)).toEqual({ type: 'rematch.decline', data: { match_id: 'm1' } })
  })

  it('ignores the rematch of another match', () => {
    push(state({ match_id: 'm0' }))
    render(<Rematch f={f} me={7} name={name} />)
    expect(screen.getByTestId('rematch-offer')).toBeTruthy()
  })

  it('says who left, and when it expired, failed or started', () => {
    expect(rematchText(state({ state: 'left', by: 9 }), 7, name)).toBe('grace left for another game')
    expect(rematchText(state({ state: 'left', by: 7 }), 7, name)).toBe('You left for another game')
    expect(rematchText(state({ state: 'declined', by: 7 }), 7, name)).toBe('You declined the rematch')
    expect(rematchText(state({ state: 'expired' }), 7, name)).toBe('The rematch offer expired')
    expect(rematchText(state({ state: 'failed' }), 7, name)).toBe('The rematch could not start')
    expect(rematchText(state({ state: 'started', new_match_id: 'x1' }), 7, name)).toContain('starting')
  })
})
