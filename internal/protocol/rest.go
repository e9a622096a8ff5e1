package protocol

import "encoding/json"

// REST payloads (docs/protocol.md section 5 and /api/v1/openapi.json).
// The same rules as the WebSocket's: times from Time, lists never null.

// Me is GET /api/v1/me (and the answer to register, login and an OAuth
// callback asked for JSON).
type Me struct {
	ID          int64   `json:"id"`
	Username    string  `json:"username"`
	DisplayName string  `json:"display_name"`
	AvatarURL   string  `json:"avatar_url"`
	Role        string  `json:"role"` // "player" or "admin"
	Rating      float64 `json:"rating"`
	RD          float64 `json:"rd"`
	Volatility  float64 `json:"volatility"`
	XP          int64   `json:"xp"`
	Level       int     `json:"level"`
	// CreatedAt and MatchesPlayed tell a brand-new player (no match
	// finished yet, practice included) from a returning one.
	CreatedAt     string `json:"created_at"`
	MatchesPlayed int    `json:"matches_played"`
}

// Credentials is the body of register and login.
type Credentials struct {
	Username string `json:"username"`
	Password string `json:"password"`
	// Proof solves the sign-up challenge (register only; needed when the
	// challenge's bits are above 0).
	Proof *Proof `json:"proof,omitempty"`
}

// Challenge is GET /api/v1/auth/challenge: find a nonce such that
// SHA-256("segfault-register\x00" + username + "\x00" + stamp + "\x00" +
// nonce) starts with `bits` zero bits (username lower-cased), then register
// with {stamp, nonce} as `proof` within 10 minutes.
type Challenge struct {
	Algorithm string `json:"algorithm"` // "sha256"
	Bits      int    `json:"bits"`      // 0: no proof needed
	Stamp     string `json:"stamp"`
}

// Proof is a solved Challenge.
type Proof struct {
	Stamp string `json:"stamp"`
	Nonce string `json:"nonce"`
}

// Provider is a sign-in provider the server offers.
type Provider struct {
	Name        string `json:"name"`
	DisplayName string `json:"display_name"`
	StartURL    string `json:"start_url"`
}

// Providers is GET /api/v1/auth/providers.
type Providers struct {
	Providers List[Provider] `json:"providers"`
}

// ProfileUser is the public face of a user.
type ProfileUser struct {
	UserID      int64   `json:"user_id"`
	Username    string  `json:"username"`
	DisplayName string  `json:"display_name"`
	AvatarURL   string  `json:"avatar_url"`
	Rating      float64 `json:"rating"`
	RD          float64 `json:"rd"`
	Provisional bool    `json:"provisional"`
	XP          int64   `json:"xp"`
	Level       int     `json:"level"`
	Rank        int     `json:"rank"` // 0: not ranked
	Wins        int     `json:"wins"`
	Losses      int     `json:"losses"`
	Draws       int     `json:"draws"`
	WinStreak   int     `json:"win_streak"` // consecutive wins, newest first
	JoinedAt    string  `json:"joined_at"`
}

// RatingPoint is one point of a rating history.
type RatingPoint struct {
	MatchID string  `json:"match_id"`
	At      string  `json:"at"`
	Rating  float64 `json:"rating"`
	Delta   float64 `json:"delta"`
}

// ProfileMatch is one of a user's public matches, from their side.
type ProfileMatch struct {
	MatchID      string       `json:"match_id"`
	Mode         Mode         `json:"mode"`
	ProblemID    string       `json:"problem_id"`
	ProblemTitle string       `json:"problem_title"`
	Opponents    List[string] `json:"opponents"`
	Result       string       `json:"result"` // "win", "loss" or "draw"
	RatingDelta  float64      `json:"rating_delta"`
	FinishedAt   string       `json:"finished_at"`
}

// SolvedProblem is a problem a user won a match on with an Accepted.
type SolvedProblem struct {
	ProblemID  string `json:"problem_id"`
	Title      string `json:"title"`
	Difficulty int    `json:"difficulty"`
	SolvedAt   string `json:"solved_at"`
}

