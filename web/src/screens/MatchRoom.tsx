import { motion } from 'motion/react'
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { Countdown, useRemaining } from '../components/Countdown'
import { RunResults, verdictColor } from '../components/RunResults'
import { Markdown } from '../components/Markdown'
import { ChatPanel, type ChatTab } from '../chat/ChatPanel'
import { RULES, RuleBadge, countChars } from '../game/RuleBadge'
import { PlayerProgress } from '../components/OpponentPanel'
import { DuelGrid } from '../game/DuelGrid'
import { GhostLane, LiveEditors } from '../game/GhostLane'
import { Spinner } from '../components/Spinner'
import { loadDraft, saveDraft } from '../editor/templates'
import { recordEditor, type EditorRecorder } from '../editor/recorder'
import { parseCompileErrors, type Diagnostic } from '../editor/diagnostics'
import { ServerClock, formatClock } from '../lib/clock'
import { Link } from '../lib/router'
import { toast, toastError } from '../lib/toast'
import { formatBytes } from '../lib/errors'
import { isPristine, languageOf, offered, useLanguages } from '../lib/languages'
import { act, arenaClient, dispatch, useArena } from '../protocol/arena'
import { MAX_CODE_BYTES, MAX_INPUT_BYTES, VERDICT_TEXT, type Lang, type MatchState, type Outcome } from '../protocol/types'

const CodeEditor = lazy(() => import('../editor/CodeEditor'))
const fallbackClock = new ServerClock()

export default function MatchRoom({ matchId, spectate = false }: { matchId: string; spectate?: boolean }) {
  const match = useArena((a) => (a.match?.match_id === matchId ? a.match : null))
  const synced = useArena((a) => a.synced)
  const conn = useArena((a) => a.conn)
  const clock = arenaClient()?.clock ?? fallbackClock

  // Spectators ask for the match; players already have it from the snapshot.
  useEffect(() => {
    if (!spectate || conn !== 'open') return
    const c = arenaClient()
    if (c) c.subscriptions.spectate = matchId
    void act('spectate', { match_id: matchId })
    return () => {
      if (c && c.subscriptions.spectate === matchId) delete c.subscriptions.spectate
      c?.send('spectate.stop', {})
    }
  }, [spectate, matchId, conn])
  // A missed editor.live frame: ask again, the reply carries the editors' texts.
  const stale = useArena((a) => a.live?.match_id === matchId && a.live.stale)
  useEffect(() => {
    if (spectate && stale && conn === 'open') void act('spectate', { match_id: matchId })
  }, [spectate, stale, matchId, conn])

  if (!match) {
    if (!synced) return <div className="grid h-[60vh] place-items-center"><Spinner label="Syncing the match with the server" /></div>
    return (
      <div className="mx-auto max-w-lg px-6 py-24 text-center">
        <h1 className="text-2xl font-bold text-white">This match is not running</h1>
        <p className="mt-2 text-slate-400">It may have finished, or you are not in it.</p>
        <div className="mt-6 flex justify-center gap-3">
          <Link to={`/result/${encodeURIComponent(matchId)}`} className="btn-secondary">See the result</Link>
          <Link to="/" className="btn-primary">Lobby</Link>
        </div>
      </div>
    )
  }
  return <Room match={match} clock={clock} spectating={spectate || !!match.spectating} />
}

