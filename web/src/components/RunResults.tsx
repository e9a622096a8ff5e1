import { errorTextRetry } from '../lib/errors'
import type { RunView } from '../protocol/reducer'
import { VERDICT_TEXT, type RunCase, type Verdict } from '../protocol/types'
import { DiffView } from './DiffView'
import { Spinner } from './Spinner'

export const verdictColor = (v: Verdict | null | undefined) =>
  v === 'AC' || v === 'OK' ? 'text-emerald-300' : v === 'pending' || !v ? 'text-slate-400' : v === 'CE' || v === 'JE' || v === 'IE' ? 'text-amber-300' : 'text-rose-300'

const pre = 'max-h-40 overflow-auto rounded-lg bg-ink-950 p-2 font-mono text-xs whitespace-pre'

/** What `code.run` answered (run.result), per sample: verdict, time, input, expected vs actual, stderr. */
export function RunResults({ run }: { run: RunView }) {
  if (run.pending) return <Spinner label="Running your code" />
  const r = run.result
  const err = run.error
  const failure = err ? (
    <p className="mb-3 text-sm text-rose-200" role="status" data-testid="run-error" data-code={err.code}>
      The last run did not finish: {errorTextRetry(err.code, err.message, err.retry_after_ms)}
    </p>
  ) : null
  if (!r) {
    return failure ?? <p className="text-sm text-slate-500">Run your code on the samples with Ctrl+Enter. Hidden tests are only judged on Submit.</p>
  }
  if (r.compile_error != null) {
    return (
      <div data-testid="run-result" data-verdict="CE">
        {failure}
        <p className="font-semibold text-amber-300">Compile error</p>
        <pre className="mt-2 max-h-60 overflow-auto rounded-lg bg-ink-950 p-3 font-mono text-xs text-amber-100" aria-label="Compiler output" tabIndex={0}>{r.compile_error}</pre>
      </div>
    )
  }
  const passed = r.results.filter((c) => c.verdict === 'AC').length
  const compared = r.results.filter((c) => c.expected != null).length
  return (
    <div className="space-y-4" data-testid="run-result" data-verdict={r.results.every((c) => c.verdict === 'AC' || c.verdict === 'OK') ? 'AC' : 'failed'}>
      {failure}
      {compared > 0 ? <p className="text-xs text-slate-400" data-testid="run-summary">{passed} of {compared} sample{compared === 1 ? '' : 's'} passed</p> : null}
      {r.results.map((c) => <RunCaseView key={c.sample} c={c} />)}
    </div>
  )
}

function RunCaseView({ c }: { c: RunCase }) {
  const custom = c.expected == null
  const failed = c.verdict !== 'AC' && c.verdict !== 'OK'
  return (
    <div data-testid="run-case" data-sample={c.sample} data-verdict={c.verdict}>
      <p className={`mb-1 text-sm font-semibold ${verdictColor(c.verdict)}`} data-verdict={c.verdict}>
        {custom ? 'Custom input' : `Sample ${c.sample}`}: {VERDICT_TEXT[c.verdict] ?? c.verdict}
        <span className="font-normal text-slate-500"> · {c.time_ms} ms{c.memory_kb ? ` · ${(c.memory_kb / 1024).toFixed(1)} MiB` : ''}</span>
      </p>
      <details className="mb-2 text-xs" open={failed && !custom}>
        <summary className="cursor-pointer text-slate-400">Input</summary>
        <pre className={`${pre} mt-1 text-slate-300`} aria-label={`Input of ${custom ? 'the custom run' : `sample ${c.sample}`}`}>{c.input || '(empty)'}</pre>
      </details>
      {custom ? (
        <>
          <p className="label">Your output</p>
          <pre className={`${pre} text-slate-200`} data-testid="run-output">{c.actual || '(no output)'}</pre>
        </>
      ) : failed ? <DiffView expected={c.expected ?? ''} actual={c.actual} /> : null}
      {c.stderr ? (
        <>
          <p className="label mt-2">Standard error</p>
          <pre className={`${pre} text-rose-200`} aria-label="Standard error" data-testid="run-stderr">{c.stderr}</pre>
        </>
      ) : null}
    </div>
  )
}
