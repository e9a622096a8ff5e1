import { fireEvent, render, screen, within } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import type { ChatMessage } from '../protocol/types'
import { matchChatTabs } from '../screens/MatchRoom'
import { mergeMessages } from './useChat'

const msg = (id: number, text: string, user = 2, username = 'bob'): ChatMessage => ({ channel: 'lobby', id, user_id: user, username, text, at: '2026-12-07T09:00:00.000Z' })

const view = {
  messages: [msg(1, '<img src=x onerror=alert(1)><script>alert(2)</script>'), msg(2, 'see https://evil.example now')],
  error: null, joined: true, muted: [], send: vi.fn(async () => true), mute: vi.fn(async () => {}), report: vi.fn(async () => true),
  remove: vi.fn(async () => true), timeout: vi.fn(async () => true),
}
vi.mock('./useChat', async (orig) => ({ ...(await orig<typeof import('./useChat')>()), useChat: () => view }))

describe('ChatPanel', () => {
  it('renders messages as text: no markup, links not clickable; an accessible log and input', async () => {
    const { ChatPanel } = await import('./ChatPanel')
    const { container } = render(<ChatPanel tabs={[{ channel: 'lobby', label: 'Lobby' }]} />)
    const log = screen.getByRole('log')
    expect(log.getAttribute('aria-live')).toBe('polite')
    expect(container.querySelector('img, script, a')).toBeNull()
    expect(within(log).getByText('<img src=x onerror=alert(1)><script>alert(2)</script>')).toBeTruthy()
    expect(within(log).getByText('see https://evil.example now')).toBeTruthy()
    expect(screen.getByLabelText('Message to lobby chat')).toBeTruthy()
    expect(screen.getAllByRole('button', { name: 'Mute bob' })).toHaveLength(2)
    expect(screen.queryByRole('button', { name: /Delete this message/ })).toBeNull()
  })

  it('gives administrators delete and timeout', async () => {
    const { ChatPanel } = await import('./ChatPanel')
    const { session } = await import('../lib/session')
    session.set({ status: 'signed-in', me: { id: 1, username: 'root', role: 'admin' } as never })
    render(<ChatPanel tabs={[{ channel: 'lobby', label: 'Lobby' }]} />)
    fireEvent.click(screen.getAllByRole('button', { name: 'Delete this message by bob' })[0])
    fireEvent.click(screen.getAllByRole('button', { name: "Stop bob's chat for 10 minutes" })[0])
    expect(view.remove).toHaveBeenCalledWith(1)
    expect(view.timeout).toHaveBeenCalledWith(2, 10)
    session.set({ status: 'signed-out' })
  })
})

describe('mergeMessages', () => {
  it('merges history and pushes by id, oldest first, once each', () => {
    const got = mergeMessages([msg(3, 'c'), msg(1, 'a')], [msg(2, 'b'), msg(3, 'c')])
    expect(got.map((m) => m.id)).toEqual([1, 2, 3])
  })
})

describe('matchChatTabs', () => {
  it('keeps a ranked match’s players out of the spectators’ chat until it is over', () => {
    const labels = (...a: Parameters<typeof matchChatTabs>) => matchChatTabs(...a).map((t) => t.channel)
    expect(labels('ranked', 'm1', false, false)).toEqual(['match:m1'])
    expect(labels('ranked', 'm1', false, true)).toEqual(['match:m1', 'spectators:m1'])
    expect(labels('ranked', 'm1', true, false)).toEqual(['spectators:m1'])
    expect(labels('casual', 'm1', false, false)).toEqual(['match:m1', 'spectators:m1'])
    expect(labels('private', 'm1', false, true)).toEqual(['match:m1'])
    expect(labels('practice', 'm1', false, false)).toEqual([])
  })
})
