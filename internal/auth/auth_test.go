package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/segfaultarena/segfault/internal/auth/authtest"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/store"
	"github.com/segfaultarena/segfault/internal/store/sqlite"
)

type env struct {
	svc   *Service
	st    *sqlite.Store
	clock *authtest.Clock
}

func newEnv(t *testing.T, mod func(*Options)) env {
	t.Helper()
	st := authtest.NewStore(t)
	clk := authtest.NewClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
	opts := Options{
		Password:        cheapParams,
		SessionIdle:     time.Hour,
		SessionAbsolute: 24 * time.Hour,
		TouchEvery:      time.Minute,
		IPRate:          RateLimit{Burst: -1},
		UserRate:        RateLimit{Burst: -1},
		Now:             clk.Now,
	}
	if mod != nil {
		mod(&opts)
	}
	svc, err := New(st, opts)
	if err != nil {
		t.Fatal(err)
	}
	return env{svc: svc, st: st, clock: clk}
}

var alice = Client{IP: "192.0.2.1", UserAgent: "test"}

func TestRegisterAndLogin(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	u, tok, err := e.svc.Register(ctx, "Alice", "password-123", Proof{}, alice, "")
	if err != nil {
		t.Fatal(err)
	}
	if u.Username != "alice" || len(tok) != 43 {
		t.Fatalf("register: username %q token len %d", u.Username, len(tok))
	}
	if strings.Contains(u.PasswordHash, "password-123") || !strings.HasPrefix(u.PasswordHash, "$argon2id$") {
		t.Fatalf("stored hash %q", u.PasswordHash)
	}
	// The token itself is not stored, only its hash.
	if _, err := e.st.SessionByTokenHash(ctx, []byte(tok)); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("raw token found as a session key: %v", err)
	}
	got, _, err := e.svc.Authenticate(ctx, tok)
	if err != nil || got.ID != u.ID {
		t.Fatalf("Authenticate: %v %v", got, err)
	}
	if _, _, err := e.svc.Register(ctx, "ALICE", "password-456", Proof{}, alice, ""); !errors.Is(err, ErrUsernameTaken) {
		t.Fatalf("duplicate register (other case): %v", err)
	}
	if _, _, err := e.svc.Login(ctx, "ALICE", "password-123", alice, ""); err != nil {
		t.Fatalf("login with other case: %v", err)
	}
	for _, tc := range []struct{ user, pw string }{
		{"alice", "wrong-password"},
		{"nobody", "password-123"},
		{"x", "password-123"},               // cannot exist
		{"alice", strings.Repeat("p", 300)}, // over the limit
	} {
		if _, _, err := e.svc.Login(ctx, tc.user, tc.pw, alice, ""); !errors.Is(err, ErrBadCredentials) {
			t.Errorf("Login(%q, len %d) = %v; want bad_credentials", tc.user, len(tc.pw), err)
		}
	}
	if n := authtest.Count(t, e.st, "users"); n != 1 {
		t.Fatalf("users = %d; want 1", n)
	}
}

func TestSessionRotationAndLogout(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	_, tok1, _ := e.svc.Register(ctx, "bob", "password-123", Proof{}, alice, "")
	_, tok2, err := e.svc.Login(ctx, "bob", "password-123", alice, tok1)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.Authenticate(ctx, tok1); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("old session still valid after sign-in rotation: %v", err)
	}
	if n := authtest.Count(t, e.st, "sessions"); n != 1 {
		t.Fatalf("sessions = %d; want 1 after rotation", n)
	}
	if err := e.svc.Logout(ctx, tok2); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.Authenticate(ctx, tok2); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("session valid after logout: %v", err)
	}
	if err := e.svc.Logout(ctx, tok2); err != nil {
		t.Fatalf("second logout: %v", err)
	}
	if n := authtest.Count(t, e.st, "sessions"); n != 0 {
		t.Fatalf("sessions = %d after logout", n)
	}
}

