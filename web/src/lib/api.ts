// REST client for /api/v1. Errors are always {"error":{"code","message"}}
// (internal/httpapi); they surface here as ApiError with the same code.

import { type Challenge, solve } from './pow'
import type { ReplayEvent } from '../replay/engine'
import type { Board, CoachNote, CoachReport, LeaderboardEntry, Lang, Mode, Problem, RatingChange, XpChange } from '../protocol/types'

export class ApiError extends Error {
  readonly code: string
  readonly status: number
  readonly retryAfter?: number
  constructor(status: number, code: string, message: string, retryAfter?: number) {
    super(message)
    this.status = status
    this.code = code
    this.retryAfter = retryAfter
  }
}

export interface Me {
  id: number
  username: string
  display_name: string
  avatar_url: string
  role: string
  rating: number
  rd: number
  volatility: number
  xp: number
  level: number
}

export interface Provider {
  name: string
  display_name: string
  start_url: string
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch {
    throw new ApiError(0, 'network', 'network error')
  }
  if (res.status === 204) return undefined as T
  let json: any = null
  try {
    json = await res.json()
  } catch {
    // not JSON: a proxy error page or an HTML fallback
  }
  if (!res.ok) {
    const e = json?.error
    const retry = Number(res.headers.get('Retry-After')) || undefined
    if (e && typeof e.code === 'string') throw new ApiError(res.status, e.code, String(e.message ?? ''), retry)
    throw new ApiError(res.status, res.status >= 500 ? 'unavailable' : 'not_found', `HTTP ${res.status}`, retry)
  }
  return json as T
}

export interface UserProfile {
  user: {
    user_id: number
    username: string
    display_name?: string
    avatar_url?: string
    rating: number
    rd: number
    provisional: boolean
    xp: number
    level: number
    rank?: number
    wins?: number
    losses?: number
    draws?: number
    joined_at?: string
  }
  rating_history: { match_id: string; at: string; rating: number; delta: number }[]
  recent_matches: {
    match_id: string
    mode: Mode
    problem_id: string
    problem_title: string
    opponents: string[]
    result: 'win' | 'loss' | 'draw'
    rating_delta: number | null
    finished_at: string
  }[]
  solved: { problem_id: string; title: string; difficulty: number; solved_at: string }[]
}

export interface LeaderboardPage {
  board: Board
  offset: number
  limit: number
  total: number
  entries: LeaderboardEntry[]
  me?: LeaderboardEntry
}

export interface ProblemSummary {
  id: string
  title: string
  difficulty: number
  tags: string[]
  solved?: boolean
}

export interface MatchDetail {
  match: {
    match_id: string
    mode: Mode
    state: string
    outcome?: string
    reason?: string
    winner_id?: number | null
    problem: { id: string; title: string; difficulty: number }
    starts_at?: string
    deadline?: string
    finished_at?: string
    players: { user_id: number; username: string; rating: number; level?: number }[]
  }
  timeline: { at: string; user_id: number | null; event: string; verdict?: string; passed?: number; total?: number; detail?: string }[]
  ratings: RatingChange[]
  xp: XpChange[]
  submissions: { submission_id: string; user_id: number; lang: Lang; verdict: string; passed: number; total: number; received_at: string; code?: string }[]
  coach: CoachNote[] | null
}

export interface LiveMatch {
  match_id: string
  mode: Mode
  problem_title: string
  players: { username: string; user_id?: number; rating?: number }[]
  starts_at: string
  deadline: string
}

/** GET /api/v1/submissions/{id}/coach: 202 while the analysis runs, 200 when done. */
export type CoachStatus = { status: 'pending' } | { status: 'done'; report: CoachReport } | { status: 'failed'; error?: string }

// Go encodes an empty slice as null; the screens want arrays.
const arr = <T,>(v: T[] | null | undefined): T[] => (Array.isArray(v) ? v : [])

const q = (params: Record<string, string | number | undefined>) => {
  const s = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') s.set(k, String(v))
  const str = s.toString()
  return str ? `?${str}` : ''
}

