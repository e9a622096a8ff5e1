import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { countChars, RuleBadge } from './RuleBadge'

describe('countChars', () => {
  it('counts what the server counts: every code point but white space', () => {
    expect(countChars('')).toBe(0)
    expect(countChars('print(1)')).toBe(8)
    expect(countChars('  print( 1 )\n\n\t')).toBe(8)
    expect(countChars('x = 1\r\ny=2\n')).toBe(6)
    expect(countChars('é\u00a0ü')).toBe(2)
    expect(countChars('a\u3000b 🎉')).toBe(3)
    expect(countChars('a\u0085b\ufeff')).toBe(3) // NEL is space to Go, BOM is not
  })
})

describe('RuleBadge', () => {
  it('shows a non-default rule, and fastest only when asked', () => {
    const { rerender } = render(<RuleBadge rule="shortest" />)
    expect(screen.getByTestId('rule-badge').dataset.rule).toBe('shortest')
    expect(screen.getByTestId('rule-badge').textContent).toBe('Shortest')
    rerender(<RuleBadge rule="fastest" />)
    expect(screen.queryByTestId('rule-badge')).toBeNull()
    rerender(<RuleBadge rule={null} always />)
    expect(screen.getByTestId('rule-badge').textContent).toBe('Fastest')
  })
})
