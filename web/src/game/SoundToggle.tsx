import { useSyncExternalStore } from 'react'
import { sfx } from './sound'

/** The mute switch (persisted). Sound stays silent until the first interaction anyway. */
export function SoundToggle() {
  const e = sfx()
  const muted = useSyncExternalStore((f) => e.subscribe(f), () => e.isMuted(), () => true)
  return (
    <button type="button" className="grid h-8 w-8 place-items-center rounded-md text-slate-300 hover:bg-white/5 hover:text-white"
      aria-pressed={!muted} aria-label="Sound effects" title={muted ? 'Sound off' : 'Sound on'} data-testid="sound-toggle" data-muted={muted ? 'true' : 'false'}
      onClick={() => e.setMuted(!muted)}>
      <svg viewBox="0 0 24 24" width={18} height={18} aria-hidden="true" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round">
        <path d="M11 5L6 9H3v6h3l5 4V5z" fill="currentColor" />
        {muted ? <path d="M16 9l5 6M21 9l-5 6" /> : <path d="M15.5 8.5a5 5 0 010 7M18.5 5.5a9 9 0 010 13" />}
      </svg>
    </button>
  )
}
