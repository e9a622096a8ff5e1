import { describe, expect, it } from 'vitest'
import { TextReplay, type ReplayEvent } from './engine'
import { textHash } from '../editor/recorder'

// A deterministic typist: inserts, deletes and replacements at pseudo-random
// places, with astral characters (two UTF-16 units), mirrored on a plain
// string as the truth.
function session(n: number): { events: ReplayEvent[]; truth: string[] } {
  let seed = 7
  const rnd = (k: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed % k
  }
  const events: ReplayEvent[] = [{ at: 1000, doc: 'a', k: 'open', text: 'start\n', lang: 'python' }]
  const truth = ['start\n']
  let t = 'start\n'
  const chars = ['x', 'é', '🚀', '\n', ' ']
  for (let i = 1; i < n; i++) {
    const o = rnd(t.length + 1)
    const l = rnd(3) === 0 ? Math.min(rnd(4), t.length - o) : 0
    let x = rnd(5) === 0 ? '' : chars[rnd(chars.length)]
    if (l === 0 && x === '') x = 'y'
    // Never split a surrogate pair (Monaco does not either).
    if (o > 0 && o < t.length && /[\udc00-\udfff]/.test(t[o])) { events.push({ at: 1000 + i * 10, doc: 'a', k: 'focus' }); truth.push(t); continue }
    const end = o + l
    if (end < t.length && /[\udc00-\udfff]/.test(t[end])) { events.push({ at: 1000 + i * 10, doc: 'a', k: 'blur' }); truth.push(t); continue }
    t = t.slice(0, o) + x + t.slice(end)
    events.push({ at: 1000 + i * 10, doc: 'a', k: 'edit', c: [{ o, l, x }] })
    truth.push(t)
  }
  return { events, truth }
}

describe('TextReplay', () => {
  it('gives the text at every instant, scrubbing forward, backward and jumping', () => {
    const { events, truth } = session(2000)
    const r = new TextReplay(events)
    for (let i = 0; i < events.length; i += 37) expect(r.seek(events[i].at).text).toBe(truth[i])
    for (let i = events.length - 1; i >= 0; i -= 53) expect(r.seek(events[i].at).text).toBe(truth[i])
    for (const i of [1999, 3, 1500, 0, 700, 701, 256, 255, 257]) expect(r.seek(events[i].at).text).toBe(truth[i])
    expect(r.seek(0).text).toBe('')
  })

  it('follows the editor last touched and its language', () => {
    const r = new TextReplay([
      { at: 1, doc: 'a', k: 'open', text: 'one', lang: 'python' },
      { at: 2, doc: 'b', k: 'open', text: 'two', lang: 'cpp' },
      { at: 3, doc: 'a', k: 'edit', c: [{ o: 3, l: 0, x: '!' }] },
      { at: 4, doc: 'a', k: 'lang', lang: 'go' },
    ])
    expect(r.seek(2).text).toBe('two')
    expect(r.seek(2).lang).toBe('cpp')
    expect(r.seek(3).text).toBe('one!')
    expect(r.seek(4).lang).toBe('go')
  })
})

describe('textHash', () => {
  it('is FNV-1a over UTF-16 units, as the server computes it', () => {
    // Values of internal/timeline HashString.
    expect(textHash('')).toBe(2166136261)
    expect(textHash('a')).toBe(3826002220)
    expect(textHash('é🚀\n')).toBe(4191910065)
  })
})
