import { motion } from 'motion/react'
import { useEffect, useState, type FormEvent } from 'react'
import { LeaderboardTable } from '../components/LeaderboardTable'
import { Trophy } from '../components/Trophy'
import { formatClock, ServerClock } from '../lib/clock'
import { Link, navigate } from '../lib/router'
import { useSession } from '../lib/session'
import { act, arenaClient, useArena } from '../protocol/arena'
import { useLeaderboard } from '../protocol/useLeaderboard'
import type { Mode, RoomState, Rule } from '../protocol/types'
import { ChatPanel } from '../chat/ChatPanel'
import { FFA_RULES, ROOM_RULES, RULES, RuleBadge } from '../game/RuleBadge'
import { Avatar } from '../game/Avatar'
import { Featured } from '../game/Featured'
import { MatchCards } from '../game/MatchCards'
import { OnlineNow } from '../game/OnlineNow'
import { TierBadge, TierLabel } from '../game/TierBadge'

const fallbackClock = new ServerClock()

const MODES: { mode: Exclude<Mode, 'private'>; title: string; blurb: string; accent: string }[] = [
  { mode: 'ranked', title: 'Ranked 1v1', blurb: 'Matched by rating. Glicko-2 on the line.', accent: 'from-neon/30' },
  { mode: 'casual', title: 'Casual 1v1', blurb: 'Same duel, no rating at stake.', accent: 'from-emerald-400/25' },
  { mode: 'ffa', title: 'Free-for-all', blurb: 'Up to 8 players, first accepted wins.', accent: 'from-fuchsia-400/25' },
  { mode: 'practice', title: 'Practice', blurb: 'Solo, any problem, unrated.', accent: 'from-amber-400/25' },
]

function useTick(ms = 1000) {
  const [, set] = useState(0)
  useEffect(() => {
    const t = setInterval(() => set((x) => x + 1), ms)
    return () => clearInterval(t)
  }, [ms])
}

