// ServerClock turns the server's timestamps into a local estimate of the
// server's "now". The server owns every deadline; the browser's clock may be
// minutes off, so we never compare a deadline with Date.now() directly.
//
// Each observation is (server_now, local receive time, round trip if known).
// As in NTP, the sample with the smallest round trip among the last few is
// the most trustworthy: its one-way delay is bounded by rtt/2.

export interface ClockSample {
  offset: number // server − local, ms
  rtt: number // ms; Infinity for pushed messages (unknown)
}

const KEEP = 8

export class ServerClock {
  private samples: ClockSample[] = []
  private listeners = new Set<() => void>()
  offset = 0
  private readonly now: () => number

  constructor(now: () => number = () => Date.now()) {
    this.now = now
  }

  /** Record server_now seen at local time receivedAt; rtt when the message answered our request. */
  observe(serverNow: string | undefined | null, rtt = Number.POSITIVE_INFINITY, receivedAt = this.now()): void {
    if (!serverNow) return
    const server = Date.parse(serverNow)
    if (Number.isNaN(server)) return
    // The server stamped the message roughly half a round trip before we got it.
    const half = Number.isFinite(rtt) ? rtt / 2 : 0
    this.samples.push({ offset: server - (receivedAt - half), rtt })
    if (this.samples.length > KEEP) this.samples.shift()
    let best = this.samples[0]
    for (const s of this.samples) if (s.rtt <= best.rtt) best = s // ties: the newest
    if (best.offset !== this.offset) {
      this.offset = best.offset
      this.listeners.forEach((l) => l())
    }
  }

  /** The server's current time as estimated here, in ms since the epoch. */
  serverNow(): number {
    return this.now() + this.offset
  }

  /** Milliseconds until the server-side instant iso (negative when past). */
  remaining(iso: string | null | undefined): number {
    if (!iso) return 0
    const t = Date.parse(iso)
    return Number.isNaN(t) ? 0 : t - this.serverNow()
  }

  /** Milliseconds since the server-side instant iso. */
  since(iso: string | null | undefined): number {
    return -this.remaining(iso)
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  reset(): void {
    this.samples = []
  }
}

/** mm:ss, or h:mm:ss past an hour; never negative. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m)
  return (h > 0 ? `${h}:` : '') + `${mm}:${String(s).padStart(2, '0')}`
}
