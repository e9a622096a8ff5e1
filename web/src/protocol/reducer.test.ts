import { describe, expect, it } from 'vitest'
import { initialState, reduce, type ArenaState } from './reducer'
import { progressOf } from './progress'
import type { MatchState, ServerMessage, Snapshot } from './types'
import { player } from '../test/player'

const msg = (type: string, data: unknown, id?: string) => ({ v: 1, type, data, ...(id ? { id } : {}) }) as ServerMessage
const apply = (s: ArenaState, ...ms: ServerMessage[]) => ms.reduce((acc, m) => reduce(acc, { kind: 'message', msg: m, at: 1 }), s)

const match = (over: Partial<MatchState> = {}): MatchState => ({
  match_id: 'm1', mode: 'ranked', rule: 'fastest', state: 'running', you: 7, spectating: false, server_now: '2026-11-26T04:00:00.000Z',
  starts_at: '2026-11-26T04:00:00.000Z', deadline: '2026-11-26T04:20:00.000Z', duration_s: 1200, problem: null,
  players: [player({ user_id: 7, username: 'ada' }), player({ user_id: 9, username: 'grace', rating: 1550 })],
  ...over,
})

const snapshot = (over: Partial<Snapshot> = {}): Snapshot => ({
  server_now: '2026-11-26T04:00:00.000Z',
  user: { user_id: 7, username: 'ada', rating: 1500, rd: 350, xp: 0, level: 1 },
  lobby: { online: 3, queues: {}, recent_matches: [], live_matches: [], live_total: 0, featured: null, online_tiers: {}, online_players: [] },
  queue: null, pending_match: null, match: null, room: null, my_code: null, last_finished: null, rematch: null,
  ...over,
})

