import { useArena } from '../protocol/arena'
import { VERDICT_TEXT, type GhostInfo, type MatchState } from '../protocol/types'
import { docText, offsetText, raceText } from '../replay/live'
import { languageName, useLanguages } from '../lib/languages'
import { Link } from '../lib/router'

// The ghost's lane in a ghost race (issue 20): its editor, read-only,
// playing back as the server sends its steps at their original offsets,
// with its runs, submissions and verdicts marked; then who won.
export function GhostLane({ match, ghost }: { match: MatchState; ghost: GhostInfo }) {
  const { list: languages } = useLanguages()
  const lane = useArena((a) => (a.ghost?.match_id === match.match_id ? a.ghost : null))
  const marks = (lane?.steps ?? []).filter((s) => s.kind !== 'editor')
  return (
    <section className="panel p-4" aria-label="Ghost" data-testid="ghost-lane">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="font-semibold text-white">
          Ghost: <span data-testid="ghost-name">{ghost.username}</span> <span className="text-sm text-slate-400">({Math.round(ghost.rating)}, {languageName(languages, ghost.lang)})</span>
        </h2>
        <p className="text-sm text-slate-400">Solved it in <span className="font-mono text-white">{offsetText(ghost.accept_ms)}</span> · <Link className="underline" to={`/replay/${encodeURIComponent(ghost.source_match_id)}`}>its match</Link></p>
      </div>
      {lane?.result ? (
        <p className={`mt-2 text-lg font-bold ${lane.result.winner === 'you' ? 'text-neon' : 'text-rose-300'}`} data-testid="ghost-result" role="status">{raceText(lane.result)}</p>
      ) : null}
      <ol className="mt-2 flex flex-wrap gap-1 text-xs" aria-label="What the ghost did" data-testid="ghost-marks">
        {marks.map((s, i) => (
          <li key={i} className="chip" data-kind={s.kind}>
            {offsetText(s.at_ms)} {s.kind === 'run' ? 'runs' : s.kind === 'submit' ? 'submits' : `${VERDICT_TEXT[s.verdict ?? 'pending'] ?? s.verdict}${s.total ? ` ${s.passed}/${s.total}` : ''}`}
          </li>
        ))}
      </ol>
      <pre className="mt-2 max-h-40 overflow-auto rounded-lg bg-ink-950 p-3 font-mono text-xs leading-relaxed text-slate-300" aria-readonly="true"
        aria-label="The ghost's editor" data-testid="ghost-editor">{lane ? docText(lane.doc) : ''}</pre>
    </section>
  )
}

// Spectators of a match with live editors: each player's editor,
// read-only, as the server relays it.
export function LiveEditors({ match }: { match: MatchState }) {
  const live = useArena((a) => (a.live?.match_id === match.match_id ? a.live : null))
  return (
    <div className="mt-4 grid gap-3 lg:grid-cols-2" data-testid="live-editors">
      {match.players.map((p) => {
        const ed = live?.players[p.user_id]
        return (
          <div key={p.user_id}>
            <p className="label">{p.username}{ed?.doc.lang ? ` · ${ed.doc.lang}` : ''}</p>
            <pre className="h-72 overflow-auto rounded-lg bg-ink-950 p-3 font-mono text-xs leading-relaxed text-slate-200" aria-readonly="true"
              aria-label={`${p.username}'s editor`} data-testid={`live-editor-${p.user_id}`}>{ed ? ed.doc.docs[ed.doc.cur] ?? '' : ''}</pre>
          </div>
        )
      })}
    </div>
  )
}
