import { animate, motion, useMotionValue, useTransform } from 'motion/react'
import { useEffect, useState } from 'react'
import { api, ApiError, type MatchDetail } from '../lib/api'
import { errorText } from '../lib/errors'
import { Link } from '../lib/router'
import { useSession } from '../lib/session'
import { dispatch, useArena } from '../protocol/arena'
import { LANGS, VERDICT_TEXT, type CoachNote, type MatchFinished, type Solution } from '../protocol/types'
import { Spinner } from '../components/Spinner'
import { Trophy } from '../components/Trophy'

function fromDetail(d: MatchDetail): MatchFinished {
  const best = new Map<number, Solution>()
  for (const s of d.submissions) {
    const prev = best.get(s.user_id)
    if (!prev || s.passed > prev.passed || s.verdict === 'AC') {
      best.set(s.user_id, { user_id: s.user_id, username: d.match.players.find((p) => p.user_id === s.user_id)?.username ?? `#${s.user_id}`,
        lang: s.lang, verdict: s.verdict as Solution['verdict'], passed: s.passed, total: s.total, code: s.code ?? '' })
    }
  }
  return {
    match_id: d.match.match_id, mode: d.match.mode, outcome: (d.match.outcome ?? 'draw') as MatchFinished['outcome'], reason: d.match.reason,
    winner_id: d.match.winner_id ?? null, finished_at: d.match.finished_at ?? '', ratings: d.ratings, xp: d.xp, solutions: [...best.values()], coach: d.coach,
  }
}

export function Result({ matchId }: { matchId: string }) {
  const live = useArena((a) => (a.finished?.match_id === matchId ? a.finished : null))
  const s = useSession()
  const meId = s.status === 'signed-in' ? s.me.id : undefined
  const [fetched, setFetched] = useState<{ f: MatchFinished; names: Map<number, string> } | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    if (live) return
    api.match(matchId).then(
      (d) => setFetched({ f: fromDetail(d), names: new Map(d.match.players.map((p) => [p.user_id, p.username])) }),
      (e) => setError(e instanceof ApiError ? errorText(e.code, e.message) : 'Could not load the match.'),
    )
  }, [matchId, live])

  // Leaving the result screen clears the finished match from the live state.
  useEffect(() => () => dispatch({ kind: 'finished.dismiss' }), [])

  const f = live ?? fetched?.f
  if (!f) {
    return <div className="grid h-[60vh] place-items-center">{error ? <p className="text-slate-400" role="alert">{error}</p> : <Spinner label="Loading the result" />}</div>
  }
  const name = (id: number | null) => (id == null ? '' : f.solutions.find((x) => x.user_id === id)?.username ?? fetched?.names.get(id) ?? `#${id}`)
  const won = f.winner_id != null && f.winner_id === meId
  const lost = f.winner_id != null && f.winner_id !== meId && f.ratings.concat().some((r) => r.user_id === meId)
  const myRating = f.ratings.find((r) => r.user_id === meId)
  const myXp = f.xp.find((x) => x.user_id === meId)
  const headline = f.winner_id == null ? 'Draw' : won ? 'Victory' : lost ? 'Defeat' : `${name(f.winner_id)} wins`
  const outcomeText: Record<MatchFinished['outcome'], string> = {
    won: 'First accepted solution', timeout: 'Time ran out: most hidden tests passed', draw: 'Nobody could be separated', forfeit: 'Forfeit by disconnection', resigned: 'Resignation',
  }

  return (
    <div className="mx-auto max-w-7xl px-4 py-10" data-testid="result" data-outcome={won ? 'win' : lost ? 'loss' : 'other'}>
      <motion.div initial={{ opacity: 0, scale: 0.9 }} animate={{ opacity: 1, scale: 1 }} transition={{ type: 'spring', stiffness: 200, damping: 18 }} className="text-center">
        <p className="text-xs tracking-[0.4em] text-slate-400 uppercase">{f.mode} · {outcomeText[f.outcome]}</p>
        <h1 className={`mt-2 text-6xl font-black tracking-tight ${won ? 'text-neon drop-shadow-[0_0_30px_rgb(34_211_238/0.6)]' : lost ? 'text-blood' : 'text-white'}`} data-testid="result-headline">
          {headline}
        </h1>
        {f.winner_id != null && !won ? <p className="mt-2 text-slate-400">Winner: <span className="text-white">{name(f.winner_id)}</span></p> : null}
      </motion.div>

      <div className="mx-auto mt-8 grid max-w-2xl gap-4 sm:grid-cols-2">
        <div className="panel p-5 text-center">
          <p className="label">Rating</p>
          {myRating ? <RatingDelta before={myRating.before} after={myRating.after} /> : <p className="text-slate-400">Unrated match</p>}
        </div>
        <div className="panel p-5 text-center">
          <p className="label">Experience</p>
          {myXp ? (
            <>
              <CountUp to={myXp.gained} prefix="+" className="text-4xl font-black text-gold" /> <span className="text-gold">XP</span>
              <p className="mt-1 text-sm text-slate-400">Level {myXp.level}{myXp.level_up ? ' · level up!' : ''} · {myXp.total} XP total</p>
            </>
          ) : <p className="text-slate-400">—</p>}
        </div>
      </div>

      <section className="mt-10" aria-labelledby="solutions-title">
        <h2 id="solutions-title" className="mb-3 text-lg font-bold text-white">Solutions</h2>
        <div className="grid gap-4 lg:grid-cols-2">
          {f.solutions.length === 0 ? <p className="text-slate-500">No submissions.</p> : f.solutions.map((sol) => (
            <article key={sol.user_id} className="panel overflow-hidden" aria-label={`Solution of ${sol.username}`}>
              <header className="flex items-center justify-between border-b border-white/5 px-4 py-2">
                <p className="font-semibold text-white">{sol.username}{sol.user_id === f.winner_id ? <> <Trophy /></> : ''}</p>
                <p className="text-xs text-slate-400">{LANGS.find((l) => l.id === sol.lang)?.name ?? sol.lang} · {VERDICT_TEXT[sol.verdict] ?? sol.verdict} · {sol.passed}/{sol.total}</p>
              </header>
              <pre className="max-h-[480px] overflow-auto p-4 font-mono text-xs leading-relaxed text-slate-200">{sol.code || '(no code)'}</pre>
              <CoachPanel note={f.coach?.find((c) => c.user_id === sol.user_id)} pending={f.coach == null} />
            </article>
          ))}
        </div>
      </section>

      <div className="mt-10 flex justify-center gap-3">
        <Link to="/" className="btn-primary">Back to the lobby</Link>
        <Link to="/leaderboard" className="btn-secondary">Leaderboard</Link>
      </div>
    </div>
  )
}

