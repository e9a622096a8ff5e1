import { useEffect, useId, useState } from 'react'
import { api, ApiError, type MatchEvidence, type ReviewDecision, type ReviewItem } from '../lib/api'
import { errorText } from '../lib/errors'
import { Link } from '../lib/router'
import { Spinner } from '../components/Spinner'

// The fair-play review for administrators (issue 20): the queue of players
// whose editor timeline or last submission deserves a look, each with the
// match's evidence (pastes, focus, the similar submissions side by side),
// its replay, and the decisions (clear, void, ban), recorded with a reason
// and reversible. Facts, never a verdict: players never see any of this,
// and a result stands until an administrator decides.

type Action = 'clear' | 'void' | 'ban'

const ACTION_TEXT: Record<Action, { label: string; done: string; undo: string }> = {
  clear: { label: 'Clear player', done: 'cleared', undo: 'Undo clear' },
  void: { label: 'Void match', done: 'voided the match', undo: 'Unvoid' },
  ban: { label: 'Ban player', done: 'banned', undo: 'Unban' },
}

// The queue's views: open items have no standing decision (a clear, ban or
// void not reversed); an item decided during this visit stays where it is
// (with its new chips) until the page is loaded again.
type View = 'open' | 'decided' | 'all'
const VIEWS: { view: View; label: string }[] = [{ view: 'open', label: 'Open' }, { view: 'decided', label: 'Decided' }, { view: 'all', label: 'All' }]

function failure(e: unknown, fallback: string): string {
  return e instanceof ApiError ? errorText(e.code, e.message) : fallback
}

export default function Review() {
  const [items, setItems] = useState<ReviewItem[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [open, setOpen] = useState<string | null>(null)
  const [evidence, setEvidence] = useState<Record<string, MatchEvidence>>({})
  const [view, setView] = useState<View>('open')
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set())

  const load = () => api.review(50, 'all').then(setItems, (e) => setError(failure(e, 'Could not load the review queue.')))
  useEffect(() => {
    void load()
  }, [])

  const loadEvidence = (matchId: string) =>
    api.evidence(matchId).then((ev) => setEvidence((m) => ({ ...m, [matchId]: ev })), () => {})

  const toggle = (key: string, matchId: string) => {
    setOpen(open === key ? null : key)
    if (!evidence[matchId]) void loadEvidence(matchId)
  }

  if (error) return <p className="mx-auto max-w-3xl px-4 py-16 text-center text-slate-400" data-testid="review-error">{error}</p>
  if (!items) return <div className="grid min-h-[50vh] place-items-center"><Spinner label="Loading the review queue" /></div>
  const keyOf = (it: ReviewItem) => `${it.match_id}-${it.user_id}`
  const inView = (it: ReviewItem, v: View) => v === 'all' || touched.has(keyOf(it)) || (v === 'decided') === it.decided
  const shown = items.filter((it) => inView(it, view))

  return (
    <div className="mx-auto w-full max-w-6xl min-w-0 px-3 py-8 sm:px-4" data-testid="review">
      <h1 className="text-2xl font-bold text-white">Fair-play review</h1>
      <p className="mt-1 text-sm text-slate-400">
        Facts from the editor timelines and the submissions of the latest public matches. A result stands until you decide; every
        decision is recorded with your reason and can be reversed.
      </p>
      <div className="mt-4 flex flex-wrap gap-2" role="group" aria-label="Show">
        {VIEWS.map(({ view: v, label }) => (
          <button key={v} type="button" className={view === v ? 'btn-primary' : 'btn-secondary'} aria-pressed={view === v}
            data-testid={`view-${v}`} onClick={() => { setView(v); setTouched(new Set()) }}>
            {label} ({items.filter((it) => v === 'all' || (v === 'decided') === it.decided).length})
          </button>
        ))}
      </div>
      {shown.length === 0 ? <p className="mt-6 text-slate-400">{view === 'decided' ? 'No decisions yet.' : 'Nothing to review.'}</p> : null}
      <ul className="mt-6 space-y-3">
        {shown.map((it) => {
          const key = keyOf(it)
          return (
            <li key={key} className="card min-w-0 p-3 sm:p-4" data-testid="review-item">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h2 className="min-w-0 break-words font-semibold text-white">
                  {it.username}{' '}
                  <span className="text-sm font-normal text-slate-400">· {it.mode} · {it.problem_id} · {it.result || 'no result'}</span>
                </h2>
                <span className="flex flex-wrap gap-2">
                  {it.voided ? <span className="chip" data-testid="chip-voided">voided</span> : null}
                  {it.banned ? <span className="chip" data-testid="chip-banned">banned</span> : null}
                  {standing(it.decisions, 'clear', it.user_id) ? <span className="chip">cleared</span> : null}
                  {it.decided ? <span className="chip" data-testid="chip-decided">decided</span> : null}
                  <button type="button" className="btn-secondary" aria-expanded={open === key} aria-controls={`detail-${key}`}
                    onClick={() => toggle(key, it.match_id)}>
                    {open === key ? 'Hide evidence' : 'Evidence'}
                  </button>
                  <Link to={`/replay/${encodeURIComponent(it.match_id)}`} className="btn-secondary">Replay</Link>
                </span>
              </div>
              <ul className="mt-2 list-disc break-words pl-5 text-sm text-amber-200" aria-label="Reasons">
                {it.reasons.map((r) => <li key={r}>{r}</li>)}
              </ul>
              {it.similar ? (
                <p className="mt-1 text-sm text-rose-200" data-testid="queue-similar">
                  Closest: {Math.round(it.similar.score * 100)}% like {it.similar.username || `user #${it.similar.user_id}`}'s submission
                  {it.similar.match_id ? ` (match ${it.similar.match_id})` : ' (practice)'}
                </p>
              ) : null}
              {open === key ? (
                <div id={`detail-${key}`} className="mt-3 min-w-0">
                  {evidence[it.match_id] ? (
                    <Detail item={it} ev={evidence[it.match_id]} onDecided={() => {
                      setTouched((t) => new Set(t).add(key))
                      return Promise.all([load(), loadEvidence(it.match_id)])
                    }} />
                  ) : <Spinner label="Loading the evidence" />}
                </div>
              ) : null}
            </li>
          )
        })}
      </ul>
    </div>
  )
}

