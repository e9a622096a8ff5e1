// Package auth owns identity: local accounts (argon2id), server-side
// sessions, OAuth 2.0 / OpenID Connect sign-in and sign-in rate limiting.
// It knows nothing about HTTP; internal/httpapi maps its errors (which carry
// stable codes) to responses.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/store"
)

// Store is the part of store.Store that auth uses.
type Store interface {
	CreateUser(ctx context.Context, u store.NewUser) (store.User, error)
	CreateUserWithIdentity(ctx context.Context, u store.NewUser, id store.Identity) (store.User, error)
	UserByID(ctx context.Context, id int64) (store.User, error)
	UserByUsername(ctx context.Context, username string) (store.User, error)
	UserByIdentity(ctx context.Context, provider, subject string) (store.User, error)
	SetPasswordHash(ctx context.Context, id int64, hash string) error
	SetUserDisabled(ctx context.Context, id int64, disabled bool) error
	LinkIdentity(ctx context.Context, id store.Identity) error

	CreateSession(ctx context.Context, s store.Session) error
	SessionByTokenHash(ctx context.Context, hash []byte) (store.Session, error)
	TouchSession(ctx context.Context, hash []byte, lastSeen, idleExpires time.Time) error
	DeleteSession(ctx context.Context, hash []byte) error
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error)
	DeleteUserSessions(ctx context.Context, userID int64) error

	SaveOAuthState(ctx context.Context, st store.OAuthState) error
	TakeOAuthState(ctx context.Context, stateHash []byte, now time.Time) (store.OAuthState, error)
}

// Options configure the service. Zero values take the defaults noted.
type Options struct {
	Password PasswordParams // zero → DefaultPasswordParams()

	SessionIdle     time.Duration // expiry after no use; default 7 days
	SessionAbsolute time.Duration // expiry after sign-in regardless of use; default 30 days
	// TouchEvery throttles last-seen writes: a session is written back at
	// most once per interval (default 1 minute), so reads stay reads.
	TouchEvery time.Duration

	// Sign-in attempts (login and register) per client IP and per username.
	// Defaults: 20 per IP then 1 per 3 s; 10 per username then 1 per 6 s.
	// Burst < 0 disables that limiter.
	IPRate   RateLimit
	UserRate RateLimit
	// IPLimiter / UserLimiter replace the in-memory limiters (e.g. with a
	// cluster-wide one); when set, the matching RateLimit is ignored.
	IPLimiter   Limiter
	UserLimiter Limiter
	// RegisterRate bounds the accounts created per client IP (on top of
	// IPRate, which counts every attempt). Default 5 at once, then one per
	// 5 minutes; Burst < 0 disables. RegisterLimiter replaces it.
	RegisterRate    RateLimit
	RegisterLimiter Limiter
	// ProofOfWorkBits is the sign-up challenge's difficulty (pow.go): 0
	// asks for no proof, n asks for 2^n hashes on average.
	ProofOfWorkBits int

	// PublicURL is the externally visible base URL ("https://arena.example");
	// OAuth redirect URLs are derived from it.
	PublicURL string
	Providers []ProviderConfig
	// HTTPClient talks to OAuth providers; default has a 10 s timeout.
	HTTPClient *http.Client

	Now    func() time.Time // default time.Now; tests inject a clock
	Logger *slog.Logger
}

