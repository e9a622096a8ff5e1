import type { CardPlayer } from '../protocol/types'
import { Avatar } from './Avatar'
import { TierBadge } from './TierBadge'

/** The players of a lobby card: avatar, name and tier badge each, "vs" between (names only from an older server). */
export function MatchCards({ cards, names }: { cards: CardPlayer[] | undefined; names: string[] }) {
  if (!cards || cards.length === 0) return <>{names.join(' vs ')}</>
  return (
    <span className="inline-flex min-w-0 flex-wrap items-center gap-x-1.5 gap-y-1">
      {cards.map((c, i) => (
        <span key={c.user_id} className="inline-flex min-w-0 items-center gap-1" data-testid="card-player" data-user={c.username} data-tier={c.tier}>
          {i > 0 ? <span className="text-xs font-black text-blood" aria-label="versus">vs</span> : null}
          <Avatar id={c.user_id} size={16} />
          <span className="truncate">{c.username}</span>
          <TierBadge rating={c.rating} provisional={c.provisional} size={14} />
        </span>
      ))}
    </span>
  )
}
