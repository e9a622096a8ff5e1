import { describe, expect, it } from 'vitest'
import type { EditorLive, GhostResult, GhostStep } from '../protocol/types'
import { docText, ghostProgress, liveFrame, liveStart, raceText } from './live'

const open: GhostStep = { at_ms: 0, kind: 'editor', event: { at: 1, doc: 'd', k: 'open', text: '', lang: 'python' } }
const edit = (at: number, o: number, x: string, l = 0): GhostStep => ({ at_ms: at, kind: 'editor', event: { at, doc: 'd', k: 'edit', c: [{ o, l, x }] } })

describe('ghost lane', () => {
  it('plays the steps in order and restarts on reset', () => {
    let g = ghostProgress(null, 'p1', [open, edit(2000, 0, 'print(1)')], false)
    expect(docText(g.doc)).toBe('print(1)')
    g = ghostProgress(g, 'p1', [{ at_ms: 4000, kind: 'run' }, edit(9000, 6, '2', 1)], false)
    expect(docText(g.doc)).toBe('print(2)')
    expect(g.steps.map((s) => s.kind)).toEqual(['editor', 'editor', 'run', 'editor'])
    g = ghostProgress(g, 'p1', [open, edit(2000, 0, 'x')], true)
    expect(docText(g.doc)).toBe('x')
    expect(g.steps).toHaveLength(2)
    // Another match starts over.
    expect(ghostProgress(g, 'p2', [open], false).steps).toHaveLength(1)
  })
})

describe('live editors', () => {
  const f = (seq: number, x: string, o: number): EditorLive => ({ match_id: 'm', user_id: 7, seq, doc: 'e', reset: false, events: [{ at: seq, doc: 'e', k: 'edit', c: [{ o, l: 0, x }] }] })
  it('applies frames in seq order from the spectate reply and marks a gap stale', () => {
    let s = liveStart('m', [{ match_id: 'm', user_id: 7, seq: 3, doc: 'e', reset: true, text: 'ab', lang: 'cpp', events: [] }])
    s = liveFrame(s, f(4, 'c', 2))
    expect(docText(s.players[7].doc)).toBe('abc')
    s = liveFrame(s, f(4, 'c', 2)) // repeated: ignored
    expect(docText(s.players[7].doc)).toBe('abc')
    s = liveFrame(s, f(6, 'z', 0)) // 5 missed
    expect(s.stale).toBe(true)
    expect(docText(s.players[7].doc)).toBe('abc')
  })
  it('starts a player seen first by a frame from its open', () => {
    const s = liveFrame(null, { match_id: 'm', user_id: 9, seq: 1, doc: 'x', reset: false, events: [{ at: 1, doc: 'x', k: 'open', text: 'hi', lang: 'python' }] })
    expect(docText(s.players[9].doc)).toBe('hi')
    expect(s.players[9].doc.lang).toBe('python')
  })
})

describe('raceText', () => {
  const r = (p: Partial<GhostResult>): GhostResult => ({ match_id: 'm', winner: 'you', you_ms: 8000, ghost_ms: 20000, margin_ms: 12000, ghost: 'gina', ...p })
  it('says who won and by how much', () => {
    expect(raceText(r({}))).toBe('You beat the ghost by 12 s')
    expect(raceText(r({ winner: 'ghost', you_ms: 32000, ghost_ms: 20000 }))).toBe('The ghost won by 12 s')
    expect(raceText(r({ winner: 'ghost', you_ms: null, margin_ms: 0 }))).toBe('The ghost won (it solved it in 0:20)')
    expect(raceText(r({ margin_ms: 0, you_ms: 20000 }))).toBe('You tied the ghost')
    expect(raceText(r({ winner: 'none', you_ms: null, ghost_ms: null, margin_ms: 0 }))).toBe('Neither of you solved it')
  })
})
