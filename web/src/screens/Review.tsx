import { useEffect, useState } from 'react'
import { api, ApiError, type MatchEvidence, type ReviewItem } from '../lib/api'
import { errorText } from '../lib/errors'
import { Link } from '../lib/router'
import { Spinner } from '../components/Spinner'

// The fair-play review queue for administrators (issue 20): players whose
// editor timeline deserves a look, each with the match's evidence (pastes,
// focus, similar submissions) and its replay. Facts, never a verdict:
// players never see any of this.
export default function Review() {
  const [items, setItems] = useState<ReviewItem[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [open, setOpen] = useState<string | null>(null)
  const [evidence, setEvidence] = useState<Record<string, MatchEvidence>>({})

  useEffect(() => {
    api.review().then(setItems, (e) => setError(e instanceof ApiError ? errorText(e.code, e.message) : 'Could not load the review queue.'))
  }, [])

  const show = (matchId: string) => {
    setOpen(open === matchId ? null : matchId)
    if (!evidence[matchId]) api.evidence(matchId).then((ev) => setEvidence((m) => ({ ...m, [matchId]: ev })), () => {})
  }

  if (error) return <p className="mx-auto max-w-3xl px-4 py-16 text-center text-slate-400" data-testid="review-error">{error}</p>
  if (!items) return <div className="grid min-h-[50vh] place-items-center"><Spinner label="Loading the review queue" /></div>

  return (
    <div className="mx-auto max-w-5xl px-4 py-8" data-testid="review">
      <h1 className="text-2xl font-bold text-white">Fair-play review</h1>
      <p className="mt-1 text-sm text-slate-400">Facts from the editor timelines of the latest public matches. A result stands until you decide.</p>
      {items.length === 0 ? <p className="mt-6 text-slate-400">Nothing to review.</p> : null}
      <ul className="mt-6 space-y-3">
        {items.map((it) => (
          <li key={`${it.match_id}-${it.user_id}`} className="card p-4" data-testid="review-item">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <span className="font-semibold text-white">{it.username} <span className="text-sm font-normal text-slate-400">· {it.mode} · {it.problem_id} · {it.result || 'no result'}</span></span>
              <span className="flex gap-2">
                <button className="btn-secondary" onClick={() => show(it.match_id)}>{open === it.match_id ? 'Hide evidence' : 'Evidence'}</button>
                <Link to={`/replay/${encodeURIComponent(it.match_id)}`} className="btn-secondary">Replay</Link>
              </span>
            </div>
            <ul className="mt-2 list-disc pl-5 text-sm text-amber-200">
              {it.reasons.map((r) => <li key={r}>{r}</li>)}
            </ul>
            {open === it.match_id && evidence[it.match_id] ? (
              <div className="mt-3 grid gap-3 md:grid-cols-2">
                {evidence[it.match_id].players.map((p) => (
                  <div key={p.user_id} className="rounded border border-white/10 p-3 text-sm text-slate-300">
                    <p className="font-semibold text-white">{p.username}</p>
                    <p>typed {p.typed_units} · pasted {p.pasted_units} (largest {p.largest_paste}) · focus lost {p.blurs}× · whole-text opens {p.opens}</p>
                    {p.pastes.map((x, i) => <p key={i} className="text-xs text-slate-400">paste of {x.units} at {Math.round(x.at_ms / 1000)} s{x.after_blur ? `, after ${Math.round(x.blur_away_ms / 1000)} s away` : ''}</p>)}
                    {p.similar.length === 0 ? <p className="text-xs text-slate-500">No similar submission of the problem.</p> : p.similar.map((s) => (
                      <p key={s.submission_id} className="text-xs text-rose-200">{Math.round(s.score * 100)}% like submission {s.submission_id} of user #{s.user_id}{s.match_id ? ` (match ${s.match_id})` : ''}: lines {s.lines.join(', ')} ↔ {s.other_lines.join(', ')}</p>
                    ))}
                  </div>
                ))}
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  )
}
