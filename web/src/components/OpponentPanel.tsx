import { motion } from 'motion/react'
import type { ServerClock } from '../lib/clock'
import { VERDICT_TEXT, type Player } from '../protocol/types'
import { useRemaining } from './Countdown'
import { Avatar } from '../game/Avatar'
import { TierBadge } from '../game/TierBadge'

export function PlayerProgress({ p, clock, you }: { p: Player; clock: ServerClock; you?: boolean }) {
  const total = p.tests_total ?? 0
  const passed = p.tests_passed ?? 0
  const pct = total > 0 ? (passed / total) * 100 : 0
  const graceLeft = useRemaining(clock, p.grace_deadline ?? null, 1000)
  const disconnected = p.connected === false
  return (
    <div className="panel p-3" data-testid={you ? 'my-progress' : 'opponent'} data-user={p.username} data-connected={String(!disconnected)}>
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
        <motion.div className={`h-full ${p.last_verdict === 'AC' ? 'bg-emerald-400' : 'bg-neon'}`} initial={false} animate={{ width: `${pct}%` }} transition={{ type: 'spring', stiffness: 120, damping: 20 }} />
      </div>
      <div className="mt-1.5 flex flex-wrap items-center justify-between gap-x-2 text-xs text-slate-400">
        <span>{total > 0 ? `${passed}/${total} tests` : 'no submission yet'}</span>
        <span>
          {disconnected
            ? <span className="text-rose-300" role="status">disconnected{p.grace_deadline ? `, ${Math.max(0, Math.ceil(graceLeft / 1000))} s` : ''}</span>
            : p.typing ? <span className="text-neon">typing…</span>
            : p.last_verdict ? VERDICT_TEXT[p.last_verdict] : ''}
        </span>
      </div>
    </div>
  )
}
