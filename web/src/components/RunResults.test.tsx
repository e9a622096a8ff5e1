import { render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { RunView } from '../protocol/reducer'
import type { RunCase } from '../protocol/types'
import { RunResults } from './RunResults'

const view = (over: Partial<RunView>): RunView => ({ pending: false, result: null, error: null, ...over })
const sample = (over: Partial<RunCase>): RunCase => ({ sample: 1, verdict: 'AC', time_ms: 12, memory_kb: 0, input: '6\n1 5 3 4 7 2\n', expected: '2\n', actual: '2\n', stderr: '', ...over })

describe('RunResults', () => {
  it('before any run, explains the shortcut', () => {
    render(<RunResults run={view({})} />)
    expect(screen.getByText(/Ctrl\+Enter/)).toBeTruthy()
  })

  it('shows a spinner while the run is in flight', () => {
    render(<RunResults run={view({ pending: true })} />)
    expect(screen.getByRole('status').textContent).toMatch(/Running your code/)
  })

  it('per sample: verdict, time, memory, input, and the diff only where it failed', () => {
    render(<RunResults run={view({ result: { match_id: 'm1', compile_error: null, results: [
      sample({ sample: 1, verdict: 'AC', time_ms: 14, memory_kb: 9216 }),
      sample({ sample: 2, verdict: 'WA', time_ms: 15, input: '3\n1 2 1\n', expected: '1\n', actual: '3\n', stderr: 'debug: n=3\n' }),
    ] } })} />)
    expect(screen.getByTestId('run-summary').textContent).toBe('1 of 2 samples passed')
    const [ok, wa] = screen.getAllByTestId('run-case')
    expect(ok.getAttribute('data-verdict')).toBe('AC')
    expect(ok.textContent).toContain('Sample 1: Accepted')
    expect(ok.textContent).toContain('14 ms')
    expect(ok.textContent).toContain('9.0 MiB')
    expect(within(ok).queryByTestId('diff-summary')).toBeNull()
    // A passing sample's input is collapsed, a failing one's is open.
    expect(ok.querySelector('details')!.open).toBe(false)
    expect(wa.querySelector('details')!.open).toBe(true)
    expect(within(wa).getByLabelText('Input of sample 2').textContent).toBe('3\n1 2 1\n')
    expect(wa.textContent).toContain('Sample 2: Wrong Answer')
    expect(within(wa).getByTestId('diff-summary').textContent).toBe('1 line differs from the expected output.')
    const row = within(wa).getAllByRole('row')[1]
    expect(row.getAttribute('data-kind')).toBe('changed')
    expect(row.textContent).toContain('1')
    expect(row.textContent).toContain('3')
    expect(within(wa).getByTestId('run-stderr').textContent).toBe('debug: n=3\n')
    expect(screen.getByTestId('run-result').getAttribute('data-verdict')).toBe('failed')
  })

  it('a runtime error shows what was printed before the crash next to the expected output, and stderr', () => {
    render(<RunResults run={view({ result: { compile_error: null, results: [
      sample({ verdict: 'RE', actual: '', stderr: 'Traceback (most recent call last):\nIndexError: list index out of range\n' }),
    ] } })} />)
    expect(screen.getByText(/Runtime Error/)).toBeTruthy()
    expect(screen.getByTestId('diff-summary').textContent).toMatch(/differs/)
    expect(screen.getByTestId('run-stderr').textContent).toMatch(/IndexError/)
  })

  it('custom input: no expected output, so the output is shown as is (verdict OK)', () => {
    render(<RunResults run={view({ result: { compile_error: null, results: [
      sample({ verdict: 'OK', input: '1\n7\n', expected: null, actual: '1\n' }),
    ] } })} />)
    const c = screen.getByTestId('run-case')
    expect(c.textContent).toContain('Custom input: Ran')
    expect(screen.getByTestId('run-output').textContent).toBe('1\n')
    // The custom input is in its own box above: collapsed here.
    expect(c.querySelector('details')!.open).toBe(false)
    expect(screen.queryByTestId('diff-summary')).toBeNull()
    expect(screen.queryByTestId('run-summary')).toBeNull()
    expect(screen.getByTestId('run-result').getAttribute('data-verdict')).toBe('AC')
  })

  it('a compile error replaces the per-sample results', () => {
    render(<RunResults run={view({ result: { compile_error: "main.cpp:1:1: error: 'x' does not name a type", results: [] } })} />)
    expect(screen.getByTestId('run-result').getAttribute('data-verdict')).toBe('CE')
    expect(screen.getByLabelText('Compiler output').textContent).toContain('does not name a type')
  })

  it('a refused run says why, with the retry time the server gave', () => {
    render(<RunResults run={view({ error: { code: 'judge_busy', message: 'one at a time', retry_after_ms: 2500 } })} />)
    const e = screen.getByTestId('run-error')
    expect(e.getAttribute('data-code')).toBe('judge_busy')
    expect(e.textContent).toContain('Your previous run or submission is still being judged.')
    expect(e.textContent).toContain('Try again in 3 s.')
  })

  it('a failed run keeps the previous result visible under the error', () => {
    render(<RunResults run={view({ error: { code: 'unavailable', message: '' }, result: { compile_error: null, results: [sample({})] } })} />)
    expect(screen.getByTestId('run-error').textContent).toContain('temporarily unavailable')
    expect(screen.getByTestId('run-case')).toBeTruthy()
  })
})
