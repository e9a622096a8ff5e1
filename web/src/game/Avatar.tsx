import { identicon } from './identicon'

/**
 * A player's generated avatar (identicon of the user id). Decorative by
 * default: the name is always next to it. An uploaded avatar (https URL
 * from the profile) replaces it when given.
 */
export function Avatar({ id, size = 24, url, label, className = '' }: { id: number | string; size?: number; url?: string | null; label?: string; className?: string }) {
  const a11y = label ? { role: 'img' as const, 'aria-label': label } : { 'aria-hidden': true as const }
  if (url && /^https:\/\//.test(url)) {
    return <img src={url} alt={label ?? ''} width={size} height={size} className={`inline-block shrink-0 rounded-md object-cover ${className}`} data-testid="avatar" data-avatar-key={String(id)} />
  }
  const ic = identicon(id)
  return (
    <svg viewBox="0 0 7 7" width={size} height={size} {...a11y} className={`inline-block shrink-0 rounded-md ${className}`} data-testid="avatar" data-avatar-key={String(id)}
      shapeRendering="crispEdges">
      <rect width={7} height={7} fill={ic.bg} />
      {ic.cells.map((on, i) => (on ? <rect key={i} x={1 + (i % 5)} y={1 + Math.floor(i / 5)} width={1} height={1} fill={ic.fg} /> : null))}
    </svg>
  )
}