func (o *Options) setDefaults() {
	if o.Password == (PasswordParams{}) {
		o.Password = DefaultPasswordParams()
	}
	if o.SessionIdle == 0 {
		o.SessionIdle = 7 * 24 * time.Hour
	}
	if o.SessionAbsolute == 0 {
		o.SessionAbsolute = 30 * 24 * time.Hour
	}
	if o.TouchEvery == 0 {
		o.TouchEvery = time.Minute
	}
	if o.IPRate == (RateLimit{}) {
		o.IPRate = RateLimit{Burst: 20, Every: 3 * time.Second}
	}
	if o.UserRate == (RateLimit{}) {
		o.UserRate = RateLimit{Burst: 10, Every: 6 * time.Second}
	}
	if o.RegisterRate == (RateLimit{}) {
		o.RegisterRate = RateLimit{Burst: 5, Every: 5 * time.Minute}
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// Service is the identity service.
type Service struct {
	st        Store
	opts      Options
	hasher    *Hasher
	ipLimit   Limiter
	userLimit Limiter
	regLimit  Limiter
	providers map[string]*provider
	order     []string // provider names in configuration order
	ended     atomic.Pointer[func(userID int64)]
}

// OnSessionsEnded sets fn, called after sessions of a user ended on
// purpose: Logout, LogoutAll, SetPassword, SetDisabled(true). The arena
// uses it to close that user's open sockets on every node at once (they
// would otherwise notice at their next periodic check).
func (s *Service) OnSessionsEnded(fn func(userID int64)) { s.ended.Store(&fn) }

func (s *Service) sessionsEnded(userID int64) {
	if fn := s.ended.Load(); fn != nil && userID != 0 {
		(*fn)(userID)
	}
}

// New validates opts and builds the service. Providers are configured here,
// but OIDC discovery happens lazily on first use so that a provider being
// down does not stop the server from starting.
func New(st Store, opts Options) (*Service, error) {
	if st == nil {
		return nil, errors.New("auth: store is required")
	}
	opts.setDefaults()
	if opts.SessionIdle < 0 || opts.SessionAbsolute < 0 || opts.TouchEvery < 0 {
		return nil, errors.New("auth: session durations must be positive")
	}
	if opts.ProofOfWorkBits < 0 || opts.ProofOfWorkBits > MaxPowBits {
		return nil, fmt.Errorf("auth: proof-of-work bits %d outside 0..%d", opts.ProofOfWorkBits, MaxPowBits)
	}
	h, err := NewHasher(opts.Password)
	if err != nil {
		return nil, fmt.Errorf("auth: password parameters: %w", err)
	}
	s := &Service{st: st, opts: opts, hasher: h, ipLimit: opts.IPLimiter, userLimit: opts.UserLimiter, regLimit: opts.RegisterLimiter}
	if s.ipLimit == nil && opts.IPRate.Burst > 0 {
		s.ipLimit = NewMemoryLimiter(opts.IPRate, opts.Now)
	}
	if s.regLimit == nil && opts.RegisterRate.Burst > 0 {
		s.regLimit = NewMemoryLimiter(opts.RegisterRate, opts.Now)
	}
	if s.userLimit == nil && opts.UserRate.Burst > 0 {
		s.userLimit = NewMemoryLimiter(opts.UserRate, opts.Now)
	}
	if err := s.initProviders(); err != nil {
		return nil, err
	}
	return s, nil
}

// Hasher exposes the password hasher (the `user` CLI sets passwords with it).
func (s *Service) Hasher() *Hasher { return s.hasher }

// Client describes who is making a request, for rate limits and the
// session row.
type Client struct {
	IP        string
	UserAgent string
}

// NewSessionToken returns a 256-bit random token (base64url, 43 chars) and
// the sha256 that is stored in its place.
func NewSessionToken() (token string, hash []byte) {
	b := make([]byte, 32)
	rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken is how tokens (sessions, OAuth state) are looked up: only the
// hash is ever stored, so a leaked database does not leak live sessions.
func HashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// Register creates a local account and signs it in. oldToken, if any, is the
// session the client presented; it is revoked (rotation). The name must not
// be reserved, the password not guessable (ValidateNewPassword), proof must
// solve the sign-up challenge (when ProofOfWorkBits > 0), and the client's
// address must not have created too many accounts lately (RegisterRate).
func (s *Service) Register(ctx context.Context, username, password string, proof Proof, c Client, oldToken string) (store.User, string, error) {
	name, err := NormalizeUsername(username)
	if err != nil {
		return store.User{}, "", err
	}
	if Reserved(name) {
		return store.User{}, "", ErrUsernameReserved
	}
	if err := ValidateNewPassword(password, name); err != nil {
		return store.User{}, "", err
	}
	// Registration shares the per-IP bucket with login: both cost a hash.
	if err := s.allow(ctx, s.ipLimit, "ip:"+c.IP); err != nil {
		return store.User{}, "", err
	}
	if err := s.checkProof(name, proof); err != nil {
		return store.User{}, "", err
	}
	if _, err := s.st.UserByUsername(ctx, name); err == nil {
		return store.User{}, "", ErrUsernameTaken
	} else if !errors.Is(err, store.ErrNotFound) {
		return store.User{}, "", fmt.Errorf("look up username: %w", err)
	}
	// Only an account about to be created spends the address's sign-up
	// quota (a taken name does not).
	if err := s.allow(ctx, s.regLimit, "register:"+c.IP); err != nil {
		if e, ok := errcode.As(err); ok && e.Code == errcode.RateLimited {
			l := *ErrRegisterLimited
			l.RetryAfter = e.RetryAfter
			return store.User{}, "", &l
		}
		return store.User{}, "", err
	}
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return store.User{}, "", err
	}
	u, err := s.st.CreateUser(ctx, store.NewUser{Username: name, PasswordHash: hash, DisplayName: name, Role: store.RolePlayer})
	if errors.Is(err, store.ErrConflict) {
		return store.User{}, "", ErrUsernameTaken // lost a race with another registration
	}
	if err != nil {
		return store.User{}, "", fmt.Errorf("create user: %w", err)
	}
	tok, err := s.startSession(ctx, u.ID, c, oldToken)
	if err != nil {
		return store.User{}, "", err
	}
	s.opts.Logger.InfoContext(ctx, "user registered", "user_id", u.ID, "username", u.Username)
	return u, tok, nil
}

// Login checks a username and password and starts a session. Unknown user,
// OAuth-only user and wrong password all cost one argon2 verification and
// return ErrBadCredentials. A disabled account is only reported once the
// password is proven, so it does not reveal which names exist.
func (s *Service) Login(ctx context.Context, username, password string, c Client, oldToken string) (store.User, string, error) {
	if err := s.allow(ctx, s.ipLimit, "ip:"+c.IP); err != nil {
		return store.User{}, "", err
	}
	name, nameErr := NormalizeUsername(username)
	if nameErr == nil {
		if err := s.allow(ctx, s.userLimit, "user:"+name); err != nil {
			return store.User{}, "", err
		}
	}
	if nameErr != nil || len(password) > MaxPasswordLen {
		// Cannot exist; still spend the same time.
		if err := s.hasher.VerifyDummy(ctx, truncate(password, MaxPasswordLen)); err != nil {
			return store.User{}, "", err
		}
		return store.User{}, "", ErrBadCredentials
	}
	u, err := s.st.UserByUsername(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		if err := s.hasher.VerifyDummy(ctx, password); err != nil {
			return store.User{}, "", err
		}
		return store.User{}, "", ErrBadCredentials
	}
	if err != nil {
		return store.User{}, "", fmt.Errorf("look up user: %w", err)
	}
	ok, err := s.hasher.Verify(ctx, password, u.PasswordHash)
	if err != nil {
		return store.User{}, "", err
	}
	if !ok {
		return store.User{}, "", ErrBadCredentials
	}
	if u.Disabled {
		return store.User{}, "", ErrAccountDisabled
	}
	if s.hasher.NeedsRehash(u.PasswordHash) {
		// Parameters were raised since this hash was made; upgrade it now
		// that we know the password. Failure only delays the upgrade.
		if h, err := s.hasher.Hash(ctx, password); err == nil {
			if err := s.st.SetPasswordHash(ctx, u.ID, h); err != nil {
				s.opts.Logger.WarnContext(ctx, "rehash password", "user_id", u.ID, "err", err)
			}
		}
	}
	tok, err := s.startSession(ctx, u.ID, c, oldToken)
	if err != nil {
		return store.User{}, "", err
	}
	return u, tok, nil
}

// cleanText makes client- or provider-supplied text safe to store in any
// backend: valid UTF-8 (PostgreSQL rejects anything else), no NUL or other
// control characters, at most n runes.
func cleanText(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(truncateRunes(s, n))
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func (s *Service) allow(ctx context.Context, l Limiter, key string) error {
	if l == nil {
		return nil
	}
	ok, wait, err := l.Allow(ctx, key)
	if err != nil {
		// A broken shared limiter must not lock everyone out, nor let it
		// pass silently: log and allow.
		s.opts.Logger.ErrorContext(ctx, "rate limiter failed; allowing", "err", err)
		return nil
	}
	if !ok {
		e := *ErrRateLimited
		e.RetryAfter = wait
		return &e
	}
	return nil
}

// startSession creates a new session for userID and revokes oldToken's.
func (s *Service) startSession(ctx context.Context, userID int64, c Client, oldToken string) (string, error) {
	if oldToken != "" {
		if err := s.st.DeleteSession(ctx, HashToken(oldToken)); err != nil && !errors.Is(err, store.ErrNotFound) {
			return "", fmt.Errorf("revoke previous session: %w", err)
		}
	}
	now := s.opts.Now().UTC()
	tok, hash := NewSessionToken()
	sess := store.Session{
		TokenHash:     hash,
		UserID:        userID,
		CreatedAt:     now,
		LastSeenAt:    now,
		IdleExpiresAt: minTime(now.Add(s.opts.SessionIdle), now.Add(s.opts.SessionAbsolute)),
		ExpiresAt:     now.Add(s.opts.SessionAbsolute),
		UserAgent:     cleanText(c.UserAgent, 256),
		IP:            c.IP,
	}
	if err := s.st.CreateSession(ctx, sess); err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	return tok, nil
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// SessionLifetime is how long a new session's cookie should live.
func (s *Service) SessionLifetime() time.Duration { return s.opts.SessionAbsolute }

// Authenticate resolves a session token to its user. Expired sessions are
// deleted; use refreshes the idle expiry (written at most once per
// TouchEvery). A disabled user's session is refused.
func (s *Service) Authenticate(ctx context.Context, token string) (store.User, store.Session, error) {
	if token == "" {
		return store.User{}, store.Session{}, ErrUnauthenticated
	}
	hash := HashToken(token)
	sess, err := s.st.SessionByTokenHash(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, store.Session{}, ErrUnauthenticated
	}
	if err != nil {
		return store.User{}, store.Session{}, fmt.Errorf("look up session: %w", err)
	}
	now := s.opts.Now().UTC()
	if !now.Before(sess.ExpiresAt) || !now.Before(sess.IdleExpiresAt) {
		if err := s.st.DeleteSession(ctx, hash); err != nil && !errors.Is(err, store.ErrNotFound) {
			s.opts.Logger.WarnContext(ctx, "delete expired session", "err", err)
		}
		return store.User{}, store.Session{}, ErrUnauthenticated.WithMessage("session expired; sign in again")
	}
	u, err := s.st.UserByID(ctx, sess.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, store.Session{}, ErrUnauthenticated
	}
	if err != nil {
		return store.User{}, store.Session{}, fmt.Errorf("look up session user: %w", err)
	}
	if u.Disabled {
		return store.User{}, store.Session{}, ErrAccountDisabled
	}
	if now.Sub(sess.LastSeenAt) >= s.opts.TouchEvery {
		idle := minTime(now.Add(s.opts.SessionIdle), sess.ExpiresAt)
		if err := s.st.TouchSession(ctx, hash, now, idle); err != nil {
			// The session is still valid; failing to extend it is not a
			// reason to fail the request.
			s.opts.Logger.WarnContext(ctx, "touch session", "err", err)
		} else {
			sess.LastSeenAt, sess.IdleExpiresAt = now, idle
		}
	}
	return u, sess, nil
}

// Logout revokes the session of token. Unknown tokens are not an error:
// signing out twice is fine.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	hash := HashToken(token)
	sess, err := s.st.SessionByTokenHash(ctx, hash)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("look up session: %w", err)
	}
	if err := s.st.DeleteSession(ctx, hash); err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("delete session: %w", err)
	}
	s.sessionsEnded(sess.UserID)
	return nil
}

// LogoutAll revokes every session of userID ("sign out everywhere").
func (s *Service) LogoutAll(ctx context.Context, userID int64) error {
	if err := s.st.DeleteUserSessions(ctx, userID); err != nil {
		return fmt.Errorf("revoke sessions: %w", err)
	}
	s.sessionsEnded(userID)
	return nil
}

// RunJanitor deletes expired sessions every interval until ctx ends.
// Expired sessions are already refused (and deleted) when presented; this
// only removes the ones nobody comes back with. Run it on one node or all:
// the delete is idempotent.
func (s *Service) RunJanitor(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = time.Hour
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := s.st.DeleteExpiredSessions(ctx, s.opts.Now().UTC()); err != nil {
			if ctx.Err() != nil {
				return
			}
			s.opts.Logger.WarnContext(ctx, "delete expired sessions", "err", err)
		} else if n > 0 {
			s.opts.Logger.InfoContext(ctx, "deleted expired sessions", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// CreateUser makes a local account without signing it in (for the `user`
// CLI and admin tools). Same rules as Register; no rate limit.
func (s *Service) CreateUser(ctx context.Context, username, password string, role store.Role) (store.User, error) {
	name, err := NormalizeUsername(username)
	if err != nil {
		return store.User{}, err
	}
	if err := ValidateNewPassword(password, name); err != nil {
		return store.User{}, err
	}
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return store.User{}, err
	}
	u, err := s.st.CreateUser(ctx, store.NewUser{Username: name, PasswordHash: hash, DisplayName: name, Role: role})
	if errors.Is(err, store.ErrConflict) {
		return store.User{}, ErrUsernameTaken
	}
	if err != nil {
		return store.User{}, fmt.Errorf("create user: %w", err)
	}
	return u, nil
}

// SetPassword replaces a user's password and signs out all their sessions.
func (s *Service) SetPassword(ctx context.Context, userID int64, password string) error {
	u, err := s.st.UserByID(ctx, userID)
	if err != nil {
		return fmt.Errorf("look up user %d: %w", userID, err)
	}
	if err := ValidateNewPassword(password, u.Username); err != nil {
		return err
	}
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return err
	}
	if err := s.st.SetPasswordHash(ctx, userID, hash); err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if err := s.st.DeleteUserSessions(ctx, userID); err != nil {
		return fmt.Errorf("revoke sessions after password change: %w", err)
	}
	s.sessionsEnded(userID)
	return nil
}

// SetDisabled disables or re-enables a user. Disabling also deletes their
// sessions (Authenticate refuses disabled users anyway; this frees the rows
// and makes the effect visible in the sessions table at once).
func (s *Service) SetDisabled(ctx context.Context, userID int64, disabled bool) error {
	if err := s.st.SetUserDisabled(ctx, userID, disabled); err != nil {
		return fmt.Errorf("set disabled: %w", err)
	}
	if disabled {
		if err := s.st.DeleteUserSessions(ctx, userID); err != nil {
			return fmt.Errorf("revoke sessions of disabled user: %w", err)
		}
		s.sessionsEnded(userID)
	}
	return nil
}
