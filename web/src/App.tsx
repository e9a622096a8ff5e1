import { lazy, Suspense, useEffect, useState } from 'react'
import { Link, matchPath, navigate, Redirect, useLocation } from './lib/router'
import { refreshSession, session, useSession } from './lib/session'
import { Toaster, toast } from './lib/toast'
import { api } from './lib/api'
import { beginSignOut, startArena, stopArena, useArena } from './protocol/arena'
import { preloadEditor } from './editor/preload'
import { SignIn } from './screens/SignIn'
import { Lobby } from './screens/Lobby'
import { Leaderboard } from './screens/Leaderboard'
import { Profile } from './screens/Profile'
import { Practice } from './screens/Practice'
import { Result } from './screens/Result'
import { SpectateList } from './screens/SpectateList'
import { Tournament, Tournaments } from './screens/Tournaments'
import { AcceptDialog } from './components/AcceptDialog'
import { CancelledNotice } from './components/CancelledNotice'
import { ConnectionBadge } from './components/ConnectionBadge'
import { Spinner } from './components/Spinner'
import { Avatar } from './game/Avatar'
import { TierBadge } from './game/TierBadge'
import { VsIntro } from './game/VsIntro'
import { SoundToggle } from './game/SoundToggle'
import { useGameSounds } from './game/cues'
import { stageNavigate } from './game/transitions'
import { BANNER_MS, SolvedBanner } from './game/SolvedBanner'

// The match room carries Monaco, KaTeX and Markdown: loaded only when needed,
// so the lobby's first load stays within the bundle budget.
const MatchRoom = lazy(() => import('./screens/MatchRoom'))

/** Load the match room and Monaco while queued, during accept, or as soon as a snapshot says we are in a match. */
function usePreloadEditor(): void {
  const likely = useArena((a) => !!a.queue?.queued || !!a.pending || (!!a.match && !a.match.spectating && a.match.state !== 'finished'))
  useEffect(() => {
    if (likely) preloadEditor().catch(() => undefined)
  }, [likely])
}
const Replay = lazy(() => import('./screens/Replay'))
const Review = lazy(() => import('./screens/Review'))

export function App() {
  const s = useSession()
  const { path } = useLocation()

  useEffect(() => {
    void refreshSession()
  }, [])

  useEffect(() => {
    if (s.status !== 'signed-in') return
    startArena({
      onUnauthenticated: () => {
        stopArena()
        session.set({ status: 'signed-out' })
        toast('error', 'Your session has ended. Please sign in again.', { code: 'unauthenticated' })
      },
    })
  }, [s.status])

  useFollowMatch()
  useGameSounds()
  usePreloadEditor()

  if (s.status === 'loading') {
    return (
      <div className="grid min-h-screen place-items-center">
        <Spinner label="Loading the arena" />
      </div>
    )
  }
  if (s.status === 'signed-out') {
    return (
      <>
        {path === '/signin' || path === '/register' ? <SignIn mode={path === '/register' ? 'register' : 'signin'} /> : <Redirect to="/signin" />}
        <Toaster />
      </>
    )
  }
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-ink-800 focus:px-3 focus:py-2">
        Skip to content
      </a>
      <Header />
      <main id="main" className="flex-1">
        <Suspense fallback={<div className="grid h-[60vh] place-items-center"><Spinner label="Loading the match room" /></div>}>
          <Routes path={path} />
        </Suspense>
      </main>
      <AcceptDialog />
      <VsIntro />
      <SolvedBanner />
      <CancelledNotice />
      <Toaster />
    </div>
  )
}

function Routes({ path }: { path: string }) {
  if (path === '/signin' || path === '/register') return <Redirect to="/" />
  if (path === '/') return <Lobby />
  if (path === '/leaderboard') return <Leaderboard />
  if (path === '/practice') return <Practice />
  if (path === '/spectate') return <SpectateList />
  if (path === '/tournaments') return <Tournaments />
  let m
  if ((m = matchPath('/match/:id', path))) return <MatchRoom matchId={m.id} />
  if ((m = matchPath('/spectate/:id', path))) return <MatchRoom matchId={m.id} spectate />
  if ((m = matchPath('/result/:id', path))) return <Result matchId={m.id} />
  if (path === '/admin/review') return <Suspense fallback={null}><Review /></Suspense>
  if ((m = matchPath('/replay/:id', path))) return <Suspense fallback={null}><Replay matchId={m.id} /></Suspense>
  if ((m = matchPath('/users/:name', path))) return <Profile name={m.name} />
  if ((m = matchPath('/tournaments/:id', path)) && /^[1-9][0-9]*$/.test(m.id)) return <Tournament id={Number(m.id)} />
  return (
    <div className="mx-auto max-w-xl px-6 py-24 text-center">
      <h1 className="text-3xl font-bold text-white">404</h1>
      <p className="mt-2 text-slate-400">No page here.</p>
      <Link to="/" className="btn-primary mt-6">Back to the lobby</Link>
    </div>
  )
}

