import { act as rtlAct, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { toasts } from '../lib/toast'
import { RequestError } from '../protocol/client'
import { initialState } from '../protocol/reducer'
import { MAX_CODE_BYTES, MAX_INPUT_BYTES, type ClientType, type Language, type MatchState, type ServerMessage } from '../protocol/types'
import { player } from '../test/player'
import { languagesStore } from '../lib/languages'

// Monaco does not run in happy-dom: a textarea stands in for the editor,
// with the same props (the shortcuts are tested on the window listener).
vi.mock('../editor/CodeEditor', () => ({
  default: (p: { value: string; onChange: (v: string) => void; diagnostics?: { line: number; message: string }[] }) => (
    <textarea aria-label="Code editor" value={p.value} onChange={(e) => p.onChange(e.target.value)}
      data-markers={(p.diagnostics ?? []).map((d) => `${d.line}:${d.message}`).join('|')} />
  ),
}))

type Sent = { type: ClientType; data: Record<string, unknown> }
let sent: Sent[]
let answer: (s: Sent) => ServerMessage | RequestError

vi.mock('../protocol/arena', async (orig) => {
  const real = await orig<typeof import('../protocol/arena')>()
  return {
    ...real,
    // The real act() minus the socket: what the server would answer, with the
    // same error handling (toast + onError) on a refusal.
    act: vi.fn(async (type: ClientType, data: Record<string, unknown>, opts: { onError?: (e: RequestError) => void } = {}) => {
      const s = { type, data }
      sent.push(s)
      const r = answer(s)
      if (r instanceof RequestError) {
        const { toastError } = await import('../lib/toast')
        toastError(r.code, r.message, r.data.retry_after_ms)
        opts.onError?.(r)
        return null
      }
      real.dispatch({ kind: 'message', msg: r })
      return r
    }),
  }
})

const { arenaStore } = await import('../protocol/arena')
const { default: MatchRoom, timeLimitsNote } = await import('./MatchRoom')

const running = (): MatchState => ({
  match_id: 'm1', mode: 'ranked', rule: 'fastest', state: 'running', you: 7, server_now: new Date().toISOString(),
  starts_at: new Date(Date.now() - 5000).toISOString(), deadline: new Date(Date.now() + 600_000).toISOString(), duration_s: 600,
  problem: { id: 'peak-count', title: 'Signal Peaks', difficulty: 800, tags: ['arrays'], time_limit_ms: 1000, memory_mb: 256, statement_md: 'Count peaks.',
    samples: [{ input: '6\n1 5 3 4 7 2\n', output: '2\n' }], languages: ['python', 'cpp'] },
  players: [player({ user_id: 7, username: 'ada' }), player({ user_id: 9, username: 'grace' })],
  spectating: false,
})

const lang = (id: Language['id'], name: string, template: string): Language =>
  ({ id, name, aliases: [], version: '', extensions: [], monaco: id, template, notes: '', coach: 'static' })

beforeEach(() => {
  sent = []
  answer = () => new RequestError('internal', 'not scripted')
  arenaStore.set({ ...initialState, conn: 'open', synced: true, match: running() })
  languagesStore.set({ list: [lang('python', 'Python 3', 'print(1)\n'), lang('cpp', 'C++', 'int main() {}\n'), lang('go', 'Go', 'package main\n')], error: null })
})
afterEach(() => {
  rtlAct(() => toasts.set([]))
})

const typeCode = async (code: string) => {
  const ed = await screen.findByLabelText('Code editor')
  fireEvent.change(ed, { target: { value: code } })
}

describe('MatchRoom code limits', () => {
  it('starts from the offered languages and the server template', async () => {
    render(<MatchRoom matchId="m1" />)
    const ed = await screen.findByLabelText('Code editor') as HTMLTextAreaElement
    await waitFor(() => expect(ed.value).toBe('print(1)\n'))
    const options = [...(screen.getByTestId('lang') as HTMLSelectElement).options].map((o) => o.textContent)
    expect(options).toEqual(['Python 3', 'C++']) // go is not allowed by the problem
  })

  it('empty code: Run and Submit are disabled and nothing is sent, even by shortcut', async () => {
    render(<MatchRoom matchId="m1" />)
    await typeCode('   \n')
    expect((screen.getByTestId('run') as HTMLButtonElement).disabled).toBe(true)
    expect((screen.getByTestId('submit') as HTMLButtonElement).disabled).toBe(true)
    expect(screen.getByTestId('code-refusal').textContent).toMatch(/empty code is not sent/)
    fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true })
    fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true, shiftKey: true })
    expect(sent).toEqual([])
  })

  it('code over the generated limit is refused before sending, naming the limit', async () => {
    render(<MatchRoom matchId="m1" />)
    await typeCode('#' + 'x'.repeat(MAX_CODE_BYTES))
    expect((screen.getByTestId('submit') as HTMLButtonElement).disabled).toBe(true)
    expect(screen.getByTestId('code-refusal').textContent).toMatch(new RegExp(`over the ${MAX_CODE_BYTES / 1024} KiB limit`))
    fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true, shiftKey: true })
    expect(sent).toEqual([])
  })
})

