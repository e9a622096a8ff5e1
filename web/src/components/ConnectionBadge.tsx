import { useArena } from '../protocol/arena'

const text = {
  idle: ['Offline', 'bg-slate-500'],
  connecting: ['Connecting', 'bg-amber-400 animate-pulse'],
  open: ['Live', 'bg-emerald-400'],
  reconnecting: ['Reconnecting', 'bg-amber-400 animate-pulse'],
  unauthenticated: ['Signed out', 'bg-rose-500'],
  closed: ['Offline', 'bg-slate-500'],
} as const

export function ConnectionBadge() {
  const conn = useArena((a) => a.conn)
  const attempt = useArena((a) => a.attempt)
  const [label, dot] = text[conn]
  return (
    <span className="chip" role="status" aria-live="polite" data-testid="conn" data-state={conn}>
      <span className={`h-2 w-2 rounded-full ${dot}`} aria-hidden="true" />
      <span className="hidden lg:inline">{label}</span>
      <span className="sr-only lg:hidden">{label}</span>
      {conn === 'reconnecting' && attempt > 1 ? <span className="hidden text-slate-500 lg:inline"> #{attempt}</span> : null}
    </span>
  )
}
