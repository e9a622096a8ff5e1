// ArenaClient speaks docs/protocol.md v1 over one WebSocket: hello on the
// first connection, resume on every reconnection (answered by a snapshot that
// replaces all state), exponential backoff with full jitter, app-level
// ping/pong to detect dead connections and keep the server clock offset fresh.

import { ServerClock } from '../lib/clock'
import { PROTOCOL_VERSION, SUBPROTOCOL, type ClientRequests, type ClientType, type ErrorCode, type ProtocolError, type ServerMessage, type Subscriptions } from './types'
import type { ClientErrorCode } from '../lib/api'
import type { ConnStatus } from './reducer'

export const CLIENT_NAME = 'web/0.1.0'
export { SUBPROTOCOL }
export class RequestError extends Error {
  readonly code: ErrorCode | ClientErrorCode
  /** Extra fields of the error's data (retry_after_ms, cooldown_until). */
  readonly data: Omit<ProtocolError, 'code' | 'message'>
  constructor(code: ErrorCode | ClientErrorCode, message: string, data: Omit<ProtocolError, 'code' | 'message'> = {}) {
    super(message)
    this.code = code
    this.data = data
  }
}

interface Pending {
  resolve: (m: ServerMessage) => void
  reject: (e: RequestError) => void
  sentAt: number
  timer: ReturnType<typeof setTimeout>
}

export interface ClientOptions {
  url: string
  /** Every server message but pong; answered: it answers a request this client is waiting for. */
  onMessage: (m: ServerMessage, answered: boolean) => void
  onStatus: (s: ConnStatus, attempt: number) => void
  clock?: ServerClock
  WebSocketImpl?: typeof WebSocket
  random?: () => number
  now?: () => number
  requestTimeoutMs?: number
  pingEveryMs?: number
  pongTimeoutMs?: number
}

/** Backoff before reconnect attempt n (0-based): full jitter up to min(10 s, 250 ms·2^n). */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const cap = Math.min(10_000, 250 * 2 ** Math.min(attempt, 10))
  return Math.floor(random() * cap)
}

export class ArenaClient {
  readonly clock: ServerClock
  private ws: WebSocket | null = null
  private seq = 0
  private pending = new Map<string, Pending>()
  private attempt = 0
  private everOpened = false
  private stopped = true
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null
  private pingTimer: ReturnType<typeof setInterval> | null = null
  private pongTimer: ReturnType<typeof setTimeout> | null = null
  private stableTimer: ReturnType<typeof setTimeout> | null = null
  subscriptions: Subscriptions = {}
  private readonly o: Required<Omit<ClientOptions, 'clock'>>

