// The live duel as both players' judging lanes: per player, the current
// submission's progress (tests judged so far, from submission.progress,
// which reaches everyone in the match), then its outcome. Folded from the
// raw server messages (tapped in protocol/arena.ts) by a pure reducer.
//
// What a lane claims is only what the server said: a test judged is not a
// test passed (submission.progress carries no verdict); passed tests and
// the failed one come with the result (mine: submission.result) or the
// player's progress (theirs: opponent.progress, best tests passed).

import { createStore } from '../lib/store'
import type { MatchState, OpponentProgress, Snapshot, SubmissionProgress, SubmissionResult, Verdict } from '../protocol/generated'

export interface Lane {
  submission_id: string | null
  phase: 'idle' | 'compiling' | 'running' | 'done'
  judged: number // tests judged so far by the current submission
  total: number
  passed: number // tests known passed
  failed: number | null // the failing test (1-based), when known
  verdict: Verdict | null // final verdict of the last finished submission
  typing: boolean
}

export interface DuelState {
  match_id: string | null
  lanes: Record<number, Lane>
}

export const emptyDuel: DuelState = { match_id: null, lanes: {} }

const idle = (): Lane => ({ submission_id: null, phase: 'idle', judged: 0, total: 0, passed: 0, failed: null, verdict: null, typing: false })

export interface RawMessage {
  type: string
  data?: unknown
}

function fromMatch(s: DuelState, m: MatchState): DuelState {
  const fresh = s.match_id !== m.match_id
  const lanes: Record<number, Lane> = {}
  for (const p of m.players) {
    const prev = fresh ? undefined : s.lanes[p.user_id]
    const base = prev ?? idle()
    // A lane being judged keeps its live progress; otherwise the server's summary.
    lanes[p.user_id] = base.phase === 'compiling' || base.phase === 'running'
      ? { ...base, typing: p.typing }
      : { ...base, total: p.tests_total || base.total, passed: Math.max(p.tests_passed ?? 0, prev ? base.passed : 0),
        verdict: p.last_verdict && p.last_verdict !== 'pending' ? p.last_verdict : base.verdict, phase: p.last_verdict && p.last_verdict !== 'pending' ? 'done' : base.phase, typing: p.typing }
  }
  return { match_id: m.match_id, lanes }
}

export function duelReduce(s: DuelState, msg: RawMessage, me: number | null): DuelState {
  switch (msg.type) {
    case 'snapshot': {
      const d = msg.data as Snapshot
      return d.match ? fromMatch(s, d.match) : s
    }
    case 'match.state': {
      const d = msg.data as MatchState
      if (d.state === 'found') return s
      return fromMatch(s, d)
    }
    case 'submission.progress': {
      const d = msg.data as SubmissionProgress
      if (d.match_id !== s.match_id) return s
      const lane = s.lanes[d.user_id] ?? idle()
      if (lane.submission_id === d.submission_id && lane.phase === 'done') return s // late progress after the result
      const same = lane.submission_id === d.submission_id
      const next: Lane = {
        ...lane,
        submission_id: d.submission_id,
        phase: d.phase === 'compiling' ? 'compiling' : 'running',
        judged: same ? Math.max(lane.judged, d.test) : d.test,
        total: d.total || lane.total,
        failed: same ? lane.failed : null,
      }
      return { ...s, lanes: { ...s.lanes, [d.user_id]: next } }
    }
    case 'submission.result': {
      const d = msg.data as SubmissionResult
      if (d.match_id !== s.match_id || me === null) return s
      const lane = s.lanes[me] ?? idle()
      const next: Lane = {
        ...lane, submission_id: d.submission_id, phase: 'done', judged: d.total, total: d.total, passed: d.passed,
        failed: d.verdict !== 'AC' ? d.failed_test ?? null : null, verdict: d.verdict,
      }
      return { ...s, lanes: { ...s.lanes, [me]: next } }
    }
    case 'opponent.progress': {
      const d = msg.data as OpponentProgress
      if (d.match_id !== s.match_id) return s
      const lane = s.lanes[d.user_id] ?? idle()
      let next: Lane = { ...lane, typing: d.typing, total: d.tests_total || lane.total }
      if (d.last_verdict === 'pending' && lane.phase !== 'running' && lane.phase !== 'compiling') {
        next = { ...next, phase: 'compiling', judged: 0, failed: null }
      } else if (d.last_verdict && d.last_verdict !== 'pending' && (lane.phase !== 'done' || d.tests_passed !== lane.passed || d.last_verdict !== lane.verdict)) {
        next = { ...next, phase: 'done', passed: d.tests_passed, verdict: d.last_verdict, judged: d.last_verdict === 'AC' ? d.tests_total : next.judged }
      }
      return { ...s, lanes: { ...s.lanes, [d.user_id]: next } }
    }
  }
  return s
}

/** One cell of the grid. */
export type Cell = 'pass' | 'fail' | 'judged' | 'pending'

export function laneCells(l: Lane): Cell[] {
  const out: Cell[] = []
  for (let i = 0; i < l.total; i++) {
    if (l.failed === i + 1 && l.phase === 'done') out.push('fail')
    else if (i < l.passed && (l.phase === 'done' || l.phase === 'idle')) out.push('pass')
    else if (i < l.judged && (l.phase === 'running' || l.phase === 'compiling')) out.push('judged')
    else out.push('pending')
  }
  return out
}

export const duelStore = createStore<DuelState>(emptyDuel)

/** Feed duelStore from every server message (mount once, App). */
export function startDuelFeed(tap: Set<(m: RawMessage) => void>, me: () => number | null): () => void {
  const f = (m: RawMessage) => duelStore.set((s) => duelReduce(s, m, me()))
  tap.add(f)
  return () => {
    tap.delete(f)
    duelStore.set(emptyDuel)
  }
}
