// Editors shown live from the server's frames (issue 20): a ghost's lane
// (ghost.progress: its steps at their original offsets) and, for
// spectators of a match with live editors on, each player's editor
// (editor.live). Pure: the reducer keeps the state, the screens draw it.

import type { EditorLive, GhostResult, GhostStep, ReplayEvent } from '../protocol/types'

/** A player's editors: each instance's text, the one last touched, its language. */
export interface LiveDoc { docs: Record<string, string>; cur: string; lang: string }

export const emptyDoc: LiveDoc = { docs: {}, cur: '', lang: '' }

/** Applies stamped editor events (open, edit, lang; others only mark the instance). */
export function applyEvents(d: LiveDoc, events: ReplayEvent[]): LiveDoc {
  let docs = d.docs
  let { cur, lang } = d
  for (const e of events) {
    if (e.k === 'open') {
      docs = { ...docs, [e.doc]: e.text ?? '' }
      cur = e.doc
      lang = e.lang || lang
      continue
    }
    let t = docs[e.doc]
    if (t === undefined) continue // the server never sends such an event
    if (e.k === 'edit') {
      for (const c of e.c ?? []) t = t.slice(0, c.o) + c.x + t.slice(c.o + c.l)
      docs = { ...docs, [e.doc]: t }
    }
    if (e.k === 'lang' && e.lang) lang = e.lang
    cur = e.doc
  }
  return { docs, cur, lang }
}

export function docText(d: LiveDoc): string {
  return d.docs[d.cur] ?? ''
}

/** The ghost's lane: its steps so far (in order) and the race's result once over. */
export interface GhostLaneState { match_id: string; steps: GhostStep[]; doc: LiveDoc; result: GhostResult | null }

export function ghostProgress(prev: GhostLaneState | null, matchId: string, steps: GhostStep[], reset: boolean): GhostLaneState {
  const base = !prev || reset || prev.match_id !== matchId ? { match_id: matchId, steps: [], doc: emptyDoc, result: null } : prev
  const evs = steps.flatMap((s) => (s.kind === 'editor' && s.event ? [s.event] : []))
  return { ...base, steps: [...base.steps, ...steps], doc: applyEvents(base.doc, evs) }
}

/** Spectators' live editors: per player, the frames' seq, and whether one was missed (stale: ask spectate again). */
export interface LiveEditorsState { match_id: string; players: Record<number, { seq: number; doc: LiveDoc }>; stale: boolean }

/** Starts from the spectate reply's editors (each a reset with the whole text). */
export function liveStart(matchId: string, editors: EditorLive[]): LiveEditorsState {
  const players: LiveEditorsState['players'] = {}
  for (const e of editors) players[e.user_id] = { seq: e.seq, doc: { docs: { [e.doc]: e.text ?? '' }, cur: e.doc, lang: e.lang ?? '' } }
  return { match_id: matchId, players, stale: false }
}

/** Applies one editor.live frame; a gap in a player's seq marks the state stale (nothing applied). */
export function liveFrame(prev: LiveEditorsState | null, f: EditorLive): LiveEditorsState {
  const s = prev && prev.match_id === f.match_id ? prev : { match_id: f.match_id, players: {}, stale: false }
  const p = s.players[f.user_id] ?? { seq: 0, doc: emptyDoc }
  if (f.seq <= p.seq) return s // already applied (a repeated frame)
  if (f.seq !== p.seq + 1) return { ...s, stale: true }
  let doc = p.doc
  if (f.reset) doc = { docs: { ...doc.docs, [f.doc]: f.text ?? '' }, cur: f.doc, lang: f.lang ?? doc.lang }
  doc = applyEvents(doc, f.events)
  return { ...s, players: { ...s.players, [f.user_id]: { seq: f.seq, doc } } }
}

/** "0:42" from ms. */
export function offsetText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

/** "You beat the ghost by 12 s" / "The ghost won by 12 s": the race's result in words. */
export function raceText(r: GhostResult): string {
  const by = r.margin_ms > 0 ? ` by ${secondsText(r.margin_ms)}` : ''
  switch (r.winner) {
    case 'you': return r.ghost_ms === null ? 'You solved it; the ghost never did' : r.margin_ms > 0 ? `You beat the ghost${by}` : 'You tied the ghost'
    case 'ghost': return r.you_ms === null ? `The ghost won (it solved it in ${offsetText(r.ghost_ms ?? 0)})` : `The ghost won${by}`
    default: return 'Neither of you solved it'
  }
}

function secondsText(ms: number): string {
  const s = Math.round(ms / 1000)
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`
}
