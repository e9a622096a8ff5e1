import { useEffect, useState } from 'react'
import { Spinner } from '../components/Spinner'
import { api, ApiError, type LiveMatch } from '../lib/api'
import { ServerClock, formatClock } from '../lib/clock'
import { errorText } from '../lib/errors'
import { Link } from '../lib/router'
import { arenaClient } from '../protocol/arena'

const fallbackClock = new ServerClock()

export function SpectateList() {
  const [list, setList] = useState<LiveMatch[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const clock = arenaClient()?.clock ?? fallbackClock

  useEffect(() => {
    const load = () => api.liveMatches().then((r) => { setList(r.matches); setError(null) }, (e) => setError(e instanceof ApiError ? errorText(e.code, e.message) : 'Could not load live matches.'))
    void load()
    const t = setInterval(load, 10_000)
    return () => clearInterval(t)
  }, [])

  return (
    <div className="mx-auto max-w-4xl px-4 py-8">
      <h1 className="text-3xl font-black text-white">Spectate</h1>
      <p className="mt-1 text-sm text-slate-400">Watch running matches live. Code stays hidden until the end.</p>
      <section className="mt-6">
        {error ? <p className="text-slate-400" role="alert">{error}</p> : !list ? <Spinner label="Loading live matches" /> : list.length === 0 ? <p className="text-slate-500">No public match is running right now.</p> : (
          <ul className="space-y-3">
            {list.map((m) => (
              <li key={m.match_id} className="panel flex items-center justify-between gap-3 p-4">
                <div>
                  <p className="font-semibold text-white">{m.players.map((p) => p.username).join(' vs ')}</p>
                  <p className="text-xs text-slate-400">{m.mode} · {m.problem_title} · {formatClock(clock.remaining(m.deadline))} left</p>
                </div>
                <Link to={`/spectate/${encodeURIComponent(m.match_id)}`} className="btn-secondary">Watch</Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  )
}