describe('MatchRoom run', () => {
  it('Ctrl+Enter sends code.run with the editor text and shows the per-sample diff', async () => {
    answer = () => ({ v: 1, type: 'run.result', id: 'c1', data: { match_id: 'm1', compile_error: null,
      results: [{ sample: 1, verdict: 'WA', time_ms: 15, memory_kb: 8000, input: '6\n1 5 3 4 7 2\n', expected: '2\n', actual: '3\n', stderr: '' }] } })
    render(<MatchRoom matchId="m1" />)
    await typeCode('print(3)\n')
    fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true })
    await screen.findByTestId('run-result')
    expect(sent).toEqual([{ type: 'code.run', data: { match_id: 'm1', lang: 'python', code: 'print(3)\n' } }])
    expect(screen.getByTestId('run-case').getAttribute('data-verdict')).toBe('WA')
    expect(screen.getByTestId('diff-summary').textContent).toBe('1 line differs from the expected output.')
    expect(screen.getByText(/Expected/)).toBeTruthy()
  })

  it('the Run button does the same; Ctrl+Shift+Enter submits instead', async () => {
    answer = (s) => s.type === 'code.run'
      ? { v: 1, type: 'run.result', data: { compile_error: null, results: [] } }
      : { v: 1, type: 'submission.result', data: { match_id: 'm1', submission_id: 's1', lang: 'python', verdict: 'WA', passed: 0, total: 3, failed_test: 1, time_ms: 1, memory_kb: 1, compile_error: null, received_at: 't' } }
    render(<MatchRoom matchId="m1" />)
    await typeCode('print(2)\n')
    fireEvent.click(screen.getByTestId('run'))
    await waitFor(() => expect(sent.map((s) => s.type)).toEqual(['code.run']))
    fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true, shiftKey: true })
    await waitFor(() => expect(sent.map((s) => s.type)).toEqual(['code.run', 'code.submit']))
  })

  it('custom input replaces the samples: sent as `input`, the output shown as is', async () => {
    answer = (s) => ({ v: 1, type: 'run.result', data: { compile_error: null,
      results: [{ sample: 1, verdict: 'OK', time_ms: 4, memory_kb: 0, input: String(s.data.input), expected: null, actual: '0\n', stderr: '' }] } })
    render(<MatchRoom matchId="m1" />)
    await typeCode('print(0)\n')
    fireEvent.click(screen.getByTestId('custom-toggle'))
    const box = screen.getByTestId('custom-input') as HTMLTextAreaElement
    expect(box.value).toBe('6\n1 5 3 4 7 2\n') // starts from the first sample
    fireEvent.change(box, { target: { value: '1\n5\n' } })
    expect(screen.getByTestId('run').textContent).toMatch(/Run custom input/)
    fireEvent.click(screen.getByTestId('run'))
    await screen.findByTestId('run-output')
    expect(sent[0].data).toEqual({ match_id: 'm1', lang: 'python', code: 'print(0)\n', input: '1\n5\n' })
    expect(screen.getByTestId('run-case').textContent).toContain('Custom input: Ran')
    // Unticked: back to the samples, no `input` field.
    fireEvent.click(screen.getByTestId('custom-toggle'))
    fireEvent.click(screen.getByTestId('run'))
    await waitFor(() => expect(sent).toHaveLength(2))
    expect('input' in sent[1].data).toBe(false)
  })

  it('refuses custom input over the generated limit before sending', async () => {
    render(<MatchRoom matchId="m1" />)
    await typeCode('print(1)\n')
    fireEvent.click(screen.getByTestId('custom-toggle'))
    fireEvent.change(screen.getByTestId('custom-input'), { target: { value: 'x'.repeat(MAX_INPUT_BYTES + 1) } })
    expect(screen.getByTestId('code-refusal').textContent).toMatch(/Custom input is .* over the 64 KiB limit/)
    expect((screen.getByTestId('run') as HTMLButtonElement).disabled).toBe(true)
    fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true })
    expect(sent).toEqual([])
  })

  it.each([
    ['unavailable', undefined, /temporarily unavailable/],
    ['rate_limited', 3000, /Too many attempts.*Try again in 3 s/],
    ['judge_busy', 1000, /still being judged.*Try again in 1 s/],
  ])('a refused run (%s) shows a toast and says so in the panel', async (code, retry, text) => {
    answer = () => new RequestError(code as RequestError['code'], 'server text', retry ? { retry_after_ms: retry } : {})
    render(<MatchRoom matchId="m1" />)
    await typeCode('print(1)\n')
    fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true })
    const err = await screen.findByTestId('run-error')
    expect(err.getAttribute('data-code')).toBe(code)
    expect(err.textContent).toMatch(text)
    expect(toasts.get().map((t) => t.code)).toEqual([code])
    expect(toasts.get()[0].text).toMatch(text)
    // Not stuck: the button is usable again.
    expect(screen.getByTestId('run').hasAttribute('disabled')).toBe(false)
  })

  it('a compile error is shown instead of samples', async () => {
    answer = () => ({ v: 1, type: 'run.result', data: { compile_error: 'main.cpp:1: error: expected ;', results: null as never } })
    render(<MatchRoom matchId="m1" />)
    await typeCode('int main(){}')
    fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true })
    expect((await screen.findByTestId('run-result')).getAttribute('data-verdict')).toBe('CE')
    expect(screen.getByLabelText('Compiler output').textContent).toContain('expected ;')
    // The compiler's line is a marker in the editor.
    expect(screen.getByLabelText('Code editor').getAttribute('data-markers')).toBe('1:expected ;')
  })

  it("a submission's compile error marks its lines; a later clean run clears them", async () => {
    answer = (s) => s.type === 'code.submit'
      ? { v: 1, type: 'submission.result', data: { match_id: 'm1', submission_id: 's1', lang: 'cpp', verdict: 'CE', passed: 0, total: 5, failed_test: null, time_ms: 0, memory_kb: 0,
        compile_error: "main.cpp:3:5: error: 'x' was not declared in this scope\nmain.cpp:7:1: error: expected '}'", received_at: '' } }
      : { v: 1, type: 'run.result', data: { match_id: 'm1', compile_error: null, results: [] } }
    render(<MatchRoom matchId="m1" />)
    await typeCode('int main(){\n\n  x;\n')
    fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true, shiftKey: true })
    const ed = screen.getByLabelText('Code editor')
    await waitFor(() => expect(ed.getAttribute('data-markers')).toBe("3:'x' was not declared in this scope|7:expected '}'"))
    fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true })
    await waitFor(() => expect(ed.getAttribute('data-markers')).toBe(''))
  })

  it('does not run before the match starts', async () => {
    arenaStore.set({ ...initialState, conn: 'open', synced: true, match: { ...running(), state: 'countdown', starts_at: new Date(Date.now() + 600_000).toISOString() } }) // far enough that no slow render reaches it
    render(<MatchRoom matchId="m1" />)
    await screen.findByLabelText('Code editor')
    fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true })
    expect(screen.getByTestId('run').hasAttribute('disabled')).toBe(true)
    expect(sent).toEqual([])
  })
})

