import { animate, motion, useMotionValue, useTransform } from 'motion/react'
import { Streak } from '../game/Streak'
import { useEffect, useState } from 'react'
import { api, ApiError, pollWithBackoff, type MatchDetail } from '../lib/api'
import { errorText } from '../lib/errors'
import { Link } from '../lib/router'
import { useSession } from '../lib/session'
import { languageName, useLanguages } from '../lib/languages'
import { dispatch, useArena } from '../protocol/arena'
import { raceText } from '../replay/live'
import { VERDICT_TEXT, type CoachNote, type MatchFinished, type Solution } from '../protocol/types'
import { CoachPanel, evidenceOf } from '../components/CoachPanel'
import { Spinner } from '../components/Spinner'
import { Trophy } from '../components/Trophy'
import { PlayerTag } from '../game/PlayerTag'
import { ResultActions } from '../game/ResultActions'
import { RuleBadge, countChars } from '../game/RuleBadge'
import { BigOCurves, seriesOf } from '../components/BigOCurves'

function fromDetail(d: MatchDetail): MatchFinished {
  const best = new Map<number, Solution>()
  for (const s of d.submissions) {
    const prev = best.get(s.user_id)
    if (!prev || s.passed > prev.passed || s.verdict === 'AC') {
      best.set(s.user_id, { user_id: s.user_id, username: d.match.players.find((p) => p.user_id === s.user_id)?.username ?? `#${s.user_id}`,
        lang: s.lang, verdict: s.verdict as Solution['verdict'], passed: s.passed, total: s.total, code: s.code ?? '',
        chars: countChars(s.code ?? ''), measure: null })
    }
  }
  return {
    match_id: d.match.match_id, mode: d.match.mode, rule: d.match.rule ?? 'fastest', outcome: (d.match.outcome ?? 'draw') as MatchFinished['outcome'], reason: d.match.reason,
    winner_id: d.match.winner_id ?? null, finished_at: d.match.finished_at ?? '', ratings: d.ratings, xp: d.xp, solutions: [...best.values()], coach: d.coach,
  }
}

