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
}
