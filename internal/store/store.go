// Package store defines the persistence contract of SegFault Arena.
//
// Only the store packages touch SQL. Backends live in store/sqlite and
// store/postgres; store/open picks one from a DSN; store/storetest is the one
// conformance suite both backends must pass.
package store

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned when a lookup matches no row.
var ErrNotFound = errors.New("store: not found")

// ErrFenced is returned when a match write carries a fencing token lower
// than one the store already accepted for that match: the writer lost the
// match to another node (see Arena).
var ErrFenced = errors.New("store: fenced: a newer owner holds this match")

// ErrPlayerBusy is returned by CreateMatch when one of the players is
// already in an active match (not finished or cancelled): a player is
// never in two matches at once, whatever order match creations arrive in.
var ErrPlayerBusy = errors.New("store: a player is in another active match")

// ErrConflict is returned on a unique violation: username taken, identity
// linked to another user, duplicate session or state.
var ErrConflict = errors.New("store: conflict")

// Role is a user's authorization level.
type Role string

const (
	RolePlayer Role = "player"
	RoleAdmin  Role = "admin"
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool { return r == RolePlayer || r == RoleAdmin }

// User is an account. Username is stored as given (auth normalises it to
// lower case) and is unique case-insensitively.
type User struct {
	ID           int64
	Username     string
	PasswordHash string // "" for OAuth-only users
	Role         Role
	Disabled     bool
	DisplayName  string
	AvatarURL    string
	CreatedAt    time.Time
}

// NewUser holds the fields a caller supplies when creating a user.
// An empty Role means RolePlayer.
type NewUser struct {
	Username, PasswordHash, DisplayName, AvatarURL string
	Role                                           Role
}

// Profile rows are created BY THE DATABASE (trigger on users insert), never
// by Go code.
type Profile struct {
	UserID      int64
	DisplayName string
	AvatarURL   string
	Rating      float64 // 1500
	RD          float64 // 350
	Volatility  float64 // 0.06
	XP          int64   // 0
	Level       int     // 1
}

// Identity links an external provider account to a user.
type Identity struct {
	Provider  string // "github", "google", "oidc"
	Subject   string // provider's stable user id
	UserID    int64
	Email     string
	CreatedAt time.Time
}

// Session is a server-side session row.
type Session struct {
	TokenHash     []byte // sha256 of the opaque token; the token itself is never stored
	UserID        int64
	CreatedAt     time.Time
	LastSeenAt    time.Time
	IdleExpiresAt time.Time
	ExpiresAt     time.Time // absolute
	UserAgent     string
	IP            string
}

// OAuthState is one pending authorization request; single use.
type OAuthState struct {
	StateHash    []byte // sha256 of the state value sent to the provider
	Provider     string
	PKCEVerifier string
	Nonce        string
	LinkUserID   int64 // non-zero when a signed-in user is linking a provider
	RedirectTo   string
	ExpiresAt    time.Time
}

// Store is the persistence interface every backend implements.
type Store interface {
	Ping(ctx context.Context) error
	Close() error
	// Migrate applies embedded migrations; safe from two processes at once.
	Migrate(ctx context.Context) error

	CreateUser(ctx context.Context, u NewUser) (User, error)                          // ErrConflict if taken
	CreateUserWithIdentity(ctx context.Context, u NewUser, id Identity) (User, error) // atomic; ErrConflict
	UserByID(ctx context.Context, id int64) (User, error)                             // ErrNotFound
	UserByUsername(ctx context.Context, username string) (User, error)                // case-insensitive; ErrNotFound
	UserByIdentity(ctx context.Context, provider, subject string) (User, error)       // ErrNotFound
	SetUserRole(ctx context.Context, id int64, role Role) error                       // ErrNotFound
	SetUserDisabled(ctx context.Context, id int64, disabled bool) error               // ErrNotFound
	SetPasswordHash(ctx context.Context, id int64, hash string) error                 // ErrNotFound
	Profile(ctx context.Context, userID int64) (Profile, error)                       // ErrNotFound
	LinkIdentity(ctx context.Context, id Identity) error                              // ErrConflict if (provider,subject) belongs to another user
	Identities(ctx context.Context, userID int64) ([]Identity, error)

	CreateSession(ctx context.Context, s Session) error
	SessionByTokenHash(ctx context.Context, hash []byte) (Session, error) // ErrNotFound
	TouchSession(ctx context.Context, hash []byte, lastSeen, idleExpires time.Time) error
	DeleteSession(ctx context.Context, hash []byte) error
	DeleteUserSessions(ctx context.Context, userID int64) error
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error)

	SaveOAuthState(ctx context.Context, st OAuthState) error
	TakeOAuthState(ctx context.Context, stateHash []byte, now time.Time) (OAuthState, error) // deletes it; ErrNotFound if absent/expired/used
	DeleteExpiredOAuthStates(ctx context.Context, now time.Time) (int64, error)

	Submissions
	Arena
	CoachReports
	Timelines
	Reviews
	Tournaments
}

