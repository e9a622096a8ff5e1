// The complexity coach's verdict on one solution: its time and space class,
// the problem's intended class, whether it meets it, why (the explanation
// and the source lines that dominate), and the measured growth.

import { useState } from 'react'
import type { CoachEvidence, CoachNote, CoachReport } from '../protocol/types'
import { GrowthPlot, type Metric } from './GrowthPlot'
import { Spinner } from './Spinner'

// bigo.Class order, cheapest first (internal/coach/bigo).
const ORDER = ['O(1)', 'O(log n)', 'O(n)', 'O(n log n)', 'O(n^2)', 'O(n^3)', 'O(2^n)']

export type CoachVerdict = 'meets' | 'slower' | 'faster' | 'inconclusive' | 'unknown'

/** The report's verdict, or (for a note without one) the comparison of the two classes. */
export function coachVerdict(time: string | undefined, intended: string | undefined, reported?: string): CoachVerdict {
  if (reported === 'meets' || reported === 'slower' || reported === 'faster' || reported === 'inconclusive') return reported
  if (time === 'inconclusive') return 'inconclusive'
  const a = ORDER.indexOf(time ?? '')
  const b = ORDER.indexOf(intended ?? '')
  if (a < 0 || b < 0) return 'unknown'
  return a === b ? 'meets' : a > b ? 'slower' : 'faster'
}

/** "O(n^2)" as people write it: O(n²); "O(n*m)" as O(n·m). */
export function prettyClass(c: string | undefined): string {
  if (!c || c === 'unknown') return 'unknown'
  return c.replaceAll('^2', '²').replaceAll('^3', '³').replaceAll('^n', 'ⁿ').replaceAll('*', '·')
}

const VERDICT: Record<CoachVerdict, { text: string; cls: string }> = {
  meets: { text: 'Meets the intended complexity', cls: 'bg-emerald-500/15 text-emerald-200 border-emerald-400/40' },
  faster: { text: 'Faster than intended', cls: 'bg-cyan-500/15 text-cyan-200 border-cyan-400/40' },
  slower: { text: 'Slower than intended', cls: 'bg-rose-500/15 text-rose-200 border-rose-400/40' },
  inconclusive: { text: 'Inconclusive: the evidence does not settle the class', cls: 'bg-amber-500/10 text-amber-200 border-amber-400/30' },
  unknown: { text: 'No intended complexity to compare with', cls: 'bg-white/5 text-slate-300 border-white/10' },
}

/** Evidence line ranges, time first, each once. */
export function evidenceOf(r: CoachReport | null | undefined): (CoachEvidence & { kind: 'time' | 'space' })[] {
  if (!r?.static) return []
  const out: (CoachEvidence & { kind: 'time' | 'space' })[] = []
  for (const e of r.static.evidence ?? []) out.push({ ...e, kind: 'time' })
  for (const e of r.static.space_evidence ?? []) out.push({ ...e, kind: 'space' })
  return out
}

export const lineRange = (e: { start: number; end: number }) => (e.end > e.start ? `lines ${e.start}–${e.end}` : `line ${e.start}`)

