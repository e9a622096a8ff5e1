// The Big-O duel's result (issue 21): both players' measured growth
// curves on one chart, so the quadratic one's steeper climb is seen beside
// the n log n one. Log-log axes: a polynomial of degree k is a line of
// slope k. Hand-drawn SVG, like GrowthPlot.
import type { CoachNote, Measure, Solution } from '../protocol/types'

const W = 360
const H = 190
const PAD = { l: 48, r: 12, t: 12, b: 30 }
const COLORS = ['stroke-neon fill-neon', 'stroke-fuchsia-400 fill-fuchsia-400', 'stroke-amber-300 fill-amber-300', 'stroke-emerald-300 fill-emerald-300']
const MEASURE_TEXT: Record<Measure, string> = { meets: 'at or below the intended class', slower: 'slower than the intended class', inconclusive: 'not decided: counted as Accepted' }

export interface Series {
  userId: number
  name: string
  points: { n: number; ms: number }[]
  time: string
  measure: Measure | null
}

export function seriesOf(solutions: Solution[], coach: CoachNote[] | null | undefined): Series[] {
  return solutions.map((s) => {
    const note = coach?.find((c) => c.user_id === s.user_id)
    const pts = (note?.report?.empirical?.points ?? []).filter((p) => p.n > 0 && p.cpu_seconds > 0 && !p.censored)
      .map((p) => ({ n: p.n, ms: p.cpu_seconds * 1000 })).sort((a, b) => a.n - b.n)
    return { userId: s.user_id, name: s.username, points: pts, time: note?.time ?? '', measure: s.measure ?? null }
  })
}

export function BigOCurves({ series, intended }: { series: Series[]; intended?: string }) {
  const all = series.flatMap((s) => s.points)
  const lx = (n: number) => Math.log2(n)
  const ly = (ms: number) => Math.log10(Math.max(ms, 1e-3))
  const x0 = all.length ? Math.min(...all.map((p) => lx(p.n))) : 0
  const x1 = all.length ? Math.max(...all.map((p) => lx(p.n)), x0 + 1) : 1
  const y0 = all.length ? Math.min(...all.map((p) => ly(p.ms))) : 0
  const y1 = all.length ? Math.max(...all.map((p) => ly(p.ms)), y0 + 1) : 1
  const x = (n: number) => PAD.l + ((lx(n) - x0) / (x1 - x0)) * (W - PAD.l - PAD.r)
  const y = (ms: number) => H - PAD.b - ((ly(ms) - y0) / (y1 - y0)) * (H - PAD.t - PAD.b)
  return (
    <section className="panel mt-6 p-5" aria-labelledby="bigo-title" data-testid="bigo-curves">
      <h2 id="bigo-title" className="text-lg font-bold text-white">Measured growth</h2>
      <p className="mt-1 text-xs text-slate-400">CPU time against input size, both on log scales: the steeper the line, the higher the class.{intended ? ` Intended: ${intended}.` : ''}</p>
      <div className="mt-3 flex flex-wrap items-start gap-6">
        {all.length === 0 ? <p className="text-sm text-slate-500" data-testid="bigo-waiting">The coach's measurements appear here when they are in.</p> : (
          <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full max-w-md" role="img" aria-label="Measured CPU time against input size for each solution">
            <line x1={PAD.l} x2={W - PAD.r} y1={H - PAD.b} y2={H - PAD.b} className="stroke-white/20" />
            <line x1={PAD.l} x2={PAD.l} y1={PAD.t} y2={H - PAD.b} className="stroke-white/20" />
            <text x={PAD.l - 4} y={y(10 ** y1) + 8} textAnchor="end" className="fill-slate-500 text-[9px]">{fmtMs(10 ** y1)}</text>
            <text x={PAD.l - 4} y={y(10 ** y0)} textAnchor="end" className="fill-slate-500 text-[9px]">{fmtMs(10 ** y0)}</text>
            <text x={x(2 ** x0)} y={H - 16} className="fill-slate-500 text-[9px]">n={Math.round(2 ** x0)}</text>
            <text x={x(2 ** x1)} y={H - 16} textAnchor="end" className="fill-slate-500 text-[9px]">n={Math.round(2 ** x1)}</text>
            <text x={(PAD.l + W - PAD.r) / 2} y={H - 4} textAnchor="middle" className="fill-slate-600 text-[9px]">input size (log) · CPU time (log)</text>
            {series.map((s, i) => s.points.length === 0 ? null : (
              <g key={s.userId} className={COLORS[i % COLORS.length]} data-testid="bigo-series" data-user={s.userId} data-points={s.points.length}>
                <title>{s.name}: {s.time || 'not measured'}</title>
                <path d={s.points.map((p, j) => `${j ? 'L' : 'M'}${x(p.n).toFixed(1)},${y(p.ms).toFixed(1)}`).join(' ')} fill="none" strokeWidth={2} />
                {s.points.map((p) => <circle key={p.n} cx={x(p.n)} cy={y(p.ms)} r={2.5} className="stroke-none" />)}
              </g>
            ))}
          </svg>
        )}
        <ul className="space-y-2 text-sm" aria-label="Measured classes">
          {series.map((s, i) => (
            <li key={s.userId} className="flex items-center gap-2" data-testid="bigo-legend" data-user={s.userId} data-measure={s.measure ?? ''}>
              <svg width="14" height="4" aria-hidden="true" className={COLORS[i % COLORS.length]}><line x1="0" x2="14" y1="2" y2="2" strokeWidth="3" /></svg>
              <span className="text-white">{s.name}</span>
              <span className="font-mono text-slate-300">{s.time || '—'}</span>
              <span className="text-xs text-slate-400">{s.measure ? MEASURE_TEXT[s.measure] : 'not measured'}</span>
            </li>
          ))}
        </ul>
      </div>
    </section>
  )
}

function fmtMs(ms: number): string {
  if (ms >= 1000) return `${+(ms / 1000).toFixed(1)} s`
  if (ms >= 1) return `${Math.round(ms)} ms`
  return `${+ms.toFixed(2)} ms`
}
