import { describe, expect, it } from 'vitest'
import type { MatchState, Player } from '../protocol/generated'
import { duelReduce, emptyDuel, laneCells, type DuelState } from './duel'

const player = (id: number, extra: Partial<Player> = {}): Player => ({ user_id: id, username: `u${id}`, rating: 1500, rd: 350, level: 1, connected: true, grace_deadline: null,
  accepted: true, tests_passed: 0, tests_total: 0, last_verdict: null, submissions: 0, typing: false, finished: false, ...extra })
const match = (players: Player[]): MatchState => ({ match_id: 'm1', mode: 'ranked', state: 'running', you: 1, spectating: false, server_now: '', starts_at: '', deadline: '',
  duration_s: 600, problem: null, players })
const run = (msgs: { type: string; data: unknown }[], s: DuelState = emptyDuel) => msgs.reduce((acc, m) => duelReduce(acc, m, 1), s)
const progress = (user: number, sid: string, test: number, total = 4) => ({ type: 'submission.progress', data: { match_id: 'm1', submission_id: sid, user_id: user, phase: test === 0 ? 'compiling' : 'running', test, total } })

describe('duelReduce', () => {
  it('fills both lanes from submission.progress, without claiming a pass', () => {
    const s = run([{ type: 'match.state', data: match([player(1), player(2)]) }, progress(2, 'a', 0), progress(2, 'a', 1), progress(2, 'a', 3), progress(1, 'b', 2)])
    expect(s.lanes[2]).toMatchObject({ phase: 'running', judged: 3, total: 4, passed: 0 })
    expect(laneCells(s.lanes[2])).toEqual(['judged', 'judged', 'judged', 'pending'])
    expect(laneCells(s.lanes[1])).toEqual(['judged', 'judged', 'pending', 'pending'])
  })
  it('never moves backwards on a late or repeated progress', () => {
    const s = run([{ type: 'match.state', data: match([player(1), player(2)]) }, progress(2, 'a', 3), progress(2, 'a', 2)])
    expect(s.lanes[2].judged).toBe(3)
  })
  it('my result colours my lane exactly: passes, then the failed test', () => {
    const s = run([{ type: 'match.state', data: match([player(1), player(2)]) }, progress(1, 'b', 2),
      { type: 'submission.result', data: { match_id: 'm1', submission_id: 'b', lang: 'python', verdict: 'WA', passed: 2, total: 4, failed_test: 3, time_ms: 1, memory_kb: 1, compile_error: null, received_at: '' } },
      progress(1, 'b', 4)])
    expect(s.lanes[1]).toMatchObject({ phase: 'done', verdict: 'WA', passed: 2, failed: 3 })
    expect(laneCells(s.lanes[1])).toEqual(['pass', 'pass', 'fail', 'pending'])
  })
  it("the opponent's outcome comes from opponent.progress", () => {
    const op = (v: string | null, passed: number, typing = false) => ({ type: 'opponent.progress', data: { match_id: 'm1', user_id: 2, tests_passed: passed, tests_total: 4, last_verdict: v, submissions: 1, typing, connected: true, grace_deadline: null, server_now: '' } })
    let s = run([{ type: 'match.state', data: match([player(1), player(2)]) }, op('pending', 0), progress(2, 'a', 2)])
    expect(s.lanes[2].phase).toBe('running')
    s = run([op('pending', 0, true)], s) // typing while judged: still judging
    expect(s.lanes[2].phase).toBe('running')
    s = run([op('AC', 4)], s)
    expect(s.lanes[2]).toMatchObject({ phase: 'done', verdict: 'AC', passed: 4 })
    expect(laneCells(s.lanes[2])).toEqual(['pass', 'pass', 'pass', 'pass'])
  })
  it('a new submission starts its lane over', () => {
    const s = run([{ type: 'match.state', data: match([player(1), player(2)]) }, progress(2, 'a', 3), progress(2, 'c', 1)])
    expect(s.lanes[2]).toMatchObject({ submission_id: 'c', judged: 1 })
  })
  it('restores a lane from the snapshot after a reload and ignores other matches', () => {
    const s = run([{ type: 'snapshot', data: { match: match([player(1), player(2, { tests_passed: 3, tests_total: 4, last_verdict: 'WA' })]) } }, { type: 'submission.progress', data: { match_id: 'other', submission_id: 'x', user_id: 2, phase: 'running', test: 4, total: 4 } }])
    expect(s.lanes[2]).toMatchObject({ phase: 'done', passed: 3, verdict: 'WA' })
    expect(laneCells(s.lanes[2])).toEqual(['pass', 'pass', 'pass', 'pending'])
  })
})
