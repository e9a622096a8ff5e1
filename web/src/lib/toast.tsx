import { AnimatePresence, motion } from 'motion/react'
import { createStore, useStore } from './store'
import { errorText, errorTextRetry } from './errors'

export type ToastKind = 'error' | 'info' | 'success'
export interface Toast {
  id: number
  kind: ToastKind
  text: string
  code?: string
}

export const toasts = createStore<Toast[]>([])
let nextId = 1

export function toast(kind: ToastKind, text: string, opts: { code?: string; ttlMs?: number } = {}): number {
  const id = nextId++
  // The same error twice in a row is one toast, not a stack of them.
  toasts.set((list) => [...list.filter((t) => !(opts.code && t.code === opts.code)), { id, kind, text, code: opts.code }].slice(-4))
  const ttl = opts.ttlMs ?? (kind === 'error' ? 7000 : 4000)
  if (ttl > 0) setTimeout(() => dismiss(id), ttl)
  return id
}

/** Show the player-facing text for a server error code. */
export function toastError(code: string, serverMessage?: string, retryAfterMs?: number): number {
  return toast('error', retryAfterMs ? errorTextRetry(code, serverMessage, retryAfterMs) : errorText(code, serverMessage), { code })
}

export function dismiss(id: number): void {
  toasts.set((list) => list.filter((t) => t.id !== id))
}

const styles: Record<ToastKind, string> = {
  error: 'border-rose-500/60 bg-rose-950/90 text-rose-50',
  info: 'border-cyan-500/50 bg-slate-900/95 text-slate-100',
  success: 'border-emerald-500/60 bg-emerald-950/90 text-emerald-50',
}

export function Toaster() {
  const list = useStore(toasts)
  return (
    <div className="pointer-events-none fixed right-4 bottom-4 z-50 flex w-[min(26rem,calc(100vw-2rem))] flex-col gap-2">
      {/* Errors are announced assertively; the region exists before any toast so screen readers pick it up. */}
      <div role="alert" aria-live="assertive" className="sr-only">
        {list.filter((t) => t.kind === 'error').map((t) => t.text).join('. ')}
      </div>
      <div role="status" aria-live="polite" className="sr-only">
        {list.filter((t) => t.kind !== 'error').map((t) => t.text).join('. ')}
      </div>
      <AnimatePresence initial={false}>
        {list.map((t) => (
          <motion.div
            key={t.id}
            layout
            initial={{ opacity: 0, y: 16, scale: 0.96 }}
            animate={{ opacity: 1, y: 0, scale: 1 }}
            exit={{ opacity: 0, x: 40 }}
            transition={{ type: 'spring', stiffness: 420, damping: 32 }}
            className={`pointer-events-auto flex items-start gap-3 rounded-lg border px-4 py-3 text-sm shadow-2xl backdrop-blur ${styles[t.kind]}`}
            data-testid={`toast-${t.kind}`}
            data-code={t.code}
          >
            <span className="flex-1">{t.text}</span>
            <button type="button" className="btn-ghost -m-1 rounded p-1 text-xs opacity-70 hover:opacity-100" onClick={() => dismiss(t.id)} aria-label="Dismiss notification">
              ✕
            </button>
          </motion.div>
        ))}
      </AnimatePresence>
    </div>
  )
}