export function Result({ matchId }: { matchId: string }) {
  const live = useArena((a) => (a.finished?.match_id === matchId ? a.finished : null))
  // The players' names: the match just played is still in the arena state;
  // after a reload only the REST record has them.
  const livePlayers = useArena((a) => (a.match?.match_id === matchId ? a.match.players : null))
  // A ghost race's result (ghost.result, just before match.finished).
  const race = useArena((a) => (a.ghost?.match_id === matchId ? a.ghost.result : null))
  const s = useSession()
  const { list: languages } = useLanguages()
  const meId = s.status === 'signed-in' ? s.me.id : undefined
  const [fetched, setFetched] = useState<{ f: MatchFinished; names: Map<number, string> } | null>(null)
  const [error, setError] = useState<string | null>(null)

  const needRecord = !live || (!livePlayers && live.mode !== 'practice')
  useEffect(() => {
    if (!needRecord) return
    api.match(matchId).then(
      (d) => setFetched({ f: fromDetail(d), names: new Map(d.match.players.map((p) => [p.user_id, p.username])) }),
      (e) => setError(e instanceof ApiError ? errorText(e.code, e.message) : 'Could not load the match.'),
    )
  }, [matchId, needRecord])

  // Loaded over REST (a reload, a link): no match.coach will reach this
  // page, so ask again, with backoff, until every accepted solution has its
  // report or two minutes have passed.
  const waitingCoach = !live && !!fetched && fetched.f.solutions.some((x) => x.verdict === 'AC' && !fetched.f.coach?.some((c) => c.user_id === x.user_id))
  useEffect(() => {
    if (!waitingCoach) return
    const ac = new AbortController()
    const covered = (f: MatchFinished) => f.solutions.every((x) => x.verdict !== 'AC' || f.coach?.some((c) => c.user_id === x.user_id))
    pollWithBackoff(() => api.match(matchId), (d) => covered(fromDetail(d)), { signal: ac.signal, waitFirst: true, firstDelayMs: 2000, maxDelayMs: 15_000, totalMs: 120_000 })
      .then((d) => { if (d && !ac.signal.aborted) setFetched({ f: fromDetail(d), names: new Map(d.match.players.map((p) => [p.user_id, p.username])) }) }, () => {})
    return () => ac.abort()
  }, [waitingCoach, matchId])

  // My own accepted submission's report straight from the REST API (a
  // practice match, or a match.coach push that did not reach this tab):
  // GET /api/v1/submissions/{id}/coach, 202 until the analysis is stored.
  const myAcId = useArena((a) => (a.submission?.result?.verdict === 'AC' && a.submission.result.match_id === matchId ? a.submission.result.submission_id : null))
  const [myCoach, setMyCoach] = useState<{ note: CoachNote } | { failed: string } | null>(null)
  const current = live ?? fetched?.f
  const haveMine = !!current?.coach?.some((c) => c.user_id === meId)
  useEffect(() => {
    if (!myAcId || meId === undefined || haveMine) return
    const ac = new AbortController()
    pollWithBackoff(() => api.coach(myAcId), (c) => c.status !== 'pending', { signal: ac.signal, waitFirst: true, firstDelayMs: 1500, maxDelayMs: 10_000, totalMs: 120_000 }).then((c) => {
      if (ac.signal.aborted || !c) return
      if (c.status === 'done') {
        const r = c.report
        setMyCoach({ note: { user_id: meId, submission_id: myAcId, time: r.time, space: r.space, intended_time: r.intended?.time, explanation: r.text, report: r } })
      } else if (c.status === 'failed') setMyCoach({ failed: `The coach could not analyse this solution${c.error ? `: ${c.error}` : '.'}` })
    }, () => {})
    return () => ac.abort()
  }, [myAcId, meId, haveMine])

  // Leaving the result screen clears the finished match from the live state.
  useEffect(() => () => dispatch({ kind: 'finished.dismiss' }), [])

  const f = live ?? fetched?.f
  if (!f) {
    return <div className="grid h-[60vh] place-items-center">{error ? <p className="text-slate-400" role="alert">{error}</p> : <Spinner label="Loading the result" />}</div>
  }
  const name = (id: number | null) => (id == null ? '' : f.solutions.find((x) => x.user_id === id)?.username ?? livePlayers?.find((p) => p.user_id === id)?.username
    ?? fetched?.names.get(id) ?? `#${id}`)
  const won = f.winner_id != null && f.winner_id === meId
  // Played in it (rated or not): a spectator sees "X wins", a player "Defeat".
  const played = meId !== undefined && [...f.ratings, ...f.xp, ...f.solutions].some((r) => r.user_id === meId)
  const lost = f.winner_id != null && f.winner_id !== meId && played
  const myRating = f.ratings.find((r) => r.user_id === meId)
  const myXp = f.xp.find((x) => x.user_id === meId)
  // Practice is solo: nobody was beaten, the problem was solved (or not).
  const headline = f.outcome === 'aborted' ? 'Cancelled' : f.mode === 'practice' ? (won ? 'Solved' : 'Practice over')
    : f.winner_id == null ? 'Draw' : won ? 'Victory' : lost ? 'Defeat' : `${name(f.winner_id)} wins`
  const outcomeText: Record<MatchFinished['outcome'], string> = {
    won: 'First accepted solution', timeout: 'Time ran out: most hidden tests passed', draw: 'Nobody could be separated', forfeit: 'Forfeit by disconnection', resigned: 'Resignation',
    aborted: 'Left before the start: no result', shortest: 'Fewest characters among the accepted solutions',
  }
  if (f.rule === 'bigo') outcomeText.won = 'First accepted solution at or below the intended complexity'

  return (
    <div className="mx-auto max-w-7xl px-4 py-10" data-testid="result" data-outcome={won ? 'win' : lost ? 'loss' : 'other'}>
      <motion.div initial={{ opacity: 0, scale: 0.9 }} animate={{ opacity: 1, scale: 1 }} transition={{ type: 'spring', stiffness: 200, damping: 18 }} className="text-center">
        <p className="text-xs tracking-[0.4em] text-slate-400 uppercase">{f.mode} · {outcomeText[f.outcome]}</p>
        {f.rule && f.rule !== 'fastest' ? <p className="mt-2"><RuleBadge rule={f.rule} /></p> : null}
        <h1 className={`mt-2 text-6xl font-black tracking-tight ${won ? 'text-neon drop-shadow-[0_0_30px_rgb(34_211_238/0.6)]' : lost ? 'text-blood' : 'text-white'}`} data-testid="result-headline">
          {headline}
        </h1>
        {f.winner_id != null && !won ? <p className="mt-2 text-slate-400">Winner: <span className="text-white">{name(f.winner_id)}</span></p> : null}
        {race ? (
          <p className={`mt-3 text-2xl font-bold ${race.winner === 'you' ? 'text-neon' : 'text-rose-300'}`} data-testid="ghost-result" data-winner={race.winner}>
            {raceText(race)}{race.ghost ? <span className="ml-2 text-base font-normal text-slate-400">(ghost: {race.ghost})</span> : null}
          </p>
        ) : null}
      </motion.div>

      <div className="mx-auto mt-8 grid max-w-2xl gap-4 sm:grid-cols-2">
        <div className="panel p-5 text-center">
          <p className="label">Rating</p>
          {myRating ? <RatingDelta before={myRating.before} after={myRating.after} /> : <p className="text-slate-400">Unrated match</p>}
        </div>
        <div className="panel p-5 text-center">
          <p className="label">Experience</p>
          {myXp ? (
            <div data-testid="xp" data-gained={myXp.gained} data-total={myXp.total || undefined}>
              <CountUp to={myXp.gained} prefix="+" className="text-4xl font-black text-gold" testid="xp-gained" /> <span className="text-gold">XP</span>
              {/* The match's REST view carries only the gain; the total and level come with match.finished. */}
              {myXp.total > 0 ? (
                <p className="mt-1 text-sm text-slate-400" data-testid="xp-total">
                  {myXp.total} XP in total · Level {myXp.level}{myXp.level_up ? <span className="text-gold"> · level up!</span> : null}
                </p>
              ) : <p className="mt-1 text-sm text-slate-500">earned in this match</p>}
              {myXp.win_streak > 0 ? (
                <p className="mt-1 flex items-center justify-center gap-1 text-sm text-amber-300" data-testid="result-streak">Win streak <Streak n={myXp.win_streak} /></p>
              ) : null}
            </div>
          ) : <p className="text-slate-400">—</p>}
        </div>
      </div>

      <ResultActions f={f} played={played} mine={myRating} me={meId} name={name} />

      {f.rule === 'bigo' ? <BigOCurves series={seriesOf(f.solutions, f.coach)} intended={f.coach?.find((c) => c.intended_time)?.intended_time} /> : null}

      <section className="mt-10" aria-labelledby="solutions-title">
        <h2 id="solutions-title" className="mb-3 text-lg font-bold text-white">Solutions</h2>
        <div className="grid gap-4 lg:grid-cols-2">
          {f.solutions.length === 0 ? <p className="text-slate-500">No submissions.</p> : ordered(f).map((sol) => (
            <article key={sol.user_id} className="panel overflow-hidden" aria-label={`Solution of ${sol.username}`}>
              <header className="flex items-center justify-between border-b border-white/5 px-4 py-2">
                <p className="flex min-w-0 items-center gap-1 font-semibold text-white">
                  <PlayerTag id={sol.user_id} name={sol.username} rating={f.ratings.find((r) => r.user_id === sol.user_id)?.after} rd={f.ratings.find((r) => r.user_id === sol.user_id)?.rd} link />
                  {sol.user_id === f.winner_id ? <Trophy /> : null}
                </p>
                <p className="text-xs text-slate-400">{languageName(languages, sol.lang)} · {VERDICT_TEXT[sol.verdict] ?? sol.verdict} · {sol.passed}/{sol.total}
                  {f.rule === 'shortest' ? <> · <span className="font-mono text-emerald-200" data-testid="chars" data-chars={sol.chars}>{sol.chars} chars</span></> : null}
                  {f.rule === 'bigo' && sol.measure ? <> · <span className={sol.measure === 'slower' ? 'text-rose-300' : 'text-emerald-200'} data-testid="measure" data-measure={sol.measure}>{sol.measure === 'meets' ? 'meets the intended class' : sol.measure === 'slower' ? 'too slow a class' : 'class not decided'}</span></> : null}
                </p>
              </header>
              {(() => {
                const note = f.coach?.find((c) => c.user_id === sol.user_id) ?? (sol.user_id === meId && myCoach && 'note' in myCoach ? myCoach.note : undefined)
                return (
                  <>
                    <CodeView code={sol.code} marked={markedLines(note)} />
                    <CoachPanel note={note} pending={sol.verdict === 'AC'} failed={sol.user_id === meId && myCoach && 'failed' in myCoach ? myCoach.failed : null} />
                  </>
                )
              })()}
            </article>
          ))}
        </div>
      </section>

      <div className="mt-10 flex justify-center gap-3">
        <Link to="/" className="btn-primary">Back to the lobby</Link>
        <Link to="/leaderboard" className="btn-secondary">Leaderboard</Link>
        <Link to={`/replay/${encodeURIComponent(matchId)}`} className="btn-secondary" data-testid="watch-replay">Watch the replay</Link>
      </div>
    </div>
  )
}