export function CoachPanel({ note, report: reportProp, pending, failed }: { note?: CoachNote | null; report?: CoachReport | null; pending?: boolean; failed?: string | null }) {
  const report = reportProp ?? note?.report ?? null
  const [metric, setMetric] = useState<Metric>('time')
  const time = report?.time ?? note?.time
  const space = report?.space ?? note?.space
  // A problem without coach.yaml has intended "unknown": nothing to compare.
  const known = (c: string | undefined) => (c && c !== 'unknown' ? c : undefined)
  const intended = known(report?.intended?.time) ?? known(note?.intended_time)
  // The author's complexity, shown once: their words when they wrote any.
  const stated = report?.intended?.stated || (intended ? prettyClass(intended) : undefined)
  const verdict = coachVerdict(time, intended, report?.verdict)
  // "unknown" beside an author's class means the two do not compare
  // (O(n·m) against O(n²)), not that there is none.
  const verdictText = verdict === 'unknown' && stated ? "Not comparable with the author's class" : VERDICT[verdict].text
  const explanation = note?.explanation || report?.text || ''
  const evidence = evidenceOf(report)
  const points = report?.empirical?.points ?? []
  const fitClass = report?.empirical?.time_fit?.class
  const fit = report?.empirical?.time_fit?.fits?.find((f) => f.class === fitClass) ?? null
  // The decision's confidence (static analysis and measurement together),
  // never the fit's alone: "fit confidence 0%" beside "agrees" was issue 16.
  const confidence = report?.confidence ?? note?.confidence

  return (
    <div className="border-t border-white/5 bg-ink-950/50 px-4 py-3" data-testid="coach" data-state={time ? 'done' : failed ? 'failed' : 'pending'}>
      <p className="label">Complexity coach</p>
      {!time ? (
        failed ? <p className="text-sm text-slate-400">{failed}</p>
          : pending ? <div className="text-sm text-slate-500"><Spinner label="The coach is analysing this solution" /></div>
          : <p className="text-sm text-slate-500">No analysis: the coach explains accepted solutions.</p>
      ) : (
        <>
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-white">
            <span>Time <span className="font-mono text-neon" data-testid="coach-time">{prettyClass(time)}</span></span>
            <span>Space <span className="font-mono text-neon" data-testid="coach-space">{prettyClass(space)}</span></span>
            {stated ? <span className="text-slate-400">Author's <span className="font-mono text-slate-200" data-testid="coach-intended">{stated}</span></span> : null}
            {typeof confidence === 'number' && time !== 'inconclusive' ? (
              <span className="text-xs text-slate-500" data-testid="coach-confidence" title="How sure the coach is of this class: static analysis and measurement together">
                confidence {Math.round(confidence * 100)}%{report?.decided_by ? ` · ${report.decided_by}` : ''}
              </span>
            ) : null}
          </div>
          <p className={`mt-2 inline-block rounded border px-2 py-0.5 text-xs ${VERDICT[verdict].cls}`} data-testid="coach-verdict" data-verdict={verdict}>{verdictText}</p>
          {verdict === 'inconclusive' && report?.reason ? <p className="mt-1 text-xs text-slate-400" data-testid="coach-reason">{report.reason}</p> : null}
          {explanation ? <p className="mt-2 text-sm text-slate-300" data-testid="coach-explanation">{explanation}</p> : null}
          {report?.intended?.hint && verdict === 'slower' ? <p className="mt-1 text-sm text-amber-200">Hint: {report.intended.hint}</p> : null}
          {evidence.length > 0 ? (
            <ul className="mt-2 space-y-0.5 text-xs text-slate-400" aria-label="Where the cost comes from" data-testid="coach-evidence">
              {evidence.map((e, i) => (
                <li key={i} data-start={e.start} data-end={e.end}>
                  <span className="font-mono text-slate-200">{lineRange(e)}</span>
                  <span className="text-slate-500"> · {e.kind} {prettyClass(e.class)}</span> · {e.note}
                </li>
              ))}
            </ul>
          ) : null}
          {points.length > 0 ? (
            <div className="mt-3">
              <div className="mb-1 flex gap-1 text-xs" role="group" aria-label="Plotted measurement">
                {(['time', 'space'] as const).map((m) => (
                  <button key={m} type="button" aria-pressed={metric === m} onClick={() => setMetric(m)}
                    className={`rounded px-2 py-0.5 ${metric === m ? 'bg-white/10 text-white' : 'text-slate-400'}`}>
                    {m === 'time' ? 'CPU time' : 'Peak memory'}
                  </button>
                ))}
                <span className="ml-auto text-slate-500">{points.length} sizes{report?.empirical?.source ? `, from ${report.empirical.source}` : ''}</span>
              </div>
              <GrowthPlot points={points} metric={metric} fit={fit}
                label={`${metric === 'time' ? 'CPU time' : 'Peak memory'} against input size, ${points.length} measured sizes`} />
            </div>
          ) : report?.empirical_error ? <p className="mt-2 text-xs text-slate-500">Not measured: {report.empirical_error}</p> : null}
        </>
      )}
    </div>
  )
}