describe('reduce', () => {
  it('a snapshot replaces all state', () => {
    let s = apply(initialState, msg('queue.status', { queued: true, mode: 'ranked', joined_at: 'x' }))
    expect(s.queue?.queued).toBe(true)
    s = apply(s, msg('snapshot', snapshot({ match: match() })))
    expect(s.queue).toBeNull()
    expect(s.match?.match_id).toBe('m1')
    expect(s.synced).toBe(true)
    expect(s.user?.username).toBe('ada')
  })

  it('losing the connection marks state unsynced until the next snapshot', () => {
    let s = apply(initialState, msg('snapshot', snapshot()))
    s = reduce(s, { kind: 'conn', status: 'reconnecting', attempt: 2 })
    expect(s.synced).toBe(false)
    expect(s.attempt).toBe(2)
    s = reduce(s, { kind: 'conn', status: 'open' })
    expect(s.attempt).toBe(0)
    s = apply(s, msg('snapshot', snapshot()))
    expect(s.synced).toBe(true)
  })

  it('queue → match found → match running', () => {
    let s = apply(initialState, msg('queue.status', { queued: true, mode: 'ranked', joined_at: 't', window: { min: 1400, max: 1600 } }))
    expect(s.queue?.window?.min).toBe(1400)
    s = apply(s, msg('match.found', { match_id: 'm1', mode: 'ranked', server_now: 't', accept_deadline: 't', players: [] }))
    expect(s.queue).toBeNull()
    expect(s.pending?.match_id).toBe('m1')
    s = apply(s, msg('match.state', match({ state: 'found', players: [player({ user_id: 7, username: 'ada', accepted: true })] })))
    expect(s.pending?.match_id).toBe('m1') // still accepting
    expect(s.pending?.players[0].accepted).toBe(true)
    expect(s.match).toBeNull()
    s = apply(s, msg('match.state', match({ state: 'countdown' })))
    expect(s.pending).toBeNull()
    expect(s.match?.state).toBe('countdown')
  })

  it('a decline (or the other player declining) closes the match-found dialog', () => {
    let s = apply(initialState, msg('match.found', { match_id: 'm1', mode: 'ranked', server_now: 't', accept_deadline: 't', players: [] }))
    s = apply(s, msg('queue.status', { queued: true, mode: 'ranked', joined_at: 't' }))
    expect(s.pending).toBeNull()
    expect(s.queue?.queued).toBe(true)
  })

  it('leaving the queue clears it; a cooldown is kept', () => {
    let s = apply(initialState, msg('queue.status', { queued: true, mode: 'casual' }))
    s = apply(s, msg('queue.status', { queued: false }))
    expect(s.queue).toBeNull()
    s = apply(s, msg('queue.status', { queued: false, cooldown_until: '2026-11-26T04:01:00.000Z' }))
    expect(s.queue?.cooldown_until).toBe('2026-11-26T04:01:00.000Z')
  })

  it('tracks per-test submission progress and the final result, never a verdict before it', () => {
    const prog = (user: number, test: number, phase = 'running', id = 's1') => msg('submission.progress', { match_id: 'm1', submission_id: id, user_id: user, phase, test, total: 5 })
    let s = apply(initialState, msg('match.state', match()))
    s = reduce(s, { kind: 'submit.sent', lang: 'cpp' })
    expect(s.submission?.phase).toBe('sending')
    // The server took it: our own card says pending.
    s = apply(s, msg('opponent.progress', { match_id: 'm1', user_id: 7, tests_passed: 0, tests_total: 0, last_verdict: 'pending', submissions: 1, typing: false, connected: true, grace_deadline: null, server_now: 't' }))
    expect(s.submission?.phase).toBe('queued')
    s = apply(s, prog(7, 0, 'compiling'), prog(7, 1), prog(7, 2))
    expect(s.submission).toMatchObject({ phase: 'running', judged: 2, total: 5, tests: [] })
    expect(s.judging[7]).toMatchObject({ phase: 'running', test: 2, total: 5 })
    s = apply(s, msg('submission.result', { match_id: 'm1', submission_id: 's1', lang: 'cpp', verdict: 'WA', passed: 2, total: 5, failed_test: 3, time_ms: 1, memory_kb: 1, compile_error: null, received_at: 't' }, 'c9'))
    expect(s.submission?.phase).toBe('done')
    expect(s.submission?.tests).toEqual(['AC', 'AC', 'WA'])
    expect(s.judging[7]).toBeUndefined()
    // My own progress in the match panel follows the result.
    expect(s.match?.players.find((p) => p.user_id === 7)).toMatchObject({ tests_passed: 2, tests_total: 5, last_verdict: 'WA' })
    // A late progress frame for the finished submission changes nothing.
    const late = apply(s, prog(7, 4))
    expect(late).toBe(s)
  })

  it("shows an opponent's judging only while their verdict is pending", () => {
    const prog = (test: number) => msg('submission.progress', { match_id: 'm1', submission_id: 'o1', user_id: 9, phase: 'running', test, total: 18 })
    const opp = (last_verdict: string | null, passed = 0) => msg('opponent.progress', { match_id: 'm1', user_id: 9, tests_passed: passed, tests_total: 18, last_verdict, submissions: 1, typing: false, connected: true, grace_deadline: null, server_now: 't' })
    let s = apply(initialState, msg('match.state', match()))
    s = apply(s, opp('pending'), prog(7))
    expect(s.judging[9]).toMatchObject({ test: 7, total: 18 })
    expect(progressOf(s, 9)).toMatchObject({ phase: 'running', judged: 7, status: 'Judging 7/18' })
    s = apply(s, opp('WA', 7))
    expect(s.judging[9]).toBeUndefined()
    expect(s.settled[9]).toBe('o1')
    // A late frame of the judged submission changes nothing.
    expect(apply(s, prog(8))).toBe(s)
    expect(progressOf(s, 9)).toMatchObject({ phase: 'done', verdict: 'WA' })
  })

  it('keeps progress that arrives before the pending frame, and shows it once the player is pending', () => {
    const prog = (id: string, test: number, phase = 'running') => msg('submission.progress', { match_id: 'm1', submission_id: id, user_id: 9, phase, test, total: 18 })
    const opp = (last_verdict: string | null, submissions: number, over: object = {}) => msg('opponent.progress', { match_id: 'm1', user_id: 9, tests_passed: 0, tests_total: 18, last_verdict, submissions, typing: false, connected: true, grace_deadline: null, server_now: 't', ...over })
    let s = apply(initialState, msg('match.state', match()))
    // A fast judge: compiling and test 1 of the first submission before the server's pending frame.
    s = apply(s, prog('o1', 0, 'compiling'), prog('o1', 1))
    expect(s.judging[9]).toMatchObject({ submission_id: 'o1', phase: 'running', test: 1 })
    // Nothing is claimed before the pending frame (no verdict yet, no count).
    expect(progressOf(s, 9)).toMatchObject({ phase: 'idle', judged: 0, verdict: null })
    // A frame that changes nothing about the verdict (typing) keeps it.
    s = apply(s, opp(null, 0, { typing: true }))
    expect(s.judging[9]?.test).toBe(1)
    s = apply(s, opp('pending', 1))
    expect(progressOf(s, 9)).toMatchObject({ phase: 'running', judged: 1, status: 'Judging 1/18' })
    s = apply(s, prog('o1', 2))
    expect(progressOf(s, 9)).toMatchObject({ judged: 2 })
    s = apply(s, opp('WA', 1, { tests_passed: 2 }))
    expect(progressOf(s, 9)).toMatchObject({ phase: 'done', verdict: 'WA' })
    // The second submission, its progress again first, while the card says WA.
    s = apply(s, prog('o2', 3))
    expect(progressOf(s, 9)).toMatchObject({ phase: 'done', verdict: 'WA' })
    s = apply(s, opp('pending', 2))
    expect(progressOf(s, 9)).toMatchObject({ phase: 'running', judged: 3 })
    // The verdict straight after the early progress, with no pending frame between (a new count of submissions).
    s = apply(s, opp('AC', 2, { tests_passed: 18 }), prog('o3', 4), opp('WA', 3))
    expect(s.judging[9]).toBeUndefined()
    expect(s.settled[9]).toBe('o3')
    expect(progressOf(s, 9)).toMatchObject({ phase: 'done', verdict: 'WA' })
  })

  it('keeps my own progress that arrives before the pending frame', () => {
    const prog = (test: number) => msg('submission.progress', { match_id: 'm1', submission_id: 's1', user_id: 7, phase: 'running', test, total: 5 })
    let s = apply(initialState, msg('match.state', match()))
    s = reduce(s, { kind: 'submit.sent', lang: 'cpp' })
    s = apply(s, prog(1))
    expect(s.submission).toMatchObject({ submission_id: 's1', phase: 'running', judged: 1 })
    s = apply(s, msg('opponent.progress', { match_id: 'm1', user_id: 7, tests_passed: 0, tests_total: 5, last_verdict: 'pending', submissions: 1, typing: false, connected: true, grace_deadline: null, server_now: 't' }))
    expect(s.submission).toMatchObject({ phase: 'running', judged: 1 })
    expect(progressOf(s, 7)).toMatchObject({ phase: 'running', judged: 1, status: 'Judging 1/5' })
  })

  it('a cancelled match says why until the next match', () => {
    let s = apply(initialState, msg('match.found', { match_id: 'm1', mode: 'ranked', server_now: 't', accept_deadline: 't', difficulty: 1, players: [] }))
    s = apply(s, msg('match.cancelled', { match_id: 'm1', mode: 'ranked', reason: 'declined', you: false, requeued: true, cooldown_until: null, server_now: 't' }))
    expect(s.pending).toBeNull()
    expect(s.cancelled).toMatchObject({ reason: 'declined', requeued: true })
    s = apply(s, msg('match.found', { match_id: 'm2', mode: 'ranked', server_now: 't', accept_deadline: 't', difficulty: 1, players: [] }))
    expect(s.cancelled).toBeNull()
  })

  it('opponent progress patches only that player, and only for the current match', () => {
    let s = apply(initialState, msg('match.state', match()))
    s = apply(s, msg('opponent.progress', { match_id: 'm1', user_id: 9, tests_passed: 4, tests_total: 10, typing: true, connected: false, grace_deadline: 'g' }))
    const opp = s.match!.players.find((p) => p.user_id === 9)!
    expect(opp).toMatchObject({ tests_passed: 4, tests_total: 10, typing: true, connected: false, grace_deadline: 'g' })
    expect(s.match!.players.find((p) => p.user_id === 7)!.tests_passed).toBe(0)
    const other = apply(s, msg('opponent.progress', { match_id: 'other', user_id: 9, tests_passed: 10 }))
    expect(other).toBe(s)
  })

  it('match.finished records the result and updates my rating and XP', () => {
    let s = apply(initialState, msg('snapshot', snapshot({ match: match() })))
    s = apply(s, msg('match.finished', {
      match_id: 'm1', mode: 'ranked', outcome: 'won', winner_id: 7, finished_at: 't',
      ratings: [{ user_id: 7, before: 1500, after: 1517.5, delta: 17.5, rd: 300 }],
      xp: [{ user_id: 7, gained: 140, total: 140, level: 2, level_up: true }],
      solutions: [], coach: null,
    }))
    expect(s.finished?.winner_id).toBe(7)
    expect(s.match?.state).toBe('finished')
    expect(s.user).toMatchObject({ rating: 1517.5, rd: 300, xp: 140, level: 2 })
    s = apply(s, msg('match.coach', { match_id: 'm1', coach: [{ user_id: 7, time: 'O(n)', space: 'O(1)', explanation: 'one pass' }] }))
    expect(s.finished?.coach?.[0].time).toBe('O(n)')
    s = reduce(s, { kind: 'finished.dismiss' })
    expect(s.finished).toBeNull()
    expect(s.match).toBeNull()
  })

  it('errors are recorded without changing anything else', () => {
    const s0 = apply(initialState, msg('match.state', match()))
    const s = apply(s0, msg('error', { code: 'deadline_passed', message: 'late' }, 'c3'))
    expect(s.lastError?.code).toBe('deadline_passed')
    expect(s.match).toBe(s0.match)
  })

  it('a new match resets run and submission views', () => {
    let s = apply(initialState, msg('match.state', match()))
    s = apply(s, msg('run.result', { match_id: 'm1', compile_error: null, results: [] }))
    expect(s.run.result).not.toBeNull()
    s = apply(s, msg('match.state', match({ match_id: 'm2' })))
    expect(s.run.result).toBeNull()
    expect(s.submission).toBeNull()
  })

  it('a refused run records why, and the next run clears it', () => {
    let s = apply(initialState, msg('match.state', match()))
    s = reduce(s, { kind: 'run.sent' })
    expect(s.run.pending).toBe(true)
    s = reduce(s, { kind: 'run.failed', code: 'judge_busy', message: 'one at a time', retry_after_ms: 1500 })
    expect(s.run).toEqual({ pending: false, result: null, error: { code: 'judge_busy', message: 'one at a time', retry_after_ms: 1500 } })
    s = reduce(s, { kind: 'run.sent' })
    expect(s.run.error).toBeNull()
    s = apply(s, msg('run.result', { compile_error: null, results: [{ sample: 1, verdict: 'OK', time_ms: 3, input: '1', expected: null, actual: '1', stderr: '' }] }))
    expect(s.run.pending).toBe(false)
    expect(s.run.result?.results[0].expected).toBeNull()
  })

  it('coach reports arriving one player at a time are merged, newest per player', () => {
    const fin = { match_id: 'm1', mode: 'ranked', outcome: 'won', winner_id: 7, finished_at: 'x', ratings: [], xp: [], solutions: [], coach: null }
    let s = apply(initialState, msg('match.state', match()), msg('match.finished', fin))
    s = apply(s, msg('match.coach', { match_id: 'm1', coach: [{ user_id: 7, submission_id: 's1', time: 'O(n)', space: 'O(1)', explanation: 'a' }] }))
    s = apply(s, msg('match.coach', { match_id: 'm1', coach: [{ user_id: 9, submission_id: 's2', time: 'O(n^2)', space: 'O(1)', explanation: 'b' }] }))
    expect(s.finished?.coach?.map((c) => c.user_id)).toEqual([7, 9])
    s = apply(s, msg('match.coach', { match_id: 'm1', coach: [{ user_id: 7, submission_id: 's3', time: 'O(n log n)', space: 'O(1)', explanation: 'c' }] }))
    expect(s.finished?.coach?.find((c) => c.user_id === 7)?.submission_id).toBe('s3')
    expect(s.finished?.coach).toHaveLength(2)
    // Another match's reports are not this one's.
    const other = apply(s, msg('match.coach', { match_id: 'm2', coach: [{ user_id: 1, time: 'O(1)', space: 'O(1)', explanation: '' }] }))
    expect(other).toBe(s)
    // A repeated match.finished (after a reconnect) keeps what arrived.
    s = apply(s, msg('match.finished', fin))
    expect(s.finished?.coach).toHaveLength(2)
    // ... and a match.finished that carries reports merges them in.
    s = apply(s, msg('match.finished', { ...fin, coach: [{ user_id: 9, submission_id: 's4', time: 'O(n)', space: 'O(1)', explanation: 'd' }] }))
    expect(s.finished?.coach?.find((c) => c.user_id === 9)?.submission_id).toBe('s4')
  })

  it("the snapshot's last_finished restores a result missed while away, keeping reports", () => {
    const fin = { match_id: 'm1', mode: 'ranked', outcome: 'won', winner_id: 7, finished_at: 'x', ratings: [], xp: [{ user_id: 7, gained: 140, total: 1380, level: 3, level_up: false }], solutions: [], coach: null }
    let s = apply(initialState, msg('snapshot', snapshot({ last_finished: fin as never })))
    expect(s.finished?.match_id).toBe('m1')
    s = apply(s, msg('match.coach', { match_id: 'm1', coach: [{ user_id: 7, time: 'O(n)', space: 'O(1)', explanation: 'a' }] }))
    // A reconnect's snapshot still names the match, without the report: kept.
    s = apply(s, msg('snapshot', snapshot({ last_finished: fin as never })))
    expect(s.finished?.coach).toHaveLength(1)
    // A snapshot without it leaves what the client has; one with a running match clears it.
    s = apply(s, msg('snapshot', snapshot()))
    expect(s.finished?.match_id).toBe('m1')
    s = apply(s, msg('snapshot', snapshot({ match: match({ match_id: 'm2' }) })))
    expect(s.finished).toBeNull()
  })
})
