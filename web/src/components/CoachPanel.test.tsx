import { fireEvent, render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { CoachNote, CoachReport } from '../protocol/types'
import linearJSON from '../test/fixtures/coach-peaks-linear.json'
import quadraticJSON from '../test/fixtures/coach-pairs-quadratic.json'
import { CoachPanel, coachVerdict, evidenceOf, prettyClass } from './CoachPanel'
import { GrowthPlot, shape } from './GrowthPlot'

// Real reports from `segfault coach --json` (see src/test/fixtures/README.md).
const linear = linearJSON as CoachReport
const quadratic = quadraticJSON as CoachReport

describe('coachVerdict', () => {
  it('uses the report verdict when there is one', () => {
    expect(coachVerdict('O(n)', 'O(n)', 'slower')).toBe('slower')
  })
  it('otherwise compares the classes in bigo order', () => {
    expect(coachVerdict('O(n)', 'O(n)')).toBe('meets')
    expect(coachVerdict('O(n^2)', 'O(n log n)')).toBe('slower')
    expect(coachVerdict('O(log n)', 'O(n)')).toBe('faster')
    expect(coachVerdict('O(n)', undefined)).toBe('unknown')
    expect(coachVerdict('unknown', 'O(n)')).toBe('unknown')
    expect(coachVerdict('O(n)', 'O(n)', 'unknown')).toBe('meets')
  })
  it('pretty-prints exponents and products', () => {
    expect(prettyClass('O(n^2)')).toBe('O(n²)')
    expect(prettyClass('O(n*k + n^2*m^2)')).toBe('O(n·k + n²·m²)')
    expect(coachVerdict('inconclusive', 'O(n)')).toBe('inconclusive')
    expect(prettyClass('O(2^n)')).toBe('O(2ⁿ)')
    expect(prettyClass(undefined)).toBe('unknown')
  })
})

describe('CoachPanel', () => {
  it('a slower solution: class, intended class, verdict, explanation, hint, evidence lines, plot', () => {
    const note: CoachNote = { user_id: 9, submission_id: 's_2', time: 'O(n^2)', space: 'O(n)', confidence: 0.81, intended_time: 'O(n log n)',
      explanation: quadratic.text, report: quadratic }
    render(<CoachPanel note={note} />)
    expect(screen.getByTestId('coach').getAttribute('data-state')).toBe('done')
    expect(screen.getByTestId('coach-time').textContent).toBe('O(n²)')
    expect(screen.getByTestId('coach-space').textContent).toBe('O(n)')
    expect(screen.getByTestId('coach-intended').textContent).toBe('O(n log n)')
    expect(screen.getByTestId('coach-verdict').getAttribute('data-verdict')).toBe('slower')
    expect(screen.getByTestId('coach-verdict').textContent).toBe('Slower than intended')
    expect(screen.getByTestId('coach-explanation').textContent).toContain('2 nested loops over n at lines 6–10')
    expect(screen.getByText(/Hint: count inversions while merge-sorting/)).toBeTruthy()
    // An older report without the decision's confidence: the note's.
    expect(screen.getByTestId('coach-confidence').textContent).toBe('confidence 81%')
    const ev = within(screen.getByTestId('coach-evidence')).getAllByRole('listitem')
    // two time-evidence loops and the one space allocation of the real report
    expect(ev.map((e) => [e.getAttribute('data-start'), e.getAttribute('data-end')])).toEqual([['6', '10'], ['8', '10'], ['2', '2']])
    expect(ev[0].textContent).toContain('lines 6–10')
    expect(ev[2].textContent).toContain('line 2')
    expect(ev[2].textContent).toContain('space')
    // One dot per measured size, and the fitted O(n^2) curve.
    expect(screen.getAllByTestId('coach-point')).toHaveLength(quadratic.empirical!.points!.length)
    expect(screen.getByTestId('coach-fit')).toBeTruthy()
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe('CPU time against input size, 6 measured sizes')
    expect(screen.getByText(/fitted O\(n²\)/)).toBeTruthy()
  })

  it("shows the author's words once, and says when the classes do not compare", () => {
    const report: CoachReport = { ...linear, verdict: 'unknown', intended: { time: 'unknown', space: 'unknown', stated: 'O((n + q) log n)' } }
    render(<CoachPanel report={report} />)
    expect(screen.getAllByTestId('coach-intended')).toHaveLength(1)
    expect(screen.getByTestId('coach-intended').textContent).toBe('O((n + q) log n)')
    expect(screen.getByTestId('coach-verdict').getAttribute('data-verdict')).toBe('unknown')
    expect(screen.getByTestId('coach-verdict').textContent).toBe("Not comparable with the author's class")
    expect(screen.queryByText(/No intended complexity/)).toBeNull()
  })

  it('one decision (issue 16): a multi-variable class that meets the author\'s, with the decision\'s confidence', () => {
    const report: CoachReport = { ...linear, time: 'O(n + m)', space: 'O(n + m)', confidence: 0.9, decided_by: 'static analysis and measurement',
      verdict: 'meets', intended: { time: 'O(n + m)', space: 'O(n + m)', stated: 'O(n + m)' },
      empirical: { ...linear.empirical!, time: 'O(1)', time_confidence: 0 } }
    render(<CoachPanel report={report} note={{ user_id: 1, time: 'O(n + m)', space: 'O(n + m)', confidence: 0, explanation: '' } as CoachNote} />)
    expect(screen.getByTestId('coach-time').textContent).toBe('O(n + m)')
    expect(screen.getByTestId('coach-intended').textContent).toBe('O(n + m)')
    expect(screen.getByTestId('coach-verdict').getAttribute('data-verdict')).toBe('meets')
    expect(screen.getByTestId('coach-confidence').textContent).toBe('confidence 90% · static analysis and measurement')
    expect(screen.queryByText(/(^|[^0-9])0%/)).toBeNull()
    expect(screen.queryByText(/No intended complexity/)).toBeNull()
  })

  it('an inconclusive class shows why, and no confidence figure', () => {
    const report: CoachReport = { ...linear, time: 'inconclusive', confidence: 0.4, decided_by: '', verdict: 'inconclusive',
      reason: 'static analysis says O(n); the measured costs lean to O(n²)', intended: { time: 'O(n)', space: 'O(n)', stated: 'O(n)' } }
    render(<CoachPanel report={report} />)
    expect(screen.getByTestId('coach-verdict').getAttribute('data-verdict')).toBe('inconclusive')
    expect(screen.getByTestId('coach-reason').textContent).toMatch(/lean to O\(n²\)/)
    expect(screen.queryByTestId('coach-confidence')).toBeNull()
  })

  it('switches the plot to peak memory', () => {
    render(<CoachPanel report={linear} />)
    expect(screen.getByTestId('coach-plot').getAttribute('data-metric')).toBe('time')
    fireEvent.click(screen.getByRole('button', { name: 'Peak memory' }))
    expect(screen.getByTestId('coach-plot').getAttribute('data-metric')).toBe('space')
    expect(screen.getByRole('button', { name: 'Peak memory' }).getAttribute('aria-pressed')).toBe('true')
    expect(screen.queryByTestId('coach-fit')).toBeNull() // the time fit is not drawn over memory
    expect(screen.getByRole('img').textContent).toContain('MiB')
  })

  it('a report alone (practice): text from the report, no intended class to compare', () => {
    render(<CoachPanel report={linear} />)
    expect(screen.getByTestId('coach-time').textContent).toBe('O(n)')
    expect(screen.queryByTestId('coach-intended')).toBeNull()
    expect(screen.getByTestId('coach-verdict').getAttribute('data-verdict')).toBe('unknown')
    expect(screen.getByTestId('coach-explanation').textContent).toBe(linear.text)
  })

  it('a note without a report (older server) still shows the classes and the explanation', () => {
    render(<CoachPanel note={{ user_id: 7, time: 'O(n)', space: 'O(1)', intended_time: 'O(n)', explanation: 'One pass.' } as CoachNote} />)
    expect(screen.getByTestId('coach-verdict').getAttribute('data-verdict')).toBe('meets')
    expect(screen.getByTestId('coach-explanation').textContent).toBe('One pass.')
    expect(screen.queryByTestId('coach-plot')).toBeNull()
    expect(screen.queryByTestId('coach-evidence')).toBeNull()
  })

  it('pending, failed and not-analysed states', () => {
    const { rerender } = render(<CoachPanel pending />)
    expect(screen.getByTestId('coach').getAttribute('data-state')).toBe('pending')
    expect(screen.getByRole('status').textContent).toMatch(/analysing/)
    rerender(<CoachPanel failed="The coach could not analyse this solution." />)
    expect(screen.getByTestId('coach').getAttribute('data-state')).toBe('failed')
    expect(screen.getByText('The coach could not analyse this solution.')).toBeTruthy()
    rerender(<CoachPanel />)
    expect(screen.getByText(/accepted solutions/)).toBeTruthy()
  })

  it('says why nothing was measured', () => {
    render(<CoachPanel report={{ ...linear, empirical: undefined, empirical_error: 'coach_measure: the problem has neither a generator nor tests' }} />)
    expect(screen.queryByTestId('coach-plot')).toBeNull()
    expect(screen.getByText(/neither a generator nor tests/)).toBeTruthy()
  })

  it('tolerates null evidence lists (Go nil slices)', () => {
    const r = { ...linear, static: { ...linear.static!, evidence: null, space_evidence: null } }
    expect(evidenceOf(r)).toEqual([])
    expect(evidenceOf(null)).toEqual([])
  })
})

describe('GrowthPlot', () => {
  it('mirrors internal/coach/fit shape(): 1 at the largest size', () => {
    for (const c of ['O(1)', 'O(log n)', 'O(n)', 'O(n log n)', 'O(n^2)', 'O(n^3)', 'O(2^n)']) expect(shape(c, 64, 64)).toBeCloseTo(1)
    expect(shape('O(n)', 32, 64)).toBeCloseTo(0.5)
    expect(shape('O(n^2)', 32, 64)).toBeCloseTo(0.25)
    expect(shape('unknown', 32, 64)).toBeNull()
  })

  it('the fitted curve passes near the measured points of the real report', () => {
    const fit = quadratic.empirical!.time_fit!.fits!.find((f) => f.class === 'O(n^2)')!
    const pts = quadratic.empirical!.points!
    const nMax = pts[pts.length - 1].n
    const last = pts[pts.length - 1]
    expect(Math.abs(fit.a + fit.b * shape('O(n^2)', last.n, nMax)! - last.cpu_seconds)).toBeLessThan(0.05)
  })

  it('draws censored points (hit the limit) differently and labels them', () => {
    const pts = [{ n: 10, cpu_seconds: 0.01, peak_bytes: 1 << 20, runs: 1 }, { n: 100, cpu_seconds: 0.5, peak_bytes: 2 << 20, runs: 1 }, { n: 1000, cpu_seconds: 2, peak_bytes: 3 << 20, runs: 1, censored: true }]
    render(<GrowthPlot points={pts} label="t" />)
    const marks = screen.getAllByTestId('coach-point')
    expect(marks).toHaveLength(3)
    expect(marks[2].getAttribute('data-censored')).toBe('true')
    expect(marks[2].textContent).toContain('hit the limit')
    expect(marks[0].textContent).toBe('n=10: 10.0 ms')
  })

  it('puts larger n further right and larger cost higher', () => {
    const pts = [{ n: 1000, cpu_seconds: 0.9, peak_bytes: 1, runs: 1 }, { n: 10, cpu_seconds: 0.1, peak_bytes: 1, runs: 1 }]
    render(<GrowthPlot points={pts} label="t" />)
    const [a, b] = screen.getAllByTestId('coach-point') // sorted by n
    expect(Number(a.getAttribute('cx'))).toBeLessThan(Number(b.getAttribute('cx')))
    expect(Number(a.getAttribute('cy'))).toBeGreaterThan(Number(b.getAttribute('cy'))) // SVG y grows downwards
  })

  it('survives hostile points: n ≤ 0, NaN costs, one size only, all-zero costs, an unknown fit class', () => {
    const pts = [{ n: 0, cpu_seconds: 1, peak_bytes: 1, runs: 1 }, { n: -5, cpu_seconds: 1, peak_bytes: 1, runs: 1 }, { n: 64, cpu_seconds: Number.NaN, peak_bytes: 1, runs: 1 },
      { n: 64, cpu_seconds: 0, peak_bytes: 0, runs: 1 }]
    render(<GrowthPlot points={pts} fit={{ class: 'O(n!)', a: 1, b: 1 }} label="t" />)
    const marks = screen.getAllByTestId('coach-point')
    expect(marks).toHaveLength(1)
    for (const a of ['cx', 'cy']) expect(Number.isFinite(Number(marks[0].getAttribute(a)))).toBe(true)
    expect(screen.queryByTestId('coach-fit')).toBeNull()
  })

  it('no points, no chart', () => {
    render(<GrowthPlot points={[]} label="t" />)
    expect(screen.getByText('No measurements.')).toBeTruthy()
  })
})
