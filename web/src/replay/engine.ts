// Replays one player's editor timeline (GET /api/v1/matches/{id}/replay):
// the text at any instant. JavaScript strings are UTF-16, the unit the
// server's offsets count, so a change is one slice. Scrubbing forward
// applies the events in between; backward restarts from the nearest
// checkpoint (every CHECKPOINT events), so playback at 16× stays cheap.

export interface ReplayChange { o: number; l: number; x: string }
export interface ReplayEvent { at: number; doc: string; k: string; c?: ReplayChange[]; text?: string; lang?: string; n?: number }

const CHECKPOINT = 256

interface State { docs: Map<string, string>; cur: string; lang: string; next: number }

function copy(s: State): State {
  return { docs: new Map(s.docs), cur: s.cur, lang: s.lang, next: s.next }
}

export class TextReplay {
  private s: State = { docs: new Map(), cur: '', lang: '', next: 0 }
  private checkpoints: State[] = []

  constructor(private readonly events: ReplayEvent[]) {
    this.checkpoints.push(copy(this.s))
  }

  private apply(e: ReplayEvent): void {
    const s = this.s
    if (e.k === 'open') {
      s.docs.set(e.doc, e.text ?? '')
      s.cur = e.doc
      s.lang = e.lang ?? s.lang
      return
    }
    let t = s.docs.get(e.doc)
    if (t === undefined) return // the server never stores such an event
    if (e.k === 'edit') {
      for (const c of e.c ?? []) t = t.slice(0, c.o) + c.x + t.slice(c.o + c.l)
      s.docs.set(e.doc, t)
    }
    if (e.k === 'lang' && e.lang) s.lang = e.lang
    s.cur = e.doc
  }

  /** Moves to instant at (Unix ms): every event stamped at or before it applied. */
  seek(at: number): this {
    if (this.s.next > 0 && this.events[this.s.next - 1].at > at) {
      // Back: the last checkpoint before the target.
      let i = this.checkpoints.length - 1
      while (i > 0 && this.events[this.checkpoints[i].next - 1].at > at) i--
      this.s = copy(this.checkpoints[i])
    }
    while (this.s.next < this.events.length && this.events[this.s.next].at <= at) {
      this.apply(this.events[this.s.next])
      this.s.next++
      if (this.s.next % CHECKPOINT === 0 && this.checkpoints.length === this.s.next / CHECKPOINT) this.checkpoints.push(copy(this.s))
    }
    return this
  }

  get text(): string {
    return this.s.docs.get(this.s.cur) ?? ''
  }

  get lang(): string {
    return this.s.lang
  }

  /** Events applied so far. */
  get applied(): number {
    return this.s.next
  }
}
