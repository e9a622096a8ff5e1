import { useLocation } from '../lib/router'
import { useArena } from '../protocol/arena'
import type { MatchFinished, MatchState } from '../protocol/types'

/** How long the banner holds before the cut to the result screen. */
export const BANNER_MS = 1800

/** The banner's line for a finished match, from the player's point of view. */
export function bannerText(f: MatchFinished, match: MatchState | null, me: number | undefined): string {
  const name = (id: number | null) => match?.players.find((p) => p.user_id === id)?.username ?? f.solutions.find((s) => s.user_id === id)?.username ?? 'Someone'
  switch (f.outcome) {
    case 'won':
      return f.winner_id === me ? 'You solved it!' : `${name(f.winner_id)} solved it!`
    case 'timeout':
      return 'Time!'
    case 'resigned':
      return f.winner_id === me ? 'Your opponent resigned' : f.winner_id != null ? `${name(f.winner_id)} wins by resignation` : 'Resigned'
    case 'forfeit':
      return f.winner_id === me ? 'Your opponent left' : 'Forfeit'
    case 'draw':
      return 'Draw!'
    case 'aborted':
      return 'Match cancelled'
    case 'shortest':
      return f.winner_id === me ? 'Shortest solution: you win!' : `${name(f.winner_id)} wrote the shortest!`
  }
}

/** Shown in the match room between match.finished and the result screen. */
export function SolvedBanner() {
  const f = useArena((a) => a.finished)
  const match = useArena((a) => a.match)
  const me = useArena((a) => a.user?.user_id)
  const { path } = useLocation()
  if (!f || path !== `/match/${f.match_id}` || f.mode === 'practice') return null
  const text = bannerText(f, match?.match_id === f.match_id ? match : null, me)
  const good = f.winner_id === me
  return (
    <div className="gf-banner" role="status" aria-live="assertive" data-testid="solved-banner" data-outcome={f.outcome}>
      <p className={`px-6 text-center text-5xl font-black tracking-tight italic sm:text-7xl ${good ? 'text-neon' : f.winner_id != null ? 'text-blood' : 'text-white'}`}>{text}</p>
    </div>
  )
}