export function Lobby() {
  const s = useSession()
  const me = s.status === 'signed-in' ? s.me : null
  const user = useArena((a) => a.user)
  const lobby = useArena((a) => a.lobby)
  const queue = useArena((a) => a.queue)
  const room = useArena((a) => a.room)
  const conn = useArena((a) => a.conn)
  const clock = arenaClient()?.clock ?? fallbackClock
  const [busy, setBusy] = useState<string | null>(null)
  const lb = useLeaderboard('rating', 0, 10)
  const [ffaRule, setFfaRule] = useState<Rule>('fastest')
  useTick()

  const join = async (mode: Exclude<Mode, 'private'>) => {
    setBusy(mode)
    await act('queue.join', mode === 'ffa' && ffaRule !== 'fastest' ? { mode, rule: ffaRule } : { mode })
    setBusy(null)
  }
  const leave = async () => {
    setBusy('leave')
    await act('queue.leave', {})
    setBusy(null)
  }
  const offline = conn !== 'open'
  const queued = queue?.queued ? queue : null
  const cooldownLeft = queue?.cooldown_until ? clock.remaining(queue.cooldown_until) : 0

  return (
    <div className="mx-auto max-w-7xl px-4 py-8">
      <motion.section initial={{ opacity: 0, y: 12 }} animate={{ opacity: 1, y: 0 }} className="mb-8 flex flex-wrap items-end justify-between gap-4">
        <div>
          <p className="text-xs font-semibold tracking-[0.3em] text-neon uppercase">Lobby</p>
          <h1 className="mt-1 text-3xl font-black text-white" data-testid="lobby-title">{me && me.matches_played > 0 ? 'Welcome back' : 'Welcome'}, {me?.display_name || me?.username}</h1>
          <p className="mt-1 text-sm text-slate-400" data-testid="lobby-profile">
            <TierLabel rating={user?.rating ?? me?.rating ?? 1500} rd={user?.rd ?? me?.rd ?? 350} size={20} />
            <span className="mx-2 text-slate-600">·</span>Rating <span className="font-mono text-white">{Math.round(user?.rating ?? me?.rating ?? 1500)}</span>
            <span className="mx-2 text-slate-600">·</span>±{Math.round(user?.rd ?? me?.rd ?? 350)}
            <span className="mx-2 text-slate-600">·</span>Level {user?.level ?? me?.level ?? 1}
            <span className="mx-2 text-slate-600">·</span>{user?.xp ?? me?.xp ?? 0} XP
          </p>
        </div>
        <div className="flex gap-3 text-sm">
          <Stat label="Players online" value={lobby ? String(lobby.online) : '—'} testid="online" />
          <Stat label="In queue" value={lobby ? String(Object.values(lobby.queues).reduce((n, q) => n + (q?.waiting ?? 0), 0)) : '—'} />
        </div>
      </motion.section>

      {offline ? (
        <p role="status" className="mb-6 rounded-lg border border-amber-400/30 bg-amber-400/10 px-4 py-3 text-sm text-amber-100" data-testid="offline-banner">
          {conn === 'reconnecting' || conn === 'connecting' ? 'Connecting to the arena server… Queues open as soon as the live connection is up.' : 'The live connection is closed.'}
        </p>
      ) : null}

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_360px]">
        <div className="space-y-6">
          <section aria-labelledby="modes-title">
            <h2 id="modes-title" className="sr-only">Game modes</h2>
            <div className="grid gap-4 sm:grid-cols-2">
              {MODES.map((m, i) => {
                const info = lobby?.queues[m.mode]
                const inThis = queued?.mode === m.mode
                return (
                  <motion.article key={m.mode} initial={{ opacity: 0, y: 16 }} animate={{ opacity: 1, y: 0 }} transition={{ delay: 0.05 * i }}
                    className={`panel relative overflow-hidden p-5 ${inThis ? 'ring-2 ring-neon' : ''}`} aria-labelledby={`mode-${m.mode}`}>
                    <div className={`pointer-events-none absolute inset-0 bg-gradient-to-br ${m.accent} to-transparent opacity-60`} aria-hidden="true" />
                    <div className="relative">
                      <h3 id={`mode-${m.mode}`} className="text-lg font-bold text-white">{m.title}</h3>
                      <p className="mt-1 text-sm text-slate-300">{m.mode === 'ffa' ? `Up to 8 players. ${RULES[ffaRule].blurb}` : m.blurb}</p>
                      {m.mode === 'ffa' ? (
                        <div className="mt-3">
                          <label htmlFor="ffa-rule" className="label">Mode</label>
                          <select id="ffa-rule" className="input" value={inThis ? (queued!.rule ?? 'fastest') : ffaRule} disabled={!!queued}
                            onChange={(e) => setFfaRule(e.target.value as Rule)} data-testid="ffa-rule">
                            {FFA_RULES.map((r) => <option key={r} value={r}>{RULES[r].label}</option>)}
                          </select>
                        </div>
                      ) : null}
                      <p className="mt-3 text-xs text-slate-400">
                        {info ? `${info.waiting} waiting · typical wait ${formatClock(info.median_wait_s * 1000)}` : 'Queue status when connected'}
                      </p>
                      {inThis ? (
                        <div className="mt-4 flex items-center justify-between gap-3" data-testid="queue-status">
                          <div>
                            <p className="font-mono text-2xl text-white" aria-live="off">{formatClock(clock.since(queued!.joined_at))}</p>
                            <p className="text-xs text-slate-400">
                              {queued!.rule ? <span className="mr-2"><RuleBadge rule={queued!.rule} always /></span> : null}
                              {queued!.window ? `Rating window ${Math.round(queued!.window.min)}–${Math.round(queued!.window.max)}` : 'Searching…'}
                            </p>
                          </div>
                          <button type="button" className="btn-secondary" onClick={leave} disabled={busy !== null}>Leave queue</button>
                        </div>
                      ) : m.mode === 'practice' ? (
                        <div className="mt-4 flex gap-2">
                          <button type="button" className="btn-primary" disabled={offline || !!queued || busy !== null} onClick={() => join('practice')} data-testid="practice-random">Random problem</button>
                          <Link to="/practice" className="btn-secondary">Pick a problem</Link>
                        </div>
                      ) : (
                        <button type="button" className="btn-primary mt-4" disabled={offline || !!queued || busy !== null || cooldownLeft > 0}
                          onClick={() => join(m.mode)} data-testid={`queue-${m.mode}`}>
                          {busy === m.mode ? 'Joining…' : cooldownLeft > 0 ? `Cooldown ${formatClock(cooldownLeft)}` : `Queue ${m.title.toLowerCase()}`}
                        </button>
                      )}
                    </div>
                  </motion.article>
                )
              })}
            </div>
          </section>
          <PrivateRoom offline={offline} room={room} meId={user?.user_id ?? me?.id} />
          <RecentMatches />
        </div>
        <aside className="space-y-6">
          <Featured featured={lobby?.featured} disabled={offline || !!queued || busy !== null}
            onPractice={async (id) => { setBusy('featured'); await act('queue.join', { mode: 'practice', problem_id: id }); setBusy(null) }} />
          <ChatPanel tabs={[{ channel: 'lobby', label: 'Lobby' }]} title="Lobby chat" className="h-80" />
          <OnlineNow tiers={lobby?.online_tiers} players={lobby?.online_players} meId={user?.user_id ?? me?.id} />
          <section className="panel overflow-hidden" aria-labelledby="lb-title">
            <div className="flex items-center justify-between px-4 pt-4">
              <h2 id="lb-title" className="font-semibold text-white">Top players</h2>
              <span className="chip">{lb.live ? <><span className="h-1.5 w-1.5 rounded-full bg-emerald-400" aria-hidden="true" /> live</> : 'snapshot'}</span>
            </div>
            {lb.entries.length > 0 ? (
              <LeaderboardTable entries={lb.entries} changed={lb.changed} meId={user?.user_id ?? me?.id} compact />
            ) : (
              <p className="px-4 py-6 text-sm text-slate-500">{lb.loading ? 'Loading…' : lb.error ? 'The leaderboard is not available yet.' : 'No rated players yet.'}</p>
            )}
            <div className="px-4 py-3"><Link to="/leaderboard" className="text-sm text-neon hover:underline">Full leaderboard →</Link></div>
          </section>
        </aside>
      </div>
    </div>
  )
}