// The server decides when a match starts and ends; the client follows it to
// the match room and then to the result screen.
function useFollowMatch() {
  const match = useArena((a) => a.match)
  const finished = useArena((a) => a.finished)
  const { path } = useLocation()
  useEffect(() => {
    if (finished && !path.startsWith('/result/')) {
      // From the match room, after the "X solved it!" banner (SolvedBanner).
      if (path === `/match/${finished.match_id}`) {
        const t = setTimeout(() => stageNavigate(`/result/${finished.match_id}`, 'result'), finished.mode === 'practice' ? 0 : BANNER_MS)
        return () => clearTimeout(t)
      }
      return
    }
    if (match && !match.spectating && match.state !== 'finished' && match.state !== 'found' && path !== `/match/${match.match_id}`) {
      stageNavigate(`/match/${match.match_id}`, 'match')
    }
    // Only these fields decide where to go; a new snapshot of the same match must not navigate again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [match?.match_id, match?.state, match?.spectating, finished?.match_id, path])
}

function Header() {
  const s = useSession()
  const user = useArena((a) => a.user)
  const { path } = useLocation()
  // Below md the links live in a menu (a scrolling strip hid half of them).
  const [menu, setMenu] = useState(false)
  useEffect(() => setMenu(false), [path])
  if (s.status !== 'signed-in') return null
  const me = s.me
  const rating = Math.round(user?.rating ?? me.rating)
  const nav: (readonly [string, string])[] = [
    ['/', 'Lobby'],
    ['/practice', 'Practice'],
    ['/leaderboard', 'Leaderboard'],
    ['/spectate', 'Spectate'],
    ['/tournaments', 'Tournaments'],
  ]
  if (me.role === 'admin') nav.push(['/admin/review', 'Review'])
  const logout = async () => {
    beginSignOut()
    try {
      await api.logout()
    } catch {
      // signed out locally anyway
    }
    stopArena()
    session.set({ status: 'signed-out' })
    navigate('/signin', { replace: true })
  }
  return (
    <header className="sticky top-0 z-30 border-b border-white/5 bg-ink-950/95">
      <div className="mx-auto flex h-14 max-w-7xl items-center gap-2 px-3 sm:gap-4 sm:px-4">
        <Link to="/" className="flex items-center gap-2 font-black tracking-tight text-white" aria-label="SegFault Arena, lobby">
          <span className="grid h-7 w-7 place-items-center rounded-md bg-gradient-to-br from-neon to-blood text-xs text-ink-950">SF</span>
          <span className="hidden sm:inline">SegFault<span className="text-neon">Arena</span></span>
        </Link>
        <nav aria-label="Main" className="hidden min-w-0 items-center gap-0.5 text-sm md:flex lg:gap-1">
          {nav.map(([to, label]) => (
            <Link key={to} to={to} aria-current={path === to ? 'page' : undefined}
              className={`shrink-0 rounded-md px-2 py-1.5 lg:px-3 ${path === to ? 'bg-white/10 text-white' : 'text-slate-400 hover:text-white'}`}>
              {label}
            </Link>
          ))}
        </nav>
        <div className="ml-auto flex shrink-0 items-center gap-2 lg:gap-3">
          <ConnectionBadge />
          <SoundToggle />
          <Link to={`/users/${encodeURIComponent(me.username)}`} className="flex items-center gap-2 rounded-md px-2 py-1 hover:bg-white/5" data-testid="header-user">
            <Avatar id={me.id} size={22} />
            <span className="hidden max-w-40 truncate text-sm font-medium text-white lg:inline">{me.username}</span>
            <TierBadge rating={user?.rating ?? me.rating} rd={user?.rd ?? me.rd} size={20} />
            <span className="chip" aria-label={`rating ${rating}`}>{rating}</span>
            <span className="chip hidden md:inline-flex">Lv {user?.level ?? me.level}</span>
          </Link>
          <button type="button" className="btn-secondary hidden px-3 py-1.5 md:inline-flex" onClick={logout}>Sign out</button>
          <button type="button" className="btn-secondary px-3 py-1.5 md:hidden" aria-expanded={menu} aria-controls="nav-menu" onClick={() => setMenu((m) => !m)} data-testid="menu">
            Menu
          </button>
        </div>
      </div>
      {menu ? (
        <nav id="nav-menu" aria-label="Main" className="border-t border-white/5 px-3 pb-3 md:hidden">
          <ul className="grid gap-1 pt-2">
            {nav.map(([to, label]) => (
              <li key={to}>
                <Link to={to} aria-current={path === to ? 'page' : undefined}
                  className={`block rounded-md px-3 py-2 ${path === to ? 'bg-white/10 text-white' : 'text-slate-300'}`}>{label}</Link>
              </li>
            ))}
            <li><button type="button" className="w-full rounded-md px-3 py-2 text-left text-slate-300" onClick={logout}>Sign out</button></li>
          </ul>
        </nav>
      ) : null}
    </header>
  )
}
