import { Link } from '../lib/router'
import { TIERS } from '../protocol/generated'
import type { CardPlayer } from '../protocol/types'
import { Avatar } from './Avatar'
import { TierBadge } from './TierBadge'

/**
 * Who is online, as the server counts it (lobby.state online_tiers and
 * online_players): how many players per tier, then the first of them by
 * rating, each with the tier the server gave. Live: the lobby re-renders on
 * every lobby.state push, so players appear and leave as they come and go.
 */
export function OnlineNow({ tiers, players, meId }: { tiers: Record<string, number> | undefined; players: CardPlayer[] | undefined; meId?: number }) {
  if (!tiers || !players) return null // an older server sends neither
  const counted = TIERS.reduce((n, t) => n + (tiers[t.id] ?? 0), 0)
  const more = counted - players.length
  return (
    <section className="panel p-4" aria-labelledby="online-title" data-testid="online-now" data-count={counted}>
      <div className="flex items-center justify-between gap-2">
        <h2 id="online-title" className="font-semibold text-white">Online now</h2>
        <span className="chip"><span className="h-1.5 w-1.5 rounded-full bg-emerald-400" aria-hidden="true" /> {counted} online</span>
      </div>
      <ul className="mt-3 flex flex-wrap gap-1.5" aria-label="Players online by tier" data-testid="online-tiers">
        {TIERS.filter((t) => (tiers[t.id] ?? 0) > 0).map((t) => (
          <li key={t.id} className="chip" data-testid="online-tier" data-tier={t.id} data-count={tiers[t.id]}>
            <TierBadge rating={t.min} provisional={false} size={14} title={false} />
            <span>{t.name}</span>
            <span className="font-mono text-white">{tiers[t.id]}</span>
          </li>
        ))}
      </ul>
      {players.length === 0 ? <p className="mt-3 text-sm text-slate-500">Nobody else is here yet.</p> : (
        // Scrolls when long (up to 50): focusable, so a keyboard can scroll it too.
        <ul className="mt-3 max-h-72 divide-y divide-white/5 overflow-y-auto pr-1" aria-label="Players online, highest rating first" tabIndex={0} data-testid="online-players">
          {players.map((p) => (
            <li key={p.user_id} className="flex min-w-0 items-center gap-2 py-1.5 text-sm" data-testid="online-player" data-user={p.username}
              data-tier={p.tier} data-provisional={p.provisional ? 'true' : 'false'} data-rating={p.rating}>
              <Avatar id={p.user_id} size={18} />
              <Link to={`/users/${encodeURIComponent(p.username)}`} className="min-w-0 flex-1 truncate text-slate-100 hover:text-neon">
                {p.username}{p.user_id === meId ? <span className="text-slate-400"> (you)</span> : null}
              </Link>
              <TierBadge rating={p.rating} provisional={p.provisional} size={16} />
              <span className="w-12 shrink-0 text-right font-mono text-slate-300">{Math.round(p.rating)}</span>
            </li>
          ))}
        </ul>
      )}
      {more > 0 ? <p className="mt-2 text-xs text-slate-500" data-testid="online-more">and {more} more</p> : null}
    </section>
  )
}
