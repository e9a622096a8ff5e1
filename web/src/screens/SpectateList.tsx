import { Spinner } from '../components/Spinner'
import { useRemaining } from '../components/Countdown'
import { ServerClock, formatClock } from '../lib/clock'
import { Link } from '../lib/router'
import { arenaClient, useArena } from '../protocol/arena'
import type { LiveMatch } from '../protocol/types'
import { MatchCards } from '../game/MatchCards'
import { RuleBadge } from '../game/RuleBadge'

const fallbackClock = new ServerClock()

// The running public matches, live: lobby.state carries the list and the
// server pushes it whenever a match starts or ends (no polling).
export function SpectateList() {
  const lobby = useArena((a) => a.lobby)
  const clock = arenaClient()?.clock ?? fallbackClock
  const list = lobby?.live_matches ?? null

  return (
    <div className="mx-auto max-w-4xl px-4 py-8">
      <h1 className="text-3xl font-black text-white">Spectate</h1>
      <p className="mt-1 text-sm text-slate-400">Watch running matches live. Code stays hidden until the end.</p>
      <section className="mt-6" aria-live="polite" aria-label="Live matches" data-testid="live-matches" data-count={list?.length ?? -1}>
        {!list ? <Spinner label="Loading live matches" /> : list.length === 0 ? <p className="text-slate-400">No public match is running right now.</p> : (
          <>
            <ul className="space-y-3">
              {list.map((m) => <LiveRow key={m.match_id} m={m} clock={clock} />)}
            </ul>
            {lobby && lobby.live_total > list.length ? <p className="mt-3 text-xs text-slate-400">{lobby.live_total - list.length} more running.</p> : null}
          </>
        )}
      </section>
    </div>
  )
}

function LiveRow({ m, clock }: { m: LiveMatch; clock: ServerClock }) {
  const left = useRemaining(clock, m.deadline, 1000)
  return (
    <li className="panel flex flex-wrap items-center justify-between gap-3 p-4" data-testid="live-match" data-match={m.match_id}>
      <div className="min-w-0">
        <p className="truncate font-semibold text-white"><MatchCards cards={m.cards} names={m.players} /></p>
        <p className="text-xs text-slate-400">{m.mode} <RuleBadge rule={m.rule} /> · {m.problem_title}{m.deadline ? ` · ${formatClock(left)} left` : ''}</p>
      </div>
      <Link to={`/spectate/${encodeURIComponent(m.match_id)}`} className="btn-secondary">Watch<span className="sr-only"> {m.players.join(' vs ')}</span></Link>
    </li>
  )
}
