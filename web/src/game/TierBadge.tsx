import { useId } from 'react'
import { TIER_COLORS, isProvisional, tierOf, type TierId } from './tiers'

// Badge art per tier, inline SVG (no asset to load): a shield in the
// tier's metal with an emblem that climbs from one chevron (Bronze) to a
// starred crown (Grandmaster). A provisional rating gets a hollow,
// dashed shield and a "?": the tier is still a guess.

const chevron = (y: number) => `M9.5 ${y}L16 ${y + 4.5}L22.5 ${y}`
const star = (cx: number, cy: number, r: number) => {
  const pts: string[] = []
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / 5
    const rr = i % 2 ? r * 0.45 : r
    pts.push(`${(cx + rr * Math.cos(a)).toFixed(2)},${(cy + rr * Math.sin(a)).toFixed(2)}`)
  }
  return pts.join(' ')
}

function Emblem({ id, ink }: { id: TierId; ink: string }) {
  const stroke = { stroke: ink, strokeWidth: 2.6, strokeLinecap: 'round' as const, strokeLinejoin: 'round' as const, fill: 'none' }
  switch (id) {
    case 'bronze':
      return <path d={chevron(15)} {...stroke} />
    case 'silver':
      return <><path d={chevron(12)} {...stroke} /><path d={chevron(18)} {...stroke} /></>
    case 'gold':
      return <><path d={chevron(10)} {...stroke} /><path d={chevron(15.5)} {...stroke} /><path d={chevron(21)} {...stroke} /></>
    case 'platinum':
      return <polygon points={star(16, 17, 7.5)} fill={ink} />
    case 'diamond':
      return <><path d="M9.5 14.5L12.8 10H19.2L22.5 14.5L16 25Z" fill={ink} /><path d="M9.5 14.5H22.5M14 10.5L16 14.5L18 10.5" stroke="white" strokeOpacity={0.45} strokeWidth={1} fill="none" /></>
    case 'master':
      return <path d="M9 23L8 12.5L12.5 16.5L16 10L19.5 16.5L24 12.5L23 23Z" fill={ink} />
    case 'grandmaster':
      return <><path d="M9 25L8 15.5L12.5 19L16 13L19.5 19L24 15.5L23 25Z" fill={ink} /><polygon points={star(16, 8.5, 4)} fill={ink} /></>
  }
}

export function TierBadge({ rating, rd, provisional, size = 20, className = '', title = true }: {
  rating: number
  rd?: number | null
  provisional?: boolean | null
  size?: number
  className?: string
  /** Show a tooltip with the tier and rating (off inside elements that have their own). */
  title?: boolean
}) {
  const gid = useId()
  const tier = tierOf(rating)
  const prov = isProvisional({ rd, provisional })
  const [light, dark, ink] = TIER_COLORS[tier.id]
  const label = `${tier.name} tier${prov ? ', provisional' : ''}`
  return (
    <svg viewBox="0 0 32 36" width={(size * 32) / 36} height={size} role="img" aria-label={label}
      className={`inline-block shrink-0 align-middle ${className}`} data-testid="tier-badge" data-tier={tier.id} data-provisional={prov ? 'true' : 'false'}>
      {title ? <title>{`${label} · ${Math.round(rating)}`}</title> : null}
      <defs>
        <linearGradient id={gid} x1="0" y1="0" x2="0.35" y2="1">
          <stop offset="0" stopColor={light} />
          <stop offset="1" stopColor={dark} />
        </linearGradient>
      </defs>
      <path d="M16 1.5L29.5 6.5V17C29.5 25.5 23.5 31.5 16 34.5C8.5 31.5 2.5 25.5 2.5 17V6.5Z"
        fill={prov ? '#11141e' : `url(#${gid})`} stroke={prov ? light : dark} strokeWidth={prov ? 2 : 1.2} strokeDasharray={prov ? '3 2.2' : undefined} />
      {!prov ? <path d="M16 4L27 8.2V17C27 24 22 29 16 31.8" fill="none" stroke="white" strokeOpacity={0.35} strokeWidth={1} /> : null}
      <g opacity={prov ? 0.75 : 1}><Emblem id={tier.id} ink={prov ? light : ink} /></g>
      {prov ? (
        <g>
          <circle cx={26} cy={7} r={6} fill="#f8fafc" />
          <text x={26} y={10.2} textAnchor="middle" fontSize={9} fontWeight={800} fill="#0c0e16" fontFamily="ui-sans-serif, system-ui, sans-serif">?</text>
        </g>
      ) : null}
    </svg>
  )
}

/** Badge plus the tier's name, e.g. for a profile header. */
export function TierLabel({ rating, rd, provisional, size = 28 }: { rating: number; rd?: number | null; provisional?: boolean | null; size?: number }) {
  const tier = tierOf(rating)
  const prov = isProvisional({ rd, provisional })
  return (
    <span className="inline-flex items-center gap-1.5" data-testid="tier-label" data-tier={tier.id}>
      <TierBadge rating={rating} rd={rd} provisional={provisional} size={size} title={false} />
      <span className="font-semibold text-slate-100">{tier.name}{prov ? <span className="font-normal text-slate-400"> (provisional)</span> : null}</span>
    </span>
  )
}