function Room({ match, clock, spectating }: { match: MatchState; clock: ServerClock; spectating: boolean }) {
  const me = match.you
  const problem = match.problem
  const startsIn = useRemaining(clock, match.starts_at, 200)
  const countingDown = match.state === 'countdown' || (match.state === 'running' && startsIn > 0)
  // (over, below: the clock stops and everyone is told who won)
  const running = match.state === 'running' && startsIn <= 0
  const players = match.players
  const finished = useArena((a) => (a.finished?.match_id === match.match_id ? a.finished : null))
  const over = match.state === 'finished' || !!finished
  const mine = players.find((p) => p.user_id === me)
  const others = players.filter((p) => p.user_id !== me)
  // Below lg the statement and the editor (or the spectators' progress)
  // are two panes with a switch; both stay mounted, so Monaco and the
  // draft survive switching.
  const [pane, setPane] = useState<'problem' | 'work'>('problem')
  const paneClass = (p: 'problem' | 'work') => (pane === p ? '' : 'max-lg:hidden')

  return (
    <div className="mx-auto flex max-w-[1600px] flex-col gap-3 px-3 py-3 lg:h-[calc(100vh-3.5rem)]">
      <div className="flex flex-wrap items-center gap-3">
        <div className="min-w-0 flex-1">
          <p className="flex items-center gap-2 text-xs tracking-[0.2em] text-neon uppercase">{match.mode}{spectating ? ' · spectating' : ''}{match.live_editors ? ' · live editors' : ''}<RuleBadge rule={match.rule} /></p>
          {match.live_editors && !spectating ? (
            <p className="text-xs text-slate-400" data-testid="live-editors-note">Spectators watch your editor live: <span className="font-mono select-all">{`${location.origin}/spectate/${match.match_id}`}</span></p>
          ) : null}
          <h1 className="truncate text-xl font-bold text-white" data-testid="problem-title" data-problem-id={problem?.id ?? ''}>{problem?.title ?? 'Get ready…'}</h1>
        </div>
        <div className="panel flex items-center gap-3 px-4 py-2">
          {over ? (
            <FinalClock deadline={match.deadline} finishedAt={finished?.finished_at ?? null} />
          ) : countingDown ? (
            <Countdown clock={clock} deadline={match.starts_at} label="Starts in" className="text-2xl" />
          ) : (
            <Countdown clock={clock} deadline={match.deadline} label="Time left" className="text-2xl" />
          )}
        </div>
        {/* Spectators get the cards once, in the progress pane below. */}
        {spectating ? null : (
          <div className="grid w-full grid-cols-1 gap-2 sm:w-auto sm:grid-cols-2">
            {mine ? <PlayerProgress p={mine} clock={clock} you /> : null}
            {others.slice(0, 3).map((p) => <PlayerProgress key={p.user_id} p={p} clock={clock} />)}
          </div>
        )}
      </div>
      <DuelGrid match={match} />
      {match.ghost && !spectating ? <GhostLane match={match} ghost={match.ghost} /> : null}
      {over ? <MatchOver matchId={match.match_id} players={players} winnerId={finished?.winner_id ?? null} outcome={finished?.outcome ?? null} /> : null}
      <div className="flex gap-1 lg:hidden" role="group" aria-label="Show" data-testid="pane-switch">
        {([['problem', 'Problem'], ['work', spectating ? 'Progress' : 'Code']] as const).map(([id, label]) => (
          <button key={id} type="button" aria-pressed={pane === id} data-testid={`pane-${id}`} onClick={() => setPane(id)}
            className={`flex-1 rounded-lg px-3 py-2 text-sm font-semibold ${pane === id ? 'bg-white/10 text-white' : 'text-slate-400'}`}>{label}</button>
        ))}
      </div>
      <div className="grid min-h-0 flex-1 gap-3 lg:grid-cols-[minmax(320px,42%)_1fr]">
        <section className={`panel min-h-0 min-w-0 overflow-y-auto p-5 ${paneClass('problem')}`} aria-label="Problem statement" data-testid="statement">
          {problem ? (
            <>
              <div className="mb-3 flex flex-wrap gap-2 text-xs">
                <span className="chip">Difficulty {problem.difficulty}</span>
                <span className="chip" data-testid="time-limit">Time {problem.time_limit_ms / 1000} s{timeLimitsNote(problem.time_limits_ms)}</span>
                <span className="chip">Memory {problem.memory_mb} MiB</span>
                {problem.tags.map((t) => <span key={t} className="chip">{t}</span>)}
              </div>
              {problem.statement_hidden ? (
                <div className="rounded-lg border border-amber-400/30 bg-amber-400/10 p-4 text-sm text-amber-100" data-testid="statement-hidden">
                  <p className="font-semibold">Reverse mode: no statement.</p>
                  <p className="mt-1">Work out what the program must print from the sample tests below. The statement is shown when the match is over.</p>
                </div>
              ) : (
                <Markdown source={problem.statement_md} assetBase={`/api/v1/problems/${encodeURIComponent(problem.id)}/assets`} />
              )}
              {match.rule === 'shortest' || match.rule === 'bigo' ? <p className="mt-4 text-xs text-slate-400" data-testid="rule-help">{RULES[match.rule].blurb}</p> : null}
              {match.rule === 'bigo' && mine?.last_verdict === 'AC' && !over ? (
                <p className="mt-2 rounded-lg border border-fuchsia-400/30 bg-fuchsia-400/10 p-3 text-sm text-fuchsia-100" role="status" data-testid="bigo-measure" data-measure={mine.measure ?? 'measuring'}>
                  {mine.measure === 'slower'
                    ? 'Accepted, but the coach measured it above the intended complexity: no win. Submit a faster solution.'
                    : 'Accepted. The coach is measuring how its time grows: it wins only at or below the intended complexity.'}
                </p>
              ) : null}
              <h2 className="mt-6 mb-2 font-semibold text-white">Samples</h2>
              {problem.samples.map((s, i) => (
                <div key={i} className="mb-3 grid gap-2 sm:grid-cols-2">
                  <div><p className="label">Input {i + 1}</p><pre className="overflow-x-auto rounded-lg bg-ink-950 p-3 font-mono text-xs">{s.input}</pre></div>
                  <div><p className="label">Output {i + 1}</p><pre className="overflow-x-auto rounded-lg bg-ink-950 p-3 font-mono text-xs">{s.output}</pre></div>
                </div>
              ))}
            </>
          ) : <p className="text-slate-400">The problem appears when the countdown ends.</p>}
        </section>
        {spectating ? (
          <section className={`panel min-h-0 overflow-y-auto p-5 ${paneClass('work')}`} aria-label="Match progress">
            <h2 className="font-semibold text-white">Live progress</h2>
            {match.live_editors ? (
              <p className="mt-1 text-sm text-slate-400">Live editors are on for this match: you watch both editors as they type.</p>
            ) : (
              <p className="mt-1 text-sm text-slate-400">Spectators see progress, never code. Solutions are revealed when the match ends.</p>
            )}
            <div className="mt-4 grid gap-3 sm:grid-cols-2">{players.map((p) => <PlayerProgress key={p.user_id} p={p} clock={clock} />)}</div>
            {match.live_editors ? <LiveEditors match={match} /> : null}
          </section>
        ) : (
          <Workbench match={match} running={running} className={paneClass('work')} />
        )}
      </div>
      <MatchChat match={match} spectating={spectating} over={over} />
    </div>
  )
}