// ErrLimit is returned when a write would exceed a limit the caller asked
// the store to enforce atomically (a user's in-flight submissions).
var ErrLimit = errors.New("store: limit reached")

// SubmissionStatus is where a submission is in the judge pipeline.
type SubmissionStatus string

const (
	SubmissionQueued  SubmissionStatus = "queued"  // stored and published, no worker has it yet
	SubmissionRunning SubmissionStatus = "running" // a worker started an attempt
	SubmissionDone    SubmissionStatus = "done"    // the result is stored; final
)

// NewSubmission is what the API stores before publishing a judge job.
type NewSubmission struct {
	ID             string // random, globally unique; also the JetStream message id
	UserID         int64
	ProblemID      string
	ProblemVersion int
	ProblemSHA256  string // content hash of the package version the job runs against
	Lang           string
	Source         []byte
	Priority       string // "ranked", "practice" or "analysis"
	MatchID        string // "" outside a match
	CreatedAt      time.Time
}

// Submission is a stored submission with its result once done.
type Submission struct {
	NewSubmission
	Status    SubmissionStatus
	Attempts  int    // judge attempts started (deliveries that reached a worker)
	Worker    string // the worker of the latest attempt
	UpdatedAt time.Time
	Result    *SubmissionResult // nil until Status is done
}

// SubmissionResult is the one result of a submission. The store keeps at
// most one per submission: a redelivered job that finishes again gets the
// first result back, so side effects keyed on it happen once.
type SubmissionResult struct {
	SubmissionID    string
	Verdict         string
	Message         string
	Passed, Total   int
	FailedTest      int
	MaxCPUTime      time.Duration // microsecond precision
	MaxMemoryBytes  int64
	CompileTime     time.Duration // microsecond precision
	LanguageVersion string
	Details         []byte // JSON of the per-test results (shown by the API)
	Worker          string
	FinishedAt      time.Time
}

// Submissions is the persistence of the judge pipeline. Every method is
// safe against concurrent API nodes and workers.
type Submissions interface {
	// CreateSubmission stores s as queued. maxInFlight > 0 makes the insert
	// fail with ErrLimit when the user already has that many submissions
	// not done, checked atomically with the insert. ErrConflict if the id
	// exists.
	CreateSubmission(ctx context.Context, s NewSubmission, maxInFlight int) (Submission, error)
	Submission(ctx context.Context, id string) (Submission, error) // ErrNotFound
	// UserSubmissions lists a user's latest submissions, newest first.
	UserSubmissions(ctx context.Context, userID int64, limit int) ([]Submission, error)
	// ProblemSubmissions lists a problem's latest submissions, newest
	// first (the fair-play review's similarity check).
	ProblemSubmissions(ctx context.Context, problemID string, limit int) ([]Submission, error)
	// StartSubmissionAttempt counts one more attempt by worker and marks the
	// submission running, unless it is done (then it is returned unchanged).
	StartSubmissionAttempt(ctx context.Context, id, worker string, now time.Time) (Submission, error)
	// FinishSubmission stores r as the result unless one exists; it returns
	// the stored result and whether this call created it.
	FinishSubmission(ctx context.Context, r SubmissionResult) (SubmissionResult, bool, error)
	// StaleSubmissions lists submissions not done whose last change is
	// before olderThan, oldest first (the sweeper's input).
	StaleSubmissions(ctx context.Context, olderThan time.Time, limit int) ([]Submission, error)
	// TouchSubmission moves updated_at to now (after a republish) unless done.
	TouchSubmission(ctx context.Context, id string, now time.Time) error
	// InFlightSubmissions counts a user's submissions not done.
	InFlightSubmissions(ctx context.Context, userID int64) (int, error)
}