// Profile is GET /api/v1/users/{name}: never practice, which is the
// player's own.
type Profile struct {
	User          ProfileUser         `json:"user"`
	RatingHistory List[RatingPoint]   `json:"rating_history"` // oldest first, at most 200
	RecentMatches List[ProfileMatch]  `json:"recent_matches"` // newest first, at most 20
	Solved        List[SolvedProblem] `json:"solved"`
}

// RecordProblem names a match's problem.
type RecordProblem struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	Difficulty int    `json:"difficulty"`
}

// RecordPlayer is a player of a match record.
type RecordPlayer struct {
	UserID   int64   `json:"user_id"`
	Username string  `json:"username"`
	Rating   float64 `json:"rating"` // before the match
	Result   string  `json:"result"` // "win", "loss", "draw", or "" (not over, practice)
	Place    int     `json:"place"`
}

// RecordMatch is the head of a match record.
type RecordMatch struct {
	MatchID    string             `json:"match_id"`
	Mode       Mode               `json:"mode"`
	Rule       Rule               `json:"rule"`
	State      string             `json:"state"` // found, countdown, running, judging, finished, cancelled
	Outcome    string             `json:"outcome"`
	Reason     string             `json:"reason"`
	WinnerID   *int64             `json:"winner_id"`
	Problem    RecordProblem      `json:"problem"`
	StartsAt   *string            `json:"starts_at"`
	Deadline   *string            `json:"deadline"`
	FinishedAt *string            `json:"finished_at"`
	Players    List[RecordPlayer] `json:"players"`
}

// TimelineEvent is one event of a match: a submission and its verdict,
// or the end.
type TimelineEvent struct {
	At      string  `json:"at"`
	UserID  *int64  `json:"user_id"`
	Event   string  `json:"event"` // "submit" or "finished"
	Verdict Verdict `json:"verdict,omitempty"`
	Passed  *int    `json:"passed,omitempty"`
	Total   *int    `json:"total,omitempty"`
	Detail  string  `json:"detail,omitempty"`
}

// RecordSubmission is a submission of a match record: code only once the
// match is over (before, a player sees their own only).
type RecordSubmission struct {
	SubmissionID string  `json:"submission_id"`
	UserID       int64   `json:"user_id"`
	Lang         string  `json:"lang" ts:"Lang"`
	Verdict      Verdict `json:"verdict"`
	Passed       int     `json:"passed"`
	Total        int     `json:"total"`
	ReceivedAt   string  `json:"received_at"`
	Code         string  `json:"code,omitempty"`
}

// MatchRecord is GET /api/v1/matches/{id}.
type MatchRecord struct {
	Match       RecordMatch            `json:"match"`
	Timeline    List[TimelineEvent]    `json:"timeline"`
	Ratings     List[RatingChange]     `json:"ratings"`
	XP          List[XPChange]         `json:"xp"`
	Submissions List[RecordSubmission] `json:"submissions"`
	Coach       List[CoachNote]        `json:"coach"` // once finished
}

// RunningMatch is a public match being played, for the spectate list.
type RunningMatch struct {
	MatchID      string       `json:"match_id"`
	Mode         Mode         `json:"mode"`
	ProblemTitle string       `json:"problem_title"`
	Players      List[string] `json:"players"`
	StartsAt     *string      `json:"starts_at"`
	Deadline     *string      `json:"deadline"`
}

// RunningMatches is GET /api/v1/matches?state=running.
type RunningMatches struct {
	Matches List[RunningMatch] `json:"matches"`
}

// ProblemListItem is a problem in the list.
type ProblemListItem struct {
	ID          string       `json:"id"`
	Version     int          `json:"version"`
	Name        string       `json:"name"`
	Difficulty  int          `json:"difficulty,omitempty"`
	Tags        List[string] `json:"tags"`
	TimeLimitMS int64        `json:"time_limit_ms,omitempty"`
	MemoryMiB   int64        `json:"memory_mib"`
	Interactive bool         `json:"interactive"`
	Scoring     bool         `json:"scoring"`
}