describe('time limits per language', () => {
  it('the chip names the languages judged with another limit', () => {
    expect(timeLimitsNote(undefined)).toBe('')
    expect(timeLimitsNote({ python: 3000, java: 1500 })).toBe(' (java 1.5 s, python 3 s)')
    const m = running()
    arenaStore.set({ ...initialState, conn: 'open', synced: true, match: { ...m, problem: { ...m.problem!, time_limits_ms: { python: 3000 } } } })
    render(<MatchRoom matchId="m1" />)
    expect(screen.getByTestId('time-limit').textContent).toBe('Time 1 s (python 3 s)')
  })
})

describe('MatchRoom modes', () => {
  it('reverse: the statement is replaced by a notice, the samples stay', async () => {
    const m = running()
    arenaStore.set({ ...arenaStore.get(), match: { ...m, rule: 'reverse', problem: { ...m.problem!, statement_md: '', statement_hidden: true } } })
    render(<MatchRoom matchId="m1" />)
    expect(screen.getByTestId('statement-hidden')).toBeTruthy()
    expect(screen.getByTestId('rule-badge').dataset.rule).toBe('reverse')
    expect(screen.getByTestId('statement').textContent).toContain('1 5 3 4 7 2')
    expect(screen.getByTestId('statement').textContent).not.toContain('Count peaks')
  })

  it('shortest: the characters that count, live, and Submit is final after Accepted', async () => {
    arenaStore.set({ ...arenaStore.get(), match: { ...running(), rule: 'shortest' } })
    render(<MatchRoom matchId="m1" />)
    await typeCode('print( 2 )\n\n')
    await waitFor(() => expect(screen.getByTestId('char-count').textContent).toBe('8 chars'))
    const m = arenaStore.get().match!
    rtlAct(() => arenaStore.set({ ...arenaStore.get(), match: { ...m, players: m.players.map((p) => (p.user_id === 7 ? { ...p, last_verdict: 'AC' } : p)) } }))
    await waitFor(() => expect((screen.getByTestId('submit') as HTMLButtonElement).disabled).toBe(true))
    expect(screen.getByTestId('submit').textContent).toMatch(/final/)
  })
})