func TestSessionIdleAndAbsoluteExpiry(t *testing.T) {
	e := newEnv(t, nil) // idle 1h, absolute 24h, touch every 1m
	ctx := context.Background()
	_, tok, _ := e.svc.Register(ctx, "carol", "password-123", Proof{}, alice, "")

	// Used every 50 minutes, the session outlives many idle periods...
	for range 10 {
		e.clock.Advance(50 * time.Minute)
		if _, _, err := e.svc.Authenticate(ctx, tok); err != nil {
			t.Fatalf("active session expired early at %v: %v", e.clock.Now(), err)
		}
	}
	// ...but not the absolute limit (24h after sign-in).
	for i := 0; ; i++ {
		e.clock.Advance(50 * time.Minute)
		_, _, err := e.svc.Authenticate(ctx, tok)
		if err != nil {
			if !errors.Is(err, ErrUnauthenticated) {
				t.Fatal(err)
			}
			break
		}
		if i > 30 {
			t.Fatal("session outlived its absolute expiry")
		}
	}
	if n := authtest.Count(t, e.st, "sessions"); n != 0 {
		t.Fatalf("expired session not deleted: %d rows", n)
	}

	// Idle: unused for over an hour.
	_, tok, _ = e.svc.Login(ctx, "carol", "password-123", alice, "")
	e.clock.Advance(59 * time.Minute)
	if _, _, err := e.svc.Authenticate(ctx, tok); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(61 * time.Minute)
	if _, _, err := e.svc.Authenticate(ctx, tok); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("idle session still valid: %v", err)
	}
}

func TestSessionTouchIsThrottled(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	_, tok, _ := e.svc.Register(ctx, "dave", "password-123", Proof{}, alice, "")
	before, _ := e.st.SessionByTokenHash(ctx, HashToken(tok))
	e.clock.Advance(30 * time.Second)
	e.svc.Authenticate(ctx, tok)
	mid, _ := e.st.SessionByTokenHash(ctx, HashToken(tok))
	if !mid.LastSeenAt.Equal(before.LastSeenAt) {
		t.Fatal("session written back within the touch interval")
	}
	e.clock.Advance(31 * time.Second)
	e.svc.Authenticate(ctx, tok)
	after, _ := e.st.SessionByTokenHash(ctx, HashToken(tok))
	if !after.LastSeenAt.Equal(e.clock.Now()) || !after.IdleExpiresAt.Equal(e.clock.Now().Add(time.Hour)) {
		t.Fatalf("session not touched after the interval: %+v", after)
	}
}

func TestDisabledUser(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	u, tok, _ := e.svc.Register(ctx, "erin", "password-123", Proof{}, alice, "")
	if err := e.st.SetUserDisabled(ctx, u.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.Authenticate(ctx, tok); !errors.Is(err, ErrAccountDisabled) {
		t.Fatalf("disabled user's session: %v", err)
	}
	if _, _, err := e.svc.Login(ctx, "erin", "password-123", alice, ""); !errors.Is(err, ErrAccountDisabled) {
		t.Fatalf("disabled user's login: %v", err)
	}
	// Without the password, a disabled account looks like any other failure.
	if _, _, err := e.svc.Login(ctx, "erin", "wrong-password", alice, ""); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("disabled user, wrong password: %v", err)
	}
	if n := authtest.Count(t, e.st, "sessions"); n != 1 {
		t.Fatalf("sessions = %d; refused logins must not create sessions", n)
	}
}