// ProblemList is GET /api/v1/problems.
type ProblemList struct {
	Problems List[ProblemListItem] `json:"problems"`
	Total    int                   `json:"total"`
	Offset   int                   `json:"offset"`
	Limit    int                   `json:"limit"`
}

// TranscriptLine is one line of an interactive sample's exchange.
type TranscriptLine struct {
	FromSubmission bool   `json:"from_submission"`
	Text           string `json:"text"`
}

// PageSample is a sample test on a problem's page.
type PageSample struct {
	Name       string           `json:"name"`
	Input      string           `json:"input"`
	Output     string           `json:"output"`
	Transcript []TranscriptLine `json:"transcript,omitempty"` // interactive: shown instead of Input/Output
}

// PageAsset is a statement image.
type PageAsset struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// PageLanguage is a language a submission may use.
type PageLanguage struct {
	ID   string `json:"id" ts:"Lang"`
	Name string `json:"name"`
}

// ProblemPage is GET /api/v1/problems/{id}: the statement page. The
// intended complexity is left out on purpose (it gives the solution away).
type ProblemPage struct {
	ID            string             `json:"id"`
	Version       int                `json:"version"`
	LatestVersion int                `json:"latest_version"`
	Name          string             `json:"name"`
	Names         map[string]string  `json:"names"`
	Lang          string             `json:"lang"`       // language of Statement
	Statement     string             `json:"statement"`  // Markdown, math for KaTeX, image URLs absolute
	Statements    List[string]       `json:"statements"` // languages available
	Samples       List[PageSample]   `json:"samples"`
	TimeLimitMS   int64              `json:"time_limit_ms,omitempty"` // 0 = not known yet
	MemoryMiB     int64              `json:"memory_mib"`
	Interactive   bool               `json:"interactive"`
	Scoring       bool               `json:"scoring"`
	Difficulty    int                `json:"difficulty,omitempty"`
	Tags          List[string]       `json:"tags"`
	Authors       []string           `json:"authors,omitempty"`
	Source        string             `json:"source,omitempty"`
	License       string             `json:"license,omitempty"`
	Assets        List[PageAsset]    `json:"assets"`
	Languages     List[PageLanguage] `json:"languages"`
}

// ProblemUpload reports a stored upload (POST /api/v1/admin/problems).
type ProblemUpload struct {
	ID          string       `json:"id"`
	Version     int          `json:"version"`
	SHA256      string       `json:"sha256"`
	Created     bool         `json:"created"` // false: the same content was already the newest version
	TimeLimitMS int64        `json:"time_limit_ms,omitempty"`
	Verified    bool         `json:"verified"`
	Warnings    List[string] `json:"warnings"`
}

// SetEnabled is the body of PUT /api/v1/admin/problems/{id}/enabled.
type SetEnabled struct {
	Enabled *bool `json:"enabled"` // required
}

// ProblemEnabled is its answer.
type ProblemEnabled struct {
	ID      string `json:"id"`
	Enabled bool   `json:"enabled"`
}

// SubmissionRequest is POST /api/v1/submissions (practice).
type SubmissionRequest struct {
	Problem string `json:"problem"`
	Lang    string `json:"lang" ts:"Lang"`
	Code    string `json:"code"`
}

// RunRequest is POST /api/v1/runs: the samples, or Input instead.
type RunRequest struct {
	Problem string  `json:"problem"`
	Lang    string  `json:"lang" ts:"Lang"`
	Code    string  `json:"code"`
	Input   *string `json:"input"`
}

// SubmissionProgressView is the live phase of a submission being judged.
type SubmissionProgressView struct {
	Phase string `json:"phase"` // queued, compiling, testing
	Test  int    `json:"test,omitempty"`
	Total int    `json:"total,omitempty"`
}

// SubmissionVerdict is a submission's final result.
type SubmissionVerdict struct {
	Verdict         Verdict `json:"verdict"`
	Message         string  `json:"message,omitempty"`
	Passed          int     `json:"passed"`
	Total           int     `json:"total"`
	FailedTest      int     `json:"failed_test,omitempty"`
	MaxTimeMS       float64 `json:"max_time_ms"`
	MaxMemoryKB     int64   `json:"max_memory_kb"`
	LanguageVersion string  `json:"language_version,omitempty"`
	FinishedAt      string  `json:"finished_at"`
}

