import { motion } from 'motion/react'
import type { ServerClock } from '../lib/clock'
import { useArena } from '../protocol/arena'
import { progressView, usePlayerProgress } from '../protocol/progress'
import type { Player } from '../protocol/types'
import { useRemaining } from './Countdown'
import { Avatar } from '../game/Avatar'
import { TierBadge } from '../game/TierBadge'

/** A player's card: connection, rating, best tests passed, and the status line of the shared progress view (protocol/progress.ts). */
export function PlayerProgress({ p, clock, you }: { p: Player; clock: ServerClock; you?: boolean }) {
  const view = usePlayerProgress(p.user_id) ?? progressView({ player: p, judging: undefined, submission: null })
  const total = view.total
  const passed = view.best
  const pct = total > 0 ? (passed / total) * 100 : 0
  const judging = view.phase === 'compiling' || view.phase === 'running' || view.phase === 'waiting'
  const online = useArena((a) => a.conn === 'open' && a.synced)
  const graceLeft = useRemaining(clock, p.grace_deadline ?? null, 1000)
  // Our own socket is open, so we are connected, whatever an older frame
  // said (the header shows when we are not).
  const disconnected = you ? false : p.connected === false
  const judgedPct = total > 0 ? (view.judged / total) * 100 : 0
  return (
    <div className="panel p-3" data-testid={you ? 'my-progress' : 'opponent'} data-user={p.username} data-connected={String(!disconnected)}
      data-phase={view.phase} data-verdict={view.verdict ?? ''} data-judged={view.judged} data-online={String(online)}>
      <div className="flex items-center justify-between gap-2">
        <p className="truncate font-semibold text-white">
          <span className={`mr-2 inline-block h-2 w-2 rounded-full ${disconnected ? 'bg-rose-500' : 'bg-emerald-400'}`} aria-hidden="true" />
          <Avatar id={p.user_id} size={18} className="mr-1.5 align-middle" />
          {p.username}{you ? ' (you)' : ''}
        </p>
        <span className="flex items-center gap-1 text-xs text-slate-400"><TierBadge rating={p.rating} rd={p.rd} size={16} />{Math.round(p.rating)}</span>
      </div>
      <div className="mt-2 h-2 overflow-hidden rounded-full bg-ink-950" role="progressbar" aria-label={`${p.username}: tests passed`}
        aria-valuemin={0} aria-valuemax={total || 1} aria-valuenow={passed}>
        {judging ? (
          // Tests judged so far, not passed: a dimmer bar until the verdict.
          <motion.div className="h-full bg-neon/40" initial={false} animate={{ width: `${judgedPct}%` }} transition={{ type: 'spring', stiffness: 120, damping: 20 }} />
        ) : (
          <motion.div className={`h-full ${view.verdict === 'AC' ? 'bg-emerald-400' : 'bg-neon'}`} initial={false} animate={{ width: `${pct}%` }} transition={{ type: 'spring', stiffness: 120, damping: 20 }} />
        )}
      </div>
      <div className="mt-1.5 flex flex-wrap items-center justify-between gap-x-2 text-xs text-slate-400">
        <span>{total > 0 ? `best ${passed}/${total} tests` : ''}</span>
        <span>
          {disconnected
            ? <span className="text-rose-300" role="status">disconnected{p.grace_deadline ? `, ${Math.max(0, Math.ceil(graceLeft / 1000))} s` : ''}</span>
            : judging ? <span className="text-neon" data-testid="judging">{view.status}</span>
            : <>
              {view.typing ? <span className="mr-2 text-neon" data-testid="typing">typing…</span> : null}
              {view.running ? <span className="mr-2 text-amber-300" data-testid="running-samples">running samples…</span> : null}
              <span data-testid="verdict">{view.status}</span>
            </>}
        </span>
      </div>
    </div>
  )
}
