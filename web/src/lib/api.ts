// REST client for /api/v1. Errors are always {"error":{"code","message"}}
// (internal/httpapi); they surface here as ApiError with the same code.

import { type Challenge, solve } from './pow'
import type { ReplayEvent } from '../replay/engine'
import type {
  Board, CoachReport, CoachView, ErrorCode, Languages, LeaderboardUpdate, MatchRecord, Me, Problem, ProblemList, ProblemPage,
  MatchEvidence, Profile, Provider, Providers, ReviewItem, ReviewDecision, DecisionRequest,
  TournamentCreate, TournamentDetail, TournamentList, UserTournaments,
} from '../protocol/types'

// The REST shapes are the generated ones (internal/protocol rest.go, the
// same types as /api/v1/openapi.json); lists are never null.
export type { Me, Provider }
export type UserProfile = Profile
export type MatchDetail = MatchRecord
export type LeaderboardPage = LeaderboardUpdate

/** A problem of the list, as the screens show it. */
export interface ProblemSummary {
  id: string
  title: string
  difficulty: number
  tags: string[]
}

/** Codes the client itself raises (no server involved). */
export type ClientErrorCode = 'network' | 'offline' | 'timeout'

export class ApiError extends Error {
  readonly code: ErrorCode | ClientErrorCode
  readonly status: number
  readonly retryAfter?: number
  constructor(status: number, code: ErrorCode | ClientErrorCode, message: string, retryAfter?: number) {
    super(message)
    this.status = status
    this.code = code
    this.retryAfter = retryAfter
  }
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
  let json: { error?: { code?: unknown; message?: unknown } } | null = null
  try {
    json = await res.json()
  } catch {
    // not JSON: a proxy error page or an HTML fallback
  }
  if (!res.ok) {
    const e = json?.error
    const retry = Number(res.headers.get('Retry-After')) || undefined
    if (e && typeof e.code === 'string') throw new ApiError(res.status, e.code as ErrorCode, String(e.message ?? ''), retry)
    throw new ApiError(res.status, res.status >= 500 ? 'unavailable' : 'not_found', `HTTP ${res.status}`, retry)
  }
  return json as T
}

/** GET /api/v1/submissions/{id}/coach: 202 while the analysis runs, 200 when done. */
export type CoachStatus = { status: 'pending' } | { status: 'done'; report: CoachReport } | { status: 'failed'; error?: string }

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

// GET /api/v1/admin/review and /api/v1/admin/matches/{id}/evidence: the
// generated shapes (internal/protocol replay.go).
export type { MatchEvidence, ReviewItem, ReviewDecision, DecisionRequest }

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
  providers: () => call<Providers>('GET', '/api/v1/auth/providers'),
  leaderboard: (board: Board, opts: { offset?: number; limit?: number; around?: 'me' }) =>
    call<LeaderboardUpdate>('GET', `/api/v1/leaderboard${q({ board, offset: opts.offset, limit: opts.limit, around: opts.around })}`),
  user: (name: string) => call<Profile>('GET', `/api/v1/users/${encodeURIComponent(name)}`),
  match: (id: string) => call<MatchRecord>('GET', `/api/v1/matches/${encodeURIComponent(id)}`),
  languages: () => call<Languages>('GET', '/api/v1/languages'),
  problems: async (f: { min_difficulty?: number; max_difficulty?: number; tag?: string } = {}) => {
    const r = await call<ProblemList>('GET', `/api/v1/problems${q({ ...f, limit: 100 })}`)
    const problems = r.problems.map(summary)
    return { problems, tags: [...new Set(problems.flatMap((p) => p.tags))].sort() }
  },
  replay: async (id: string) => {
    const r = await call<ReplayData>('GET', `/api/v1/matches/${encodeURIComponent(id)}/replay`)
    return { ...r, players: (r.players ?? []).map((p) => ({ ...p, events: p.events ?? [] })), markers: r.markers ?? [] }
  },
  review: async (limit = 50, status: 'open' | 'decided' | 'all' = 'open') => {
    const r = await call<{ items: ReviewItem[] | null }>('GET', `/api/v1/admin/review?limit=${limit}&status=${status}`)
    return (r?.items ?? []).map((it) => ({ ...it, reasons: it.reasons ?? [], decisions: it.decisions ?? [] }))
  },
  // POST /api/v1/admin/matches/{id}/decisions: clear, void, ban, or the
  // reversal of an earlier decision (reverses), always with a reason.
  decide: (matchId: string, req: DecisionRequest) =>
    call<ReviewDecision>('POST', `/api/v1/admin/matches/${encodeURIComponent(matchId)}/decisions`, req),
  evidence: async (matchId: string) => {
    const r = await call<MatchEvidence>('GET', `/api/v1/admin/matches/${encodeURIComponent(matchId)}/evidence`)
    return { ...r, decisions: r.decisions ?? [], players: (r.players ?? []).map((p) => ({ ...p, pastes: p.pastes ?? [], similar: p.similar ?? [] })) }
  },
  // Tournaments (issue 21): the list, one tournament (entrants, rounds,
  // standings), register / leave / check in, an admin's creation, and a
  // user's results.
  tournaments: () => call<TournamentList>('GET', '/api/v1/tournaments'),
  tournament: (id: number) => call<TournamentDetail>('GET', `/api/v1/tournaments/${id}`),
  tournamentAction: (id: number, action: 'register' | 'leave' | 'check-in') =>
    action === 'check-in' ? call<TournamentDetail>('POST', `/api/v1/tournaments/${id}/check-in`)
      : call<TournamentDetail>(action === 'register' ? 'POST' : 'DELETE', `/api/v1/tournaments/${id}/register`),
  createTournament: (req: TournamentCreate) => call<TournamentDetail>('POST', '/api/v1/admin/tournaments', req),
  userTournaments: (name: string) => call<UserTournaments>('GET', `/api/v1/users/${encodeURIComponent(name)}/tournaments`),
  problem: async (id: string) => fromPage(await call<ProblemPage>('GET', `/api/v1/problems/${encodeURIComponent(id)}`)),
  coach: async (submissionId: string): Promise<CoachStatus> => {
    const r = await call<CoachView>('GET', `/api/v1/submissions/${encodeURIComponent(submissionId)}/coach`)
    if (r.status === 'done' && r.report) return { status: 'done', report: r.report }
    if (r.status === 'failed') return { status: 'failed', error: r.error }
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

// The catalog's REST shapes name things as problem packages do (name,
// statement, memory_mib); the screens use the match room's Problem.
function summary(p: ProblemList['problems'][number]): ProblemSummary {
  return { id: p.id, title: p.name || p.id, difficulty: p.difficulty ?? 0, tags: p.tags }
}

function fromPage(p: ProblemPage): Problem {
  return {
    id: p.id,
    title: p.name || p.id,
    difficulty: p.difficulty ?? 0,
    tags: p.tags,
    time_limit_ms: p.time_limit_ms ?? 0,
    memory_mb: p.memory_mib,
    statement_md: p.statement,
    samples: p.samples.map((s) => ({ input: s.input, output: s.output })),
    languages: p.languages.map((l) => l.id),
  }
}

export const _test = { summary, fromPage }

/** Is this error "the endpoint isn't there yet" rather than a real failure? */
export function isMissingEndpoint(e: unknown): boolean {
  return e instanceof ApiError && e.code === 'not_found' && e.status === 404
}
