import { useEffect, useMemo, useRef, useState } from 'react'
import { api, ApiError, type ReplayData, type ReplayMarker } from '../lib/api'
import { errorText } from '../lib/errors'
import { Link, navigate, useLocation } from '../lib/router'
import { Spinner } from '../components/Spinner'
import { TextReplay } from '../replay/engine'
import { VERDICT_TEXT } from '../protocol/types'
import { languageName, useLanguages } from '../lib/languages'

const SPEEDS = [1, 2, 4, 8, 16]

function clockText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

function markerText(m: ReplayMarker, names: Map<number, string>): string {
  const who = m.user_id != null ? names.get(m.user_id) ?? `#${m.user_id}` : ''
  switch (m.kind) {
    case 'run': return `${who} runs the samples`
    case 'submit': return `${who} submits`
    case 'verdict': return `${who}: ${VERDICT_TEXT[m.verdict as keyof typeof VERDICT_TEXT] ?? m.verdict}${m.total ? ` (${m.passed}/${m.total})` : ''}`
    default: return `The match ends${m.detail ? ` (${m.detail})` : ''}`
  }
}

// The replay of a match (issue 20): both editors side by side, a scrubber
// with the runs, submissions and verdicts marked, play/pause at 1×–16×, and
// a link that opens at the instant shown (?t=ms since the start).
export default function Replay({ matchId }: { matchId: string }) {
  const { list: languages } = useLanguages()
  const { search } = useLocation()
  const [data, setData] = useState<ReplayData | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [t, setT] = useState(0) // ms since start_ms
  const [playing, setPlaying] = useState(false)
  const [speed, setSpeed] = useState(1)
  const [copied, setCopied] = useState(false)

  useEffect(() => {
    api.replay(matchId).then(
      (d) => {
        setData(d)
        const at = Number(search.get('t'))
        setT(Number.isFinite(at) && at > 0 ? Math.min(at, d.end_ms - d.start_ms) : 0)
      },
      (e) => setError(e instanceof ApiError ? errorText(e.code, e.message) : 'Could not load the replay.'),
    )
    // search is read once: the instant of a shared link
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [matchId])

  const replays = useMemo(() => data?.players.map((p) => new TextReplay(p.events)) ?? [], [data])
  const span = data ? Math.max(0, data.end_ms - data.start_ms) : 0
  const names = useMemo(() => new Map(data?.players.map((p) => [p.user_id, p.username]) ?? []), [data])

  // Playback: the clock advances by real time × speed.
  const last = useRef<number | null>(null)
  useEffect(() => {
    if (!playing) return
    let raf = 0
    last.current = null
    const step = (now: number) => {
      const dt = last.current == null ? 0 : now - last.current
      last.current = now
      setT((cur) => {
        const next = Math.min(span, cur + dt * speed)
        if (next >= span) setPlaying(false)
        return next
      })
      raf = requestAnimationFrame(step)
    }
    raf = requestAnimationFrame(step)
    return () => cancelAnimationFrame(raf)
  }, [playing, speed, span])

  if (error) {
    return (
      <div className="mx-auto max-w-3xl px-4 py-16 text-center">
        <h1 className="text-2xl font-bold text-white">No replay</h1>
        <p className="mt-2 text-slate-400" data-testid="replay-error">{error}</p>
        <Link to="/" className="btn-primary mt-6 inline-block">Back to the lobby</Link>
      </div>
    )
  }
  if (!data) return <div className="grid min-h-[50vh] place-items-center"><Spinner label="Loading the replay" /></div>

  const at = data.start_ms + t
  const jump = (m: ReplayMarker) => {
    setPlaying(false)
    setT(Math.max(0, m.at - data.start_ms))
  }
  const share = async () => {
    const url = `${location.origin}/replay/${encodeURIComponent(matchId)}?t=${Math.round(t)}`
    navigate(`/replay/${encodeURIComponent(matchId)}?t=${Math.round(t)}`, { replace: true })
    try {
      await navigator.clipboard.writeText(url)
      setCopied(true)
      setTimeout(() => setCopied(false), 1500)
    } catch {
      // no clipboard permission: the address bar holds the link
    }
  }

  return (
    <div className="mx-auto max-w-7xl px-4 py-6" data-testid="replay" data-t={Math.round(t)} data-at={Math.round(at)}>
      <header className="flex flex-wrap items-baseline justify-between gap-3">
        <div>
          <p className="text-xs uppercase tracking-widest text-slate-500">Replay · {data.match.mode}</p>
          <h1 className="text-2xl font-bold text-white">{data.match.problem.title || data.match.problem.id}</h1>
        </div>
        <Link to={`/result/${encodeURIComponent(matchId)}`} className="btn-secondary">Result</Link>
      </header>

      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        {data.players.map((p, i) => {
          const r = replays[i].seek(at)
          const langName = languageName(languages, r.lang)
          return (
            <section key={p.user_id} className="card overflow-hidden p-0" aria-label={`${p.username}'s editor`}>
              <div className="flex items-center justify-between border-b border-white/10 px-3 py-2 text-sm">
                <span className="font-semibold text-white">{p.username}</span>
                <span className="text-slate-400">{langName}</span>
              </div>
              {p.hidden ? (
                <p className="p-4 text-sm text-slate-400" data-testid={`replay-hidden-${p.user_id}`}>This editor is shown once the match is over.</p>
              ) : p.events.length === 0 ? (
                <p className="p-4 text-sm text-slate-400" data-testid={`replay-empty-${p.user_id}`}>Nothing was recorded for this player.</p>
              ) : (
                <pre className="h-[420px] overflow-auto p-3 font-mono text-xs leading-relaxed text-slate-200" data-testid={`replay-text-${p.user_id}`}>{r.text}</pre>
              )}
            </section>
          )
        })}
      </div>

      <div className="card mt-4 p-4">
        <div className="relative h-6" aria-hidden="true">
          {data.markers.map((m, i) => (
            <span key={i} title={markerText(m, names)}
              className={`absolute top-1 h-4 w-1 -translate-x-1/2 rounded ${m.kind === 'verdict' ? (m.verdict === 'AC' ? 'bg-emerald-400' : 'bg-rose-400') : m.kind === 'submit' ? 'bg-amber-300' : m.kind === 'run' ? 'bg-sky-400' : 'bg-white'}`}
              style={{ left: `${span ? ((m.at - data.start_ms) / span) * 100 : 0}%` }} />
          ))}
        </div>
        <input type="range" className="w-full" min={0} max={span} step={10} value={Math.round(t)} aria-label="Position in the match"
          onChange={(e) => { setPlaying(false); setT(Number(e.target.value)) }} data-testid="scrubber" />
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <button className="btn-primary" onClick={() => { if (t >= span) setT(0); setPlaying(!playing) }} data-testid="play">{playing ? 'Pause' : 'Play'}</button>
          <label className="text-sm text-slate-300">Speed{' '}
            <select className="input w-auto py-1" value={speed} onChange={(e) => setSpeed(Number(e.target.value))} data-testid="speed">
              {SPEEDS.map((s) => <option key={s} value={s}>{s}×</option>)}
            </select>
          </label>
          <span className="font-mono text-sm text-slate-300" data-testid="replay-clock">{clockText(t)} / {clockText(span)}</span>
          <button className="btn-secondary" onClick={share} data-testid="share">{copied ? 'Link copied' : 'Copy link'}</button>
        </div>
        <ol className="mt-3 flex flex-wrap gap-2 text-xs" aria-label="Moments">
          {data.markers.map((m, i) => (
            <li key={i}>
              <button className="rounded border border-white/10 px-2 py-1 text-slate-300 hover:bg-white/10" onClick={() => jump(m)}
                data-testid={`marker-${i}`} data-kind={m.kind} data-user={m.user_id ?? ''} data-at={m.at}>
                {clockText(m.at - data.start_ms)} · {markerText(m, names)}
              </button>
            </li>
          ))}
        </ol>
      </div>
    </div>
  )
}
