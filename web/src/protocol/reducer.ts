// The arena state as the client knows it, and the pure reducer that folds
// server messages into it. No I/O here, so it is tested directly.

import type {
  CoachNote, JudgePhase, LeaderboardUpdate, LobbyState, MatchCancelled, MatchFinished, MatchFound, MatchState, ProtocolError, QueueStatus,
  RematchState, RoomState, RunResult, ServerMessage, TournamentUpdate, Snapshot, SnapshotUser, SubmissionProgress, SubmissionResult, Verdict, Lang,
} from './types'
import { ghostProgress, liveFrame, liveStart, type GhostLaneState, type LiveEditorsState } from '../replay/live'

export type ConnStatus = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'unauthenticated' | 'closed'

export interface SubmissionView {
  submission_id: string | null
  lang: Lang
  total: number
  judged: number // tests judged so far (submission.progress), 0 while compiling
  tests: Verdict[] // per test once the result is in, index 0 = test 1
  phase: 'sending' | 'queued' | 'compiling' | 'running' | 'done'
  result: SubmissionResult | null
}

/** A player's submission being judged, as submission.progress tells everyone (never a verdict). */
export interface JudgingView {
  submission_id: string
  phase: JudgePhase
  test: number // tests judged so far; 0 while compiling
  total: number
}

export interface RunView {
  pending: boolean
  result: RunResult | null
  /** Why the last run did not produce a result (an error code), or null. */
  error: { code: string; message: string; retry_after_ms?: number } | null
}

const noRun: RunView = { pending: false, result: null, error: null }

export interface ArenaState {
  conn: ConnStatus
  attempt: number // reconnect attempt, 0 when open
  synced: boolean // a snapshot has been applied since the last (re)connect
  user: SnapshotUser | null
  lobby: LobbyState | null
  queue: QueueStatus | null
  pending: MatchFound | null
  match: MatchState | null
  room: RoomState | null
  myCode: Snapshot['my_code']
  run: RunView
  submission: SubmissionView | null
  finished: MatchFinished | null
  leaderboard: LeaderboardUpdate | null
  lastError: (ProtocolError & { at: number }) | null
  /**
   * Per player of the current match: the submission being judged. Shown only while their last_verdict is
   * pending; an entry may come first (a judge can report progress before the server's pending frame).
   */
  judging: Record<number, JudgingView>
  /** Per player: the submission whose final verdict is in, so late progress frames of it are ignored. */
  settled: Record<number, string>
  /** The last found match that will not start (declined, accept timeout), until dismissed or another match. */
  cancelled: MatchCancelled | null
  /** The rematch of the player's last finished match, as the server last told it. */
  rematch: RematchState | null
  /** The ghost a practice races (ghost.progress, ghost.result), for match ghost.match_id. */
  ghost: GhostLaneState | null
  /** A spectated match's live editors (editor.live), when its live_editors setting is on. */
  live: LiveEditorsState | null
  /** The last tournament.update: a tournament of the player's changed (its page reads it again). */
  tournament: TournamentUpdate | null
}

export const initialState: ArenaState = {
  conn: 'idle',
  attempt: 0,
  synced: false,
  user: null,
  lobby: null,
  queue: null,
  pending: null,
  match: null,
  room: null,
  myCode: null,
  run: noRun,
  submission: null,
  finished: null,
  leaderboard: null,
  lastError: null,
  judging: {},
  settled: {},
  cancelled: null,
  rematch: null,
  ghost: null,
  live: null,
  tournament: null,
}

export type Action =
  | { kind: 'conn'; status: ConnStatus; attempt?: number }
  | { kind: 'message'; msg: ServerMessage; at?: number }
  | { kind: 'run.sent' }
  | { kind: 'run.failed'; code?: string; message?: string; retry_after_ms?: number }
  | { kind: 'submit.sent'; lang: Lang }
  | { kind: 'submit.failed' }
  | { kind: 'finished.dismiss' }
  | { kind: 'cancelled.dismiss' }

