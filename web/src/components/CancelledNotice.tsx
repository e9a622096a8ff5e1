import { useRemaining } from './Countdown'
import { ServerClock, formatClock } from '../lib/clock'
import { arenaClient, dispatch, useArena } from '../protocol/arena'
import type { MatchCancelled } from '../protocol/types'

const fallbackClock = new ServerClock()

/** The sentence a player reads when a found match will not start. */
export function cancelledText(c: MatchCancelled): string {
  if (c.reason === 'start_failed') return `Everyone accepted, but the match could not start on the server${c.requeued ? ': you are back in the queue.' : '.'}`
  if (c.you) {
    const what = c.reason === 'declined' ? 'You declined the match' : 'You did not accept the match in time'
    return c.cooldown_until ? `${what}: queueing is paused for a while.` : `${what}.`
  }
  const what = c.reason === 'declined' ? 'Your opponent declined the match' : 'Your opponent did not accept in time'
  return c.requeued ? `${what}: you are back in the queue, your waiting time kept.` : `${what}.`
}

// Shown when match.cancelled arrives, until dismissed or another match is
// found: a player is never silently put back in the queue.
export function CancelledNotice() {
  const c = useArena((a) => a.cancelled)
  const clock = arenaClient()?.clock ?? fallbackClock
  const left = useRemaining(clock, c?.cooldown_until ?? null, 1000)
  if (!c) return null
  return (
    <div className="fixed inset-x-3 bottom-3 z-40 mx-auto max-w-lg" data-testid="match-cancelled" data-reason={c.reason} data-you={String(c.you)}>
      <div className="panel flex items-start gap-3 border-amber-300/40 p-4" role="status">
        <div className="min-w-0 flex-1">
          <p className="font-semibold text-white">Match cancelled</p>
          <p className="mt-1 text-sm text-slate-300">{cancelledText(c)}</p>
          {c.you && c.cooldown_until && left > 0 ? <p className="mt-1 font-mono text-sm text-amber-200" data-testid="cooldown">Cooldown {formatClock(left)}</p> : null}
        </div>
        <button type="button" className="btn-ghost px-2 py-1 text-sm" onClick={() => dispatch({ kind: 'cancelled.dismiss' })}>Dismiss</button>
      </div>
    </div>
  )
}