/** GET /api/v1/matches/{id}/replay (docs/protocol.md; internal/protocol Replay). */
export interface ReplayData {
  match: MatchDetail['match']
  start_ms: number
  end_ms: number
  players: { user_id: number; username: string; hidden: boolean; events: ReplayEvent[] }[]
  markers: ReplayMarker[]
}
export interface ReplayMarker {
  at: number
  user_id: number | null
  kind: 'run' | 'submit' | 'verdict' | 'finished'
  submission_id?: string
  verdict?: string
  passed?: number
  total?: number
  lang?: string
  code?: string
  detail?: string
}

export const api = {
  // Sign-up solves the server's proof-of-work challenge first (lib/pow.ts).
  register: async (username: string, password: string) => {
    const ch = await call<Challenge>('GET', '/api/v1/auth/challenge')
    const body = ch?.bits > 0 ? { username, password, proof: await solve(username, ch) } : { username, password }
    return call<Me>('POST', '/api/v1/auth/register', body)
  },
  login: (username: string, password: string) => call<Me>('POST', '/api/v1/auth/login', { username, password }),
  logout: () => call<void>('POST', '/api/v1/auth/logout'),
  logoutAll: () => call<void>('POST', '/api/v1/auth/logout-all'),
  me: () => call<Me>('GET', '/api/v1/me'),
  providers: () => call<{ providers: Provider[] }>('GET', '/api/v1/auth/providers'),
  leaderboard: async (board: Board, opts: { offset?: number; limit?: number; around?: 'me' }) => {
    const p = await call<LeaderboardPage>('GET', `/api/v1/leaderboard${q({ board, offset: opts.offset, limit: opts.limit, around: opts.around })}`)
    return { ...p, entries: arr(p?.entries), total: p?.total ?? 0, offset: p?.offset ?? 0 }
  },
  user: async (name: string) => {
    const p = await call<UserProfile>('GET', `/api/v1/users/${encodeURIComponent(name)}`)
    return { ...p, rating_history: arr(p?.rating_history), recent_matches: arr(p?.recent_matches), solved: arr(p?.solved) }
  },
  match: async (id: string) => {
    const d = await call<MatchDetail>('GET', `/api/v1/matches/${encodeURIComponent(id)}`)
    return { ...d, match: { ...d.match, players: arr(d.match?.players) }, timeline: arr(d.timeline), ratings: arr(d.ratings), xp: arr(d.xp), submissions: arr(d.submissions), coach: d.coach ?? null }
  },
  replay: async (id: string) => {
    const r = await call<ReplayData>('GET', `/api/v1/matches/${encodeURIComponent(id)}/replay`)
    return { ...r, players: arr(r.players).map((p) => ({ ...p, events: arr(p.events) })), markers: arr(r.markers) }
  },
  liveMatches: async () => {
    const r = await call<{ matches: (Omit<LiveMatch, 'players'> & { players: (LiveMatch['players'][number] | string)[] | null })[] }>('GET', '/api/v1/matches?state=running&limit=20')
    // The arena lists players by name (strings); objects are accepted too.
    return { matches: arr(r?.matches).map((m) => ({ ...m, players: arr(m.players).map((p) => (typeof p === 'string' ? { username: p } : p)) })) }
  },
  problems: async (f: { difficulty_min?: number; difficulty_max?: number; tag?: string; q?: string } = {}) =>
    normalizeProblemList(await call<unknown>('GET', `/api/v1/problems${q(f)}`)),
  problem: async (id: string) => normalizeProblem(await call<unknown>('GET', `/api/v1/problems/${encodeURIComponent(id)}`)),
  coach: async (submissionId: string): Promise<CoachStatus> => {
    const r = await call<{ status?: string; report?: CoachReport; error?: string } | null>('GET', `/api/v1/submissions/${encodeURIComponent(submissionId)}/coach`)
    if (r?.status === 'done' && r.report) return { status: 'done', report: r.report }
    if (r?.status === 'failed') return { status: 'failed', error: r.error }
    return { status: 'pending' }
  },
}

