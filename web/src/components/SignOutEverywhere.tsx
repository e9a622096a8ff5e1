import { useState } from 'react'
import { api, ApiError } from '../lib/api'
import { errorText } from '../lib/errors'
import { navigate } from '../lib/router'
import { session } from '../lib/session'
import { beginSignOut, endSignOut, stopArena } from '../protocol/arena'

// "Sign out everywhere" (POST /api/v1/auth/logout-all): every session of the
// account ends, on every device, and its open arena tabs are closed at once by
// the server. Two steps, so a stray click signs nobody out.
export function SignOutEverywhere() {
  const [asking, setAsking] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const confirm = async () => {
    setBusy(true)
    setError(null)
    beginSignOut()
    try {
      await api.logoutAll()
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'unauthenticated')) {
        endSignOut()
        setBusy(false)
        setError(e instanceof ApiError ? errorText(e.code, e.message) : 'Could not sign out everywhere. Try again.')
        return
      }
    }
    stopArena()
    session.set({ status: 'signed-out' })
    navigate('/signin', { replace: true })
  }
  return (
    <section className="panel mt-6 p-5" aria-labelledby="sessions-title" data-testid="sign-out-everywhere">
      <h2 id="sessions-title" className="mb-1 font-semibold text-white">Sessions</h2>
      <p className="mb-3 text-sm text-slate-400">Signed in somewhere you no longer use? End every session of this account, on all devices.</p>
      {asking ? (
        <div className="flex flex-wrap items-center gap-2">
          <span className="text-sm text-slate-300">Sign out on every device, this one included?</span>
          <button type="button" className="btn-primary px-3 py-1.5" disabled={busy} onClick={confirm}>Yes, sign out everywhere</button>
          <button type="button" className="btn-secondary px-3 py-1.5" disabled={busy} onClick={() => setAsking(false)}>Cancel</button>
        </div>
      ) : (
        <button type="button" className="btn-secondary px-3 py-1.5" onClick={() => setAsking(true)}>Sign out everywhere</button>
      )}
      {error && <p className="mt-2 text-sm text-rose-300" role="alert">{error}</p>}
    </section>
  )
}
