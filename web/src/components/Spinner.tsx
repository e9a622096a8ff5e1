export function Spinner({ label }: { label: string }) {
  return (
    <div role="status" className="flex items-center gap-3 text-sm text-slate-400">
      <span className="h-5 w-5 animate-spin rounded-full border-2 border-neon/30 border-t-neon" aria-hidden="true" />
      <span>{label}…</span>
    </div>
  )
}