// A shortest match's solutions in its order: accepted first, fewest characters first.
function ordered(f: MatchFinished): Solution[] {
  if (f.rule !== 'shortest') return f.solutions
  return [...f.solutions].sort((a, b) => Number(b.verdict === 'AC') - Number(a.verdict === 'AC') || a.chars - b.chars)
}

// Source lines the coach names as the dominant cost of this player's solution.
function markedLines(note: CoachNote | undefined): Map<number, string> {
  const out = new Map<number, string>()
  for (const e of evidenceOf(note?.report)) {
    for (let l = e.start; l <= Math.min(e.end, e.start + 200); l++) if (!out.has(l)) out.set(l, e.note)
  }
  return out
}

/** Code with line numbers; the coach's evidence lines are highlighted. */
export function CodeView({ code, marked }: { code: string; marked: Map<number, string> }) {
  if (!code) return <pre className="p-4 font-mono text-xs text-slate-500">(no code)</pre>
  const lines = code.replace(/\n$/, '').split('\n')
  return (
    <pre className="max-h-[480px] overflow-auto py-3 font-mono text-xs leading-relaxed text-slate-200" data-testid="solution-code" tabIndex={0} role="region" aria-label="Solution code">
      {lines.map((l, i) => {
        const note = marked.get(i + 1)
        return (
          <span key={i} className={`flex px-4 ${note ? 'bg-fuchsia-500/10' : ''}`} data-line={i + 1} data-marked={note ? 'true' : undefined} title={note}>
            <span className="mr-4 w-8 shrink-0 text-right text-slate-600 select-none" aria-hidden="true">{i + 1}</span>
            <span className="whitespace-pre">{l || ' '}</span>
          </span>
        )
      })}
    </pre>
  )
}

