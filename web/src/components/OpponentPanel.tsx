import { motion } from 'motion/react'
import type { ServerClock } from '../lib/clock'
import { useArena } from '../protocol/arena'
import type { JudgingView } from '../protocol/reducer'
import { VERDICT_TEXT, type Player } from '../protocol/types'
import { useRemaining } from './Countdown'
import { Avatar } from '../game/Avatar'
import { TierBadge } from '../game/TierBadge'

/** What a player's card says about their latest submission: the final verdict only once it is final. */
export function verdictLine(p: Player, judging: JudgingView | undefined): string {
  if (p.last_verdict !== 'pending') return p.last_verdict ? VERDICT_TEXT[p.last_verdict] : ''
  if (!judging) return 'Waiting for a judge…'
  if (judging.phase === 'compiling') return 'Compiling…'
  return `Judging ${judging.test}/${judging.total}`
}

export function PlayerProgress({ p, clock, you }: { p: Player; clock: ServerClock; you?: boolean }) {
  const total = p.tests_total ?? 0
  const passed = p.tests_passed ?? 0
  const pct = total > 0 ? (passed / total) * 100 : 0
  const judging = useArena((a) => a.judging[p.user_id])
  const online = useArena((a) => a.conn === 'open' && a.synced)
  const graceLeft = useRemaining(clock, p.grace_deadline ?? null, 1000)
  // Our own socket is open, so we are connected, whatever an older frame
  // said (the header shows when we are not).
  const disconnected = you ? false : p.connected === false
  const line = verdictLine(p, judging)
  const judgedPct = judging && judging.total > 0 ? (judging.test / judging.total) * 100 : 0
  return (
    <div className="panel p-3" data-testid={you ? 'my-progress' : 'opponent'} data-user={p.username} data-connected={String(!disconnected)}
      data-verdict={p.last_verdict ?? ''} data-judged={judging?.test ?? ''} data-online={String(online)}>
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
          <motion.div className={`h-full ${p.last_verdict === 'AC' ? 'bg-emerald-400' : 'bg-neon'}`} initial={false} animate={{ width: `${pct}%` }} transition={{ type: 'spring', stiffness: 120, damping: 20 }} />
        )}
      </div>
      <div className="mt-1.5 flex flex-wrap items-center justify-between gap-x-2 text-xs text-slate-400">
        <span>{total > 0 ? `best ${passed}/${total} tests` : p.submissions > 0 ? '' : 'no submission yet'}</span>
        <span>
          {disconnected
            ? <span className="text-rose-300" role="status">disconnected{p.grace_deadline ? `, ${Math.max(0, Math.ceil(graceLeft / 1000))} s` : ''}</span>
            : p.last_verdict === 'pending' ? <span className="text-neon" data-testid="judging">{line}</span>
            : p.typing ? <span className="text-neon">typing…</span>
            : <span data-testid="verdict">{line}</span>}
        </span>
      </div>
    </div>
  )
}
