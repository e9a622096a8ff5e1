// The editor timeline of issue 20: what the player's Monaco editor does,
// sent to the server as editor.batch every EDITOR_BATCH_MS (docs/protocol.md
// §3, "The editor timeline"). The server stamps the events with its clock,
// checks each batch against its copy of the text (hash) and refuses what
// does not fit with an error frame; the recorder then sends the whole text
// again (an open), so the replay never drifts from what the player saw.

import { EDITOR_BATCH_MS, MAX_CODE_BYTES, MAX_EDITOR_BATCH_TEXT, MAX_EDITOR_EVENTS, type EditorBatch, type EditorChange, type EditorEvent } from '../protocol/generated'

/** FNV-1a (32 bits) over the UTF-16 code units: the server's Doc.Hash. */
export function textHash(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 16777619) >>> 0
  }
  return h >>> 0
}

/** Where batches go: false when they could not be sent (offline). */
export type BatchSink = (batch: EditorBatch, onError: (code: string) => void) => boolean

// Errors after which recording stops for this match (nothing to resync).
const FINAL = new Set(['timeline_full', 'match_not_running', 'match_not_found', 'not_in_match'])

const utf8 = new TextEncoder()

export class EditorRecorder {
  readonly doc: string
  private events: EditorEvent[] = []
  private text = 0 // bytes of text pending
  private needOpen = true
  private stopped = false
  private timer: ReturnType<typeof setInterval> | null = null

  constructor(
    private readonly matchId: string,
    private readonly sink: BatchSink,
    private readonly current: () => { text: string; lang: string },
    private readonly now: () => number = () => Math.floor(performance.now()),
    random: () => number = Math.random,
  ) {
    this.doc = 'ed' + Array.from({ length: 12 }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(random() * 36)]).join('')
  }

  start(): void {
    if (this.timer || this.stopped) return
    this.timer = setInterval(() => this.flush(), EDITOR_BATCH_MS)
  }

  stop(): void {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  get recording(): boolean {
    return !this.stopped
  }

  /** One Monaco content change event (its changes, against the text before it). */
  edit(changes: { rangeOffset: number; rangeLength: number; text: string }[], flush = false): void {
    if (flush) {
      // setValue: the whole text is new.
      this.needOpen = true
      return
    }
    const c: EditorChange[] = changes
      .map((x) => ({ o: x.rangeOffset, l: x.rangeLength, x: x.text }))
      // Applied one after the other: from the end, so earlier offsets hold.
      .sort((a, b) => b.o - a.o)
    for (const x of c) this.text += x.x.length * 3
    this.push({ t: 0, k: 'edit', c })
  }

  paste(units: number): void {
    this.push({ t: 0, k: 'paste', n: units })
  }

  focus(on: boolean): void {
    this.push({ t: 0, k: on ? 'focus' : 'blur' })
  }

  lang(lang: string): void {
    this.push({ t: 0, k: 'lang', lang })
  }

  private push(e: EditorEvent): void {
    if (this.stopped) return
    e.t = this.now()
    this.events.push(e)
  }

  /** Send what is pending now (before a run or a submission, and every tick). */
  flush(): void {
    if (this.stopped) return
    const cur = this.current()
    if (!this.needOpen && (this.events.length > MAX_EDITOR_EVENTS || this.text > MAX_EDITOR_BATCH_TEXT)) this.needOpen = true
    let events = this.events
    if (this.needOpen) {
      if (utf8.encode(cur.text).length > MAX_CODE_BYTES) return // over the code limit: nothing to record until it shrinks
      // The whole text replaces what is pending.
      events = [{ t: this.now(), k: 'open', text: cur.text, lang: cur.lang }]
    }
    if (events.length === 0) return
    const batch: EditorBatch = { match_id: this.matchId, doc: this.doc, events, hash: textHash(cur.text) }
    if (!this.sink(batch, (code) => this.refused(code))) return // offline: keep it for the next tick
    this.events = []
    this.text = 0
    this.needOpen = false
  }

  private refused(code: string): void {
    if (FINAL.has(code)) this.stop()
    else this.needOpen = true // resync: the next batch carries the whole text
  }
}

/** The slice of Monaco's editor the recorder listens to. */
export interface RecordableEditor {
  getValue(): string
  onDidChangeModelContent(fn: (e: { changes: readonly { rangeOffset: number; rangeLength: number; text: string }[]; isFlush: boolean }) => void): { dispose(): void }
  onDidPaste(fn: (e: { range: unknown }) => void): { dispose(): void }
  onDidFocusEditorText(fn: () => void): { dispose(): void }
  onDidBlurEditorText(fn: () => void): { dispose(): void }
  getModel(): { getValueLengthInRange(range: unknown): number } | null
}

/** Records editor into match matchId through sink; returns the recorder (stop() detaches). */
export function recordEditor(editor: RecordableEditor, matchId: string, lang: () => string, sink: BatchSink): EditorRecorder {
  const r = new EditorRecorder(matchId, sink, () => ({ text: editor.getValue(), lang: lang() }))
  const subs = [
    editor.onDidChangeModelContent((e) => r.edit([...e.changes], e.isFlush)),
    editor.onDidPaste((e) => r.paste(editor.getModel()?.getValueLengthInRange(e.range) ?? 0)),
    editor.onDidFocusEditorText(() => r.focus(true)),
    editor.onDidBlurEditorText(() => r.focus(false)),
  ]
  const stop = r.stop.bind(r)
  r.stop = () => {
    stop()
    subs.forEach((s) => s.dispose())
  }
  r.start()
  return r
}
