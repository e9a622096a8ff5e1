import { useEffect, useState } from 'react'
import { act, useArena } from '../protocol/arena'
import type { MatchFinished, RematchState } from '../protocol/types'

/** Seconds left until expires_at, on the server's clock (offset taken when the frame arrived). */
function useSecondsLeft(r: RematchState | null): number | null {
  const [now, setNow] = useState(() => Date.now())
  // The clock offset of the frame being shown, taken when it first renders.
  const [seen, setSeen] = useState<{ r: RematchState | null; offset: number }>({ r: null, offset: 0 })
  // (and the local time with it: the ticking starts only once an offer is open).
  if (r && seen.r !== r) {
    const t = Date.now()
    setSeen({ r, offset: Date.parse(r.server_now) - t })
    setNow(t)
  }
  const offset = seen.r === r ? seen.offset : r ? Date.parse(r.server_now) - Date.now() : 0
  const open = r?.state === 'open'
  useEffect(() => {
    if (!open) return
    const t = setInterval(() => setNow(Date.now()), 500)
    return () => clearInterval(t)
  }, [open])
  if (!r || !open) return null
  return Math.max(0, Math.round((Date.parse(r.expires_at) - (now + offset)) / 1000))
}

/** What the rematch says, from the server's rematch.state only (nothing guessed). */
export function rematchText(r: RematchState, me: number | undefined, name: (id: number) => string): string {
  const mine = me !== undefined && r.accepted.includes(me)
  const by = r.by == null ? '' : r.by === me ? 'You' : name(r.by)
  switch (r.state) {
    case 'open':
      return mine ? 'Rematch offered: waiting for your opponent' : `${name(r.accepted[0] ?? 0)} wants a rematch!`
    case 'started':
      return 'Rematch accepted: a new match is starting'
    case 'declined':
      return r.by === me ? 'You declined the rematch' : `${by} declined the rematch`
    case 'left':
      return r.by === me ? 'You left for another game' : `${by} left for another game`
    case 'expired':
      return 'The rematch offer expired'
    case 'failed':
      return 'The rematch could not start'
  }
}

/** Rematch: both players must accept; the server decides and tells both. */
export function Rematch({ f, me, name }: { f: MatchFinished; me: number | undefined; name: (id: number) => string }) {
  const r = useArena((a) => (a.rematch?.match_id === f.match_id ? a.rematch : null))
  const [busy, setBusy] = useState(false)
  const left = useSecondsLeft(r)
  const send = async (type: 'rematch.offer' | 'rematch.decline') => {
    setBusy(true)
    await act(type, { match_id: f.match_id })
    setBusy(false)
  }
  const mine = !!r && me !== undefined && r.accepted.includes(me)
  if (!r) {
    return (
      <button type="button" className="btn-primary" disabled={busy} onClick={() => void send('rematch.offer')} data-testid="rematch-offer">
        {busy ? 'Offering…' : 'Rematch'}
      </button>
    )
  }
  return (
    <div className="panel flex w-full flex-col items-center gap-2 p-3 text-center" data-testid="rematch" data-state={r.state} data-mine={mine || undefined} role="status" aria-live="polite">
      <p className={r.state === 'open' || r.state === 'started' ? 'font-semibold text-neon' : 'text-slate-300'} data-testid="rematch-text">
        {rematchText(r, me, name)}{left != null ? <span className="ml-1 text-slate-400 tabular-nums" data-testid="rematch-left"> · {left}s</span> : null}
      </p>
      {r.state === 'open' ? (
        <div className="flex gap-2">
          {mine ? (
            <button type="button" className="btn-secondary" disabled={busy} onClick={() => void send('rematch.decline')} data-testid="rematch-withdraw">Withdraw</button>
          ) : (
            <>
              <button type="button" className="btn-primary" disabled={busy} onClick={() => void send('rematch.offer')} data-testid="rematch-accept">Accept rematch</button>
              <button type="button" className="btn-secondary" disabled={busy} onClick={() => void send('rematch.decline')} data-testid="rematch-decline">Decline</button>
            </>
          )}
        </div>
      ) : null}
    </div>
  )
}
