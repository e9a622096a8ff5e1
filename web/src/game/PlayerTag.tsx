import { Link } from '../lib/router'
import { Avatar } from './Avatar'
import { TierBadge } from './TierBadge'

/** Avatar, name and tier badge: how a player is shown wherever a name appears. */
export function PlayerTag({ id, name, rating, rd, provisional, size = 20, link = false, you = false, className = '' }: {
  id: number
  name: string
  rating?: number | null
  rd?: number | null
  provisional?: boolean | null
  size?: number
  link?: boolean
  you?: boolean
  className?: string
}) {
  const text = <span className="truncate">{name}{you ? <span className="text-slate-400"> (you)</span> : null}</span>
  return (
    <span className={`inline-flex min-w-0 items-center gap-1.5 ${className}`} data-testid="player-tag" data-user={name}>
      <Avatar id={id} size={size} />
      {link ? <Link to={`/users/${encodeURIComponent(name)}`} className="min-w-0 truncate hover:text-neon">{text}</Link> : text}
      {typeof rating === 'number' ? <TierBadge rating={rating} rd={rd} provisional={provisional} size={size} /> : null}
    </span>
  )
}
