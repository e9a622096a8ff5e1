import { act, fireEvent, render, screen } from '@testing-library/react'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ERROR_TEXT, errorText } from './errors'
import { toastError, toasts, Toaster } from './toast'

const repo = resolve(__dirname, '../../..')

// The codes the server can actually send, read from the server's own source
// and from the protocol contract, so a new code without a message fails here.
function serverCodes(): string[] {
  const go = readFileSync(resolve(repo, 'internal/errcode/codes.go'), 'utf8')
  const rest = [...go.matchAll(/Code = "([a-z_0-9]+)"/g)].map((m) => m[1])
  const doc = readFileSync(resolve(repo, 'docs/protocol.md'), 'utf8')
  const table = doc.slice(doc.indexOf('Stable codes'), doc.indexOf('## 5.'))
  const ws = [...table.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1])
  expect(rest.length).toBeGreaterThan(15)
  expect(ws.length).toBeGreaterThan(20)
  return [...new Set([...rest, ...ws])]
}

describe('error messages', () => {
  it('every code the server can send has a clear message', () => {
    const missing = serverCodes().filter((c) => !ERROR_TEXT[c])
    expect(missing).toEqual([])
  })

  it('unknown codes fall back to the server message', () => {
    expect(errorText('brand_new_code', 'server says hi')).toBe('server says hi')
    expect(errorText('brand_new_code')).toContain('brand_new_code')
  })
})

describe('Toaster', () => {
  afterEach(() => {
    act(() => toasts.set([]))
    vi.useRealTimers()
  })

  it('shows the mapped text for a server error code, announced to screen readers', () => {
    render(<Toaster />)
    act(() => void toastError('username_taken', 'that username is taken'))
    const t = screen.getByTestId('toast-error')
    expect(t.textContent).toContain('That username is taken. Pick another one.')
    expect(t.getAttribute('data-code')).toBe('username_taken')
    expect(screen.getByRole('alert').textContent).toContain('That username is taken')
  })

  it('collapses repeats of one code and can be dismissed', () => {
    render(<Toaster />)
    act(() => {
      toastError('rate_limited')
      toastError('rate_limited')
      toastError('deadline_passed')
    })
    expect(screen.getAllByTestId('toast-error')).toHaveLength(2)
    act(() => fireEvent.click(screen.getAllByRole('button', { name: 'Dismiss notification' })[0]))
    expect(toasts.get()).toHaveLength(1)
  })

  it('expires on its own', () => {
    vi.useFakeTimers()
    render(<Toaster />)
    act(() => void toastError('internal'))
    expect(toasts.get()).toHaveLength(1)
    act(() => vi.advanceTimersByTime(8000))
    expect(toasts.get()).toHaveLength(0)
  })
})
