// Message shapes of docs/protocol.md (v1). Keep the two in step: the doc is
// the contract, this file is its TypeScript mirror.

export const PROTOCOL_VERSION = 1

export type Mode = 'ranked' | 'casual' | 'private' | 'ffa' | 'practice'
export type Lang = 'python' | 'c' | 'cpp' | 'go' | 'javascript' | 'java' | 'rust'
// OK: a custom-input run that finished (nothing to compare). IE: the judge
// itself failed on a sample run (internal/execution RunTestResult).
export type Verdict = 'AC' | 'WA' | 'TLE' | 'MLE' | 'RE' | 'CE' | 'OLE' | 'JE' | 'IE' | 'OK' | 'pending'
export type MatchPhase = 'found' | 'countdown' | 'running' | 'finished'
export type Outcome = 'won' | 'timeout' | 'draw' | 'forfeit' | 'resigned' | 'aborted'
export type Board = 'rating' | 'weekly_xp'

export interface Envelope<T extends string = string, D = unknown> {
  v: number
  type: T
  id?: string
  data: D
}

export interface Player {
  user_id: number
  username: string
  rating: number
  rd?: number
  level?: number
  connected?: boolean
  grace_deadline?: string | null
  accepted?: boolean
  tests_passed?: number
  tests_total?: number
  last_verdict?: Verdict | null
  submissions?: number
  typing?: boolean
  finished?: boolean
}

export interface Sample {
  input: string
  output: string
}

export interface Problem {
  id: string
  title: string
  difficulty: number
  tags: string[]
  time_limit_ms: number
  /** languages whose limit differs (the server's --time-multipliers), e.g. { python: 3000 } */
  time_limits_ms?: Record<string, number>
  memory_mb: number
  statement_md: string
  samples: Sample[]
  languages: Lang[]
}

export interface QueueInfo {
  waiting: number
  median_wait_s: number
}

export interface RecentMatch {
  match_id: string
  mode: Mode
  problem_title: string
  players: string[]
  winner: string | null
  finished_at: string
}

export interface LobbyState {
  online: number
  queues: Partial<Record<Mode, QueueInfo>>
  recent_matches: RecentMatch[]
}

export interface QueueStatus {
  queued: boolean
  mode?: Mode
  joined_at?: string
  server_now?: string
  window?: { min: number; max: number } | null
  cooldown_until?: string | null
}

export interface MatchFound {
  match_id: string
  mode: Mode
  server_now: string
  accept_deadline: string
  difficulty?: number
  players: Player[]
}

export interface MatchState {
  match_id: string
  mode: Mode
  state: MatchPhase
  you: number | null
  spectating?: boolean
  server_now: string
  starts_at: string
  deadline: string
  duration_s: number
  problem: Problem | null
  players: Player[]
}

export interface RunCase {
  sample: number // 1-based; 1 for custom input
  verdict: Verdict
  time_ms: number
  memory_kb?: number
  input: string
  expected: string | null // null for custom input: nothing to compare with
  actual: string
  stderr: string
}

export interface RunResult {
  match_id?: string
  compile_error: string | null
  results: RunCase[]
}

export interface SubmissionProgress {
  match_id: string
  submission_id: string
  lang: Lang
  test: number
  total: number
  verdict: Verdict
  time_ms?: number
  phase?: 'compiling' | 'running'
}

export interface SubmissionResult {
  match_id: string
  submission_id: string
  lang: Lang
  verdict: Verdict
  passed: number
  total: number
  failed_test?: number | null
  time_ms?: number
  memory_kb?: number
  compile_error?: string | null
  received_at?: string
}

export interface OpponentProgress {
  match_id: string
  user_id: number
  tests_passed?: number
  tests_total?: number
  last_verdict?: Verdict | null
  submissions?: number
  typing?: boolean
  connected?: boolean
  grace_deadline?: string | null
  server_now?: string
}

export interface RatingChange {
  user_id: number
  before: number
  after: number
  delta: number
  rd: number
}

export interface XpChange {
  user_id: number
  gained: number
  total: number
  level: number
  level_up: boolean
  breakdown?: Record<string, number>
}

export interface Solution {
  user_id: number
  username: string
  lang: Lang
  verdict: Verdict
  passed: number
  total: number
  code: string
}

// The complexity coach's report (internal/coach Report, as JSON). Classes
// are bigo.Class text: "O(1)", "O(log n)", "O(n)", "O(n log n)", "O(n^2)",
// "O(n^3)", "O(2^n)" or "unknown".
export interface CoachEvidence {
  start: number // 1-based source lines, inclusive
  end: number
  class: string
  note: string
  tag?: string
}

export interface CoachPoint {
  n: number
  cpu_seconds: number
  peak_bytes: number
  runs?: number
  censored?: boolean // the run hit its CPU limit: a lower bound
}

export interface CoachFit {
  class: string
  confidence: number
  fits?: { class: string; a: number; b: number; ssr: number }[]
  noise?: number
  unstable?: boolean
}