/**
 * Poll `fetch` until it says done (or failed), waiting 1 s, 2 s, 4 s … up to
 * maxDelayMs between tries, for at most totalMs. Resolves null when it gives
 * up or is aborted. A transient error (network, 5xx) is retried; a 4xx ends it.
 */
export async function pollWithBackoff<T>(fetchOnce: () => Promise<T>, done: (v: T) => boolean, opts: { signal?: AbortSignal; firstDelayMs?: number; maxDelayMs?: number; totalMs?: number; waitFirst?: boolean; sleep?: (ms: number) => Promise<void> } = {}): Promise<T | null> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  let delay = opts.firstDelayMs ?? 1000
  let waited = 0
  if (opts.waitFirst) {
    await sleep(delay)
    waited += delay
    delay = Math.min(delay * 2, opts.maxDelayMs ?? 8000)
  }
  const total = opts.totalMs ?? 180_000
  for (;;) {
    if (opts.signal?.aborted) return null
    try {
      const v = await fetchOnce()
      if (done(v)) return v
    } catch (e) {
      if (e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 429) throw e
    }
    if (waited >= total || opts.signal?.aborted) return null
    await sleep(delay)
    waited += delay
    delay = Math.min(delay * 2, opts.maxDelayMs ?? 8000)
  }
}

// The problem endpoints are served by the catalog package, whose field names
// differ from docs/protocol.md §5 in places (name/title, statement/
// statement_md, memory_mib/memory_mb, languages as objects). Accept both so
// the page never breaks on a shape detail.
function normalizeProblemList(raw: unknown): { problems: ProblemSummary[]; tags: string[] } {
  const r = (raw ?? {}) as { problems?: unknown; tags?: unknown }
  const list = Array.isArray(r.problems) ? r.problems : Array.isArray(raw) ? (raw as unknown[]) : []
  const problems: ProblemSummary[] = list.map((x) => {
    const p = (x ?? {}) as Record<string, unknown>
    return {
      id: String(p.id ?? ''),
      title: String(p.title ?? p.name ?? p.id ?? ''),
      difficulty: Number(p.difficulty ?? 0),
      tags: Array.isArray(p.tags) ? p.tags.map(String) : [],
      solved: typeof p.solved === 'boolean' ? p.solved : undefined,
    }
  })
  const tags = Array.isArray(r.tags) ? r.tags.map(String) : [...new Set(problems.flatMap((p) => p.tags))].sort()
  return { problems, tags }
}

function normalizeProblem(raw: unknown): Problem {
  const p = (raw ?? {}) as Record<string, unknown>
  const langs = Array.isArray(p.languages) ? p.languages.map((l) => (typeof l === 'string' ? l : String((l as { id?: unknown })?.id ?? ''))) : []
  return {
    id: String(p.id ?? ''),
    title: String(p.title ?? p.name ?? p.id ?? ''),
    difficulty: Number(p.difficulty ?? 0),
    tags: Array.isArray(p.tags) ? p.tags.map(String) : [],
    time_limit_ms: Number(p.time_limit_ms ?? 0),
    ...(p.time_limits_ms && typeof p.time_limits_ms === 'object' ? { time_limits_ms: p.time_limits_ms as Record<string, number> } : {}),
    memory_mb: Number(p.memory_mb ?? p.memory_mib ?? 0),
    statement_md: String(p.statement_md ?? p.statement ?? ''),
    samples: Array.isArray(p.samples) ? (p.samples as Problem['samples']) : [],
    languages: langs.filter(Boolean) as Problem['languages'],
  }
}

export const _test = { normalizeProblemList, normalizeProblem }

/** Is this error "the endpoint isn't there yet" rather than a real failure? */
export function isMissingEndpoint(e: unknown): boolean {
  return e instanceof ApiError && e.code === 'not_found' && e.status === 404
}
