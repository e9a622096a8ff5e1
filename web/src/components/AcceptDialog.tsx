import { AnimatePresence, motion } from 'motion/react'
import { Streak } from '../game/Streak'
import { useEffect, useRef, useState } from 'react'
import { act, arenaClient, useArena } from '../protocol/arena'
import { ServerClock } from '../lib/clock'
import { Countdown } from './Countdown'
import { Avatar } from '../game/Avatar'
import { TierBadge } from '../game/TierBadge'

const fallbackClock = new ServerClock()

// "Match found": both players must accept before the server's deadline.
export function AcceptDialog() {
  const pending = useArena((a) => a.pending)
  const me = useArena((a) => a.user?.user_id)
  const [busy, setBusy] = useState(false)
  const acceptRef = useRef<HTMLButtonElement>(null)
  const clock = arenaClient()?.clock ?? fallbackClock
  const accepted = pending?.players.find((p) => p.user_id === me)?.accepted

  useEffect(() => {
    if (pending) acceptRef.current?.focus()
    // Focus once per offer, not on every update of the same offer (a player's accept).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pending?.match_id])

  const respond = async (type: 'match.accept' | 'match.decline') => {
    if (!pending) return
    setBusy(true)
    await act(type, { match_id: pending.match_id })
    setBusy(false)
  }

  return (
    <AnimatePresence>
      {pending ? (
        <motion.div className="fixed inset-0 z-40 grid place-items-center bg-black/70 p-4 backdrop-blur-sm"
          initial={{ opacity: 0 }} animate={{ opacity: 1 }} exit={{ opacity: 0 }}>
          <motion.div role="dialog" aria-modal="true" aria-labelledby="mf-title" aria-describedby="mf-desc"
            className="panel w-full max-w-md overflow-hidden p-6 text-center"
            initial={{ scale: 0.85, y: 20 }} animate={{ scale: 1, y: 0 }} exit={{ scale: 0.9, opacity: 0 }}
            transition={{ type: 'spring', stiffness: 300, damping: 22 }}>
            <p className="text-xs font-semibold tracking-[0.3em] text-neon uppercase">{pending.mode} match</p>
            <h2 id="mf-title" className="mt-2 text-3xl font-black text-white">Match found</h2>
            <div id="mf-desc" className="mt-4 flex items-center justify-center gap-4">
              {pending.players.map((p, i) => (
                <div key={p.user_id} className="flex items-center gap-4">
                  {i > 0 ? <span className="text-lg font-black text-blood" aria-label="versus">VS</span> : null}
                  <div className="flex flex-col items-center gap-1">
                    <Avatar id={p.user_id} size={40} />
                    <p className="font-semibold text-white">{p.username}{p.user_id === me ? ' (you)' : ''}</p>
                    <p className="flex items-center gap-1 text-xs text-slate-400"><TierBadge rating={p.rating} rd={p.rd} size={16} /> {Math.round(p.rating)} <Streak n={p.win_streak} /> {p.accepted ? '· ready' : ''}</p>
                  </div>
                </div>
              ))}
            </div>
            {pending.difficulty ? <p className="mt-3 text-xs text-slate-500">Problem difficulty ≈ {pending.difficulty}</p> : null}
            <Countdown clock={clock} deadline={pending.accept_deadline} label="Time to accept" warnBelowMs={5000} className="mt-4 text-2xl" />
            <div className="mt-6 flex justify-center gap-3">
              <button type="button" className="btn-secondary" disabled={busy || accepted} onClick={() => respond('match.decline')}>Decline</button>
              <button ref={acceptRef} type="button" className="btn-primary min-w-32" disabled={busy || accepted} onClick={() => respond('match.accept')}>
                {accepted ? 'Waiting for opponent…' : 'Accept'}
              </button>
            </div>
          </motion.div>
        </motion.div>
      ) : null}
    </AnimatePresence>
  )
}
