import { describe, expect, it } from 'vitest'
import { initialState, reduce, type ArenaState } from './reducer'
import type { MatchState, ServerMessage } from './types'
import { player } from '../test/player'
import { docText } from '../replay/live'

const msg = (type: string, data: unknown) => ({ v: 1, type, data }) as ServerMessage
const apply = (s: ArenaState, ...ms: ServerMessage[]) => ms.reduce((acc, m) => reduce(acc, { kind: 'message', msg: m, at: 1 }), s)
const state = (over: Partial<MatchState>): MatchState => ({
  match_id: 'm1', mode: 'casual', rule: 'fastest', state: 'running', you: null, spectating: true, server_now: '2026-12-07T09:00:00.000Z',
  starts_at: '2026-12-07T09:00:00.000Z', deadline: '2026-12-07T09:20:00.000Z', duration_s: 1200, problem: null,
  players: [player({ user_id: 7, username: 'ada' }), player({ user_id: 9, username: 'bob' })], ...over,
})

describe('reduce: ghost race and live editors', () => {
  it('folds ghost.progress and ghost.result for the race', () => {
    const s = apply(initialState,
      msg('ghost.progress', { match_id: 'p1', reset: false, steps: [{ at_ms: 0, kind: 'editor', event: { at: 1, doc: 'd', k: 'open', text: 'hi', lang: 'python' } }] }),
      msg('ghost.progress', { match_id: 'p1', reset: false, steps: [{ at_ms: 4000, kind: 'run' }] }),
      msg('ghost.result', { match_id: 'p1', winner: 'you', you_ms: 8000, ghost_ms: 10000, margin_ms: 2000, ghost: 'gina' }))
    expect(s.ghost?.steps).toHaveLength(2)
    expect(docText(s.ghost!.doc)).toBe('hi')
    expect(s.ghost?.result?.winner).toBe('you')
  })

  it('starts a spectator from the spectate reply and applies editor.live; no live state when the setting is off', () => {
    let s = apply(initialState, msg('match.state', state({ live_editors: true, editors: [{ match_id: 'm1', user_id: 7, seq: 2, doc: 'e', reset: true, text: 'ab', events: [] }] })))
    s = apply(s, msg('editor.live', { match_id: 'm1', user_id: 7, seq: 3, doc: 'e', reset: false, events: [{ at: 1, doc: 'e', k: 'edit', c: [{ o: 2, l: 0, x: 'c' }] }] }))
    expect(docText(s.live!.players[7].doc)).toBe('abc')
    // A pushed state (no editors) keeps what the frames built.
    s = apply(s, msg('match.state', state({ live_editors: true })))
    expect(docText(s.live!.players[7].doc)).toBe('abc')
    s = apply(s, msg('match.state', state({ match_id: 'm2' })))
    expect(s.live).toBeNull()
  })
})
