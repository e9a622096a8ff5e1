import { useEffect, useMemo, useState } from 'react'
import { Spinner } from '../components/Spinner'
import { api, ApiError, type ProblemSummary } from '../lib/api'
import { errorText } from '../lib/errors'
import { act, useArena } from '../protocol/arena'

const BANDS = [
  { id: 'all', label: 'All', min: undefined, max: undefined },
  { id: 'easy', label: 'Easy (≤1200)', min: 800, max: 1200 },
  { id: 'medium', label: 'Medium (1201–1900)', min: 1201, max: 1900 },
  { id: 'hard', label: 'Hard (1901+)', min: 1901, max: 3000 },
] as const

// Race a ghost (issue 20): a real past accepted solution on the problem, by
// a player rated in the band, played back at its original pace.
export const GHOST_BANDS = [
  { id: 'none', label: 'No ghost (solo)', min: -1, max: 0 },
  { id: 'any', label: 'Any rating', min: 0, max: 0 },
  { id: 'b1', label: 'Under 1400', min: 0, max: 1399 },
  { id: 'b2', label: '1400–1699', min: 1400, max: 1699 },
  { id: 'b3', label: '1700–1999', min: 1700, max: 1999 },
  { id: 'b4', label: '2000+', min: 2000, max: 0 },
] as const

export function Practice() {
  const [problems, setProblems] = useState<ProblemSummary[] | null>(null)
  const [tags, setTags] = useState<string[]>([])
  const [error, setError] = useState<string | null>(null)
  const [band, setBand] = useState<(typeof BANDS)[number]['id']>('all')
  const [tag, setTag] = useState('')
  const [q, setQ] = useState('')
  const [ghost, setGhost] = useState<(typeof GHOST_BANDS)[number]['id']>('none')
  const g = GHOST_BANDS.find((x) => x.id === ghost)!
  const conn = useArena((a) => a.conn)

  useEffect(() => {
    api.problems().then((r) => { setProblems(r.problems); setTags(r.tags) }, (e) => setError(e instanceof ApiError ? errorText(e.code, e.message) : 'Could not load problems.'))
  }, [])

  // Filtering is client-side: the bundled set is small; the API takes the same filters for large sets.
  const shown = useMemo(() => {
    const b = BANDS.find((x) => x.id === band)!
    const needle = q.trim().toLowerCase()
    return (problems ?? []).filter((p) =>
      (b.min === undefined || (p.difficulty >= b.min && p.difficulty <= b.max!)) &&
      (!tag || p.tags.includes(tag)) &&
      (!needle || p.title.toLowerCase().includes(needle) || p.id.includes(needle)))
  }, [problems, band, tag, q])

  return (
    <div className="mx-auto max-w-5xl px-4 py-8">
      <h1 className="text-3xl font-black text-white">Practice</h1>
      <p className="mt-1 text-sm text-slate-400">Solo and unrated. Pick any problem; the clock still runs.</p>
      <form className="panel mt-6 grid gap-3 p-4 sm:grid-cols-4" role="search" onSubmit={(e) => e.preventDefault()}>
        <div>
          <label htmlFor="pq" className="label">Search</label>
          <input id="pq" className="input" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Title…" />
        </div>
        <div>
          <label htmlFor="pband" className="label">Difficulty</label>
          <select id="pband" className="input" value={band} onChange={(e) => setBand(e.target.value as typeof band)}>
            {BANDS.map((b) => <option key={b.id} value={b.id}>{b.label}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="ptag" className="label">Tag</label>
          <select id="ptag" className="input" value={tag} onChange={(e) => setTag(e.target.value)}>
            <option value="">Any tag</option>
            {tags.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="pghost" className="label">Race a ghost</label>
          <select id="pghost" className="input" value={ghost} onChange={(e) => setGhost(e.target.value as typeof ghost)} data-testid="ghost-band">
            {GHOST_BANDS.map((b) => <option key={b.id} value={b.id}>{b.label}</option>)}
          </select>
        </div>
      </form>
      <section className="mt-6" aria-live="polite">
        {error ? <p className="text-slate-400" role="alert">{error}</p> : !problems ? <Spinner label="Loading problems" /> : shown.length === 0 ? <p className="text-slate-500">No problem matches these filters.</p> : (
          <ul className="grid gap-3 sm:grid-cols-2" data-testid="problem-list">
            {shown.map((p) => (
              <li key={p.id} className="panel flex items-center justify-between gap-3 p-4">
                <div className="min-w-0">
                  <p className="truncate font-semibold text-white">{p.title}</p>
                  <p className="mt-1 flex flex-wrap gap-1 text-xs"><span className="chip">{p.difficulty}</span>{p.tags.map((t) => <span key={t} className="chip">{t}</span>)}</p>
                </div>
                {/* A solo match on this problem (queue.join practice): the match room follows its match.state. */}
                <button type="button" className="btn-primary shrink-0" disabled={conn !== 'open'} onClick={() => act('queue.join', g.min < 0 ? { mode: 'practice', problem_id: p.id } : { mode: 'practice', problem_id: p.id, ghost: { min_rating: g.min, max_rating: g.max } })}
                  aria-label={`${g.min < 0 ? 'Solve' : 'Race a ghost on'} ${p.title}`} data-testid={`solve-${p.id}`}>{g.min < 0 ? 'Solve' : 'Race'}</button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  )
}
