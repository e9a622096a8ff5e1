import { act, render, screen, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { PlayerProgress } from '../components/OpponentPanel'
import { DuelGrid } from '../game/DuelGrid'
import { ServerClock } from '../lib/clock'
import { player } from '../test/player'
import { arenaStore, dispatch, useArena } from './arena'
import { progressOf } from './progress'
import { initialState, reduce, type ArenaState } from './reducer'
import type { MatchState, ServerMessage, Verdict } from './types'

const ME = 1
const OPP = 2
const match = (): MatchState => ({
  match_id: 'm1', mode: 'ranked', rule: 'fastest', state: 'running', you: ME, spectating: false, server_now: '', starts_at: '', deadline: '', duration_s: 600, problem: null,
  players: [player({ user_id: ME, username: 'ada' }), player({ user_id: OPP, username: 'grace' })],
})
const m = (type: string, data: unknown) => ({ type, data }) as ServerMessage
const progress = (user: number, sid: string, test: number, total = 4, matchId = 'm1') =>
  m('submission.progress', { match_id: matchId, submission_id: sid, user_id: user, phase: test === 0 ? 'compiling' : 'running', test, total })
const opp = (user: number, last_verdict: Verdict | null, passed: number, total = 4, typing = false, submissions = 1) =>
  m('opponent.progress', { match_id: 'm1', user_id: user, tests_passed: passed, tests_total: total, last_verdict, submissions, typing, connected: true, grace_deadline: null, server_now: '' })
const result = (sid: string, verdict: Verdict, passed: number, total = 4, failed: number | null = null) =>
  m('submission.result', { match_id: 'm1', submission_id: sid, lang: 'python', verdict, passed, total, failed_test: failed, time_ms: 1, memory_kb: 1, compile_error: null, received_at: '' })
const fold = (msgs: ServerMessage[], s: ArenaState = initialState) => msgs.reduce((acc, msg) => reduce(acc, { kind: 'message', msg, at: 0 }), s)

describe('progressOf (the one view of a player progress)', () => {
  it('shows tests judged, never passed, while a submission is judged', () => {
    let s = fold([m('match.state', match()), opp(OPP, 'pending', 0), progress(OPP, 'a', 0)])
    expect(progressOf(s, OPP)).toMatchObject({ phase: 'compiling', judged: 0, status: 'Compiling…' })
    s = fold([progress(OPP, 'a', 1), progress(OPP, 'a', 3)], s)
    expect(progressOf(s, OPP)).toMatchObject({ phase: 'running', judged: 3, total: 4, verdict: null, status: 'Judging 3/4' })
    expect(progressOf(s, OPP)!.cells).toEqual(['judged', 'judged', 'judged', 'pending'])
  })
  it('never moves backwards on a late or repeated progress frame; a new submission starts over', () => {
    let s = fold([m('match.state', match()), opp(OPP, 'pending', 0), progress(OPP, 'a', 3), progress(OPP, 'a', 2), progress(OPP, 'a', 0)])
    expect(progressOf(s, OPP)!.judged).toBe(3)
    s = fold([progress(OPP, 'c', 1)], s)
    expect(progressOf(s, OPP)).toMatchObject({ judged: 1, phase: 'running' })
  })
  it('my result colours my lane exactly: the passes, then the failed test', () => {
    let s = fold([m('match.state', match())])
    s = reduce(s, { kind: 'submit.sent', lang: 'python' })
    s = fold([opp(ME, 'pending', 0), progress(ME, 'b', 2), result('b', 'WA', 2, 4, 3), progress(ME, 'b', 4)], s)
    expect(progressOf(s, ME)).toMatchObject({ phase: 'done', verdict: 'WA', passed: 2, failed: 3, status: 'Wrong Answer' })
    expect(progressOf(s, ME)!.cells).toEqual(['pass', 'pass', 'fail', 'pending'])
  })
  it("an opponent's outcome comes from opponent.progress; typing does not hide judging", () => {
    let s = fold([m('match.state', match()), opp(OPP, 'pending', 0), progress(OPP, 'a', 2), opp(OPP, 'pending', 0, 4, true)])
    expect(progressOf(s, OPP)).toMatchObject({ phase: 'running', judged: 2, typing: true })
    s = fold([opp(OPP, 'AC', 4)], s)
    expect(progressOf(s, OPP)).toMatchObject({ phase: 'done', verdict: 'AC', passed: 4, status: 'Accepted' })
    expect(progressOf(s, OPP)!.cells).toEqual(['pass', 'pass', 'pass', 'pass'])
  })
  it("typing and running samples come only from the server's frames, and clear with them", () => {
    const act = (typing: boolean, running_samples: boolean, user = OPP, match_id = 'm1') =>
      m('opponent.progress', { match_id, user_id: user, tests_passed: 0, tests_total: 0, last_verdict: null, submissions: 0, typing, running_samples, connected: true, grace_deadline: null, server_now: '' })
    let s = fold([m('match.state', match())])
    expect(progressOf(s, OPP)).toMatchObject({ typing: false, running: false })
    s = fold([act(true, false)], s)
    expect(progressOf(s, OPP)).toMatchObject({ typing: true, running: false })
    expect(progressOf(s, ME)).toMatchObject({ typing: false, running: false })
    s = fold([act(false, true), act(true, true, OPP, 'other')], s)
    expect(progressOf(s, OPP)).toMatchObject({ typing: false, running: true })
    s = fold([act(false, false)], s)
    expect(progressOf(s, OPP)).toMatchObject({ typing: false, running: false })
  })
  it('restores from the snapshot after a reload and ignores other matches', () => {
    const mm = match()
    mm.players[1] = { ...mm.players[1], tests_passed: 3, tests_total: 4, last_verdict: 'WA', submissions: 1 }
    const s = fold([m('snapshot', { user: null, lobby: null, queue: null, pending_match: null, match: mm, room: null, my_code: null }), progress(OPP, 'x', 4, 4, 'other')])
    expect(progressOf(s, OPP)).toMatchObject({ phase: 'done', passed: 3, verdict: 'WA' })
    expect(progressOf(s, OPP)!.cells).toEqual(['pass', 'pass', 'pass', 'pending'])
  })
  it('says "waiting" between the submission and its first progress frame', () => {
    const s = fold([m('match.state', match()), opp(OPP, 'pending', 0)])
    expect(progressOf(s, OPP)).toMatchObject({ phase: 'waiting', verdict: null, status: 'Waiting for a judge…' })
  })
})

// The cards and the lanes, rendered together from the one store, after each
// frame of many random frame sequences: they must say the same thing, and
// neither may give a final word before the final frame.
describe('player cards and judging lanes', () => {
  const clock = new ServerClock()
  function Views() {
    const mt = useArena((a) => a.match)
    if (!mt) return null
    return (
      <>
        {mt.players.map((p) => <PlayerProgress key={p.user_id} p={p} clock={clock} you={p.user_id === mt.you} />)}
        <DuelGrid match={mt} />
      </>
    )
  }

  // A small deterministic PRNG, so a failure is reproducible from its seed.
  function rng(seed: number) {
    let x = seed >>> 0 || 1
    return () => {
      x ^= x << 13; x >>>= 0
      x ^= x >>> 17
      x ^= x << 5; x >>>= 0
      return x / 2 ** 32
    }
  }
  const verdicts: Verdict[] = ['AC', 'WA', 'TLE', 'RE', 'CE']

  // One random frame (or client action) a real match can produce, in an order a real match could not always.
  function step(r: () => number, n: number) {
    const user = r() < 0.5 ? ME : OPP
    const sid = `s${Math.floor(r() * 3)}`
    const total = 4 + Math.floor(r() * 3)
    const k = Math.floor(r() * 7)
    const v = verdicts[Math.floor(r() * verdicts.length)]
    const passed = v === 'AC' ? total : Math.floor(r() * total)
    switch (k) {
      case 0: return dispatch({ kind: 'message', msg: opp(user, 'pending', passed, total, r() < 0.3, n) })
      case 1: return dispatch({ kind: 'message', msg: progress(user, sid, Math.floor(r() * (total + 1)), total) })
      case 2: return dispatch({ kind: 'message', msg: opp(user, v, passed, total, r() < 0.3, n) })
      case 3: return dispatch({ kind: 'message', msg: result(sid, v, passed, total, v === 'AC' ? null : Math.min(total, passed + 1)) })
      case 4: return dispatch({ kind: 'submit.sent', lang: 'python' })
      case 5: return dispatch({ kind: 'message', msg: opp(user, null, 0, 0, r() < 0.5, 0) })
      default: return dispatch({ kind: 'message', msg: m('match.state', { ...arenaStore.get().match!, players: arenaStore.get().match!.players.map((p) => (p.user_id === user ? { ...p, typing: r() < 0.5, running_samples: r() < 0.5 } : p)) }) })
    }
  }

  beforeEach(() => arenaStore.set({ ...initialState, conn: 'open', synced: true, match: match() }))

  for (const seed of [1, 7, 42, 1337, 2026]) {
    it(`agree after every frame (seed ${seed})`, () => {
      render(<Views />)
      const r = rng(seed)
      for (let n = 0; n < 150; n++) {
        act(() => step(r, n))
        const state = arenaStore.get()
        for (const p of state.match!.players) {
          const card = screen.getAllByTestId(/^(my-progress|opponent)$/).find((e) => e.dataset.user === p.username)!
          const lane = screen.getAllByTestId('lane').find((e) => e.dataset.user === p.username)!
          const view = progressOf(state, p.user_id)!
          const where = `seed ${seed}, frame ${n}, ${p.username}`
          expect(card.dataset.phase, where).toBe(lane.dataset.phase)
          expect(card.dataset.judged, where).toBe(lane.dataset.judged)
          expect(card.dataset.verdict, where).toBe(lane.dataset.verdict)
          expect(lane.dataset.phase, where).toBe(view.phase)
          const laneStatus = within(lane).getByTestId('lane-status').textContent
          const cardStatus = within(card).getByTestId(view.phase === 'done' || view.phase === 'idle' ? 'verdict' : 'judging').textContent
          expect(cardStatus, where).toBe(laneStatus)
          // Running samples: both say it exactly when the server does (beside the status, not while judging).
          const judgingNow = ['running', 'compiling', 'waiting'].includes(view.phase)
          expect(within(card).queryByText('running samples…') !== null, where).toBe(!!p.running_samples && !judgingNow)
          expect(within(lane).queryByTestId('lane-running') !== null, where).toBe(!!p.running_samples && !judgingNow)
          // No final word before the final frame: while the server's last
          // verdict is pending, neither view names a verdict or a passed test.
          if (p.last_verdict === 'pending') {
            for (const el of [card, lane]) expect(el.textContent, where).not.toMatch(/Accepted|Wrong Answer|Time Limit|Runtime Error|Compilation Error/)
            expect(lane.querySelectorAll('[data-cell="pass"], [data-cell="fail"]').length, where).toBe(0)
          } else {
            expect(lane.querySelectorAll('[data-cell="judged"]').length, where).toBe(0)
          }
        }
      }
    })
  }
})