function CoachPanel({ note, pending }: { note?: CoachNote; pending: boolean }) {
  return (
    <div className="border-t border-white/5 bg-ink-950/50 px-4 py-3" data-testid="coach">
      <p className="label">Complexity coach</p>
      {note ? (
        <>
          <p className="text-sm text-white">
            Time <span className="font-mono text-neon">{note.time}</span> · Space <span className="font-mono text-neon">{note.space}</span>
            {note.intended_time ? <span className="text-slate-400"> · intended {note.intended_time}</span> : null}
          </p>
          <p className="mt-1 text-sm text-slate-300">{note.explanation}</p>
        </>
      ) : <p className="text-sm text-slate-500">{pending ? 'The coach is analysing this solution…' : 'No analysis for this solution.'}</p>}
    </div>
  )
}

function RatingDelta({ before, after }: { before: number; after: number }) {
  const delta = after - before
  return (
    <div data-testid="rating-delta" data-delta={Math.round(delta)}>
      <CountUp from={before} to={after} className="text-4xl font-black text-white" />
      <p className={`mt-1 font-mono text-lg font-bold ${delta >= 0 ? 'text-emerald-300' : 'text-rose-300'}`}>
        {delta >= 0 ? '+' : '−'}{Math.abs(Math.round(delta))}
      </p>
    </div>
  )
}

function CountUp({ from = 0, to, prefix = '', className = '' }: { from?: number; to: number; prefix?: string; className?: string }) {
  const v = useMotionValue(from)
  const text = useTransform(v, (x) => prefix + Math.round(x))
  useEffect(() => {
    const c = animate(v, to, { duration: 1.4, ease: [0.16, 1, 0.3, 1] })
    return () => c.stop()
  }, [to, v])
  return (
    <>
      <motion.span className={className} aria-hidden="true">{text}</motion.span>
      <span className="sr-only">{prefix}{Math.round(to)}</span>
    </>
  )
}