export function reduce(s: ArenaState, a: Action): ArenaState {
  switch (a.kind) {
    case 'conn':
      return {
        ...s,
        conn: a.status,
        attempt: a.attempt ?? (a.status === 'open' ? 0 : s.attempt),
        synced: a.status === 'open' ? s.synced : false,
      }
    case 'run.sent':
      return { ...s, run: { pending: true, result: s.run.result, error: null } }
    case 'run.failed':
      return { ...s, run: { ...s.run, pending: false, error: a.code ? { code: a.code, message: a.message ?? '', retry_after_ms: a.retry_after_ms } : null } }
    case 'submit.sent':
      return { ...s, submission: { submission_id: null, lang: a.lang, total: 0, judged: 0, tests: [], phase: 'sending', result: null } }
    case 'submit.failed':
      return { ...s, submission: null }
    case 'finished.dismiss':
      return { ...s, finished: null, match: s.match?.state === 'finished' ? null : s.match, submission: null, run: noRun, judging: {}, settled: {} }
    case 'cancelled.dismiss':
      return { ...s, cancelled: null }
    case 'message':
      return onMessage(s, a.msg, a.at ?? Date.now())
  }
}

function onMessage(s: ArenaState, m: ServerMessage, at: number): ArenaState {
  switch (m.type) {
    case 'snapshot': {
      const d = m.data
      const sameMatch = d.match && s.match && d.match.match_id === s.match.match_id
      return {
        ...s,
        synced: true,
        user: d.user,
        lobby: d.lobby,
        queue: d.queue,
        pending: d.pending_match,
        match: d.match,
        room: d.room,
        myCode: d.my_code,
        // Results in flight for the same match survive a reconnect; others are stale.
        run: sameMatch ? { ...s.run, pending: false } : noRun,
        submission: sameMatch ? s.submission : null,
        ...keepJudging(sameMatch ? s.match : null, sameMatch ? s.judging : {}, d.match, sameMatch ? s.settled : {}),
        finished: d.match ? null : lastFinished(s.finished, d.last_finished ?? null),
        cancelled: d.match || d.pending_match ? null : s.cancelled,
        rematch: d.rematch ?? null,
      }
    }
    case 'lobby.state':
      return { ...s, lobby: m.data }
    case 'queue.status':
      // A queue status ends any pending "match found": declined, expired, or
      // the other player declined and we are back in the queue.
      return { ...s, queue: m.data.queued || m.data.cooldown_until ? m.data : null, pending: null }
    case 'match.found':
      return { ...s, pending: m.data, queue: null, cancelled: null }
    case 'match.cancelled':
      // The match will not start: say why (and the cooldown, for whoever
      // declined or missed it) instead of silently going back to the queue.
      return { ...s, pending: s.pending?.match_id === m.data.match_id ? null : s.pending, cancelled: m.data }
    case 'match.state': {
      const d = m.data
      const newMatch = !s.match || s.match.match_id !== d.match_id
      if (d.state === 'found' && !d.spectating) {
        // Still accepting: the dialog shows who is ready.
        return { ...s, pending: s.pending?.match_id === d.match_id ? { ...s.pending, players: d.players } : s.pending, queue: null }
      }
      return {
        ...s,
        match: d,
        // The spectate reply carries the editors' texts; pushed states do not (the frames go on).
        live: d.spectating && d.live_editors ? (d.editors ? liveStart(d.match_id, d.editors) : s.live?.match_id === d.match_id ? s.live : null) : null,
        pending: s.pending?.match_id === d.match_id ? null : s.pending,
        queue: d.spectating ? s.queue : null,
        room: d.spectating ? s.room : null,
        finished: newMatch ? null : s.finished,
        run: newMatch ? noRun : s.run,
        submission: newMatch ? null : s.submission,
        ...keepJudging(newMatch ? null : s.match, newMatch ? {} : s.judging, d, newMatch ? {} : s.settled),
        cancelled: null,
      }
    }
    case 'run.result':
      return { ...s, run: { pending: false, result: m.data, error: null } }
    case 'submission.progress': {
      const p = m.data
      if (!s.match || s.match.match_id !== p.match_id) return s
      const mine = s.match.you != null && p.user_id === s.match.you
      const player = s.match.players.find((x) => x.user_id === p.user_id)
      // Progress of a submission whose verdict is in is stale: the card
      // already shows the final word. Progress of any other submission is
      // kept even when the player is not pending yet (the judge may start
      // before the server's pending frame reaches us); it is shown once
      // the player's verdict is pending (progress.ts).
      if (!player || s.settled[p.user_id] === p.submission_id) return s
      return {
        ...s,
        judging: { ...s.judging, [p.user_id]: judgingOf(s.judging[p.user_id], p) },
        submission: mine ? progress(s.submission, p) : s.submission,
      }
    }
    case 'submission.result': {
      const r = m.data
      const prev = s.submission
      const tests = fillTests(prev?.tests ?? [], r)
      const match = s.match && s.match.you != null ? patchPlayer(s.match, s.match.you, {
        tests_passed: Math.max(r.passed, s.match.players.find((p) => p.user_id === s.match!.you)?.tests_passed ?? 0),
        tests_total: r.total,
        last_verdict: r.verdict,
      }) : s.match
      const judging = { ...s.judging }
      const settled = { ...s.settled }
      if (s.match?.you != null) {
        delete judging[s.match.you]
        settled[s.match.you] = r.submission_id
      }
      return {
        ...s,
        match,
        judging,
        settled,
        submission: { submission_id: r.submission_id, lang: r.lang, total: r.total, judged: r.total, tests, phase: 'done', result: r },
      }
    }
    case 'opponent.progress': {
      const d = m.data
      if (!s.match || s.match.match_id !== d.match_id) return s
      const patch: Record<string, unknown> = {}
      for (const k of ['tests_passed', 'tests_total', 'last_verdict', 'submissions', 'typing', 'running_samples', 'connected', 'grace_deadline'] as const) {
        if (d[k] !== undefined) patch[k] = d[k]
      }
      patch.measure = d.measure // absent: not measured (yet)
      const match = patchPlayer(s.match, d.user_id, patch)
      // Our own card's pending verdict: the server has the submission.
      const queued = d.user_id === s.match.you && d.last_verdict === 'pending' && s.submission?.phase === 'sending'
      return { ...s, match, ...keepJudging(s.match, s.judging, match, s.settled), submission: queued ? { ...s.submission!, phase: 'queued' } : s.submission }
    }
    case 'match.finished': {
      const d = m.data
      const match = s.match && s.match.match_id === d.match_id ? { ...s.match, state: 'finished' as const } : s.match
      let user = s.user
      if (user) {
        const r = d.ratings.find((x) => x.user_id === user!.user_id)
        const x = d.xp.find((x) => x.user_id === user!.user_id)
        user = { ...user, ...(r ? { rating: r.after, rd: r.rd } : {}), ...(x ? { xp: x.total, level: x.level } : {}) }
      }
      // A repeated match.finished (a reconnect) keeps reports already received.
      const coach = mergeCoach(s.finished?.match_id === d.match_id ? s.finished.coach : null, d.coach)
      return { ...s, match, finished: { ...d, coach }, user, pending: null, judging: {} }
    }
    case 'match.coach': {
      if (!s.finished || s.finished.match_id !== m.data.match_id) return s
      return { ...s, finished: { ...s.finished, coach: mergeCoach(s.finished.coach, m.data.coach) } }
    }
    case 'room.state':
      return { ...s, room: m.data.closed ? null : m.data }
    case 'rematch.state':
      return { ...s, rematch: m.data }
    case 'tournament.update':
      return { ...s, tournament: m.data }
    case 'leaderboard.update':
      return { ...s, leaderboard: m.data }
    case 'error':
      return { ...s, lastError: { ...m.data, at } }
    case 'pong':
      return s
    case 'ghost.progress':
      return { ...s, ghost: ghostProgress(s.ghost, m.data.match_id, m.data.steps, m.data.reset) }
    case 'ghost.result': {
      const g = s.ghost?.match_id === m.data.match_id ? s.ghost : ghostProgress(null, m.data.match_id, [], true)
      return { ...s, ghost: { ...g, result: m.data } }
    }
    case 'editor.live':
      return { ...s, live: liveFrame(s.live, m.data) }
  }
  return s
}

