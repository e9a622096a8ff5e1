/** A player's current win streak, as the server counted it (nothing for none). */
export function Streak({ n, className = '' }: { n: number | null | undefined; className?: string }) {
  if (!n || n < 1) return null
  const label = `${n} win${n === 1 ? '' : 's'} in a row`
  return (
    <span className={`inline-flex items-center gap-0.5 rounded-full bg-amber-500/15 px-1.5 font-semibold text-amber-300 tabular-nums ${className}`}
      data-testid="win-streak" data-streak={n} title={label} aria-label={label}>
      <svg viewBox="0 0 12 14" width="10" height="12" aria-hidden="true" className="fill-current"><path d="M6 0c1 3 5 4.5 5 8.5A5 5 0 0 1 1 8.5C1 6 3 5 3 3c1.5 1 2 2.2 2 3.2C6.3 5 6.6 2.8 6 0Z" /></svg>
      {n}
    </span>
  )
}
