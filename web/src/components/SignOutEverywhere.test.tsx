import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { session } from '../lib/session'
import { SignOutEverywhere } from './SignOutEverywhere'

type Call = { url: string; method: string }
let calls: Call[]
let status: number

const me = { id: 1, username: 'ada', display_name: 'ada', avatar_url: '', role: 'player', rating: 1500, rd: 350, volatility: 0.06, xp: 0, level: 1 }

beforeEach(() => {
  calls = []
  status = 204
  vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
    calls.push({ url, method: init?.method ?? 'GET' })
    return status === 204 ? new Response(null, { status })
      : new Response(JSON.stringify({ error: { code: 'internal', message: 'boom' } }), { status, headers: { 'Content-Type': 'application/json' } })
  }))
  history.replaceState(null, '', '/users/ada')
  session.set({ status: 'signed-in', me } as never)
})
afterEach(() => vi.unstubAllGlobals())

describe('SignOutEverywhere', () => {
  it('asks first, then revokes every session and signs out here', async () => {
    render(<SignOutEverywhere />)
    fireEvent.click(screen.getByRole('button', { name: 'Sign out everywhere' }))
    expect(calls).toEqual([])
    fireEvent.click(screen.getByRole('button', { name: 'Yes, sign out everywhere' }))
    await waitFor(() => expect(session.get().status).toBe('signed-out'))
    expect(calls).toEqual([{ url: '/api/v1/auth/logout-all', method: 'POST' }])
    expect(location.pathname).toBe('/signin')
  })

  it('stays signed in and says so when the server fails', async () => {
    status = 500
    render(<SignOutEverywhere />)
    fireEvent.click(screen.getByRole('button', { name: 'Sign out everywhere' }))
    fireEvent.click(screen.getByRole('button', { name: 'Yes, sign out everywhere' }))
    await screen.findByRole('alert')
    expect(session.get().status).toBe('signed-in')
  })

  it('cancel leaves everything as it was', () => {
    render(<SignOutEverywhere />)
    fireEvent.click(screen.getByRole('button', { name: 'Sign out everywhere' }))
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(screen.getByRole('button', { name: 'Sign out everywhere' })).toBeTruthy()
    expect(calls).toEqual([])
  })
})
