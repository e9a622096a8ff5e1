import { afterEach, describe, expect, it, vi } from 'vitest'
import { _test, api, ApiError, pollWithBackoff } from './api'
import { errorTextRetry } from './errors'

describe('problem shapes', () => {
  it('shows a catalog list item by its name', () => {
    const item = { id: 'a', version: 1, name: 'A', tags: ['math'], memory_mib: 256, interactive: false, scoring: false }
    expect(_test.summary(item)).toEqual({ id: 'a', title: 'A', difficulty: 0, tags: ['math'] })
  })

  it('maps a statement page to the match room problem', () => {
    const p = _test.fromPage({
      id: 'x', version: 2, latest_version: 2, name: 'X', names: { en: 'X' }, lang: 'en', statement: '$n$', statements: ['en'],
      samples: [{ name: '1', input: '1\n', output: '2\n' }], memory_mib: 256, interactive: false, scoring: false, tags: [], assets: [],
      languages: [{ id: 'python', name: 'Python 3' }, { id: 'cpp', name: 'C++' }],
    })
    expect(p).toMatchObject({ title: 'X', statement_md: '$n$', memory_mb: 256, languages: ['python', 'cpp'], samples: [{ input: '1\n', output: '2\n' }] })
  })
})

describe('pollWithBackoff', () => {
  const sleeps: number[] = []
  const sleep = async (ms: number) => { sleeps.push(ms) }
  afterEach(() => { sleeps.length = 0 })

  it('doubles the wait up to the cap and stops when done', async () => {
    let n = 0
    const v = await pollWithBackoff(async () => ++n, (x) => x === 6, { sleep, firstDelayMs: 1000, maxDelayMs: 8000 })
    expect(v).toBe(6)
    expect(sleeps).toEqual([1000, 2000, 4000, 8000, 8000])
  })

  it('waits before the first try when asked (the caller just fetched)', async () => {
    let n = 0
    await pollWithBackoff(async () => ++n, (x) => x === 2, { sleep, waitFirst: true, firstDelayMs: 500 })
    expect(sleeps).toEqual([500, 1000])
  })

  it('gives up after the total wait', async () => {
    const v = await pollWithBackoff(async () => 0, () => false, { sleep, firstDelayMs: 1000, maxDelayMs: 4000, totalMs: 10_000 })
    expect(v).toBeNull()
    expect(sleeps).toEqual([1000, 2000, 4000, 4000])
  })

  it('retries transient errors (network, 5xx, 429) but not a 4xx', async () => {
    let n = 0
    const v = await pollWithBackoff(async () => {
      n++
      if (n === 1) throw new ApiError(0, 'network', 'down')
      if (n === 2) throw new ApiError(503, 'unavailable', 'busy')
      if (n === 3) throw new ApiError(429, 'rate_limited', 'slow down')
      return n
    }, () => true, { sleep })
    expect(v).toBe(4)
    await expect(pollWithBackoff(async () => { throw new ApiError(404, 'not_found', 'no') }, () => true, { sleep })).rejects.toMatchObject({ code: 'not_found' })
  })

  it('stops when aborted', async () => {
    const ac = new AbortController()
    let n = 0
    const v = await pollWithBackoff(async () => { if (++n === 2) ac.abort(); return n }, () => false, { sleep, signal: ac.signal })
    expect(v).toBeNull()
    expect(n).toBe(2)
  })
})

describe('api.coach', () => {
  afterEach(() => vi.unstubAllGlobals())
  const reply = (status: number, body: unknown) => vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })))

  it('202 pending, 200 done with the report, failed', async () => {
    reply(202, { status: 'pending' })
    expect(await api.coach('s1')).toEqual({ status: 'pending' })
    reply(200, { status: 'done', report: { time: 'O(n)', space: 'O(1)', verdict: 'meets', text: 'ok', lang: 'python' } })
    expect(await api.coach('s1')).toMatchObject({ status: 'done', report: { time: 'O(n)' } })
    reply(200, { status: 'failed', error: 'coach_measure: over budget' })
    expect(await api.coach('s1')).toEqual({ status: 'failed', error: 'coach_measure: over budget' })
  })

  it('asks the right URL and surfaces 404 as not_found', async () => {
    const f = vi.fn(async () => new Response(JSON.stringify({ error: { code: 'not_found', message: 'no such submission' } }), { status: 404 }))
    vi.stubGlobal('fetch', f)
    await expect(api.coach('s/../x')).rejects.toMatchObject({ code: 'not_found', status: 404 })
    expect((f.mock.calls[0] as unknown[])[0]).toBe('/api/v1/submissions/s%2F..%2Fx/coach')
  })
})

describe('errorTextRetry', () => {
  it('adds the wait in whole seconds, rounded up', () => {
    expect(errorTextRetry('rate_limited', undefined, 1200)).toBe('Too many attempts. Wait a moment and try again. Try again in 2 s.')
    expect(errorTextRetry('unavailable', undefined, 0)).toBe('The arena is temporarily unavailable. Retrying shortly.')
    expect(errorTextRetry('nope', 'server says no', undefined)).toBe('server says no')
  })
})
