import { describe, expect, it } from 'vitest'
import { CUES, cueLength, schedule, SoundEngine, STORAGE_KEY, type AudioLike, type Cue } from './sound'

function fakeAudio() {
  const started: { t: number; type: string; freq: number }[] = []
  const param = (rec?: (v: number) => void) => ({
    setValueAtTime: (v: number) => rec?.(v),
    linearRampToValueAtTime: () => undefined,
    exponentialRampToValueAtTime: () => undefined,
  })
  let created = 0
  const ctx: AudioLike = {
    currentTime: 10,
    state: 'suspended',
    destination: {},
    resume: async () => { ctx.state = 'running' },
    createOscillator() {
      let freq = 0
      const o = {
        type: 'sine' as OscillatorType,
        frequency: param((v) => { freq = v }),
        connect: () => undefined,
        start: (t: number) => started.push({ t, type: o.type, freq }),
        stop: () => undefined,
      }
      return o
    },
    createGain: () => ({ gain: param(), connect: () => undefined }),
  }
  return { ctx, started, create: () => { created++; return ctx }, created: () => created }
}

function memStorage(init: Record<string, string> = {}) {
  const m = new Map(Object.entries(init))
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), map: m }
}

function engine(opts: { stored?: Record<string, string> } = {}) {
  const a = fakeAudio()
  const storage = memStorage(opts.stored)
  let now = 0
  const e = new SoundEngine({ createContext: a.create, storage, now: () => now })
  return { e, a, storage, tick: (ms: number) => { now += ms } }
}

describe('schedule', () => {
  it('places every note of a cue after t0, in order, with an attack before the end', () => {
    for (const cue of Object.keys(CUES) as Cue[]) {
      const s = schedule(cue, 5)
      expect(s.length).toBe(CUES[cue].length)
      for (const x of s) {
        expect(x.start).toBeGreaterThanOrEqual(5)
        expect(x.peakAt).toBeGreaterThan(x.start)
        expect(x.end).toBeGreaterThan(x.peakAt)
        expect(x.gain).toBeLessThanOrEqual(0.3) // short and quiet
      }
      expect(cueLength(cue)).toBeLessThanOrEqual(1.2)
    }
  })
})

describe('SoundEngine', () => {
  it('stays silent and creates no AudioContext before the first interaction', () => {
    const { e, a } = engine()
    expect(e.play('queuePop')).toBe(false)
    expect(a.created()).toBe(0)
    e.unlock()
    expect(a.created()).toBe(1)
    expect(a.ctx.state).toBe('running')
    expect(e.play('queuePop')).toBe(true)
    expect(a.started.map((x) => x.freq)).toEqual(CUES.queuePop.map((x) => x.freq))
    expect(a.started.every((x) => x.t >= 10)).toBe(true) // on the audio clock, not before now
  })
  it('persists the mute switch and honours it', () => {
    const { e, a, storage } = engine()
    e.unlock()
    e.setMuted(true)
    expect(storage.map.get(STORAGE_KEY)).toBe('off')
    expect(e.play('ac')).toBe(false)
    expect(a.started).toHaveLength(0)
    const again = engine({ stored: { [STORAGE_KEY]: 'off' } })
    expect(again.e.isMuted()).toBe(true)
    again.e.setMuted(false)
    expect(again.storage.map.get(STORAGE_KEY)).toBe('on')
  })
  it('plays a cue asked twice at once only once, and again later', () => {
    const { e, tick } = engine()
    e.unlock()
    expect(e.play('wa')).toBe(true)
    tick(50)
    expect(e.play('wa')).toBe(false)
    expect(e.play('ac')).toBe(true) // another cue is not held back
    tick(500)
    expect(e.play('wa')).toBe(true)
    expect(e.played).toEqual(['wa', 'ac', 'wa'])
  })
  it('plays a keyed cue once per key, even across mute', () => {
    const { e, tick } = engine()
    e.unlock()
    expect(e.play('tick', 'm1:3')).toBe(true)
    tick(1000)
    expect(e.play('tick', 'm1:3')).toBe(false)
    e.setMuted(true)
    expect(e.play('tick', 'm1:2')).toBe(false)
    e.setMuted(false)
    tick(1000)
    expect(e.play('tick', 'm1:2')).toBe(false) // its moment has passed
    expect(e.play('tick', 'm1:1')).toBe(true)
  })
  it('notifies the toggle', () => {
    const { e } = engine()
    let n = 0
    e.subscribe(() => n++)
    e.setMuted(true)
    e.unlock()
    expect(n).toBe(2)
  })
})