// The snapshot's last_finished brings back a result missed while away; the
// reports already received for it are kept.
function lastFinished(prev: MatchFinished | null, last: MatchFinished | null): MatchFinished | null {
  if (!last) return prev
  const same = prev?.match_id === last.match_id
  return { ...last, coach: mergeCoach(same ? prev!.coach : null, last.coach) }
}

// Reports arrive one solution at a time, as each analysis finishes: a new
// entry replaces the same player's older one, the others are kept.
export function mergeCoach(prev: CoachNote[] | null, next: CoachNote[] | null): CoachNote[] {
  if (!next) return prev ?? []
  const out = (prev ?? []).filter((p) => !next.some((n) => n.user_id === p.user_id))
  return [...out, ...next]
}

function patchPlayer(match: MatchState, userId: number, patch: Record<string, unknown>): MatchState {
  return { ...match, players: match.players.map((p) => (p.user_id === userId ? { ...p, ...patch } : p)) }
}

// A player's judging entry ends when their verdict is in: a final
// last_verdict that was pending before, or that is new (another verdict,
// another submission count). Its submission is then settled, and late
// progress frames of it are ignored. An entry of a player whose state did
// not change is kept: its progress came before the pending frame.
function keepJudging(prev: MatchState | null, j: Record<number, JudgingView>, match: MatchState | null, settled: Record<number, string>): Pick<ArenaState, 'judging' | 'settled'> {
  const out: Record<number, JudgingView> = {}
  let done = settled
  for (const p of match?.players ?? []) {
    const e = j[p.user_id]
    if (!e) continue
    const before = prev?.players.find((x) => x.user_id === p.user_id)
    const judged = p.last_verdict !== 'pending' && !!before && (before.last_verdict === 'pending' || before.last_verdict !== p.last_verdict || before.submissions !== p.submissions)
    if (judged) done = { ...done, [p.user_id]: e.submission_id }
    else if (p.last_verdict === 'pending' || before) out[p.user_id] = e
  }
  return { judging: out, settled: done }
}

