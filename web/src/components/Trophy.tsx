// Inline SVG: emoji fonts are not guaranteed on players' machines (and no
// icon font is fetched from elsewhere).
export function Trophy({ label = 'winner', className = 'inline h-4 w-4 text-gold' }: { label?: string; className?: string }) {
  return (
    <svg viewBox="0 0 24 24" className={className} role="img" aria-label={label} fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <path d="M8 21h8M12 17v4M7 4h10v5a5 5 0 0 1-10 0V4z" />
      <path d="M17 5h3v2a3 3 0 0 1-3 3M7 5H4v2a3 3 0 0 0 3 3" />
    </svg>
  )
}
