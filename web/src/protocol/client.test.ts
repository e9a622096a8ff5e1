import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ArenaClient, backoffDelay, RequestError, SUBPROTOCOL } from './client'
import { FakeSocket } from './fakesocket.testutil'
import type { ServerMessage } from './types'

const snapshotData = (now = '2026-11-26T04:00:00.000Z') => ({
  server_now: now, user: { user_id: 1, username: 'ada', rating: 1500, rd: 350, xp: 0, level: 1 },
  lobby: { online: 1, queues: {}, recent_matches: [] }, queue: null, pending_match: null, match: null, room: null, my_code: null,
})

describe('ArenaClient', () => {
  let messages: ServerMessage[]
  let answered: boolean[]
  let statuses: string[]
  let now: number
  const make = () =>
    new ArenaClient({
      url: 'ws://arena/ws',
      WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
      onMessage: (m, a) => {
        messages.push(m)
        answered.push(a)
      },
      onStatus: (s) => statuses.push(s),
      random: () => 0.5,
      now: () => now,
    })

  beforeEach(() => {
    vi.useFakeTimers()
    FakeSocket.all = []
    messages = []
    answered = []
    statuses = []
    now = Date.parse('2026-11-26T03:59:00.000Z') // local clock 60 s behind
  })
  afterEach(() => vi.useRealTimers())

  it('says hello with the v1 subprotocol and becomes open on the snapshot', () => {
    const c = make()
    c.start()
    const ws = FakeSocket.all[0]
    expect(ws.protocol).toBe(SUBPROTOCOL)
    ws.open()
    expect(ws.last()).toMatchObject({ v: 1, type: 'hello', data: { client: expect.any(String) } })
    expect(statuses.at(-1)).toBe('connecting')
    now += 100
    ws.reply('snapshot', snapshotData(), ws.last().id)
    expect(messages[0].type).toBe('snapshot')
    return Promise.resolve().then(() => {
      expect(statuses.at(-1)).toBe('open')
      // server_now 04:00:00 received 100 ms after sending: offset = 60 s + 50 ms one way
      expect(c.clock.offset).toBe(60_000 - 50)
    })
  })

  it('correlates replies by id and rejects with the server error code', async () => {
    const c = make()
    c.start()
    const ws = FakeSocket.all[0]
    ws.open()
    ws.reply('snapshot', snapshotData(), ws.last().id)
    const p1 = c.request('queue.join', { mode: 'ranked' })
    const id1 = ws.last().id
    const p2 = c.request('code.submit', { match_id: 'm', lang: 'python', code: 'x' })
    const id2 = ws.last().id
    expect(id1).not.toBe(id2)
    ws.reply('error', { code: 'deadline_passed', message: 'late' }, id2)
    ws.reply('queue.status', { queued: true, mode: 'ranked' }, id1)
    await expect(p1).resolves.toMatchObject({ type: 'queue.status' })
    await expect(p2).rejects.toMatchObject({ code: 'deadline_passed' })
  })

  it('tells an error that answers a waiting request from one that answers none (shown to the player by the arena)', async () => {
    const c = make()
    c.start()
    const ws = FakeSocket.all[0]
    ws.open()
    ws.reply('snapshot', snapshotData(), ws.last().id)
    const p = c.request('code.submit', { match_id: 'm', lang: 'python', code: 'x' })
    ws.reply('error', { code: 'code_too_large', message: 'too big', limit: 65536 }, ws.last().id)
    await expect(p).rejects.toMatchObject({ code: 'code_too_large' })
    expect(answered.at(-1)).toBe(true)
    // An oversized frame's refusal carries the id the frame had, which no caller waits for.
    ws.reply('error', { code: 'frame_too_large', message: 'too big', limit: 262144 }, 'nobody-waits')
    expect(messages.at(-1)).toMatchObject({ type: 'error', id: 'nobody-waits' })
    expect(answered.at(-1)).toBe(false)
  })

  it('refuses requests while offline and fails pending ones on disconnect', async () => {
    const c = make()
    await expect(c.request('queue.leave', {})).rejects.toBeInstanceOf(RequestError)
    c.start()
    const ws = FakeSocket.all[0]
    ws.open()
    const p = c.request('queue.leave', {})
    ws.close(1006)
    await expect(p).rejects.toMatchObject({ code: 'offline' })
    expect(c.send('typing', { match_id: 'm', active: true })).toBe(false)
  })

  it('reconnects with backoff and resumes with its subscriptions', () => {
    const c = make()
    c.start()
    FakeSocket.all[0].open()
    c.subscriptions.leaderboard = { board: 'rating', offset: 0, limit: 10 }
    FakeSocket.all[0].close(1006)
    expect(statuses.at(-1)).toBe('reconnecting')
    expect(FakeSocket.all).toHaveLength(1)
    vi.advanceTimersByTime(backoffDelay(0, () => 0.5))
    expect(FakeSocket.all).toHaveLength(2)
    const ws = FakeSocket.all[1]
    ws.open()
    expect(ws.last()).toMatchObject({ type: 'resume', data: { subscriptions: { leaderboard: { board: 'rating', limit: 10 } } } })
  })

  it('backs off exponentially with a cap, and a refused connection does not spin', () => {
    expect(backoffDelay(0, () => 0.999)).toBeLessThan(250)
    expect(backoffDelay(3, () => 0.999)).toBeLessThan(2000)
    expect(backoffDelay(3, () => 0.999)).toBeGreaterThan(1900)
    expect(backoffDelay(30, () => 0.999)).toBeLessThan(10_000)
    const c = make()
    c.start()
    for (let i = 0; i < 5; i++) {
      FakeSocket.all.at(-1)!.close(1006)
      vi.advanceTimersByTime(backoffDelay(i, () => 0.5))
    }
    expect(FakeSocket.all).toHaveLength(6)
  })

  it('stops for good on 4401 (session ended)', () => {
    const c = make()
    c.start()
    FakeSocket.all[0].open()
    FakeSocket.all[0].close(4401)
    expect(statuses.at(-1)).toBe('unauthenticated')
    vi.advanceTimersByTime(60_000)
    expect(FakeSocket.all).toHaveLength(1)
  })

  it('pings, and reconnects when no pong comes back', async () => {
    const c = make()
    c.start()
    const ws = FakeSocket.all[0]
    ws.open()
    ws.reply('snapshot', snapshotData(), ws.last().id)
    vi.advanceTimersByTime(25_000)
    expect(ws.last().type).toBe('ping')
    ws.reply('pong', { server_now: '2026-11-26T04:00:25.000Z' }, ws.last().id)
    expect(messages.some((m) => m.type === 'pong')).toBe(false) // handled inside the client
    await vi.advanceTimersByTimeAsync(25_000 + 10_000) // next ping unanswered
    expect(ws.readyState).toBe(3)
    expect(statuses.at(-1)).toBe('reconnecting')
  })

  it('drops frames of another protocol version or malformed JSON', () => {
    const c = make()
    c.start()
    const ws = FakeSocket.all[0]
    ws.open()
    ws.onmessage?.({ data: 'not json' })
    ws.onmessage?.({ data: JSON.stringify({ v: 2, type: 'lobby.state', data: {} }) })
    ws.onmessage?.({ data: JSON.stringify({ v: 1, type: 'lobby.state', data: { online: 5, queues: {}, recent_matches: [] } }) })
    expect(messages.map((m) => m.type)).toEqual(['lobby.state'])
  })
})
