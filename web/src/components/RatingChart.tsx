// A small SVG line chart of rating over matches: no chart library needed.

export function RatingChart({ points, width = 640, height = 180 }: { points: { at: string; rating: number }[]; width?: number; height?: number }) {
  if (points.length === 0) return <p className="text-sm text-slate-500">No rated matches yet.</p>
  const pad = { l: 40, r: 12, t: 12, b: 20 }
  const rs = points.map((p) => p.rating)
  let lo = Math.min(...rs)
  let hi = Math.max(...rs)
  if (hi - lo < 50) {
    const mid = (hi + lo) / 2
    lo = mid - 25
    hi = mid + 25
  }
  const x = (i: number) => pad.l + (points.length === 1 ? (width - pad.l - pad.r) / 2 : (i * (width - pad.l - pad.r)) / (points.length - 1))
  const y = (r: number) => pad.t + ((hi - r) * (height - pad.t - pad.b)) / (hi - lo)
  const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.rating).toFixed(1)}`).join(' ')
  const area = `${d} L${x(points.length - 1).toFixed(1)},${height - pad.b} L${x(0).toFixed(1)},${height - pad.b} Z`
  const ticks = [lo, (lo + hi) / 2, hi]
  const last = points[points.length - 1]
  return (
    <svg viewBox={`0 0 ${width} ${height}`} className="h-auto w-full" role="img"
      aria-label={`Rating history: ${points.length} matches, from ${Math.round(points[0].rating)} to ${Math.round(last.rating)}`}>
      <defs>
        <linearGradient id="rc-fill" x1="0" x2="0" y1="0" y2="1">
          <stop offset="0%" stopColor="#22d3ee" stopOpacity="0.35" />
          <stop offset="100%" stopColor="#22d3ee" stopOpacity="0" />
        </linearGradient>
      </defs>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={pad.l} x2={width - pad.r} y1={y(t)} y2={y(t)} stroke="rgb(255 255 255 / 0.06)" />
          <text x={pad.l - 6} y={y(t) + 4} textAnchor="end" fontSize="10" fill="#64748b">{Math.round(t)}</text>
        </g>
      ))}
      <path d={area} fill="url(#rc-fill)" />
      <path d={d} fill="none" stroke="#22d3ee" strokeWidth="2" strokeLinejoin="round" />
      {points.map((p, i) => (
        <circle key={i} cx={x(i)} cy={y(p.rating)} r={points.length > 40 ? 1.5 : 3} fill="#07080d" stroke="#22d3ee" strokeWidth="1.5">
          <title>{`${new Date(p.at).toLocaleDateString()}: ${Math.round(p.rating)}`}</title>
        </circle>
      ))}
    </svg>
  )
}