/** Whether a decision of action on user (0: the match) stands (not reversed). */
function standing(ds: ReviewDecision[], action: Action, user: number): ReviewDecision | undefined {
  return ds.find((d) => d.action === action && d.reverses === 0 && d.reversed_by === 0 && (action === 'void' || d.user_id === user))
}

function Detail({ item, ev, onDecided }: { item: ReviewItem; ev: MatchEvidence; onDecided: () => Promise<unknown> }) {
  const reasonId = useId()
  const [reason, setReason] = useState('')
  const [busy, setBusy] = useState(false)
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null)
  const names = new Map(ev.players.map((p) => [p.user_id, p.username]))
  const player = ev.players.find((p) => p.user_id === item.user_id)

  const decide = async (req: { action?: Action; user_id?: number; reverses?: number }, what: string) => {
    if (!reason.trim()) {
      setStatus({ ok: false, text: 'Give a reason first: it is recorded with the decision.' })
      return
    }
    setBusy(true)
    try {
      await api.decide(item.match_id, { ...req, reason: reason.trim() })
      setStatus({ ok: true, text: `Recorded: ${what}.` })
      setReason('')
      await onDecided()
    } catch (e) {
      setStatus({ ok: false, text: failure(e, 'The decision was not recorded.') })
    } finally {
      setBusy(false)
    }
  }

  const voided = ev.voided
  const banned = player?.banned ?? item.banned
  const cleared = standing(ev.decisions, 'clear', item.user_id)
  return (
    <div className="space-y-4">
      <section aria-label="Timeline signals" className="grid min-w-0 gap-3 md:grid-cols-2">
        {ev.players.map((p) => (
          <div key={p.user_id} className="min-w-0 rounded border border-white/10 p-3 text-sm text-slate-300" data-testid="signals">
            <h3 className="font-semibold text-white">{p.username}{p.banned ? ' (banned)' : ''}</h3>
            <p className="break-words">typed {p.typed_units} · pasted {p.pasted_units} (largest {p.largest_paste}) · focus lost {p.blurs}× · whole-text opens {p.opens}</p>
            {p.pastes.map((x, i) => (
              <p key={i} className="text-xs text-slate-400">
                paste of {x.units} at {Math.round(x.at_ms / 1000)} s{x.after_blur ? `, after ${Math.round(x.blur_away_ms / 1000)} s away` : ''}
              </p>
            ))}
            {p.similar.length === 0 ? <p className="text-xs text-slate-500">No similar submission of the problem.</p> : null}
          </div>
        ))}
      </section>

      {player && player.similar.length > 0 ? (
        <section aria-label="Similar submissions" className="min-w-0 space-y-3">
          {player.similar.map((s) => (
            <div key={s.submission_id} className="min-w-0" data-testid="similar">
              <h3 className="text-sm font-semibold text-rose-200">
                {Math.round(s.score * 100)}% like submission {s.submission_id} of {s.username || `user #${s.user_id}`}
                {s.match_id ? ` (match ${s.match_id})` : ' (practice)'}
              </h3>
              <p className="text-xs text-slate-400">Shared lines are marked ▌ and highlighted.</p>
              <div className="mt-2 grid min-w-0 gap-2 md:grid-cols-2">
                <Code title={`${player.username}, this match`} source={player.source ?? ''} shared={s.lines} />
                <Code title={`${s.username || `user #${s.user_id}`}, submission ${s.submission_id}`} source={s.source ?? ''} shared={s.other_lines} />
              </div>
            </div>
          ))}
        </section>
      ) : null}

      <section aria-label="Decision" className="min-w-0 rounded border border-white/10 p-3">
        <h3 className="font-semibold text-white">Decide</h3>
        <label htmlFor={reasonId} className="mt-2 block text-sm text-slate-300">Reason (recorded, required)</label>
        <textarea id={reasonId} value={reason} maxLength={500} rows={2} onChange={(e) => setReason(e.target.value)}
          className="mt-1 w-full min-w-0 rounded border border-white/10 bg-ink-900 p-2 text-sm text-white" data-testid="decision-reason" />
        <div className="mt-2 flex flex-wrap gap-2">
          <button type="button" className="btn-secondary" disabled={busy || !!cleared}
            onClick={() => decide({ action: 'clear', user_id: item.user_id }, `cleared ${item.username}`)}>{ACTION_TEXT.clear.label}</button>
          <button type="button" className="btn-secondary" disabled={busy || voided}
            onClick={() => decide({ action: 'void' }, 'voided the match')}>{ACTION_TEXT.void.label}</button>
          <button type="button" className="btn-secondary" disabled={busy || banned}
            onClick={() => decide({ action: 'ban', user_id: item.user_id }, `banned ${item.username}`)}>{ACTION_TEXT.ban.label} {item.username}</button>
        </div>
        <p role="status" aria-live="polite" className={`mt-2 text-sm ${status?.ok ? 'text-emerald-300' : 'text-rose-300'}`} data-testid="decision-status">
          {status?.text ?? ''}
        </p>
      </section>

      <section aria-label="History" className="min-w-0">
        <h3 className="font-semibold text-white">History</h3>
        {ev.decisions.length === 0 ? <p className="text-sm text-slate-400">No decision yet.</p> : null}
        <ol className="mt-1 space-y-2 text-sm" data-testid="history">
          {ev.decisions.map((d) => {
            const a = d.action as Action
            const who = d.user_id ? ` ${names.get(d.user_id) ?? `user #${d.user_id}`}` : ''
            const text = d.reverses ? `${ACTION_TEXT[a]?.undo ?? 'undo'}${who} (reverses #${d.reverses})` : `${ACTION_TEXT[a]?.done ?? a}${a === 'void' ? '' : who}`
            return (
              <li key={d.id} className="min-w-0 break-words rounded border border-white/5 p-2 text-slate-300" data-testid="history-entry">
                <span className="font-medium text-white">#{d.id} {d.admin || `admin #${d.admin_id}`} {text}</span>{' '}
                <time dateTime={d.at} className="text-xs text-slate-400">{new Date(d.at).toLocaleString()}</time>
                <span className="block text-slate-400">“{d.reason}”</span>
                {d.changes.filter((c) => c.rated || c.xp_before !== c.xp_after).map((c) => (
                  <span key={c.user_id} className="block text-xs text-slate-400">
                    {names.get(c.user_id) ?? `user #${c.user_id}`}: rating {c.rating_before.toFixed(1)} → {c.rating_after.toFixed(1)}, XP {c.xp_before} → {c.xp_after}
                    {c.exact ? ' (exact)' : ' (inverse delta: later matches)'}
                  </span>
                ))}
                {d.reversed_by ? <span className="block text-xs text-slate-500">reversed by #{d.reversed_by}</span> : null}
                {!d.reverses && !d.reversed_by ? (
                  <button type="button" className="btn-secondary mt-1" disabled={busy}
                    onClick={() => decide({ reverses: d.id }, `${ACTION_TEXT[a]?.undo ?? 'undo'} #${d.id}`)}>
                    {ACTION_TEXT[a]?.undo ?? 'Undo'} #{d.id}
                  </button>
                ) : null}
              </li>
            )
          })}
        </ol>
      </section>
    </div>
  )
}

/** One submission with its shared lines marked (a mark and a colour, not colour alone); long lines scroll inside the box. */
function Code({ title, source, shared }: { title: string; source: string; shared: number[] }) {
  const set = new Set(shared)
  const lines = source.split('\n')
  return (
    <figure className="min-w-0 rounded border border-white/10">
      <figcaption className="break-words border-b border-white/10 px-2 py-1 text-xs text-slate-300">{title} · {set.size} shared lines</figcaption>
      <pre className="max-h-80 overflow-auto p-2 text-xs leading-5" tabIndex={0} aria-label={`${title}, code`}>
        {lines.map((l, i) => {
          const on = set.has(i + 1)
          return (
            <div key={i} className={on ? 'bg-rose-500/20 text-rose-100' : 'text-slate-300'} data-shared={on ? 'true' : undefined}>
              <span className="inline-block w-4 select-none text-rose-300" aria-hidden="true">{on ? '▌' : ' '}</span>
              <span className="inline-block w-7 select-none pr-2 text-right text-slate-500" aria-hidden="true">{i + 1}</span>
              {on ? <span className="sr-only">shared: </span> : null}
              {l || ' '}
            </div>
          )
        })}
      </pre>
    </figure>
  )
}
