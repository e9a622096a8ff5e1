import { useState } from 'react'
import { Link, navigate } from '../lib/router'
import { act } from '../protocol/arena'
import type { MatchFinished, RatingChange } from '../protocol/types'
import { Rematch } from './Rematch'
import { TierBadge } from './TierBadge'
import { tierChange, tierOf } from './tiers'

/** What a player does next: never a dead end. */
export function ResultActions({ f, played, mine, me, name }: { f: MatchFinished; played: boolean; mine?: RatingChange; me?: number; name: (id: number) => string }) {
  const [busy, setBusy] = useState(false)
  // Queue again in the same mode (a room or a practice goes back to where it came from).
  const mode = f.mode === 'ranked' || f.mode === 'casual' || f.mode === 'ffa' ? f.mode : null
  const again = async () => {
    if (!mode) return
    setBusy(true)
    const r = await act('queue.join', { mode })
    setBusy(false)
    if (r) navigate('/')
  }
  const change = mine ? tierChange(mine.before, mine.after) : null
  return (
    <div className="mx-auto mt-6 flex max-w-2xl flex-col items-center gap-4" data-testid="result-actions">
      {mine && change ? (
        <p className={`flex items-center gap-2 text-lg font-bold ${change === 'up' ? 'text-emerald-300' : 'text-rose-300'}`} data-testid="tier-change" data-change={change} role="status">
          <TierBadge rating={mine.after} rd={mine.rd} size={28} />
          {change === 'up' ? `Promoted to ${tierOf(mine.after).name}!` : `Down to ${tierOf(mine.after).name}`}
        </p>
      ) : null}
      {/* A 1v1 that ended with a result: both players may ask for another. */}
      {played && f.outcome !== 'aborted' && (f.mode === 'ranked' || f.mode === 'casual' || f.mode === 'private') ? (
        <Rematch f={f} me={me} name={name} />
      ) : null}
      <div className="flex flex-wrap justify-center gap-3">
        {played && mode ? (
          <button type="button" className="btn-primary" disabled={busy} onClick={() => void again()} data-testid="queue-again">
            {busy ? 'Joining…' : `Queue again (${mode})`}
          </button>
        ) : null}
        {f.mode === 'practice' ? <Link to="/practice" className="btn-primary">Practice another</Link> : null}
        <a href="#solutions-title" className="btn-secondary" data-testid="coach-link">Solutions and coach</a>
        <Link to="/" className="btn-secondary">Lobby</Link>
        <Link to="/leaderboard" className="btn-secondary">Leaderboard</Link>
      </div>
    </div>
  )
}