/**
 * The match's chat: players talk in their channel; spectators in theirs.
 * A player sees the spectators' tab only outside ranked or once the match
 * is over (the server enforces it: nothing a spectator writes during a
 * ranked match reaches a player). Practice has no chat.
 */
export function matchChatTabs(mode: MatchState['mode'], id: string, spectating: boolean, over: boolean): ChatTab[] {
  if (mode === 'practice') return []
  const players = { channel: `match:${id}`, label: 'Players' }
  const spectators = { channel: `spectators:${id}`, label: 'Spectators' }
  if (spectating) return [spectators]
  if (mode === 'private' || (mode === 'ranked' && !over)) return [players]
  return [players, spectators]
}

function MatchChat({ match, spectating, over }: { match: MatchState; spectating: boolean; over: boolean }) {
  const tabs = matchChatTabs(match.mode, match.match_id, spectating, over)
  if (!tabs.length) return null
  // In the page's flow below lg (a phone scrolls); at lg the room fills the
  // screen, so the chat is a dock over its corner. It starts closed (a
  // small bar): open, it covers the corner of the editor, so the player
  // chooses when.
  return (
    <div className="shrink-0 lg:fixed lg:right-3 lg:bottom-3 lg:z-30">
      <ChatPanel tabs={tabs} title="Match chat" className="h-64 lg:h-80 lg:w-96 lg:bg-ink-900" collapsible defaultOpen={false} />
    </div>
  )
}

// The clock of a finished match stands still at the time that was left.
function FinalClock({ deadline, finishedAt }: { deadline: string | null; finishedAt: string | null }) {
  const left = deadline && finishedAt ? Math.max(0, Date.parse(deadline) - Date.parse(finishedAt)) : 0
  return (
    <div className="font-mono tabular-nums text-2xl" data-testid="countdown" data-stopped="true" data-remaining-ms={left}>
      <span className="sr-only">Match over. Time left when it ended: </span>
      <span className="text-slate-400">{formatClock(left)}</span>
    </div>
  )
}

