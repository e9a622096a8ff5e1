// Sound effects, synthesised with Web Audio (no files to load): a cue is a
// few notes, each an oscillator with a short attack/decay envelope.
//
// Rules: nothing plays before the player has interacted with the page (the
// browser would refuse anyway, and a page that beeps on load is rude); the
// mute switch persists in localStorage; the same cue asked twice at once
// (a reconnect delivering an event again, two renders) plays once; a keyed
// cue (a countdown tick "3") plays once per key.

export type Cue = 'queuePop' | 'accept' | 'tick' | 'go' | 'ac' | 'wa' | 'victory' | 'defeat' | 'solved'

export interface Note {
  at: number // seconds after the cue starts
  dur: number // seconds
  freq: number // Hz
  to?: number // Hz at the end (a slide)
  wave: OscillatorType
  gain: number // peak, 0..1
}

const n = (at: number, dur: number, freq: number, wave: OscillatorType = 'triangle', gain = 0.22, to?: number): Note => ({ at, dur, freq, wave, gain, ...(to ? { to } : {}) })

// Pitches (equal temperament, A4 = 440).
const C5 = 523.25, E5 = 659.25, G5 = 783.99, C6 = 1046.5, A4 = 440, F4 = 349.23, D4 = 293.66, B4 = 493.88

export const CUES: Record<Cue, Note[]> = {
  queuePop: [n(0, 0.09, E5, 'sine', 0.3), n(0.09, 0.14, C6, 'sine', 0.3)],
  accept: [n(0, 0.08, C5), n(0.07, 0.08, E5), n(0.14, 0.16, G5)],
  tick: [n(0, 0.08, 880, 'square', 0.12)],
  go: [n(0, 0.32, 1320, 'square', 0.14), n(0, 0.32, 660, 'triangle', 0.2)],
  ac: [n(0, 0.07, C5), n(0.06, 0.07, E5), n(0.12, 0.07, G5), n(0.18, 0.22, C6)],
  wa: [n(0, 0.22, 220, 'sawtooth', 0.12, 150)],
  solved: [n(0, 0.12, G5, 'sine', 0.25), n(0.12, 0.2, G5, 'sine', 0.25, 880)],
  victory: [n(0, 0.12, C5), n(0.12, 0.12, E5), n(0.24, 0.12, G5), n(0.36, 0.5, C6, 'triangle', 0.26), n(0.36, 0.5, G5, 'sine', 0.12)],
  defeat: [n(0, 0.2, B4, 'triangle', 0.2), n(0.2, 0.2, A4, 'triangle', 0.2), n(0.4, 0.2, F4, 'triangle', 0.2), n(0.6, 0.5, D4, 'triangle', 0.2)],
}

/** A note placed on the audio clock: when its envelope starts, peaks and ends. */
export interface Scheduled extends Note {
  start: number
  peakAt: number
  end: number
}

const ATTACK = 0.008

/** The notes of a cue placed at audio time t0 (pure: what the engine will play). */
export function schedule(cue: Cue, t0: number): Scheduled[] {
  return CUES[cue].map((x) => ({ ...x, start: t0 + x.at, peakAt: t0 + x.at + ATTACK, end: t0 + x.at + x.dur }))
}

/** Total length of a cue in seconds. */
export function cueLength(cue: Cue): number {
  return Math.max(...CUES[cue].map((x) => x.at + x.dur))
}

export const STORAGE_KEY = 'segfault.sound'
const DEDUPE_MS = 250

export interface AudioLike {
  currentTime: number
  state: string
  destination: unknown
  resume(): Promise<void>
  createOscillator(): OscillatorLike
  createGain(): GainLike
}
interface ParamLike {
  setValueAtTime(v: number, t: number): unknown
  linearRampToValueAtTime(v: number, t: number): unknown
  exponentialRampToValueAtTime(v: number, t: number): unknown
}
export interface OscillatorLike {
  type: OscillatorType
  frequency: ParamLike
  connect(n: unknown): unknown
  start(t: number): void
  stop(t: number): void
}
export interface GainLike {
  gain: ParamLike
  connect(n: unknown): unknown
}

