// Which sound cues a change of the arena state calls for. Pure (tested):
// the hook below feeds it every state change and plays what it returns.

import { useEffect } from 'react'
import { arenaStore } from '../protocol/arena'
import type { ArenaState } from '../protocol/reducer'
import { sfx, type Cue } from './sound'

export interface KeyedCue {
  cue: Cue
  key: string // plays once per key
}

export function cuesFor(prev: ArenaState, next: ArenaState): KeyedCue[] {
  const out: KeyedCue[] = []
  const me = next.user?.user_id
  const p = next.pending
  if (p && p.match_id !== prev.pending?.match_id) out.push({ cue: 'queuePop', key: `found:${p.match_id}` })
  if (p && me !== undefined) {
    const was = prev.pending?.match_id === p.match_id && !!prev.pending.players.find((x) => x.user_id === me)?.accepted
    if (!was && p.players.find((x) => x.user_id === me)?.accepted) out.push({ cue: 'accept', key: `accept:${p.match_id}` })
  }
  const r = next.submission?.result
  if (r && r.submission_id !== prev.submission?.result?.submission_id) {
    out.push({ cue: r.verdict === 'AC' ? 'ac' : 'wa', key: `sub:${r.submission_id}` })
  }
  const f = next.finished
  if (f && f.match_id !== prev.finished?.match_id && f.mode !== 'practice' && f.outcome !== 'aborted' && me !== undefined) {
    const played = [...f.ratings, ...f.xp, ...f.solutions].some((x) => x.user_id === me) || next.match?.you === me
    if (f.winner_id === me) out.push({ cue: 'victory', key: `fin:${f.match_id}` })
    else if (f.winner_id != null && played) out.push({ cue: 'defeat', key: `fin:${f.match_id}` })
  }
  return out
}

/** Plays the cues of every arena state change; mount once (App). */
export function useGameSounds(): void {
  useEffect(() => {
    let prev = arenaStore.get()
    return arenaStore.subscribe(() => {
      const next = arenaStore.get()
      // A fresh snapshot (connect, reconnect) restores state: nothing new happened.
      const restoring = !prev.synced && next.synced
      if (!restoring) for (const c of cuesFor(prev, next)) sfx().play(c.cue, c.key)
      prev = next
    })
  }, [])
}