const OUTCOME_TEXT: Record<Outcome, string> = {
  won: 'solved it first', timeout: 'led when time ran out', draw: 'draw', forfeit: 'the opponent left', resigned: 'the opponent resigned', aborted: 'aborted',
  shortest: 'the shortest accepted solution',
}

// What spectators (and a player who has not moved on yet) see when the
// match ends: who won and the way to the result.
function MatchOver({ matchId, players, winnerId, outcome }: { matchId: string; players: MatchState['players']; winnerId: number | null; outcome: Outcome | null }) {
  const winner = players.find((p) => p.user_id === winnerId)
  const text = !outcome ? 'Match over.' : winner ? `${winner.username} won: ${OUTCOME_TEXT[outcome]}.` : outcome === 'aborted' ? 'The match was aborted.' : 'Match over: a draw.'
  return (
    <div className="panel flex flex-wrap items-center justify-between gap-3 border-neon/40 px-4 py-3" role="status" data-testid="match-over" data-winner={winner?.username ?? ''}>
      <p className="font-semibold text-white">{text}</p>
      <Link to={`/result/${encodeURIComponent(matchId)}`} className="btn-primary" data-testid="result-link">See the result</Link>
    </div>
  )
}

/** The editor's place while Monaco loads: its shape, not a spinner. */
function EditorSkeleton() {
  return (
    <div className="h-full min-h-[320px] space-y-2 px-4 pt-4" role="status" aria-label="Loading the editor" data-testid="editor-skeleton">
      {[62, 40, 75, 30, 55, 45].map((w, i) => <div key={i} className="h-3 animate-pulse rounded bg-white/5 motion-reduce:animate-none" style={{ width: `${w}%` }} />)}
    </div>
  )
}

/** " (python 3 s, java 1.5 s)": the languages judged with another limit. */
export function timeLimitsNote(limits: Record<string, number> | undefined): string {
  const parts = Object.entries(limits ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([l, ms]) => `${l} ${ms / 1000} s`)
  return parts.length ? ` (${parts.join(', ')})` : ''
}

