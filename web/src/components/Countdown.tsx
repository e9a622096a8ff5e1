import { useEffect, useState } from 'react'
import { formatClock, type ServerClock } from '../lib/clock'

// Shows the time left until a server-side deadline using the server clock
// offset; re-renders on a short interval aligned to whole seconds.
export function useRemaining(clock: ServerClock, deadline: string | null | undefined, tickMs = 250): number {
  const [left, setLeft] = useState(() => clock.remaining(deadline))
  useEffect(() => {
    const update = () => setLeft(clock.remaining(deadline))
    update()
    const t = setInterval(update, tickMs)
    const unsub = clock.subscribe(update)
    return () => {
      clearInterval(t)
      unsub()
    }
  }, [clock, deadline, tickMs])
  return left
}

export function Countdown({ clock, deadline, label = 'Time left', warnBelowMs = 60_000, className = '' }: {
  clock: ServerClock
  deadline: string | null | undefined
  label?: string
  warnBelowMs?: number
  className?: string
}) {
  const left = useRemaining(clock, deadline)
  const warn = left > 0 && left <= warnBelowMs
  const text = formatClock(left)
  return (
    <div className={`font-mono tabular-nums ${className}`} data-testid="countdown" data-remaining-ms={Math.max(0, Math.round(left))} data-state={left <= 0 ? 'over' : warn ? 'last-minute' : 'normal'}>
      <span className="sr-only">{label}: </span>
      <span className={warn ? 'text-blood animate-pulse' : left <= 0 ? 'text-slate-500' : 'text-white'} aria-hidden="true">
        {text}
      </span>
      {/* Screen readers get the value once a minute, not every second. */}
      <span className="sr-only" aria-live="off">{Math.ceil(Math.max(0, left) / 60_000)} minutes</span>
    </div>
  )
}