// TestBadCredentialsCostTheSame: every failed sign-in (unknown user,
// wrong password, a name or password that cannot exist, an OAuth-only or
// disabled account) runs argon2id exactly once with the current
// parameters, which alone decide its cost, so the time of a refusal does
// not tell which names exist. Counted, not timed: a timing comparison
// flips on a loaded machine (BenchmarkLoginBadCredentials in httpapi
// reports the times).
func TestBadCredentialsCostTheSame(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	type call struct {
		time, memory  uint32
		threads       uint8
		keyLen, saltN uint32
	}
	var calls []call
	e.svc.hasher.kdf = func(pw, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
		calls = append(calls, call{time, memory, threads, keyLen, uint32(len(salt))})
		return argon2.IDKey(pw, salt, time, memory, threads, keyLen)
	}
	if _, _, err := e.svc.Register(ctx, "erin", "password-123", Proof{}, alice, ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.Register(ctx, "frank", "password-123", Proof{}, alice, ""); err != nil {
		t.Fatal(err)
	}
	frank, _ := e.st.UserByUsername(ctx, "frank")
	if err := e.st.SetUserDisabled(ctx, frank.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.CreateUser(ctx, store.NewUser{Username: "octocat"}); err != nil { // OAuth only: no hash
		t.Fatal(err)
	}
	p := cheapParams
	want := call{p.Time, p.MemoryKiB, p.Threads, p.KeyLen, p.SaltLen}
	for _, tc := range []struct{ name, user, password string }{
		{"wrong password", "erin", "wrong-password"},
		{"unknown user", "nobody_here", "wrong-password"},
		{"invalid username", "no such name!", "wrong-password"},
		{"password over the limit", "erin", strings.Repeat("x", MaxPasswordLen+1)},
		{"OAuth-only account", "octocat", "wrong-password"},
		{"disabled account", "frank", "wrong-password"},
	} {
		calls = nil
		if _, _, err := e.svc.Login(ctx, tc.user, tc.password, alice, ""); !errors.Is(err, ErrBadCredentials) {
			t.Errorf("%s: %v, want bad credentials", tc.name, err)
		}
		if len(calls) != 1 || calls[0] != want {
			t.Errorf("%s: argon2id runs %+v, want exactly one with the current parameters %+v", tc.name, calls, want)
		}
	}
}

func TestLoginRateLimits(t *testing.T) {
	e := newEnv(t, func(o *Options) {
		o.UserRate = RateLimit{Burst: 2, Every: 30 * time.Second}
		o.IPRate = RateLimit{Burst: 5, Every: 10 * time.Second}
	})
	ctx := context.Background()
	e.svc.Register(ctx, "frank", "password-123", Proof{}, Client{IP: "198.51.100.9"}, "")
	// Per username: two tries from different addresses, the third is refused.
	for i, ip := range []string{"192.0.2.10", "192.0.2.11"} {
		if _, _, err := e.svc.Login(ctx, "frank", "wrong-password", Client{IP: ip}, ""); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	_, _, err := e.svc.Login(ctx, "FRANK", "password-123", Client{IP: "192.0.2.12"}, "")
	var ae *errcode.Error
	if !errors.As(err, &ae) || ae.Code != "rate_limited" || ae.RetryAfter <= 0 || ae.RetryAfter > 30*time.Second {
		t.Fatalf("3rd attempt on one username: %v", err)
	}
	e.clock.Advance(30 * time.Second)
	if _, _, err := e.svc.Login(ctx, "frank", "password-123", Client{IP: "192.0.2.12"}, ""); err != nil {
		t.Fatalf("after refill: %v", err)
	}
	// Per IP: many usernames from one address.
	var limited bool
	for i := range 10 {
		_, _, err := e.svc.Login(ctx, "user"+string(rune('a'+i)), "password-123", Client{IP: "203.0.113.7"}, "")
		if errors.Is(err, ErrRateLimited) {
			limited = true
			if i != 5 {
				t.Fatalf("IP limited after %d attempts; want 5", i)
			}
			break
		}
	}
	if !limited {
		t.Fatal("per-IP limit never triggered")
	}
}

func TestRehashOnLogin(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	u, _, _ := e.svc.Register(ctx, "gina", "password-123", Proof{}, alice, "")
	stronger := cheapParams
	stronger.Time = 2
	svc2, err := New(e.st, Options{Password: stronger, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc2.Login(ctx, "gina", "password-123", alice, ""); err != nil {
		t.Fatal(err)
	}
	u2, _ := e.st.UserByID(ctx, u.ID)
	if !strings.Contains(u2.PasswordHash, ",t=2,") {
		t.Fatalf("hash not upgraded: %s", u2.PasswordHash)
	}
	if _, _, err := svc2.Login(ctx, "gina", "password-123", alice, ""); err != nil {
		t.Fatalf("login after upgrade: %v", err)
	}
}

func TestNewRejectsBadProviderConfig(t *testing.T) {
	st := authtest.NewStore(t)
	for name, p := range map[string][]ProviderConfig{
		"bad name":         {{Name: "Git Hub", ClientID: "x", ClientSecret: "y"}},
		"no client id":     {{Name: "github", ClientSecret: "y"}},
		"github no secret": {{Name: "github", ClientID: "x"}},
		"oidc no issuer":   {{Name: "corp", ClientID: "x"}},
		"unknown kind":     {{Name: "corp", Kind: "saml", ClientID: "x"}},
		"duplicate":        {{Name: "github", ClientID: "x", ClientSecret: "y"}, {Name: "github", ClientID: "x", ClientSecret: "y"}},
	} {
		if _, err := New(st, Options{Password: cheapParams, PublicURL: "http://127.0.0.1:8080", Providers: p}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := New(st, Options{Password: cheapParams, PublicURL: "not a url", Providers: []ProviderConfig{{Name: "github", ClientID: "x", ClientSecret: "y"}}}); err == nil {
		t.Error("bad public URL accepted")
	}
	svc, err := New(st, Options{Password: cheapParams, PublicURL: "http://127.0.0.1:8080", Providers: []ProviderConfig{
		{Name: "github", ClientID: "x", ClientSecret: "y"},
		{Name: "google", ClientID: "x", ClientSecret: "y"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	got := svc.Providers()
	if len(got) != 2 || got[0] != (ProviderInfo{"github", "GitHub"}) || got[1] != (ProviderInfo{"google", "Google"}) {
		t.Fatalf("Providers() = %+v", got)
	}
	if p := svc.providers["google"]; p.cfg.IssuerURL != "https://accounts.google.com" || p.cfg.Kind != KindOIDC {
		t.Fatalf("google defaults: %+v", p.cfg)
	}
}

func TestRunJanitorDeletesExpiredSessions(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	e.svc.Register(ctx, "old_one", "password-123", Proof{}, alice, "")
	e.clock.Advance(2 * time.Hour) // past the 1 h idle expiry
	e.svc.Register(ctx, "new_one", "password-123", Proof{}, alice, "")
	jctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { e.svc.RunJanitor(jctx, time.Hour); close(done) }()
	deadline := time.Now().Add(30 * time.Second) // it runs at once; only a hang waits this long
	for authtest.Count(t, e.st, "sessions") != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("janitor left %d sessions; want 1", authtest.Count(t, e.st, "sessions"))
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
}

func TestAdminHelpers(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	u, err := e.svc.CreateUser(ctx, "Root_Admin", "admin-password", store.RoleAdmin)
	if err != nil || u.Username != "root_admin" || u.Role != store.RoleAdmin {
		t.Fatalf("CreateUser: %+v %v", u, err)
	}
	if _, err := e.svc.CreateUser(ctx, "root_ADMIN", "admin-password", store.RolePlayer); !errors.Is(err, ErrUsernameTaken) {
		t.Fatalf("duplicate CreateUser: %v", err)
	}
	if _, err := e.svc.CreateUser(ctx, "ok_name", "short", store.RolePlayer); !errors.Is(err, ErrInvalidPassword) {
		t.Fatalf("short password: %v", err)
	}
	_, tok, err := e.svc.Login(ctx, "root_admin", "admin-password", alice, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetPassword(ctx, u.ID, "new-admin-password"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.Authenticate(ctx, tok); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("session survived a password change: %v", err)
	}
	if _, _, err := e.svc.Login(ctx, "root_admin", "admin-password", alice, ""); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("old password still works: %v", err)
	}
	_, tok, err = e.svc.Login(ctx, "root_admin", "new-admin-password", alice, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetDisabled(ctx, u.ID, true); err != nil {
		t.Fatal(err)
	}
	if n := authtest.Count(t, e.st, "sessions"); n != 0 {
		t.Fatalf("disabling left %d sessions", n)
	}
	if err := e.svc.SetDisabled(ctx, u.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.Login(ctx, "root_admin", "new-admin-password", alice, ""); err != nil {
		t.Fatalf("re-enabled user cannot sign in: %v", err)
	}
}

func TestCleanText(t *testing.T) {
	for in, want := range map[string]string{
		"Ada Lovelace":          "Ada Lovelace",
		"  padded  ":            "padded",
		"nul\x00byte":           "nulbyte",
		"bad\xffutf8":           "bad\uFFFDutf8",
		"line\nbreak\ttab":      "linebreaktab",
		"Zoë 🚀":                 "Zoë 🚀",
		strings.Repeat("é", 70): strings.Repeat("é", 64),
	} {
		if got := cleanText(in, 64); got != want {
			t.Errorf("cleanText(%q) = %q; want %q", in, got, want)
		}
	}
}
