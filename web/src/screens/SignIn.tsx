import { motion } from 'motion/react'
import { useEffect, useState, type FormEvent } from 'react'
import { api, ApiError, type Provider } from '../lib/api'
import { errorText } from '../lib/errors'
import { Link, navigate, useLocation } from '../lib/router'
import { signedIn } from '../lib/session'
import { toastError } from '../lib/toast'

// Sign in and register: the same form, two endpoints. Errors from the
// server are shown inline (for screen readers via role=alert) and as a toast.
export function SignIn({ mode }: { mode: 'signin' | 'register' }) {
  const { search } = useLocation()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [fieldErr, setFieldErr] = useState<{ username?: string; password?: string }>({})
  const [providers, setProviders] = useState<Provider[]>([])
  const isRegister = mode === 'register'

  useEffect(() => {
    api.providers().then((r) => setProviders(r.providers ?? []), () => setProviders([]))
  }, [])

  // OAuth failures come back as /signin?error=CODE.
  const oauthError = search.get('error')
  useEffect(() => {
    if (oauthError) setError(errorText(oauthError))
  }, [oauthError])

  const validate = () => {
    const f: typeof fieldErr = {}
    const u = username.trim()
    if (u.length < 3 || u.length > 32) f.username = 'Between 3 and 32 characters.'
    else if (isRegister && !/^[A-Za-z0-9_-]+$/.test(u)) f.username = 'Letters, digits, _ and - only.'
    if (isRegister && password.length < 10) f.password = 'At least 10 characters.'
    else if (!isRegister && password.length === 0) f.password = 'Enter your password.'
    setFieldErr(f)
    return Object.keys(f).length === 0
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    if (!validate()) return
    setBusy(true)
    try {
      const me = isRegister ? await api.register(username.trim(), password) : await api.login(username.trim(), password)
      signedIn(me)
      navigate('/', { replace: true })
    } catch (err) {
      const code = err instanceof ApiError ? err.code : 'network'
      let text = errorText(code, err instanceof Error ? err.message : undefined)
      if (code === 'rate_limited' && err instanceof ApiError && err.retryAfter) text += ` (retry in ${err.retryAfter} s)`
      setError(text)
      if (code === 'invalid_username' || code === 'username_taken' || code === 'username_reserved') setFieldErr({ username: errorText(code) })
      if (code === 'invalid_password' || code === 'password_too_common') setFieldErr({ password: errorText(code) })
      toastError(code, err instanceof Error ? err.message : undefined)
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="grid-bg relative grid min-h-screen place-items-center overflow-hidden px-4 py-12">
      <motion.div aria-hidden="true" className="pointer-events-none absolute -top-40 left-1/2 h-96 w-[48rem] -translate-x-1/2 rounded-full bg-neon/10 blur-3xl"
        animate={{ opacity: [0.5, 0.9, 0.5] }} transition={{ duration: 6, repeat: Infinity }} />
      <motion.main initial={{ opacity: 0, y: 24 }} animate={{ opacity: 1, y: 0 }} transition={{ duration: 0.5, ease: 'easeOut' }}
        className="relative w-full max-w-sm">
        <div className="mb-8 text-center">
          <div className="mx-auto mb-4 grid h-14 w-14 place-items-center rounded-2xl bg-gradient-to-br from-neon to-blood text-xl font-black text-ink-950 shadow-[0_0_40px_rgb(34_211_238/0.4)]">SF</div>
          <h1 className="text-3xl font-black tracking-tight text-white">SegFault <span className="text-neon">Arena</span></h1>
          <p className="mt-1 text-sm text-slate-400">Write code. Destroy your friends.</p>
        </div>
        <section className="panel p-6" aria-labelledby="auth-title">
          <div className="mb-5 grid grid-cols-2 gap-1 rounded-lg bg-ink-950 p-1 text-sm" role="tablist" aria-label="Account">
            <Link to="/signin" role="tab" aria-selected={!isRegister} className={`rounded-md py-1.5 text-center ${!isRegister ? 'bg-ink-700 text-white' : 'text-slate-400'}`}>Sign in</Link>
            <Link to="/register" role="tab" aria-selected={isRegister} className={`rounded-md py-1.5 text-center ${isRegister ? 'bg-ink-700 text-white' : 'text-slate-400'}`}>Register</Link>
          </div>
          <h2 id="auth-title" className="sr-only">{isRegister ? 'Create an account' : 'Sign in'}</h2>
          <form onSubmit={submit} noValidate className="space-y-4" aria-describedby={error ? 'auth-error' : undefined}>
            <div>
              <label htmlFor="username" className="label">Username</label>
              <input id="username" name="username" className="input" autoComplete="username" autoCapitalize="none" spellCheck={false}
                value={username} onChange={(e) => setUsername(e.target.value)} aria-invalid={!!fieldErr.username}
                aria-describedby={fieldErr.username ? 'username-err' : isRegister ? 'username-hint' : undefined} required />
              {fieldErr.username ? <p id="username-err" className="mt-1 text-xs text-rose-300">{fieldErr.username}</p>
                : isRegister ? <p id="username-hint" className="mt-1 text-xs text-slate-500">3–32 characters: letters, digits, _ or -.</p> : null}
            </div>
            <div>
              <label htmlFor="password" className="label">Password</label>
              <input id="password" name="password" type="password" className="input" autoComplete={isRegister ? 'new-password' : 'current-password'}
                value={password} onChange={(e) => setPassword(e.target.value)} aria-invalid={!!fieldErr.password}
                aria-describedby={fieldErr.password ? 'password-err' : isRegister ? 'password-hint' : undefined} required />
              {fieldErr.password ? <p id="password-err" className="mt-1 text-xs text-rose-300">{fieldErr.password}</p>
                : isRegister ? <p id="password-hint" className="mt-1 text-xs text-slate-500">At least 10 characters.</p> : null}
            </div>
            {error ? <p id="auth-error" role="alert" className="rounded-md border border-rose-500/40 bg-rose-500/10 px-3 py-2 text-sm text-rose-200">{error}</p> : null}
            <button type="submit" className="btn-primary w-full py-2.5" disabled={busy}>
              {busy ? (isRegister ? 'Creating your account…' : 'Please wait…') : isRegister ? 'Create account' : 'Sign in'}
            </button>
          </form>
          {providers.length > 0 ? (
            <div className="mt-6">
              <div className="mb-3 flex items-center gap-3 text-xs text-slate-500"><span className="h-px flex-1 bg-white/10" />or<span className="h-px flex-1 bg-white/10" /></div>
              <ul className="space-y-2">
                {providers.map((p) => (
                  <li key={p.name}>
                    {/* A full navigation: the OAuth dance needs real redirects. */}
                    <a href={p.start_url} className="btn-secondary w-full" data-provider={p.name}>Continue with {p.display_name}</a>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </section>
      </motion.main>
    </div>
  )
}
