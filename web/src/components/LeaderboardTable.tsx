import { AnimatePresence, motion } from 'motion/react'
import { Link } from '../lib/router'
import type { LeaderboardEntry } from '../protocol/types'
import { Avatar } from '../game/Avatar'
import { Streak } from '../game/Streak'
import { TierBadge } from '../game/TierBadge'

export function LeaderboardTable({ entries, changed = [], meId, compact = false, showXp = false }: {
  entries: LeaderboardEntry[]
  changed?: number[]
  meId?: number
  compact?: boolean
  showXp?: boolean
}) {
  return (
    <table className="w-full text-sm" aria-label="Leaderboard">
      <thead className="text-left text-xs text-slate-500 uppercase">
        <tr>
          <th scope="col" className="w-12 py-2 pl-3 font-medium">#</th>
          <th scope="col" className="py-2 font-medium">Player</th>
          <th scope="col" className="py-2 pr-3 text-right font-medium">{showXp ? 'Weekly XP' : 'Rating'}</th>
          {!compact ? <th scope="col" className="hidden py-2 pr-3 text-right font-medium sm:table-cell">Level</th> : null}
        </tr>
      </thead>
      <tbody>
        <AnimatePresence initial={false}>
          {entries.map((e) => (
            <motion.tr key={e.user_id} layout transition={{ type: 'spring', stiffness: 500, damping: 40 }}
              className={`border-t border-white/5 ${e.user_id === meId ? 'bg-neon/10' : ''} ${changed.includes(e.user_id) ? 'animate-pulse' : ''}`}
              data-testid="lb-row" data-user={e.username} data-rating={Math.round(e.rating)} data-xp={e.xp}>
              <td className="py-2 pl-3 font-mono text-slate-400">{e.rank}</td>
              <td className="py-2">
                <span className="inline-flex items-center gap-2">
                  <Avatar id={e.user_id} size={20} />
                  <Link to={`/users/${encodeURIComponent(e.username)}`} className="font-medium text-slate-100 hover:text-neon">{e.username}</Link>
                  <TierBadge rating={e.rating} rd={e.rd} provisional={e.provisional} size={18} />
                  <Streak n={e.win_streak} className="text-xs" />
                </span>
              </td>
              <td className="py-2 pr-3 text-right font-mono text-white">{showXp ? (e.weekly_xp ?? 0) : Math.round(e.rating)}</td>
              {!compact ? <td className="hidden py-2 pr-3 text-right text-slate-400 sm:table-cell">{e.level}</td> : null}
            </motion.tr>
          ))}
        </AnimatePresence>
      </tbody>
    </table>
  )
}
