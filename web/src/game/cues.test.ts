import { describe, expect, it } from 'vitest'
import { initialState, type ArenaState } from '../protocol/reducer'
import type { MatchFinished, MatchFound, SubmissionResult } from '../protocol/types'
import { cuesFor } from './cues'

const user = { user_id: 1, username: 'ada', rating: 1500, rd: 350, xp: 0, level: 1 }
const base: ArenaState = { ...initialState, synced: true, user }
const found = (acceptedMe = false): MatchFound => ({ match_id: 'm1', mode: 'ranked', rule: 'fastest', server_now: '', accept_deadline: '', players: [
  { user_id: 1, username: 'ada', rating: 1500, rd: 350, level: 1, accepted: acceptedMe, win_streak: 0 }, { user_id: 2, username: 'bob', rating: 1500, rd: 350, level: 1, accepted: false, win_streak: 0 },
], difficulty: 1 })
const result = (id: string, verdict: SubmissionResult['verdict']): ArenaState['submission'] => ({
  submission_id: id, lang: 'python', total: 3, judged: 3, tests: [], phase: 'done',
  result: { match_id: 'm1', submission_id: id, lang: 'python', verdict, passed: verdict === 'AC' ? 3 : 1, total: 3,
    failed_test: null, time_ms: 1, memory_kb: 1, compile_error: null, received_at: '' },
})
const fin = (winner: number | null, mode: MatchFinished['mode'] = 'ranked'): MatchFinished => ({
  match_id: 'm1', mode, rule: 'fastest', outcome: winner ? 'won' : 'draw', reason: '', winner_id: winner, finished_at: '',
  ratings: [{ user_id: 1, before: 1500, after: 1510, delta: 10, rd: 300 }], xp: [], solutions: [], coach: [],
})

describe('cuesFor', () => {
  it('pops when a match is found, once per match', () => {
    expect(cuesFor(base, { ...base, pending: found() })).toEqual([{ cue: 'queuePop', key: 'found:m1' }])
    expect(cuesFor({ ...base, pending: found() }, { ...base, pending: found() })).toEqual([])
  })
  it('confirms my accept, not the opponent’s', () => {
    const p = found()
    expect(cuesFor({ ...base, pending: p }, { ...base, pending: found(true) })).toEqual([{ cue: 'accept', key: 'accept:m1' }])
    const theirs = { ...p, players: [p.players[0], { ...p.players[1], accepted: true }] }
    expect(cuesFor({ ...base, pending: p }, { ...base, pending: theirs })).toEqual([])
  })
  it('sounds my verdicts once each', () => {
    expect(cuesFor(base, { ...base, submission: result('s1', 'WA') })).toEqual([{ cue: 'wa', key: 'sub:s1' }])
    expect(cuesFor({ ...base, submission: result('s1', 'WA') }, { ...base, submission: result('s2', 'AC') })).toEqual([{ cue: 'ac', key: 'sub:s2' }])
    expect(cuesFor({ ...base, submission: result('s2', 'AC') }, { ...base, submission: result('s2', 'AC') })).toEqual([])
    expect(cuesFor(base, { ...base, submission: result('s3', 'CE') })[0].cue).toBe('wa')
  })
  it('plays victory or defeat for players, nothing for a draw or practice', () => {
    expect(cuesFor(base, { ...base, finished: fin(1) })).toEqual([{ cue: 'victory', key: 'fin:m1' }])
    expect(cuesFor(base, { ...base, finished: fin(2) })).toEqual([{ cue: 'defeat', key: 'fin:m1' }])
    expect(cuesFor(base, { ...base, finished: fin(null) })).toEqual([])
    expect(cuesFor(base, { ...base, finished: fin(1, 'practice') })).toEqual([])
  })
  it('stays quiet for a spectator who did not play', () => {
    const spect = { ...fin(2), ratings: [{ user_id: 2, before: 1500, after: 1510, delta: 10, rd: 300 }] }
    expect(cuesFor(base, { ...base, finished: spect })).toEqual([])
  })
})
