// A player's progress in the live match, derived from the one arena state
// (reducer.ts, folded from the server's frames). The player cards
// (components/OpponentPanel.tsx) and the judging lanes (game/DuelGrid.tsx)
// both show exactly this view, so they cannot disagree: there is no second
// store of progress.
//
// What it claims is only what the server said: a test judged is not a test
// passed (submission.progress carries no verdict), and no final word is
// given while the player's last verdict is pending.

import { useMemo } from 'react'
import { useArena } from './arena'
import type { ArenaState, JudgingView, SubmissionView } from './reducer'
import { VERDICT_TEXT, type Player, type Verdict } from './types'

export type ProgressPhase = 'idle' | 'waiting' | 'compiling' | 'running' | 'done'

/** One test of the grid: passed or failed (final), judged (no verdict yet), pending. */
export type Cell = 'pass' | 'fail' | 'judged' | 'pending'

export interface ProgressView {
  user_id: number
  phase: ProgressPhase
  /** Tests judged so far by the submission being judged; 0 when none is. */
  judged: number
  total: number
  /** Best tests passed in this match (the server's tests_passed). */
  best: number
  /** Tests passed by the last finished submission, when known (our own); else best. */
  passed: number
  /** The last submission's failing test (1-based), when known (our own). */
  failed: number | null
  /** The last final verdict; null while judging or before any. */
  verdict: Verdict | null
  /** Typing (both views show it beside the status, never instead of a verdict). */
  typing: boolean
  /** A sample run of this player is on a worker (the server's running_samples; beside the status, like typing). */
  running: boolean
  /** The one status line both views show (no typing in it). */
  status: string
  cells: Cell[]
}

export interface ProgressInputs {
  player: Player
  judging: JudgingView | undefined
  /** Our own submission (only for our own card), else null. */
  submission: SubmissionView | null
}

export function progressView({ player: p, judging: j, submission }: ProgressInputs): ProgressView {
  const best = p.tests_passed ?? 0
  let total = p.tests_total ?? 0
  let phase: ProgressPhase = 'idle'
  let judged = 0
  let verdict: Verdict | null = null
  let passed = best
  let failed: number | null = null
  if (p.last_verdict === 'pending') {
    if (!j) phase = 'waiting'
    else {
      phase = j.phase === 'compiling' ? 'compiling' : 'running'
      judged = j.phase === 'compiling' ? 0 : j.test
      total = j.total || total
    }
  } else if (p.last_verdict) {
    phase = 'done'
    verdict = p.last_verdict
    const r = submission?.phase === 'done' ? submission.result : null
    if (r && r.verdict === p.last_verdict) {
      total = r.total || total
      passed = r.passed
      failed = r.verdict !== 'AC' ? r.failed_test ?? null : null
    }
  }
  const typing = !!p.typing
  const running = !!p.running_samples
  return { user_id: p.user_id, phase, judged, total, best, passed, failed, verdict, typing, running, status: statusLine(phase, judged, total, verdict, p.submissions), cells: cellsOf(phase, judged, total, passed, failed) }
}

function statusLine(phase: ProgressPhase, judged: number, total: number, verdict: Verdict | null, submissions: number): string {
  switch (phase) {
    case 'waiting':
      return 'Waiting for a judge…'
    case 'compiling':
      return 'Compiling…'
    case 'running':
      return `Judging ${judged}/${total}`
    case 'done':
      return verdict ? VERDICT_TEXT[verdict] ?? verdict : ''
    case 'idle':
      return submissions > 0 ? '' : 'no submission yet'
  }
}

function cellsOf(phase: ProgressPhase, judged: number, total: number, passed: number, failed: number | null): Cell[] {
  const out: Cell[] = []
  for (let i = 0; i < total; i++) {
    if (phase === 'done' && failed === i + 1) out.push('fail')
    else if (phase === 'done' && i < passed) out.push('pass')
    else if (phase === 'running' && i < judged) out.push('judged')
    else out.push('pending')
  }
  return out
}

/** The inputs of a player's view in this state (null when not in the match). */
export function progressInputs(s: ArenaState, userId: number): ProgressInputs | null {
  const player = s.match?.players.find((p) => p.user_id === userId)
  if (!player) return null
  const mine = s.match?.you != null && s.match.you === userId
  return { player, judging: s.judging[userId], submission: mine ? s.submission : null }
}

/** The view of a player in this state (null when not in the match). */
export function progressOf(s: ArenaState, userId: number): ProgressView | null {
  const i = progressInputs(s, userId)
  return i ? progressView(i) : null
}

/** The hook both views use: the same selector, the same store. */
export function usePlayerProgress(userId: number): ProgressView | null {
  const player = useArena((a) => a.match?.players.find((p) => p.user_id === userId))
  const judging = useArena((a) => a.judging[userId])
  const submission = useArena((a) => (a.match?.you === userId ? a.submission : null))
  return useMemo(() => (player ? progressView({ player, judging, submission }) : null), [player, judging, submission])
}
