import { ProfileTournaments } from './Tournaments'
import { useEffect, useState } from 'react'
import { Streak } from '../game/Streak'
import { RatingChart } from '../components/RatingChart'
import { SignOutEverywhere } from '../components/SignOutEverywhere'
import { Spinner } from '../components/Spinner'
import { api, ApiError, type UserProfile } from '../lib/api'
import { errorText } from '../lib/errors'
import { Link } from '../lib/router'
import { useSession } from '../lib/session'
import { Avatar } from '../game/Avatar'
import { TierLabel } from '../game/TierBadge'

export function Profile({ name }: { name: string }) {
  const s = useSession()
  const [p, setP] = useState<UserProfile | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    setP(null)
    setError(null)
    api.user(name).then(setP, (e) => {
      setError(e instanceof ApiError ? errorText(e.code, e.message) : 'Could not load the profile.')
    })
  }, [name])

  if (error) return <p className="p-12 text-center text-slate-400" role="alert">{error}</p>
  if (!p) return <div className="grid h-[50vh] place-items-center"><Spinner label="Loading the profile" /></div>
  const u = p.user
  return (
    <div className="mx-auto max-w-5xl px-4 py-8" data-testid="profile">
      <div className="flex flex-wrap items-center gap-5">
        <Avatar id={u.user_id} url={u.avatar_url} size={64} className="rounded-2xl" />
        <div>
          <h1 className="text-3xl font-black text-white">{u.display_name || u.username}</h1>
          <p className="flex items-center gap-2 text-sm text-slate-400">@{u.username}{u.rank ? ` · rank #${u.rank}` : ''}<Streak n={u.win_streak} /></p>
          <p className="mt-1 text-sm"><TierLabel rating={u.rating} rd={u.rd} provisional={u.provisional} size={24} /></p>
        </div>
        <dl className="ml-auto grid grid-cols-3 gap-3 text-center">
          <div className="panel px-4 py-2"><dt className="text-xs text-slate-500">Rating</dt><dd className="font-mono text-xl text-white">{Math.round(u.rating)}{u.provisional ? '?' : ''}</dd></div>
          <div className="panel px-4 py-2"><dt className="text-xs text-slate-500">Level</dt><dd className="font-mono text-xl text-white">{u.level}</dd></div>
          <div className="panel px-4 py-2"><dt className="text-xs text-slate-500">XP</dt><dd className="font-mono text-xl text-white">{u.xp}</dd></div>
        </dl>
      </div>
      <section className="panel mt-6 p-5" aria-labelledby="hist-title">
        <h2 id="hist-title" className="mb-3 font-semibold text-white">Rating history</h2>
        <RatingChart points={p.rating_history} />
      </section>
      <div className="mt-6 grid gap-6 md:grid-cols-2">
        <section className="panel p-5" aria-labelledby="matches-title">
          <h2 id="matches-title" className="mb-3 font-semibold text-white">Match history</h2>
          {p.recent_matches.length === 0 ? <p className="text-sm text-slate-500">No matches yet.</p> : (
            <ul className="divide-y divide-white/5 text-sm">
              {p.recent_matches.map((m) => (
                <li key={m.match_id} className="flex items-center justify-between gap-2 py-2">
                  <Link to={`/result/${encodeURIComponent(m.match_id)}`} className="truncate hover:text-neon">{m.problem_title} <span className="text-slate-500">vs {m.opponents.join(', ')}</span></Link>
                  <span className={m.result === 'win' ? 'text-emerald-300' : m.result === 'loss' ? 'text-rose-300' : 'text-slate-400'}>
                    {m.result}{m.rating_delta != null ? ` ${m.rating_delta >= 0 ? '+' : ''}${Math.round(m.rating_delta)}` : ''}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="panel p-5" aria-labelledby="solved-title">
          <h2 id="solved-title" className="mb-3 font-semibold text-white">Solved problems</h2>
          {p.solved.length === 0 ? <p className="text-sm text-slate-500">Nothing solved yet.</p> : (
            <ul className="flex flex-wrap gap-2">{p.solved.map((x) => <li key={x.problem_id} className="chip">{x.title} <span className="text-slate-500">{x.difficulty}</span></li>)}</ul>
          )}
        </section>
      </div>
      <ProfileTournaments name={u.username} />
      {s.status === 'signed-in' && s.me.username === u.username && <SignOutEverywhere />}
    </div>
  )
}