export interface CoachReport {
  lang: string
  static?: { lang: string; time: string; space: string; evidence: CoachEvidence[] | null; space_evidence: CoachEvidence[] | null } | null
  static_error?: string
  empirical?: {
    source: string
    time: string
    time_confidence: number
    space: string
    space_confidence: number
    points: CoachPoint[] | null
    cpu_used_seconds?: number
    time_fit?: CoachFit
    space_fit?: CoachFit
    note?: string
  } | null
  empirical_error?: string
  /** The decided class in the problem's variables ("O((n + m) log n)"), "inconclusive" or "unknown". */
  time: string
  space: string
  /** Of the decision (static analysis and measurement together), 0..1: show this, not empirical.time_confidence. */
  confidence?: number
  /** "static analysis and measurement", "static analysis", "measurement" or "" (inconclusive). */
  decided_by?: string
  reason?: string
  variables?: string[]
  intended?: { time: string; space: string; hint?: string; /** the author's words, shown once, e.g. O((n + q) log n) */ stated?: string; stated_space?: string }
  verdict: 'meets' | 'slower' | 'faster' | 'inconclusive' | 'unknown' | string
  text: string
  text_source?: string
  text_error?: string
}

export interface CoachNote {
  user_id: number
  submission_id?: string
  time: string
  space: string
  confidence?: number
  intended_time?: string
  explanation: string
  report?: CoachReport | null
}

export interface MatchFinished {
  match_id: string
  mode: Mode
  outcome: Outcome
  reason?: string
  winner_id: number | null
  finished_at: string
  ratings: RatingChange[]
  xp: XpChange[]
  solutions: Solution[]
  coach: CoachNote[] | null
}

export interface RoomState {
  code: string
  host_id: number
  max_players: number
  duration_s?: number
  problem_id?: string | null
  closed: boolean
  players: Player[]
}

export interface LeaderboardEntry {
  rank: number
  user_id: number
  username: string
  rating: number
  rd: number
  provisional: boolean
  xp: number
  level: number
  weekly_xp?: number
}

export interface LeaderboardUpdate {
  board: Board
  offset: number
  limit: number
  total: number
  server_now?: string
  entries: LeaderboardEntry[]
  changed?: number[]
}

export interface SnapshotUser {
  user_id: number
  username: string
  rating: number
  rd: number
  xp: number
  level: number
}

export interface Snapshot {
  server_now: string
  user: SnapshotUser
  lobby: LobbyState
  queue: QueueStatus | null
  pending_match: MatchFound | null
  match: MatchState | null
  room: RoomState | null
  my_code: { match_id: string; lang: Lang; code: string } | null
  /** The player's latest match.finished when it ended minutes ago and no other match runs (a reload lands on its result). */
  last_finished?: MatchFinished | null
}

export interface ProtocolError {
  code: string
  message: string
  retry_after_ms?: number
  cooldown_until?: string
}

// Server → client messages, as a discriminated union on `type`.
export type ServerMessage =
  | Envelope<'snapshot', Snapshot>
  | Envelope<'lobby.state', LobbyState>
  | Envelope<'queue.status', QueueStatus>
  | Envelope<'match.found', MatchFound>
  | Envelope<'match.state', MatchState>
  | Envelope<'run.result', RunResult>
  | Envelope<'submission.progress', SubmissionProgress>
  | Envelope<'submission.result', SubmissionResult>
  | Envelope<'opponent.progress', OpponentProgress>
  | Envelope<'match.finished', MatchFinished>
  | Envelope<'match.coach', { match_id: string; coach: CoachNote[] }>
  | Envelope<'room.state', RoomState>
  | Envelope<'leaderboard.update', LeaderboardUpdate>
  | Envelope<'pong', { server_now: string }>
  | Envelope<'error', ProtocolError>

export type ServerType = ServerMessage['type']

// Client → server requests and their data.
export interface ClientRequests {
  hello: { client: string }
  resume: { client: string; subscriptions: Subscriptions }
  'queue.join': { mode: Exclude<Mode, 'private'>; problem_id?: string }
  'queue.leave': Record<string, never>
  'match.accept': { match_id: string }
  'match.decline': { match_id: string }
  'room.create': { max_players: number; duration_s?: number; problem_id?: string }
  'room.join': { code: string }
  'room.leave': Record<string, never>
  'room.start': Record<string, never>
  'code.run': { match_id: string; lang: Lang; code: string; input?: string }
  'code.submit': { match_id: string; lang: Lang; code: string }
  'match.resign': { match_id: string }
  typing: { match_id: string; active: boolean }
  'editor.batch': import('./generated').EditorBatch
  'leaderboard.subscribe': { board: Board; offset?: number; limit: number; around?: 'me' }
  'leaderboard.unsubscribe': Record<string, never>
  spectate: { match_id: string }
  'spectate.stop': Record<string, never>
  ping: Record<string, never>
}
export type ClientType = keyof ClientRequests

export interface Subscriptions {
  leaderboard?: ClientRequests['leaderboard.subscribe']
  spectate?: string
}

export const LANGS: { id: Lang; name: string; monaco: string }[] = [
  { id: 'python', name: 'Python 3', monaco: 'python' },
  { id: 'cpp', name: 'C++20', monaco: 'cpp' },
  { id: 'c', name: 'C17', monaco: 'c' },
  { id: 'go', name: 'Go', monaco: 'go' },
  { id: 'javascript', name: 'JavaScript (Node)', monaco: 'javascript' },
  { id: 'java', name: 'Java 17', monaco: 'java' },
  { id: 'rust', name: 'Rust', monaco: 'rust' },
]

export const VERDICT_TEXT: Record<Verdict, string> = {
  AC: 'Accepted',
  WA: 'Wrong Answer',
  TLE: 'Time Limit Exceeded',
  MLE: 'Memory Limit Exceeded',
  RE: 'Runtime Error',
  CE: 'Compile Error',
  OLE: 'Output Limit Exceeded',
  JE: 'Judge Error',
  IE: 'Internal Error',
  OK: 'Ran',
  pending: 'Judging…',
}
