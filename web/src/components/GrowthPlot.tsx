// A small SVG plot of the coach's measured points: input size n (log scale)
// against CPU time or peak memory, with the fitted curve of the chosen class.
// Hand-drawn SVG: a chart library would cost more than the whole lobby.

import type { CoachPoint } from '../protocol/types'

export type Metric = 'time' | 'space'

export interface FitLine {
  class: string
  a: number
  b: number
}

// internal/coach/fit shape(): the class's growth normalised to 1 at the
// largest size, so y = a + b·shape(n) is the fitted curve.
export function shape(cls: string, n: number, nMax: number): number | null {
  const lg = (x: number) => Math.log2(Math.max(x, 1) + 1)
  switch (cls) {
    case 'O(1)': return 1
    case 'O(log n)': return lg(n) / lg(nMax)
    case 'O(n)': return n / nMax
    case 'O(n log n)': return (n * lg(n)) / (nMax * lg(nMax))
    case 'O(n^2)': return (n / nMax) ** 2
    case 'O(n^3)': return (n / nMax) ** 3
    case 'O(2^n)': return 2 ** (n - nMax)
  }
  return null
}

const value = (p: CoachPoint, m: Metric) => (m === 'time' ? p.cpu_seconds * 1000 : p.peak_bytes / (1024 * 1024))
export const unit = (m: Metric) => (m === 'time' ? 'ms' : 'MiB')

function fmt(v: number): string {
  if (v >= 100) return String(Math.round(v))
  if (v >= 10) return v.toFixed(1)
  return v.toFixed(2)
}

function fmtN(n: number): string {
  if (n >= 1e6) return `${+(n / 1e6).toFixed(1)}M`
  if (n >= 1e3) return `${+(n / 1e3).toFixed(1)}k`
  return String(n)
}

const W = 320
const H = 150
const PAD = { l: 52, r: 10, t: 10, b: 28 }

export function GrowthPlot({ points, metric = 'time', fit, label }: { points: CoachPoint[]; metric?: Metric; fit?: FitLine | null; label: string }) {
  const pts = points.filter((p) => p.n > 0 && Number.isFinite(value(p, metric))).slice().sort((a, b) => a.n - b.n)
  if (pts.length === 0) return <p className="text-xs text-slate-500">No measurements.</p>
  const nMin = pts[0].n
  const nMax = pts[pts.length - 1].n
  const lx0 = Math.log2(nMin)
  const lx1 = Math.max(Math.log2(nMax), lx0 + 1)
  const curve: { n: number; y: number }[] = []
  if (fit && metric === 'time') {
    for (let i = 0; i <= 48; i++) {
      const n = 2 ** (lx0 + ((lx1 - lx0) * i) / 48)
      const s = shape(fit.class, n, nMax)
      if (s !== null) curve.push({ n, y: (fit.a + fit.b * s) * 1000 })
    }
  }
  const ys = [...pts.map((p) => value(p, metric)), ...curve.map((c) => c.y)]
  const yMax = Math.max(...ys) * 1.08 || 1
  const x = (n: number) => PAD.l + ((Math.log2(n) - lx0) / (lx1 - lx0)) * (W - PAD.l - PAD.r)
  const y = (v: number) => H - PAD.b - (Math.max(0, v) / yMax) * (H - PAD.t - PAD.b)
  const path = curve.map((c, i) => `${i === 0 ? 'M' : 'L'}${x(c.n).toFixed(1)},${y(c.y).toFixed(1)}`).join(' ')
  const ticks = [0, yMax / 2, yMax]

  return (
    <figure className="m-0" data-testid="coach-plot" data-metric={metric}>
      <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full max-w-sm" role="img" aria-label={label}>
        <title>{label}</title>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.l} x2={W - PAD.r} y1={y(t)} y2={y(t)} className="stroke-white/10" strokeDasharray="2 3" />
            <text x={PAD.l - 4} y={y(t) + 3} textAnchor="end" className="fill-slate-500 text-[9px]">{fmt(t)}{t === yMax ? ` ${unit(metric)}` : ''}</text>
          </g>
        ))}
        <text x={x(nMin)} y={H - 10} textAnchor="start" className="fill-slate-500 text-[9px]">n={fmtN(nMin)}</text>
        <text x={x(nMax)} y={H - 10} textAnchor="end" className="fill-slate-500 text-[9px]">n={fmtN(nMax)}</text>
        <text x={(PAD.l + W - PAD.r) / 2} y={H - 2} textAnchor="middle" className="fill-slate-600 text-[9px]">input size (log scale)</text>
        {path ? <path d={path} fill="none" className="stroke-fuchsia-400/70" strokeWidth={1.5} data-testid="coach-fit" /> : null}
        {pts.map((p) => (
          p.censored
            ? <path key={p.n} d={`M${x(p.n)},${y(value(p, metric)) - 5} l4,8 h-8 z`} className="fill-none stroke-rose-300" data-testid="coach-point" data-censored="true">
                <title>n={p.n}: over {fmt(value(p, metric))} {unit(metric)} (hit the limit)</title>
              </path>
            : <circle key={p.n} cx={x(p.n)} cy={y(value(p, metric))} r={3} className="fill-neon" data-testid="coach-point">
                <title>n={p.n}: {fmt(value(p, metric))} {unit(metric)}</title>
              </circle>
        ))}
      </svg>
      {fit && metric === 'time' && path ? <figcaption className="text-[10px] text-slate-500">dots: measured (best of runs) · line: fitted {fit.class.replace('^2', '²').replace('^3', '³').replace('^n', 'ⁿ')}</figcaption> : null}
    </figure>
  )
}