// Submission is a submission as its owner sees it.
type Submission struct {
	ID             string                  `json:"id"`
	Problem        string                  `json:"problem"`
	ProblemVersion int                     `json:"problem_version"`
	Lang           string                  `json:"lang" ts:"Lang"`
	Priority       string                  `json:"priority"`
	Match          string                  `json:"match,omitempty"`
	Status         string                  `json:"status"` // queued, judging, done
	Attempts       int                     `json:"attempts"`
	CreatedAt      string                  `json:"created_at"`
	Progress       *SubmissionProgressView `json:"progress,omitempty"`
	Result         *SubmissionVerdict      `json:"result,omitempty"`
	// Tests are the per-test results (GET of one submission only).
	Tests json.RawMessage `json:"tests,omitempty"`
}

// Submissions is GET /api/v1/submissions.
type Submissions struct {
	Submissions List[Submission] `json:"submissions"`
}

// CoachView is GET /api/v1/submissions/{id}/coach.
type CoachView struct {
	Status string          `json:"status"` // "pending", "done" or "failed"
	Report json.RawMessage `json:"report,omitempty" ts:"CoachReport"`
	Error  string          `json:"error,omitempty"`
}

// QueueDepth is one judge queue's depth.
type QueueDepth struct {
	Pending  uint64 `json:"pending"`   // waiting for a worker
	InFlight int    `json:"in_flight"` // delivered, not yet acknowledged
}

// JudgeWorker is a judge worker's last heartbeat.
type JudgeWorker struct {
	ID        string       `json:"id"`
	Host      string       `json:"host"`
	Runtime   string       `json:"runtime"`
	Languages List[string] `json:"languages"`
	Slots     int          `json:"slots"`
	Busy      int          `json:"busy"`
	Healthy   bool         `json:"healthy"`
	Error     string       `json:"error,omitempty"` // why it is unhealthy
	Started   string       `json:"started"`
	At        string       `json:"at"`
}

// JudgeStatus is GET /api/v1/judge/status: queue depth per priority and
// the workers taking jobs.
type JudgeStatus struct {
	Queues         map[string]QueueDepth `json:"queues"`
	Workers        List[JudgeWorker]     `json:"workers"`
	HealthyWorkers int                   `json:"healthy_workers"`
	Slots          int                   `json:"slots"`
	Waiting        int                   `json:"waiting"`
}

// Languages is GET /api/v1/languages: the languages players are offered
// (those every live judge worker has), in the language table's order.
type Languages struct {
	Languages List[Language] `json:"languages"`
}

// Language is one language of the judge's table, with what the editor
// needs.
type Language struct {
	ID         string       `json:"id" ts:"Lang"`
	Name       string       `json:"name"`
	Aliases    List[string] `json:"aliases"`
	Version    string       `json:"version"` // as the workers report it; "" while none is up
	Extensions List[string] `json:"extensions"`
	Monaco     string       `json:"monaco"`   // the editor's syntax mode (plaintext where Monaco has none)
	Template   string       `json:"template"` // starter code
	Notes      string       `json:"notes"`    // memory and time notes
	Coach      string       `json:"coach"`    // static: the coach reads the code and measures it; measured: it only measures
}

// Health is GET /healthz: the process serves.
type Health struct {
	Status string `json:"status"` // "ok"
}

// ReadyResult is one readiness check.
type ReadyResult struct {
	OK         bool    `json:"ok"`
	Error      string  `json:"error,omitempty"`
	DurationMS float64 `json:"duration_ms"`
	Detail     any     `json:"detail,omitempty"` // e.g. the judge queue's depth and workers
}

// Readiness is GET /readyz: 200 when every dependency answers, else 503.
type Readiness struct {
	Status string                 `json:"status"` // "ok" or "unavailable"
	Checks map[string]ReadyResult `json:"checks"`
}
