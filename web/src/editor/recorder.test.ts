import { describe, expect, it } from 'vitest'
import { EditorRecorder, textHash } from './recorder'
import type { EditorBatch } from '../protocol/generated'

function setup() {
  const sent: EditorBatch[] = []
  const errs: ((code: string) => void)[] = []
  let online = true
  let text = 'ab'
  let clock = 100
  const r = new EditorRecorder('m1', (b, onError) => {
    if (!online) return false
    sent.push(b)
    errs.push(onError)
    return true
  }, () => ({ text, lang: 'python' }), () => clock++, () => 0.5)
  return { r, sent, errs, setText: (t: string) => (text = t), setOnline: (o: boolean) => (online = o) }
}

describe('EditorRecorder', () => {
  it('opens with the whole text, then sends the changes with the hash of the text after them', () => {
    const { r, sent, setText } = setup()
    r.flush()
    expect(sent[0].events).toEqual([{ t: 100, k: 'open', text: 'ab', lang: 'python' }])
    expect(sent[0].hash).toBe(textHash('ab'))
    expect(sent[0].doc).toMatch(/^ed[a-z0-9]{12}$/)
    // A multi-cursor event: applied from the end.
    r.edit([{ rangeOffset: 0, rangeLength: 0, text: 'x' }, { rangeOffset: 2, rangeLength: 0, text: 'y' }])
    setText('xaby')
    r.focus(false)
    r.flush()
    expect(sent[1].events.map((e) => e.k)).toEqual(['edit', 'blur'])
    expect(sent[1].events[0].c).toEqual([{ o: 2, l: 0, x: 'y' }, { o: 0, l: 0, x: 'x' }])
    expect(sent[1].hash).toBe(textHash('xaby'))
    r.flush()
    expect(sent).toHaveLength(2) // nothing pending: nothing sent
  })

  it('resyncs with an open after a refusal, and stops for good on a final one', () => {
    const { r, sent, errs, setText } = setup()
    r.flush()
    r.edit([{ rangeOffset: 2, rangeLength: 0, text: 'c' }])
    setText('abc')
    r.flush()
    errs[1]('timeline_resync')
    r.edit([{ rangeOffset: 3, rangeLength: 0, text: 'd' }])
    setText('abcd')
    r.flush()
    expect(sent[2].events).toEqual([expect.objectContaining({ k: 'open', text: 'abcd' })])
    errs[2]('timeline_full')
    expect(r.recording).toBe(false)
    r.edit([{ rangeOffset: 4, rangeLength: 0, text: 'e' }])
    r.flush()
    expect(sent).toHaveLength(3)
  })

  it('keeps what it could not send while offline', () => {
    const { r, sent, setText, setOnline } = setup()
    r.flush()
    setOnline(false)
    r.edit([{ rangeOffset: 2, rangeLength: 0, text: 'c' }])
    setText('abc')
    r.flush()
    setOnline(true)
    r.flush()
    expect(sent).toHaveLength(2)
    expect(sent[1].events[0].c).toEqual([{ o: 2, l: 0, x: 'c' }])
  })
})