function Stat({ label, value, testid }: { label: string; value: string; testid?: string }) {
  return (
    <div className="panel px-4 py-2 text-right">
      <p className="font-mono text-xl text-white" data-testid={testid}>{value}</p>
      <p className="text-xs text-slate-500">{label}</p>
    </div>
  )
}

function PrivateRoom({ offline, room, meId }: { offline: boolean; room: RoomState | null; meId?: number }) {
  const [code, setCode] = useState('')
  const [size, setSize] = useState(2)
  const [rule, setRule] = useState<Rule>('fastest')
  const [liveEditors, setLiveEditors] = useState(false)
  const [busy, setBusy] = useState(false)
  const duel = rule === 'bigo' // a Big-O duel is 1v1
  const create = async () => {
    setBusy(true)
    await act('room.create', { max_players: duel ? 2 : size, ...(rule === 'fastest' ? {} : { rule }), ...(liveEditors ? { live_editors: true } : {}) })
    setBusy(false)
  }
  const joinRoom = async (e: FormEvent) => {
    e.preventDefault()
    if (code.trim().length === 0) return
    setBusy(true)
    await act('room.join', { code: code.trim().toUpperCase() })
    setBusy(false)
  }
  return (
    <section className="panel p-5" aria-labelledby="room-title">
      <h2 id="room-title" className="text-lg font-bold text-white">Private room</h2>
      {room ? (
        <div className="mt-3" data-testid="room">
          <p className="mb-2 text-sm text-slate-400">Mode <RuleBadge rule={room.rule} always /> <span className="text-xs">{RULES[room.rule ?? 'fastest'].blurb}</span></p>
          <p className="text-sm text-slate-300">Invite code <span className="ml-2 rounded bg-ink-950 px-2 py-1 font-mono text-xl tracking-[0.3em] text-neon select-all" data-testid="room-code">{room.code}</span></p>
          <ul className="mt-3 flex flex-wrap gap-2" aria-label="Players in the room">
            {room.players.map((p) => <li key={p.user_id} className="chip"><Avatar id={p.user_id} size={14} />{p.username}<TierBadge rating={p.rating} size={14} />{p.user_id === room.host_id ? <span className="text-slate-500"> (host)</span> : ''}</li>)}
          </ul>
          <p className="mt-2 text-xs text-slate-500">{room.players.length} / {room.max_players} players{room.live_editors ? ' · live editors on: spectators with the match link watch your code as you type' : ''}</p>
          <div className="mt-4 flex gap-2">
            {room.host_id === meId ? (
              <button type="button" className="btn-primary" disabled={busy || room.players.length < 2} onClick={async () => { setBusy(true); await act('room.start', {}); setBusy(false) }} data-testid="room-start">Start match</button>
            ) : <p className="text-sm text-slate-400">Waiting for the host to start…</p>}
            <button type="button" className="btn-secondary" disabled={busy} onClick={() => act('room.leave', {})}>Leave room</button>
          </div>
        </div>
      ) : (
        <div className="mt-3 grid gap-4 sm:grid-cols-2">
          <div>
            <label htmlFor="room-rule" className="label">Mode</label>
            <select id="room-rule" className="input mb-2" value={rule} onChange={(e) => setRule(e.target.value as Rule)} data-testid="room-rule">
              {ROOM_RULES.map((r) => <option key={r} value={r}>{RULES[r].label}</option>)}
            </select>
            <p className="mb-2 text-xs text-slate-500">{RULES[rule].blurb}</p>
            <label htmlFor="room-size" className="label">Players</label>
            <div className="flex gap-2">
              <select id="room-size" className="input" value={duel ? 2 : size} disabled={duel} onChange={(e) => setSize(Number(e.target.value))}>
                {[2, 3, 4, 5, 6, 7, 8].map((n) => <option key={n} value={n}>{n} players</option>)}
              </select>
              <button type="button" className="btn-primary shrink-0" disabled={offline || busy} onClick={create} data-testid="room-create">Create</button>
            </div>
            <label className="mt-2 flex items-center gap-2 text-xs text-slate-400">
              <input type="checkbox" checked={liveEditors} onChange={(e) => setLiveEditors(e.target.checked)} data-testid="room-live-editors" />
              Spectators with the match link watch everyone's editor live
            </label>
          </div>
          <form onSubmit={joinRoom}>
            <label htmlFor="room-code" className="label">Join by code</label>
            <div className="flex gap-2">
              <input id="room-code" className="input font-mono uppercase tracking-widest" maxLength={6} placeholder="K3F9QZ" value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" />
              <button type="submit" className="btn-secondary shrink-0" disabled={offline || busy || code.trim().length === 0}>Join</button>
            </div>
          </form>
        </div>
      )}
    </section>
  )
}

const NO_MATCHES: never[] = []

function RecentMatches() {
  const recent = useArena((a) => a.lobby?.recent_matches ?? NO_MATCHES)
  return (
    <section className="panel p-5" aria-labelledby="recent-title">
      <h2 id="recent-title" className="text-lg font-bold text-white">Recent matches</h2>
      {recent.length === 0 ? <p className="mt-2 text-sm text-slate-500">No matches yet. Be the first.</p> : (
        <ul className="mt-3 divide-y divide-white/5">
          {recent.slice(0, 8).map((m) => (
            <li key={m.match_id} className="flex items-center justify-between gap-3 py-2 text-sm">
              <span className="flex min-w-0 items-center"><span className="chip mr-2">{m.mode}</span><MatchCards cards={m.cards} names={m.players} /></span>
              <span className="shrink-0 text-slate-400">{m.winner ? <><Trophy /> {m.winner}</> : 'draw'}</span>
              <button type="button" className="shrink-0 text-xs text-neon hover:underline" onClick={() => navigate(`/result/${m.match_id}`)}>Details</button>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
