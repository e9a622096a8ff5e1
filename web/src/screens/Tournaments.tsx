import { useCallback, useEffect, useState } from 'react'
import { ChatPanel } from '../chat/ChatPanel'
import { Spinner } from '../components/Spinner'
import { ApiError, api } from '../lib/api'
import { Link, navigate } from '../lib/router'
import { useSession } from '../lib/session'
import { toast, toastError } from '../lib/toast'
import { useArena } from '../protocol/arena'
import type { TournamentDetail, TournamentGame, TournamentList, TournamentStanding, TournamentSummary } from '../protocol/types'

// Tournaments (issue 21): the list with an administrator's creation form,
// and one tournament's page: register, check in, the rounds (Swiss boards
// or the elimination bracket) and the standings, refreshed when the
// server pushes tournament.update and every few seconds for watchers.

const POLL_MS = 4000

function when(iso: string): string {
  const d = new Date(iso)
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

function stateChip(t: TournamentSummary) {
  const cls: Record<string, string> = {
    scheduled: 'border-cyan-400/30 text-cyan-200', running: 'border-emerald-400/40 text-emerald-200',
    finished: 'border-white/10 text-slate-400', cancelled: 'border-rose-400/30 text-rose-300',
  }
  return <span className={`chip ${cls[t.state] ?? ''}`} data-testid="tournament-state">{t.state}{t.state === 'running' ? ` · round ${t.round}${t.rounds ? `/${t.rounds}` : ''}` : ''}</span>
}

export function Tournaments() {
  const s = useSession()
  const admin = s.status === 'signed-in' && s.me.role === 'admin'
  const [list, setList] = useState<TournamentList | null>(null)
  const [err, setErr] = useState<string | null>(null)
  const load = useCallback(async () => {
    try {
      setList(await api.tournaments())
      setErr(null)
    } catch (e) {
      setErr(e instanceof Error ? e.message : String(e))
    }
  }, [])
  useEffect(() => {
    void load()
    const t = setInterval(load, POLL_MS * 2)
    return () => clearInterval(t)
  }, [load])
  return (
    <div className="mx-auto max-w-4xl px-4 py-8">
      <h1 className="text-3xl font-black text-white">Tournaments</h1>
      <p className="mt-1 text-sm text-slate-400">Swiss and knockout events. Register, check in before the start, and your matches come to you round by round.</p>
      {admin ? <CreateForm onCreated={(d) => navigate(`/tournaments/${d.tournament.id}`)} /> : null}
      <section className="mt-6" aria-label="Tournaments" data-testid="tournament-list">
        {err ? <p className="text-rose-300">{err}</p> : null}
        {!list ? <Spinner label="Loading tournaments" /> : list.tournaments.length === 0 ? <p className="text-slate-400">No tournament yet.</p> : (
          <ul className="space-y-3">
            {list.tournaments.map((t) => (
              <li key={t.id} className="panel flex flex-wrap items-center justify-between gap-3 p-4" data-testid="tournament-row" data-id={t.id}>
                <div className="min-w-0">
                  <p className="truncate font-semibold text-white">{t.name}</p>
                  <p className="text-xs text-slate-400">{t.format === 'swiss' ? `Swiss, ${t.rounds} rounds` : 'Single elimination'} · {when(t.starts_at)} · {t.players} registered{t.registered ? ' · you are in' : ''}</p>
                </div>
                <div className="flex items-center gap-2">
                  {stateChip(t)}
                  <Link to={`/tournaments/${t.id}`} className="btn-secondary">Open<span className="sr-only"> {t.name}</span></Link>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  )
}

function CreateForm({ onCreated }: { onCreated: (d: TournamentDetail) => void }) {
  const [open, setOpen] = useState(false)
  const [name, setName] = useState('')
  const [format, setFormat] = useState<'swiss' | 'elimination'>('swiss')
  const [rounds, setRounds] = useState(3)
  const [startsIn, setStartsIn] = useState(10)
  const [checkIn, setCheckIn] = useState(10)
  const [brk, setBrk] = useState(30)
  const [duration, setDuration] = useState(0)
  const [problems, setProblems] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  if (!open) return <button type="button" className="btn-primary mt-4" onClick={() => setOpen(true)} data-testid="tournament-new">New tournament</button>
  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const d = await api.createTournament({
        name, format, ...(format === 'swiss' ? { rounds } : {}),
        starts_at: new Date(Date.now() + startsIn * 60_000).toISOString(),
        check_in_minutes: checkIn, round_break_s: brk, ...(duration > 0 ? { duration_s: duration } : {}),
        ...(problems.trim() ? { problems: problems.split(',').map((p) => p.trim()).filter(Boolean) } : {}),
      })
      toast('success', `Tournament "${d.tournament.name}" created`)
      onCreated(d)
    } catch (err) {
      setError(err instanceof ApiError || err instanceof Error ? err.message : String(err))
    } finally {
      setBusy(false)
    }
  }
  const num = (v: string) => Math.max(0, Math.floor(Number(v) || 0))
  return (
    <form className="panel mt-4 grid gap-3 p-4 sm:grid-cols-2" onSubmit={submit} data-testid="tournament-form" aria-label="New tournament">
      <label className="sm:col-span-2"><span className="label">Name</span>
        <input className="input" value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} name="name" /></label>
      <label><span className="label">Format</span>
        <select className="input" value={format} onChange={(e) => setFormat(e.target.value as 'swiss' | 'elimination')} name="format">
          <option value="swiss">Swiss</option><option value="elimination">Single elimination</option>
        </select></label>
      {format === 'swiss' ? (
        <label><span className="label">Rounds</span>
          <input className="input" type="number" min={1} max={20} value={rounds} onChange={(e) => setRounds(num(e.target.value))} name="rounds" /></label>
      ) : <div />}
      <label><span className="label">Starts in (minutes)</span>
        <input className="input" type="number" min={0} step="any" value={startsIn} onChange={(e) => setStartsIn(Number(e.target.value) || 0)} name="starts_in" /></label>
      <label><span className="label">Check-in opens (minutes before)</span>
        <input className="input" type="number" min={0} max={1440} value={checkIn} onChange={(e) => setCheckIn(num(e.target.value))} name="check_in" /></label>
      <label><span className="label">Break between rounds (s)</span>
        <input className="input" type="number" min={0} max={3600} value={brk} onChange={(e) => setBrk(num(e.target.value))} name="round_break" /></label>
      <label><span className="label">Match length (s, 0 = the problem's)</span>
        <input className="input" type="number" min={0} max={7200} value={duration} onChange={(e) => setDuration(num(e.target.value))} name="duration" /></label>
      <label className="sm:col-span-2"><span className="label">Problems, one per round (ids, comma-separated; empty = chosen)</span>
        <input className="input" value={problems} onChange={(e) => setProblems(e.target.value)} name="problems" placeholder="peak-count, two-sum" /></label>
      {error ? <p className="text-sm text-rose-300 sm:col-span-2" role="alert">{error}</p> : null}
      <div className="flex gap-2 sm:col-span-2">
        <button type="submit" className="btn-primary" disabled={busy || !name.trim()}>Create</button>
        <button type="button" className="btn-ghost" onClick={() => setOpen(false)}>Cancel</button>
      </div>
    </form>
  )
}

export function Tournament({ id }: { id: number }) {
  const s = useSession()
  const me = s.status === 'signed-in' ? s.me : null
  const pushed = useArena((a) => a.tournament)
  const [d, setD] = useState<TournamentDetail | null>(null)
  const [err, setErr] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const load = useCallback(async () => {
    try {
      setD(await api.tournament(id))
      setErr(null)
    } catch (e) {
      setErr(e instanceof Error ? e.message : String(e))
    }
  }, [id])
  useEffect(() => {
    void load()
    const t = setInterval(load, POLL_MS)
    return () => clearInterval(t)
  }, [load])
  // The server says it changed: read it now.
  useEffect(() => {
    if (pushed?.tournament_id === id) void load()
  }, [pushed, id, load])
  if (err && !d) return <div className="mx-auto max-w-4xl px-4 py-8 text-rose-300">{err}</div>
  if (!d) return <div className="mx-auto max-w-4xl px-4 py-8"><Spinner label="Loading the tournament" /></div>
  const t = d.tournament
  const now = Date.parse(d.server_now)
  const checkInOpen = t.state === 'scheduled' && now >= Date.parse(t.check_in_opens_at) && now < Date.parse(t.starts_at)
  const act = async (action: 'register' | 'leave' | 'check-in') => {
    setBusy(true)
    try {
      setD(await api.tournamentAction(id, action))
    } catch (e) {
      if (e instanceof ApiError) toastError(e.code, e.message)
      else toast('error', String(e))
      void load()
    } finally {
      setBusy(false)
    }
  }
  const names = new Map(d.entrants.map((e) => [e.user_id, e.username]))
  const mine = me ? d.rounds.flatMap((r) => r.games.filter((g) => g.outcome === '' && (g.a_id === me.id || g.b_id === me.id))) : []
  return (
    <div className="mx-auto max-w-5xl px-4 py-8" data-testid="tournament" data-state={t.state} data-round={t.round}>
      <p className="text-sm"><Link to="/tournaments" className="link">← Tournaments</Link></p>
      <div className="mt-2 flex flex-wrap items-center gap-3">
        <h1 className="text-3xl font-black text-white">{t.name}</h1>
        {stateChip(t)}
      </div>
      <p className="mt-1 text-sm text-slate-400">
        {t.format === 'swiss' ? `Swiss, ${t.rounds} rounds` : `Single elimination${t.rounds ? `, ${t.rounds} rounds` : ''}`} · starts {when(t.starts_at)} ·
        check-in from {when(t.check_in_opens_at)} · {t.players} registered{t.max_players ? ` of ${t.max_players}` : ''}
      </p>
      {me && t.state === 'scheduled' ? (
        <div className="mt-4 flex flex-wrap items-center gap-2" data-testid="tournament-actions">
          {!t.registered ? <button type="button" className="btn-primary" disabled={busy} onClick={() => act('register')} data-testid="tournament-register">Register</button> : (
            <>
              {t.checked_in ? <span className="chip border-emerald-400/40 text-emerald-200" data-testid="checked-in">Checked in</span>
                : <button type="button" className="btn-primary" disabled={busy || !checkInOpen} onClick={() => act('check-in')} data-testid="tournament-check-in">
                  {checkInOpen ? 'Check in' : 'Check-in opens soon'}</button>}
              <button type="button" className="btn-secondary" disabled={busy} onClick={() => act('leave')}>Leave</button>
            </>
          )}
        </div>
      ) : null}
      {mine.length > 0 ? (
        <p className="mt-4 panel p-3 text-sm text-white" data-testid="my-game">Your match is on:{' '}
          {mine.map((g) => <Link key={g.match_id} to={`/match/${encodeURIComponent(g.match_id)}`} className="link font-semibold">board {g.board}</Link>)}
        </p>
      ) : null}
      <div className="mt-6 grid gap-6 lg:grid-cols-[1fr_1.2fr]">
        <section aria-label="Standings">
          <h2 className="mb-2 text-lg font-bold text-white">Standings</h2>
          {d.standings.length === 0 ? (
            <ul className="panel divide-y divide-white/5 text-sm" data-testid="entrants">
              {d.entrants.length === 0 ? <li className="p-3 text-slate-400">Nobody yet.</li> : d.entrants.map((e) => (
                <li key={e.user_id} className="flex justify-between p-2.5"><span className="text-white">{e.username}</span><span className="text-xs text-slate-400">{e.checked_in ? 'checked in' : 'registered'}</span></li>
              ))}
            </ul>
          ) : <StandingsTable rows={d.standings} swiss={t.format === 'swiss'} />}
        </section>
        <section aria-label="Rounds">
          <h2 className="mb-2 text-lg font-bold text-white">{t.format === 'swiss' ? 'Rounds' : 'Bracket'}</h2>
          {d.rounds.length === 0 ? <p className="text-sm text-slate-400">Round 1 is paired at the start.</p> : (
            <div className={t.format === 'swiss' ? 'space-y-4' : 'flex gap-4 overflow-x-auto pb-2'}>
              {d.rounds.map((r) => (
                <div key={r.round} className={t.format === 'swiss' ? '' : 'min-w-48 flex-1'} data-testid="tournament-round" data-round={r.round} data-done={r.done_at ? 'true' : 'false'}>
                  <p className="mb-1 text-xs font-semibold tracking-wide text-slate-400 uppercase">Round {r.round} · {r.problem_id}{r.done_at ? ' · done' : ''}</p>
                  <ul className={`space-y-1.5 ${t.format === 'swiss' ? '' : 'flex h-full flex-col justify-around'}`}>
                    {r.games.map((g) => <GameRow key={g.board} g={g} names={names} />)}
                  </ul>
                </div>
              ))}
            </div>
          )}
        </section>
      </div>
      {me ? (
        <section className="mt-6" aria-label="Tournament chat">
          <ChatPanel tabs={[{ channel: `tournament:${t.id}`, label: 'Tournament' }]} title="Tournament chat" className="h-72" />
          {!t.registered ? <p className="mt-1 text-xs text-slate-500">Registered players write here; everyone signed in reads.</p> : null}
        </section>
      ) : null}
    </div>
  )
}

function GameRow({ g, names }: { g: TournamentGame; names: Map<number, string> }) {
  const a = g.a || names.get(g.a_id) || `#${g.a_id}`
  const b = g.b_id ? g.b || names.get(g.b_id) || `#${g.b_id}` : 'bye'
  const win = (side: 'a' | 'b') => g.outcome === side || (side === 'a' && g.outcome === 'bye')
  const score = g.outcome === 'draw' ? '½–½' : g.outcome === 'a' || g.outcome === 'bye' ? '1–0' : g.outcome === 'b' ? '0–1' : g.outcome === 'none' ? '0–0' : 'live'
  return (
    <li className="panel flex items-center justify-between gap-2 px-3 py-2 text-sm" data-testid="tournament-game" data-outcome={g.outcome}>
      <span className={win('a') ? 'font-semibold text-white' : 'text-slate-300'}>{a}</span>
      {g.match_id && g.outcome === '' ? <Link to={`/spectate/${encodeURIComponent(g.match_id)}`} className="chip border-emerald-400/40 text-emerald-200">live</Link>
        : <span className="chip">{score}</span>}
      <span className={win('b') ? 'font-semibold text-white' : 'text-slate-300'}>{b}</span>
    </li>
  )
}

function StandingsTable({ rows, swiss }: { rows: TournamentStanding[]; swiss: boolean }) {
  return (
    <table className="panel w-full text-sm" data-testid="standings">
      <thead className="text-left text-xs text-slate-400 uppercase">
        <tr><th className="p-2">#</th><th className="p-2">Player</th><th className="p-2 text-right">Pts</th>
          {swiss ? <th className="p-2 text-right" title="Buchholz: the sum of the opponents' points">Bh</th> : <th className="p-2 text-right">Out</th>}
          <th className="p-2 text-right">W-D-L</th></tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.user_id} className="border-t border-white/5" data-testid="standing" data-user={r.username} data-rank={r.rank} data-points={r.points}>
            <td className="p-2 text-slate-400">{r.rank}</td>
            <td className="p-2"><Link to={`/users/${encodeURIComponent(r.username)}`} className="text-white hover:underline">{r.username}</Link></td>
            <td className="p-2 text-right font-semibold text-white">{r.points}</td>
            <td className="p-2 text-right text-slate-300">{swiss ? r.buchholz : r.out ? `R${r.out}` : '—'}</td>
            <td className="p-2 text-right text-slate-400">{r.wins + r.byes}-{r.draws}-{r.losses}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** A user's tournaments, for their profile. */
export function ProfileTournaments({ name }: { name: string }) {
  const [list, setList] = useState<{ id: number; name: string; place: number; players: number; state: string }[] | null>(null)
  useEffect(() => {
    let live = true
    api.userTournaments(name).then((r) => {
      if (live) setList(r.tournaments.map((t) => ({ id: t.tournament_id, name: t.name, place: t.place, players: t.players, state: t.state })))
    }).catch(() => live && setList([]))
    return () => { live = false }
  }, [name])
  if (!list || list.length === 0) return null
  return (
    <section className="mt-6" aria-label="Tournaments" data-testid="profile-tournaments">
      <h2 className="mb-2 text-lg font-bold text-white">Tournaments</h2>
      <ul className="space-y-1.5">
        {list.map((t) => (
          <li key={t.id} className="panel flex justify-between px-3 py-2 text-sm">
            <Link to={`/tournaments/${t.id}`} className="text-white hover:underline">{t.name}</Link>
            <span className="text-slate-400">{t.place ? `#${t.place} of ${t.players}` : t.state}</span>
          </li>
        ))}
      </ul>
    </section>
  )
}