export interface EngineDeps {
  createContext: () => AudioLike | null
  storage: Pick<Storage, 'getItem' | 'setItem'> | null
  now: () => number // ms, for de-duplication only
}

export class SoundEngine {
  private ctx: AudioLike | null = null
  private unlocked = false
  private muted: boolean
  private last = new Map<string, number>()
  private keys = new Set<string>()
  private listeners = new Set<() => void>()
  /** Cues actually played (tests and the e2e suite read it). */
  readonly played: Cue[] = []

  constructor(private deps: EngineDeps) {
    let stored: string | null
    try {
      stored = deps.storage?.getItem(STORAGE_KEY) ?? null
    } catch {
      stored = null
    }
    this.muted = stored === 'off'
  }

  isMuted(): boolean {
    return this.muted
  }

  isUnlocked(): boolean {
    return this.unlocked
  }

  setMuted(m: boolean): void {
    this.muted = m
    try {
      this.deps.storage?.setItem(STORAGE_KEY, m ? 'off' : 'on')
    } catch {
      // private mode: the switch still works for this page
    }
    this.listeners.forEach((l) => l())
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  /** The first user gesture: from now on cues may play. */
  unlock(): void {
    if (this.unlocked) return
    this.unlocked = true
    this.ensureContext()
    this.listeners.forEach((l) => l())
  }

  private ensureContext(): AudioLike | null {
    if (!this.ctx) this.ctx = this.deps.createContext()
    if (this.ctx && this.ctx.state === 'suspended') void this.ctx.resume().catch(() => undefined)
    return this.ctx
  }

  /**
   * Play a cue; `key` makes it play at most once for that key (e.g.
   * "tick:m_1:3"). Returns whether it played.
   */
  play(cue: Cue, key?: string): boolean {
    if (key !== undefined) {
      if (this.keys.has(key)) return false
      this.keys.add(key)
      if (this.keys.size > 500) this.keys.clear()
    }
    if (this.muted || !this.unlocked) return false
    const t = this.deps.now()
    const prev = this.last.get(cue)
    if (prev !== undefined && t - prev < DEDUPE_MS) return false
    this.last.set(cue, t)
    const ctx = this.ensureContext()
    if (!ctx) return false
    for (const s of schedule(cue, ctx.currentTime + 0.01)) {
      const osc = ctx.createOscillator()
      const g = ctx.createGain()
      osc.type = s.wave
      osc.frequency.setValueAtTime(s.freq, s.start)
      if (s.to) osc.frequency.exponentialRampToValueAtTime(s.to, s.end)
      g.gain.setValueAtTime(0.0001, s.start)
      g.gain.linearRampToValueAtTime(s.gain, s.peakAt)
      g.gain.exponentialRampToValueAtTime(0.0001, s.end)
      osc.connect(g)
      g.connect(ctx.destination)
      osc.start(s.start)
      osc.stop(s.end + 0.02)
    }
    this.played.push(cue)
    if (this.played.length > 200) this.played.splice(0, 100)
    return true
  }
}

function browserContext(): AudioLike | null {
  const W = window as unknown as { AudioContext?: new () => AudioLike; webkitAudioContext?: new () => AudioLike }
  const C = W.AudioContext ?? W.webkitAudioContext
  if (!C) return null
  try {
    return new C()
  } catch {
    return null
  }
}

let engine: SoundEngine | null = null

/** The page's engine; unlocked by the first pointer or key press. */
export function sfx(): SoundEngine {
  if (engine) return engine
  engine = new SoundEngine({
    createContext: browserContext,
    storage: typeof localStorage !== 'undefined' ? localStorage : null,
    now: () => performance.now(),
  })
  if (typeof window !== 'undefined') {
    const unlock = () => {
      engine?.unlock()
      window.removeEventListener('pointerdown', unlock, true)
      window.removeEventListener('keydown', unlock, true)
    }
    window.addEventListener('pointerdown', unlock, true)
    window.addEventListener('keydown', unlock, true)
    ;(window as unknown as { __segfaultSfx?: SoundEngine }).__segfaultSfx = engine
  }
  return engine
}
