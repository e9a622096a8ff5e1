import { act, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ERROR_CODE_VALUES, MAX_CODE_BYTES, MAX_INPUT_BYTES } from '../protocol/generated'
import { ERROR_TEXT, errorText } from './errors'
import { toastError, toasts, Toaster } from './toast'

describe('error messages', () => {
  it('every code the server can send has a clear message', () => {
    // ERROR_CODE_VALUES is generated from internal/errcode: a new code
    // without a message fails here.
    const missing = ERROR_CODE_VALUES.filter((c) => !ERROR_TEXT[c])
    expect(missing).toEqual([])
  })

  it("the server's refusals of oversized code and input name the limit and say the server refused them (they were sent)", () => {
    for (const [code, limit] of [['code_too_large', MAX_CODE_BYTES], ['input_too_large', MAX_INPUT_BYTES]] as const) {
      expect(errorText(code)).toContain(`${limit / 1024} KiB`)
      expect(errorText(code)).toMatch(/server refused/)
      expect(errorText(code)).not.toMatch(/not sent/)
    }
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