function Workbench({ match, running, className = '' }: { match: MatchState; running: boolean; className?: string }) {
  const myCode = useArena((a) => (a.myCode?.match_id === match.match_id ? a.myCode : null))
  const run = useArena((a) => a.run)
  const submission = useArena((a) => a.submission)
  const { list: languages } = useLanguages()
  const langs = offered(languages, match.problem?.languages)
  const initial = useMemo(() => {
    const d = loadDraft(match.match_id)
    if (d) return d
    if (myCode) return { lang: myCode.lang, code: myCode.code, at: 0 }
    return null
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [match.match_id])
  const [lang, setLang] = useState<Lang>(initial?.lang ?? 'python')
  const [code, setCode] = useState(initial?.code ?? '')
  // No draft and no server copy: start from the first offered language's
  // template once the language table is in.
  const started = useRef(!!initial)
  useEffect(() => {
    if (started.current || !langs.length) return
    started.current = true
    const first = langs.find((l) => l.id === 'python') ?? langs[0]
    setLang(first.id)
    setCode(first.template)
  }, [langs])
  // The last compile's messages as editor markers: from whichever came last,
  // a run or a submission (each effect runs when its result changes).
  const [diagnostics, setDiagnostics] = useState<Diagnostic[]>([])
  useEffect(() => {
    if (run.result) setDiagnostics(parseCompileErrors(run.result.compile_error))
  }, [run.result])
  useEffect(() => {
    if (submission?.result) setDiagnostics(parseCompileErrors(submission.result.compile_error))
  }, [submission?.result])
  const [tab, setTab] = useState<'run' | 'submit'>('run')
  // Custom input replaces the samples for a run (code.run `input`); null = samples.
  const [customInput, setCustomInput] = useState<string | null>(null)
  const [confirmResign, setConfirmResign] = useState(false)
  const typing = useRef<{ last: number; active: boolean; idle?: ReturnType<typeof setTimeout> }>({ last: 0, active: false })
  // The editor timeline for the replay (issue 20).
  const recorder = useRef<EditorRecorder | null>(null)
  const langNow = useRef(lang)
  langNow.current = lang
  const onEditor = useCallback((ed: Parameters<typeof recordEditor>[0]) => {
    const r = recordEditor(ed, match.match_id, () => langNow.current,
      (batch, onError) => arenaClient()?.notify('editor.batch', batch, (e) => onError(e.code)) ?? false)
    recorder.current = r
    return () => r.stop()
  }, [match.match_id])
  useEffect(() => recorder.current?.lang(lang), [lang])

  // The server's copy wins only when we have no newer local draft.
  useEffect(() => {
    if (myCode && !loadDraft(match.match_id)) {
      started.current = true
      setLang(myCode.lang)
      setCode(myCode.code)
    }
    // The server's copy by value: a new snapshot with the same code must not overwrite local edits.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [myCode?.code, myCode?.lang, match.match_id])

  const onChange = (v: string) => {
    setCode(v)
    saveDraft(match.match_id, { lang, code: v, at: Date.now() })
    const t = typing.current
    const c = arenaClient()
    const now = Date.now()
    if (!t.active || now - t.last > 2000) {
      c?.send('typing', { match_id: match.match_id, active: true })
      t.active = true
      t.last = now
    }
    if (t.idle) clearTimeout(t.idle)
    t.idle = setTimeout(() => {
      c?.send('typing', { match_id: match.match_id, active: false })
      t.active = false
    }, 3000)
  }

  const changeLang = (l: Lang) => {
    // A pristine template follows the language; real code is kept.
    const next = isPristine(languages, code) ? (languageOf(languages, l)?.template ?? '') : code
    setLang(l)
    setCode(next)
    saveDraft(match.match_id, { lang: l, code: next, at: Date.now() })
  }

  // The code never leaves the browser when the server would refuse it:
  // empty, or over the limit both sides read from the generated contract.
  const refusal = (text: string): string | null => {
    if (text.trim() === '') return 'Write some code first: empty code is not sent.'
    const n = utf8Bytes(text)
    if (n > MAX_CODE_BYTES) return `Your code is ${formatBytes(n)}, over the ${formatBytes(MAX_CODE_BYTES)} limit: it is not sent. Shorten it to run or submit.`
    return null
  }
  const codeRefusal = refusal(code)
  const inputBytes = customInput === null ? 0 : utf8Bytes(customInput)
  const inputRefusal = inputBytes > MAX_INPUT_BYTES ? `Custom input is ${formatBytes(inputBytes)}, over the ${formatBytes(MAX_INPUT_BYTES)} limit: it is not sent.` : null

  // One run and one submission in flight at a time, even if a shortcut
  // reaches both the editor and the window in the same tick.
  const inflight = useRef({ run: false, submit: false })

  // The editor's shortcuts pass its live text (`current`), which may be
  // newer than `code` if the key came before the re-render.
  const doRun = useCallback(async (current?: string) => {
    if (!running || run.pending || inflight.current.run) return
    const why = refusal(current ?? code) ?? inputRefusal
    if (why) {
      toast('error', why, { code: 'code_refused' })
      return
    }
    inflight.current.run = true
    recorder.current?.flush() // the server has the text that runs
    setTab('run')
    dispatch({ kind: 'run.sent' })
    const data = { match_id: match.match_id, lang, code: current ?? code, ...(customInput !== null ? { input: customInput } : {}) }
    const r = await act('code.run', data, {
      onError: (e) => dispatch({ kind: 'run.failed', code: e.code, message: e.message, retry_after_ms: e.data.retry_after_ms }),
    })
    inflight.current.run = false
    // An unexpected reply (not run.result) must not leave the panel spinning.
    if (r && r.type !== 'run.result') dispatch({ kind: 'run.failed' })
  }, [running, run.pending, match.match_id, lang, code, customInput, inputRefusal])

  const doSubmit = useCallback(async (current?: string) => {
    if (!running || (submission && submission.phase !== 'done') || inflight.current.submit) return
    const why = refusal(current ?? code)
    if (why) {
      toast('error', why, { code: 'code_refused' })
      return
    }
    inflight.current.submit = true
    recorder.current?.flush() // the stored timeline ends with the text submitted
    setTab('submit')
    dispatch({ kind: 'submit.sent', lang })
    const r = await act('code.submit', { match_id: match.match_id, lang, code: current ?? code })
    inflight.current.submit = false
    if (!r) dispatch({ kind: 'submit.failed' })
    else if (r.type === 'submission.result') {
      const v = r.data.verdict
      if (v === 'AC') toast('success', 'Accepted! All tests passed.')
    }
  }, [running, submission, match.match_id, lang, code])

  // Shortcuts outside the editor too (the editor binds its own).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.key !== 'Enter') return
      e.preventDefault()
      if (e.shiftKey) void doSubmit()
      else void doRun()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [doRun, doSubmit])

  const resign = async () => {
    setConfirmResign(false)
    const r = await act('match.resign', { match_id: match.match_id })
    if (!r) toastError('internal')
  }

  const judging = !!submission && submission.phase !== 'done'
  // Shortest: an accepted submission is final (the server refuses another).
  const final = match.rule === 'shortest' && match.players.find((p) => p.user_id === match.you)?.last_verdict === 'AC'
  return (
    <section className={`panel flex min-h-[560px] min-w-0 flex-col overflow-hidden ${className}`} aria-label="Your solution" data-testid="workbench">
      <div className="flex flex-wrap items-center gap-2 border-b border-white/5 px-3 py-2">
        <label htmlFor="lang" className="sr-only">Language</label>
        <select id="lang" className="input w-auto py-1.5" value={lang} onChange={(e) => changeLang(e.target.value as Lang)} data-testid="lang">
          {langs.map((l) => <option key={l.id} value={l.id}>{l.name}</option>)}
        </select>
        <button type="button" className="btn-secondary" disabled={!running || run.pending || !!codeRefusal || !!inputRefusal} onClick={() => void doRun()} aria-keyshortcuts="Control+Enter" data-testid="run">
          {run.pending ? 'Running…' : customInput !== null ? 'Run custom input' : 'Run samples'} <kbd className="hidden text-[10px] text-slate-300 md:inline">Ctrl+↵</kbd>
        </button>
        <label className="flex items-center gap-1.5 text-xs text-slate-400">
          <input type="checkbox" className="accent-cyan-400" checked={customInput !== null} data-testid="custom-toggle"
            onChange={(e) => { setCustomInput(e.target.checked ? (match.problem?.samples[0]?.input ?? '') : null); setTab('run') }} />
          Custom input
        </label>
        <button type="button" className="btn-primary" disabled={!running || judging || !!codeRefusal || final} onClick={() => void doSubmit()} aria-keyshortcuts="Control+Shift+Enter" data-testid="submit">
          {judging ? 'Judging…' : final ? 'Accepted (final)' : 'Submit'} <kbd className="hidden text-[10px] text-ink-800 md:inline">Ctrl+⇧+↵</kbd>
        </button>
        {match.rule === 'shortest' ? <span className="chip" data-testid="char-count" title="Characters that count (white space is free)">{countChars(code)} chars</span> : null}
        <div className="ml-auto">
          {confirmResign ? (
            <span className="flex items-center gap-2 text-sm" role="group" aria-label="Confirm resignation">
              <span className="text-slate-300">Resign?</span>
              <button type="button" className="btn-danger px-3 py-1" onClick={resign} autoFocus>Yes, resign</button>
              <button type="button" className="btn-secondary px-3 py-1" onClick={() => setConfirmResign(false)}>No</button>
            </span>
          ) : (
            <button type="button" className="btn-ghost text-sm" onClick={() => setConfirmResign(true)} disabled={match.state === 'finished'}>Resign</button>
          )}
        </div>
      </div>
      {running && (codeRefusal || inputRefusal) ? (
        <p className="border-b border-white/5 px-3 py-1.5 text-xs text-amber-200" role="status" data-testid="code-refusal">{codeRefusal ?? inputRefusal}</p>
      ) : null}
      <div className="min-h-0 flex-1">
        <Suspense fallback={<EditorSkeleton />}>
          <CodeEditor lang={lang} mode={languageOf(languages, lang)?.monaco ?? 'plaintext'} value={code} onChange={onChange} onRun={doRun} onSubmit={doSubmit} readOnly={!running} onEditor={onEditor} diagnostics={diagnostics} />
        </Suspense>
      </div>
      <div className="max-h-[40%] min-h-[140px] overflow-y-auto border-t border-white/5">
        <div className="flex gap-1 px-3 pt-2 text-sm" role="tablist" aria-label="Results">
          <button type="button" role="tab" aria-selected={tab === 'run'} className={`rounded-md px-3 py-1 ${tab === 'run' ? 'bg-white/10 text-white' : 'text-slate-400'}`} onClick={() => setTab('run')}>Run</button>
          <button type="button" role="tab" aria-selected={tab === 'submit'} className={`rounded-md px-3 py-1 ${tab === 'submit' ? 'bg-white/10 text-white' : 'text-slate-400'}`} onClick={() => setTab('submit')}>Submission</button>
        </div>
        <div className="p-3" role="tabpanel">
          {tab === 'run' ? (
            <>
              {customInput !== null ? (
                <div className="mb-3">
                  <label htmlFor="custom-input" className="label">Custom input (replaces the samples; up to {formatBytes(MAX_INPUT_BYTES)})</label>
                  <textarea id="custom-input" className="input h-24 font-mono text-xs" spellCheck={false} value={customInput}
                    onChange={(e) => setCustomInput(e.target.value)} data-testid="custom-input" />
                </div>
              ) : null}
              <RunResults run={run} />
            </>
          ) : <SubmissionPanel />}
        </div>
      </div>
    </section>
  )
}

function SubmissionPanel() {
  const s = useArena((a) => a.submission)
  if (!s) return <p className="text-sm text-slate-500">Submit with Ctrl+Shift+Enter. The first Accepted wins the match.</p>
  const total = s.total || s.result?.total || 0
  const r = s.result
  return (
    <div data-testid="submission" data-verdict={r?.verdict ?? 'pending'} data-phase={s.phase} data-judged={s.judged}>
      <p className={`font-semibold ${verdictColor(r?.verdict)}`} aria-live="polite">
        {r ? `${VERDICT_TEXT[r.verdict]} · ${r.passed}/${r.total} tests` : s.phase === 'sending' ? 'Sending…' : s.phase === 'queued' ? 'Waiting for a judge…' : s.phase === 'compiling' ? 'Compiling…' : `Judging ${s.judged}/${total}`}
      </p>
      {total > 0 ? (
        <ol className="mt-3 flex flex-wrap gap-1" aria-label="Per-test results">
          {Array.from({ length: total }, (_, i) => {
            // Before the result a cell says only "judged", never a verdict.
            const v = s.tests[i] ?? (!r && i < s.judged ? 'pending' : undefined)
            return (
              <motion.li key={i} initial={{ scale: 0.6, opacity: 0 }} animate={{ scale: 1, opacity: 1 }} transition={{ delay: Math.min(i, 30) * 0.01 }}
                className={`grid h-6 w-6 place-items-center rounded text-[10px] font-bold ${v === 'AC' ? 'bg-emerald-500/80 text-ink-950' : v === 'pending' ? 'bg-neon/30 text-white' : v ? 'bg-rose-500/80 text-white' : 'bg-ink-800 text-slate-400'}`}
                title={`Test ${i + 1}: ${v === 'pending' ? 'judged' : v ? VERDICT_TEXT[v] : 'not run'}`}>
                <span className="sr-only">Test {i + 1}: {v === 'pending' ? 'judged' : v ? VERDICT_TEXT[v] : 'not run'}</span>
                <span aria-hidden="true">{v === 'AC' ? '✓' : v === 'pending' ? '·' : v ? '✕' : i + 1}</span>
              </motion.li>
            )
          })}
        </ol>
      ) : null}
      {r?.compile_error ? <pre className="mt-2 max-h-60 overflow-auto rounded-lg bg-ink-950 p-3 font-mono text-xs text-amber-100">{r.compile_error}</pre> : null}
      {r && r.verdict !== 'AC' && r.failed_test ? <p className="mt-2 text-sm text-slate-400">Failed on hidden test {r.failed_test}. Hidden test data is not shown.</p> : null}
      {r ? <p className="mt-1 text-xs text-slate-500">{r.time_ms} ms · {Math.round((r.memory_kb ?? 0) / 1024)} MiB</p> : null}
    </div>
  )
}


function utf8Bytes(s: string): number {
  return new TextEncoder().encode(s).length
}