describe('MatchRoom ghost race and live editors', () => {
  it('shows the ghost lane: its name, its editor as the steps arrive, its marks', async () => {
    const m = { ...running(), mode: 'practice' as const, players: [player({ user_id: 7, username: 'ada' })],
      ghost: { username: 'gina', rating: 1500, source_match_id: 'g1', lang: 'python' as const, accept_ms: 10000 } }
    arenaStore.set({ ...initialState, conn: 'open', synced: true, match: m })
    render(<MatchRoom matchId="m1" />)
    expect((await screen.findByTestId('ghost-name')).textContent).toBe('gina')
    const { dispatch } = await import('../protocol/arena')
    rtlAct(() => dispatch({ kind: 'message', msg: { v: 1, type: 'ghost.progress', data: { match_id: 'm1', reset: false, steps: [
      { at_ms: 0, kind: 'editor', event: { at: 1, doc: 'd', k: 'open', text: 'print(2)', lang: 'python' } },
      { at_ms: 6000, kind: 'submit', submission_id: 's1' },
      { at_ms: 7000, kind: 'verdict', submission_id: 's1', verdict: 'WA', passed: 2, total: 5 }] } } }))
    expect(screen.getByTestId('ghost-editor').textContent).toBe('print(2)')
    expect(screen.getByTestId('ghost-marks').textContent).toMatch(/0:06 submits.*0:07 Wrong Answer 2\/5/)
  })

  it('a spectator of a match with live editors sees both editors; without, none', async () => {
    const m = { ...running(), you: null, spectating: true, live_editors: true,
      editors: [{ match_id: 'm1', user_id: 7, seq: 1, doc: 'e', reset: true, text: 'x = 1', events: [] }] }
    const { dispatch } = await import('../protocol/arena')
    arenaStore.set({ ...initialState, conn: 'open', synced: true })
    rtlAct(() => dispatch({ kind: 'message', msg: { v: 1, type: 'match.state', data: m } }))
    render(<MatchRoom matchId="m1" spectate />)
    expect((await screen.findByTestId('live-editor-7')).textContent).toBe('x = 1')
    rtlAct(() => dispatch({ kind: 'message', msg: { v: 1, type: 'editor.live', data: { match_id: 'm1', user_id: 9, seq: 1, doc: 'g', reset: false,
      events: [{ at: 2, doc: 'g', k: 'open', text: 'int main', lang: 'cpp' }] } } }))
    expect(screen.getByTestId('live-editor-9').textContent).toBe('int main')
    rtlAct(() => dispatch({ kind: 'message', msg: { v: 1, type: 'match.state', data: { ...running(), match_id: 'm1', you: null, spectating: true } } }))
    expect(screen.queryByTestId('live-editors')).toBeNull()
  })
})
