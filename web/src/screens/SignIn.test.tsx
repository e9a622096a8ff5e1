import { act, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { session } from '../lib/session'
import { toasts } from '../lib/toast'
import { SignIn } from './SignIn'

type Call = { url: string; init?: RequestInit }
let calls: Call[]
let routes: Record<string, (init?: RequestInit) => Response>

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } })

const me = { id: 1, username: 'ada', display_name: 'ada', avatar_url: '', role: 'player', rating: 1500, rd: 350, volatility: 0.06, xp: 0, level: 1, created_at: '2026-11-26T04:00:00.000Z', matches_played: 0 }

beforeEach(() => {
  calls = []
  routes = {
    'GET /api/v1/auth/providers': () => json(200, { providers: [] }),
    'GET /api/v1/auth/challenge': () => json(200, { algorithm: 'sha256', bits: 0, stamp: '1700000000' }),
  }
  vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
    calls.push({ url, init })
    const h = routes[`${init?.method ?? 'GET'} ${url}`]
    return h ? h(init) : json(404, { error: { code: 'not_found', message: 'no' } })
  }))
  history.replaceState(null, '', '/signin')
  session.set({ status: 'signed-out' })
})
afterEach(() => {
  vi.unstubAllGlobals()
  act(() => toasts.set([]))
})

const fill = (user: string, pass: string) => {
  fireEvent.change(screen.getByLabelText('Username'), { target: { value: user } })
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: pass } })
}

describe('SignIn', () => {
  it('registers with a JSON POST and signs in', async () => {
    routes['POST /api/v1/auth/register'] = () => json(201, me)
    render(<SignIn mode="register" />)
    fill('ada', 'correct horse battery')
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }))
    await waitFor(() => expect(session.get().status).toBe('signed-in'))
    const call = calls.find((c) => c.url === '/api/v1/auth/register')!
    expect(call.init?.method).toBe('POST')
    expect(new Headers(call.init?.headers).get('Content-Type')).toBe('application/json')
    expect(JSON.parse(String(call.init?.body))).toEqual({ username: 'ada', password: 'correct horse battery' })
    expect(location.pathname).toBe('/')
  })

  it('solves the sign-up challenge and sends the proof', async () => {
    routes['GET /api/v1/auth/challenge'] = () => json(200, { algorithm: 'sha256', bits: 12, stamp: '1700000000' })
    routes['POST /api/v1/auth/register'] = () => json(201, me)
    render(<SignIn mode="register" />)
    fill('Ada_L', 'correct horse battery')
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }))
    await waitFor(() => expect(session.get().status).toBe('signed-in'))
    const call = calls.find((c) => c.url === '/api/v1/auth/register')!
    // The nonce the server's own solver finds for ada_l (internal/auth).
    expect(JSON.parse(String(call.init?.body))).toEqual({ username: 'Ada_L', password: 'correct horse battery', proof: { stamp: '1700000000', nonce: 'nn' } })
  })

  it('signs in with the login endpoint', async () => {
    routes['POST /api/v1/auth/login'] = () => json(200, me)
    render(<SignIn mode="signin" />)
    fill('ada', 'whatever-password')
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    await waitFor(() => expect(session.get()).toMatchObject({ status: 'signed-in', me: { username: 'ada' } }))
  })

  it('checks lengths before asking the server', async () => {
    render(<SignIn mode="register" />)
    fill('ab', 'short')
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }))
    expect(await screen.findByText('Between 3 and 32 characters.')).toBeTruthy()
    expect(screen.getByText('At least 10 characters.')).toBeTruthy()
    expect(screen.getByLabelText('Username').getAttribute('aria-invalid')).toBe('true')
    expect(calls.some((c) => c.url.includes('/auth/register'))).toBe(false)
  })

  it.each([
    ['username_taken', 409, 'That username is taken. Pick another one.'],
    ['username_reserved', 409, 'That username is reserved. Pick another one.'],
    ['password_too_common', 400, 'That password is too easy to guess'],
    ['bad_credentials', 401, 'Wrong username or password.'],
    ['forbidden_origin', 403, 'The request came from another site and was refused.'],
  ])('shows the server error %s inline and as a toast', async (code, status, text) => {
    routes['POST /api/v1/auth/register'] = () => json(status, { error: { code, message: 'server text' } })
    render(<SignIn mode="register" />)
    fill('ada', 'correct horse battery')
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }))
    const alert = await screen.findByText((_, el) => el?.id === 'auth-error')
    expect(alert.textContent).toContain(text)
    expect(toasts.get().map((t) => t.code)).toContain(code)
    expect(session.get().status).toBe('signed-out')
  })

  it('tells how long to wait when rate limited', async () => {
    routes['POST /api/v1/auth/login'] = () => json(429, { error: { code: 'rate_limited', message: 'slow down' } }, { 'Retry-After': '30' })
    render(<SignIn mode="signin" />)
    fill('ada', 'correct horse battery')
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    const alert = await screen.findByText((_, el) => el?.id === 'auth-error')
    expect(alert.textContent).toContain('retry in 30 s')
  })

  it('lists a button for each enabled provider', async () => {
    routes['GET /api/v1/auth/providers'] = () => json(200, { providers: [
      { name: 'github', display_name: 'GitHub', start_url: '/auth/github/start' },
      { name: 'oidc', display_name: 'Acme SSO', start_url: '/auth/oidc/start' },
    ] })
    render(<SignIn mode="signin" />)
    const gh = await screen.findByRole('link', { name: 'Continue with GitHub' })
    expect(gh.getAttribute('href')).toBe('/auth/github/start')
    expect(screen.getByRole('link', { name: 'Continue with Acme SSO' }).getAttribute('href')).toBe('/auth/oidc/start')
  })

  it('explains an OAuth failure passed back in the URL', async () => {
    history.replaceState(null, '', '/signin?error=oauth_denied')
    render(<SignIn mode="signin" />)
    expect(await screen.findByText('Sign-in was cancelled at the provider.')).toBeTruthy()
  })
})
