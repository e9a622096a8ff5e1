import { useEffect, useRef, useState } from 'react'
import { Streak } from './Streak'
import { useRemaining } from '../components/Countdown'
import { ServerClock } from '../lib/clock'
import { arenaClient, useArena } from '../protocol/arena'
import type { MatchState, Player } from '../protocol/types'
import { Avatar } from './Avatar'
import { GO_MS, introPhase } from './intro'
import { sfx } from './sound'
import { TierBadge } from './TierBadge'
import { isProvisional, tierOf } from './tiers'
import './game.css'

const fallbackClock = new ServerClock()

/**
 * The VS intro: when a match enters its countdown, the players face off
 * (avatar, tier, rating, level), then 3-2-1-GO on the server's clock. It
 * lives above the routes, so it plays even while the match room loads, and
 * lets every click through (pointer-events: none).
 */
export function VsIntro() {
  const match = useArena((a) => a.match)
  if (!match || (match.state !== 'countdown' && match.state !== 'running')) return null
  return <Intro key={match.match_id} match={match} />
}

function Intro({ match }: { match: MatchState }) {
  const clock = arenaClient()?.clock ?? fallbackClock
  const me = useArena((a) => a.user?.user_id)
  const left = useRemaining(clock, match.starts_at, 100)
  const raw = introPhase(match.state, match.starts_at ? left : null)
  // GO always shows once after a face-off, for GO_MS, even if a busy main
  // thread (Monaco loading) skipped past the server's start: the start is
  // the server's, only how long the word stays up is decided here.
  const saw = useRef(false)
  const [go, setGo] = useState<'no' | 'showing' | 'over'>('no')
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  if (raw.phase === 'vs' || raw.phase === 'count') saw.current = true
  const goDue = go === 'no' && (raw.phase === 'go' || (raw.phase === 'done' && saw.current))
  useEffect(() => {
    if (!goDue) return
    setGo('showing')
    timer.current = setTimeout(() => setGo('over'), GO_MS)
  }, [goDue])
  useEffect(() => () => clearTimeout(timer.current), [])
  const phase = go === 'showing' || goDue ? 'go' : go === 'over' ? 'done' : raw.phase
  const count = phase === 'go' ? 0 : raw.count

  useEffect(() => {
    if (phase === 'count') sfx().play('tick', `tick:${match.match_id}:${count}`)
    if (phase === 'go') sfx().play('go', `go:${match.match_id}`)
  }, [phase, count, match.match_id])

  if (phase === 'done') return null
  const you = match.you ?? me
  const first = match.players.find((p) => p.user_id === you) ?? match.players[0]
  const rest = match.players.filter((p) => p !== first)
  return (
    <div className="vs-intro" data-testid="vs-intro" data-phase={phase} data-count={count} aria-live="assertive" role="status"
      aria-label={phase === 'vs' ? `${first?.username ?? ''} versus ${rest.map((p) => p.username).join(', ')}` : undefined}>
      <div className="vs-stage">
        {first ? <Card p={first} side="left" you={first.user_id === you} /> : null}
        <span className="vs-mark" aria-hidden="true">VS</span>
        <div className="flex flex-col gap-3">
          {rest.slice(0, 4).map((p) => <Card key={p.user_id} p={p} side="right" small={rest.length > 1} />)}
          {rest.length > 4 ? <p className="text-center text-sm text-slate-300">+{rest.length - 4} more</p> : null}
        </div>
      </div>
      {phase === 'count' ? <span key={count} className="vs-count" data-testid="vs-count">{count}</span> : null}
      {phase === 'go' ? <span className="vs-count" data-go="true" data-testid="vs-count">GO</span> : null}
    </div>
  )
}

function Card({ p, side, you = false, small = false }: { p: Player; side: 'left' | 'right'; you?: boolean; small?: boolean }) {
  const tier = tierOf(p.rating)
  const prov = isProvisional({ rd: p.rd })
  const big = small ? 56 : 112
  return (
    <div className={`vs-card vs-${side}`} data-testid="vs-card" data-user={p.username}>
      <Avatar id={p.user_id} size={big} className="rounded-2xl shadow-[0_0_40px_-8px_rgb(34_211_238/0.6)] ring-2 ring-white/15" />
      <p className={`max-w-full truncate font-black text-white ${small ? 'text-lg' : 'text-2xl sm:text-3xl'}`}>{p.username}{you ? <span className="text-base font-semibold text-slate-300"> (you)</span> : null}</p>
      <p className="flex flex-wrap items-center justify-center gap-x-2 gap-y-1 text-sm text-slate-200">
        <TierBadge rating={p.rating} rd={p.rd} size={small ? 20 : 30} />
        <span>{tier.name}{prov ? '?' : ''}</span>
        <span className="font-mono text-white" data-testid="vs-rating">{Math.round(p.rating)}</span>
        {p.level ? <span className="text-slate-400">Lv {p.level}</span> : null}
        <Streak n={p.win_streak} />
      </p>
    </div>
  )
}