  constructor(opts: ClientOptions) {
    this.clock = opts.clock ?? new ServerClock(opts.now)
    this.o = {
      WebSocketImpl: opts.WebSocketImpl ?? WebSocket,
      random: opts.random ?? Math.random,
      now: opts.now ?? (() => Date.now()),
      requestTimeoutMs: opts.requestTimeoutMs ?? 20_000,
      pingEveryMs: opts.pingEveryMs ?? 25_000,
      pongTimeoutMs: opts.pongTimeoutMs ?? 10_000,
      ...opts,
    } as Required<Omit<ClientOptions, 'clock'>>
  }

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    this.open()
  }

  stop(): void {
    this.stopped = true
    this.clearTimers()
    this.failPending('offline', 'connection closed')
    const ws = this.ws
    this.ws = null
    if (ws && ws.readyState <= 1) ws.close(1000, 'bye')
    this.o.onStatus('closed', 0)
  }

  get connected(): boolean {
    return this.ws?.readyState === 1
  }

  /** Fire and forget (typing, unsubscribe). Dropped while offline. */
  send<T extends ClientType>(type: T, data: ClientRequests[T]): boolean {
    if (!this.connected) return false
    this.ws!.send(JSON.stringify({ v: PROTOCOL_VERSION, type, data }))
    return true
  }

  /**
   * A message with no reply on success (editor.batch): onError gets the
   * error frame that names it, if one comes within windowMs (or the
   * connection is lost meanwhile). False, and nothing sent, while offline.
   */
  notify<T extends ClientType>(type: T, data: ClientRequests[T], onError: (e: RequestError) => void, windowMs = 10_000): boolean {
    if (!this.connected) return false
    this.rawRequest(type, data, windowMs).catch((e: RequestError) => {
      if (e.code !== 'timeout') onError(e)
    })
    return true
  }

  /** A request: resolves with the reply carrying the same id, rejects with its error. */
  request<T extends ClientType>(type: T, data: ClientRequests[T], timeoutMs = this.o.requestTimeoutMs): Promise<ServerMessage> {
    if (!this.connected) return Promise.reject(new RequestError('offline', 'not connected'))
    return this.rawRequest(type, data, timeoutMs)
  }

  private rawRequest(type: string, data: unknown, timeoutMs: number): Promise<ServerMessage> {
    const id = `c${++this.seq}`
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(new RequestError('timeout', `${type}: no answer in ${timeoutMs} ms`))
      }, timeoutMs)
      this.pending.set(id, { resolve, reject, sentAt: this.o.now(), timer })
      this.ws!.send(JSON.stringify({ v: PROTOCOL_VERSION, type, id, data }))
    })
  }

  private open(): void {
    this.o.onStatus(this.everOpened ? 'reconnecting' : 'connecting', this.attempt)
    let ws: WebSocket
    try {
      ws = new this.o.WebSocketImpl(this.o.url, SUBPROTOCOL)
    } catch {
      this.scheduleReconnect()
      return
    }
    this.ws = ws
    ws.onopen = () => {
      if (this.ws !== ws) return
      const first = !this.everOpened
      this.everOpened = true
      const hello = first
        ? this.rawRequest('hello', { client: CLIENT_NAME }, this.o.requestTimeoutMs)
        : this.rawRequest('resume', { client: CLIENT_NAME, subscriptions: this.subscriptions }, this.o.requestTimeoutMs)
      hello.then(
        () => {
          this.o.onStatus('open', 0)
          // Only a connection that stays up resets the backoff, so a server
          // that accepts and drops at once is not hammered.
          this.stableTimer = setTimeout(() => (this.attempt = 0), 10_000)
        },
        () => ws.close(4000, 'no snapshot'),
      )
      this.pingTimer = setInterval(() => this.ping(ws), this.o.pingEveryMs)
    }
    ws.onmessage = (ev) => this.onFrame(ev.data)
    ws.onclose = (ev) => {
      if (this.ws !== ws) return
      this.ws = null
      this.clearTimers()
      this.failPending('offline', 'connection lost')
      if (ev.code === 4401) {
        this.stopped = true
        this.o.onStatus('unauthenticated', 0)
        return
      }
      if (this.stopped) return
      this.scheduleReconnect(ev.code === 4429 ? 5000 : ev.code === 1001 ? 0 : undefined)
    }
    ws.onerror = () => {
      // onclose follows and decides; nothing to do here
    }
  }

  private ping(ws: WebSocket): void {
    if (this.ws !== ws || ws.readyState !== 1) return
    this.rawRequest('ping', {}, this.o.pongTimeoutMs).catch(() => {
      if (this.ws === ws) ws.close(4000, 'pong timeout')
    })
  }

  private scheduleReconnect(minDelay?: number): void {
    const delay = minDelay ?? backoffDelay(this.attempt, this.o.random)
    this.attempt++
    this.o.onStatus('reconnecting', this.attempt)
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null
      if (!this.stopped) this.open()
    }, delay)
  }

  /** Reconnect now (e.g. the browser came back online) instead of waiting for the backoff. */
  nudge(): void {
    if (this.stopped || this.ws) return
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer)
    this.reconnectTimer = null
    this.open()
  }

  private onFrame(raw: unknown): void {
    if (typeof raw !== 'string') return
    let m: ServerMessage
    try {
      m = JSON.parse(raw)
    } catch {
      return
    }
    if (!m || typeof m !== 'object' || m.v !== PROTOCOL_VERSION || typeof m.type !== 'string') return
    const now = this.o.now()
    let rtt = Number.POSITIVE_INFINITY
    const p = m.id ? this.pending.get(m.id) : undefined
    if (p) rtt = now - p.sentAt
    const d = (m.data ?? {}) as { server_now?: string }
    this.clock.observe(d.server_now, rtt, now)
    if (m.type !== 'pong') this.o.onMessage(m, !!p)
    if (p && m.id) {
      clearTimeout(p.timer)
      this.pending.delete(m.id)
      if (m.type === 'error') {
        const { code, message, ...rest } = m.data as ProtocolError
        p.reject(new RequestError(code, message, rest))
      }
      else p.resolve(m)
    }
  }

  private failPending(code: ClientErrorCode, msg: string): void {
    for (const [, p] of this.pending) {
      clearTimeout(p.timer)
      p.reject(new RequestError(code, msg))
    }
    this.pending.clear()
  }

  private clearTimers(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer)
    if (this.pingTimer) clearInterval(this.pingTimer)
    if (this.pongTimer) clearTimeout(this.pongTimer)
    if (this.stableTimer) clearTimeout(this.stableTimer)
    this.reconnectTimer = this.pingTimer = this.pongTimer = this.stableTimer = null
  }
}

export function wsURL(loc: Location = location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/ws`
}