// Never backwards: a late or repeated frame of the same submission keeps the
// count already shown; a new submission starts over.
function judgingOf(prev: JudgingView | undefined, p: SubmissionProgress): JudgingView {
  const same = prev?.submission_id === p.submission_id
  if (same && prev.phase === 'running' && (p.phase === 'compiling' || p.test < prev.test)) return prev
  return { submission_id: p.submission_id, phase: p.phase, test: p.test, total: p.total || (same ? prev.total : 0) }
}

function progress(prev: SubmissionView | null, p: SubmissionProgress): SubmissionView | null {
  if (!prev || prev.phase === 'done') return prev
  if (prev.submission_id !== null && prev.submission_id !== p.submission_id) return prev
  return {
    ...prev,
    submission_id: p.submission_id,
    total: p.total || prev.total,
    judged: p.phase === 'running' ? Math.max(prev.judged, p.test) : 0,
    phase: p.phase,
  }
}

// Judging stops at the first failure: passed tests are AC, the failed one
// has the verdict, the rest were never run.
function fillTests(prev: Verdict[], r: SubmissionResult): Verdict[] {
  const out = prev.slice(0, r.total)
  for (let i = 0; i < r.passed && i < r.total; i++) out[i] = 'AC'
  if (r.verdict !== 'AC' && r.failed_test) out[r.failed_test - 1] = r.verdict
  return out
}
