import { Link } from '../lib/router'
import type { LeaderboardEntry } from '../protocol/types'
import { Avatar } from './Avatar'
import { TierBadge } from './TierBadge'
import { tierOf } from './tiers'

const STEP = { 1: 'h-28 from-amber-300/30', 2: 'h-20 from-slate-200/20', 3: 'h-14 from-orange-400/20' } as const

/** The top three of the rating board on a podium (2nd, 1st, 3rd). */
export function Podium({ entries }: { entries: LeaderboardEntry[] }) {
  const top = entries.filter((e) => e.rank >= 1 && e.rank <= 3)
  if (top.length < 3) return null
  const order = [2, 1, 3].map((r) => top.find((e) => e.rank === r)).filter((e): e is LeaderboardEntry => !!e)
  return (
    <ol className="mb-6 grid grid-cols-3 items-end gap-2 sm:gap-4" aria-label="Top three" data-testid="podium">
      {order.map((e) => (
        <li key={e.user_id} className="flex min-w-0 flex-col items-center text-center" data-testid="podium-place" data-rank={e.rank} data-user={e.username}>
          <Avatar id={e.user_id} size={e.rank === 1 ? 72 : 56} className="rounded-2xl ring-2 ring-white/10" />
          <Link to={`/users/${encodeURIComponent(e.username)}`} className="mt-2 max-w-full truncate font-bold text-white hover:text-neon">{e.username}</Link>
          <p className="flex items-center gap-1 text-xs text-slate-300">
            <TierBadge rating={e.rating} rd={e.rd} provisional={e.provisional} size={16} />
            {tierOf(e.rating).name} · <span className="font-mono text-white">{Math.round(e.rating)}</span>
          </p>
          <div className={`mt-2 grid w-full place-items-center rounded-t-lg bg-gradient-to-b to-transparent ${STEP[e.rank as 1 | 2 | 3]}`}>
            <span className="text-3xl font-black text-white/90" aria-label={`rank ${e.rank}`}>{e.rank}</span>
          </div>
        </li>
      ))}
    </ol>
  )
}