function RatingDelta({ before, after }: { before: number; after: number }) {
  const delta = after - before
  return (
    <div data-testid="rating-delta" data-delta={Math.round(delta)} data-after={Math.round(after)}>
      <CountUp from={before} to={after} className="text-4xl font-black text-white" testid="rating-value" />
      <p className={`mt-1 font-mono text-lg font-bold ${delta >= 0 ? 'text-emerald-300' : 'text-rose-300'}`}>
        {delta >= 0 ? '+' : '−'}{Math.abs(Math.round(delta))}
      </p>
    </div>
  )
}

// Counts from `from` to the server's number. The animation ends exactly on
// `to` (it is set, not just approached), and data-settled says when, so a
// test or a screenshot can wait for the final value.
function CountUp({ from = 0, to, prefix = '', className = '', testid }: { from?: number; to: number; prefix?: string; className?: string; testid?: string }) {
  const v = useMotionValue(from)
  const text = useTransform(v, (x) => prefix + Math.round(x))
  const [settled, setSettled] = useState(false)
  useEffect(() => {
    setSettled(false)
    const c = animate(v, to, { duration: 1.4, ease: [0.16, 1, 0.3, 1], onComplete: () => { v.set(to); setSettled(true) } })
    return () => c.stop()
  }, [to, v])
  return (
    <>
      <motion.span className={className} aria-hidden="true" data-testid={testid} data-settled={settled ? 'true' : 'false'} data-value={Math.round(to)}>{text}</motion.span>
      <span className="sr-only">{prefix}{Math.round(to)}</span>
    </>
  )
}
