import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { diffLines, DiffView, outputsMatch } from './DiffView'

describe('diffLines', () => {
  it('ignores trailing spaces and trailing blank lines, like the judge', () => {
    expect(outputsMatch('2\n', '2')).toBe(true)
    expect(outputsMatch('1 2\n3\n', '1 2   \r\n3\n\n\n')).toBe(true)
    expect(outputsMatch('1 2', '1  2')).toBe(false)
  })

  it('classifies changed, missing and extra lines', () => {
    expect(diffLines('a\nb\nc\n', 'a\nX\n').map((r) => r.kind)).toEqual(['same', 'changed', 'missing'])
    expect(diffLines('a\n', 'a\nb\n').map((r) => r.kind)).toEqual(['same', 'extra'])
  })
})

describe('DiffView', () => {
  it('shows both outputs line by line and counts differences', () => {
    render(<DiffView expected={'2\n5\n'} actual={'3\n5\n'} />)
    expect(screen.getByTestId('diff-summary').textContent).toBe('1 line differs from the expected output.')
    const rows = screen.getAllByRole('row').slice(1)
    expect(rows.map((r) => r.getAttribute('data-kind'))).toEqual(['changed', 'same'])
    expect(rows[0].textContent).toContain('2')
    expect(rows[0].textContent).toContain('3')
    expect(rows[0].textContent).toContain('(differs)') // screen-reader label
  })

  it('says so when outputs match', () => {
    render(<DiffView expected={"ok\n"} actual="ok" />)
    expect(screen.getByTestId('diff-summary').textContent).toBe('Output matches the expected output.')
  })

  it('caps very long outputs', () => {
    const many = Array.from({ length: 500 }, (_, i) => String(i)).join('\n')
    render(<DiffView expected={many} actual="" maxRows={50} />)
    expect(screen.getAllByRole('row')).toHaveLength(51)
    expect(screen.getByText(/450 more lines/)).toBeTruthy()
  })
})
