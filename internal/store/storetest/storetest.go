// Package storetest is the one conformance suite every store backend must
// pass unchanged. Backends call Run from their own tests.
package storetest

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/store"
)

// Harness is what the suite needs beyond store.Store. Each backend's test
// file wraps its store to provide it, so production code never carries these
// escape hatches.
type Harness interface {
	store.Store
	// RawExec runs SQL directly, bypassing the Store methods. Placeholders
	// are written '?' and the backend adapts them to its dialect.
	RawExec(ctx context.Context, query string, args ...any) error
	// RawInt runs a query that returns one integer (COUNT(*) etc.).
	RawInt(ctx context.Context, query string, args ...any) (int64, error)
	// Twin opens a second store with its own connections on the same
	// database, unmigrated, closed when t ends.
	Twin(t *testing.T) Harness
}

// Run runs the suite. open must return a store on a fresh, empty,
// unmigrated database that is cleaned up when t ends, and the store must
// implement Harness.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	fresh := func(t *testing.T) Harness {
		t.Helper()
		h := harness(t, open(t))
		if err := h.Migrate(ctx(t)); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
		return h
	}
	unmigrated := func(t *testing.T) Harness { return harness(t, open(t)) }

	t.Run("Migrate", func(t *testing.T) {
		t.Run("Idempotent", func(t *testing.T) { t.Parallel(); testMigrateIdempotent(t, unmigrated(t)) })
		t.Run("Concurrent", func(t *testing.T) { t.Parallel(); testMigrateConcurrent(t, unmigrated) })
	})
	cases := []struct {
		name string
		fn   func(t *testing.T, s Harness)
	}{
		{"Ping", testPing},
		{"Users/CreateAndGet", testCreateAndGetUser},
		{"Users/CaseInsensitiveUnique", testUsernameUnique},
		{"Users/RoleDisablePassword", testRoleDisablePassword},
		{"Users/InvalidRole", testInvalidRole},
		{"Users/ConcurrentWriters", testConcurrentWriters},
		{"Profiles/HydratedOnCreate", testProfileHydratedOnCreate},
		{"Profiles/TriggerOnPlainSQLInsert", testProfileTriggerPlainSQL},
		{"Profiles/CascadeOnUserDelete", testCascadeOnUserDelete},
		{"Identities/Link", testLinkIdentity},
		{"Identities/ConcurrentLink", testConcurrentLink},
		{"Identities/CreateUserWithIdentity", testCreateUserWithIdentity},
		{"Identities/CreateUserWithIdentityAtomic", testCreateUserWithIdentityAtomic},
		{"Sessions/CreateGetDelete", testSessions},
		{"Sessions/Touch", testTouchSession},
		{"Sessions/DeleteUserSessions", testDeleteUserSessions},
		{"Sessions/DeleteExpired", testDeleteExpiredSessions},
		{"OAuthState/SingleUse", testOAuthStateSingleUse},
		{"OAuthState/Expired", testOAuthStateExpired},
		{"OAuthState/ConcurrentTake", testOAuthStateConcurrentTake},
		{"ContextCancelled", testContextCancelled},
		{"OAuthState/DeleteExpired", testDeleteExpiredOAuthStates},
		{"Submissions/Lifecycle", testSubmissionLifecycle},
		{"Submissions/ConcurrentFinish", testSubmissionConcurrentFinish},
		{"Submissions/InFlightCap", testSubmissionInFlightCap},
		{"Submissions/Stale", testStaleSubmissions},
		{"Submissions/CascadeOnUserDelete", testSubmissionCascade},
		{"Arena", testArena},
		{"Arena/Fencing", testMatchFencing},
		{"Arena/SaveMatchStates", testSaveMatchStates},
		{"Arena/OneActiveMatchPerPlayer", testOneActiveMatchPerPlayer},
		{"Arena/LiveEditors", testLiveEditors},
		{"Arena/ActiveMatchesPaged", testActiveMatchesPaged},
		{"CoachReports", testCoachReports},
		{"CoachReports/Pending", testPendingCoachReports},
		{"Timelines", testTimelines},
		{"Reviews/DecideAndReverse", testReviewDecisions},
		{"Tournaments", testTournaments},
		{"Submissions/ByProblem", testProblemSubmissions},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.fn(t, fresh(t))
		})
	}
	runProblems(t, fresh)
}

func harness(t *testing.T, s store.Store) Harness {
	t.Helper()
	h, ok := s.(Harness)
	if !ok {
		t.Fatalf("%T does not implement storetest.Harness (RawExec, RawInt, Twin)", s)
	}
	return h
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func hash(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

func mustUser(t *testing.T, s store.Store, name string) store.User {
	t.Helper()
	u, err := s.CreateUser(ctx(t), store.NewUser{Username: name, PasswordHash: "h"})
	if err != nil {
		t.Fatalf("CreateUser(%q): %v", name, err)
	}
	return u
}

func count(t *testing.T, s Harness, query string, args ...any) int64 {
	t.Helper()
	n, err := s.RawInt(ctx(t), query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: error = %v, want %v", what, err, want)
	}
}

func testPing(t *testing.T, s Harness) {
	if err := s.Ping(ctx(t)); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

func testMigrateIdempotent(t *testing.T, s Harness) {
	for i := range 3 {
		if err := s.Migrate(ctx(t)); err != nil {
			t.Fatalf("Migrate #%d: %v", i+1, err)
		}
	}
	n := count(t, s, "SELECT COUNT(*) FROM schema_migrations")
	distinct := count(t, s, "SELECT COUNT(DISTINCT version) FROM schema_migrations")
	if n == 0 || n != distinct {
		t.Fatalf("schema_migrations has %d rows, %d distinct versions; want each version once", n, distinct)
	}
	mustUser(t, s, "after_migrate")
}

// testMigrateConcurrent starts Migrate on two stores (separate connection
// pools, as two processes would have) against one fresh database at the
// same instant, several times.
func testMigrateConcurrent(t *testing.T, unmigrated func(t *testing.T) Harness) {
	for round := range 3 {
		a := unmigrated(t)
		b := a.Twin(t)
		start := make(chan struct{})
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i, s := range []store.Store{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = s.Migrate(ctx(t))
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d: Migrate on store %d: %v", round, i, err)
			}
		}
		n := count(t, a, "SELECT COUNT(*) FROM schema_migrations")
		distinct := count(t, a, "SELECT COUNT(DISTINCT version) FROM schema_migrations")
		if n == 0 || n != distinct {
			t.Fatalf("round %d: schema_migrations has %d rows, %d distinct versions", round, n, distinct)
		}
		// Both see one working schema.
		u := mustUser(t, b, fmt.Sprintf("twin%d", round))
		if _, err := a.Profile(ctx(t), u.ID); err != nil {
			t.Fatalf("round %d: profile via the other store: %v", round, err)
		}
	}
}

func testCreateAndGetUser(t *testing.T, s Harness) {
	before := time.Now().Add(-time.Minute)
	u, err := s.CreateUser(ctx(t), store.NewUser{
		Username: "alice", PasswordHash: "argon2id$x", DisplayName: "Alice A.", AvatarURL: "https://example.test/a.png",
	})
	if err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	want := store.User{ID: u.ID, Username: "alice", PasswordHash: "argon2id$x", Role: store.RolePlayer,
		DisplayName: "Alice A.", AvatarURL: "https://example.test/a.png", CreatedAt: u.CreatedAt}
	if u != want {
		t.Fatalf("CreateUser returned %+v, want %+v", u, want)
	}
	if u.ID <= 0 {
		t.Fatalf("user id = %d, want > 0", u.ID)
	}
	if u.CreatedAt.Before(before) || u.CreatedAt.After(time.Now().Add(time.Minute)) {
		t.Fatalf("CreatedAt = %v, want about now", u.CreatedAt)
	}
	admin, err := s.CreateUser(ctx(t), store.NewUser{Username: "root_admin", Role: store.RoleAdmin})
	if err != nil {
		t.Fatalf("CreateUser admin: %v", err)
	}
	if admin.Role != store.RoleAdmin || admin.PasswordHash != "" || admin.ID == u.ID {
		t.Fatalf("admin = %+v", admin)
	}

	lookups := []struct {
		name string
		get  func() (store.User, error)
	}{
		{"UserByID", func() (store.User, error) { return s.UserByID(ctx(t), u.ID) }},
		{"UserByUsername exact", func() (store.User, error) { return s.UserByUsername(ctx(t), "alice") }},
		{"UserByUsername upper", func() (store.User, error) { return s.UserByUsername(ctx(t), "ALICE") }},
		{"UserByUsername mixed", func() (store.User, error) { return s.UserByUsername(ctx(t), "aLiCe") }},
	}
	for _, l := range lookups {
		got, err := l.get()
		if err != nil {
			t.Fatalf("%s: %v", l.name, err)
		}
		if got != u {
			t.Fatalf("%s = %+v, want %+v", l.name, got, u)
		}
	}
	_, err = s.UserByID(ctx(t), u.ID+1000)
	wantErr(t, "UserByID(missing)", err, store.ErrNotFound)
	_, err = s.UserByUsername(ctx(t), "bob")
	wantErr(t, "UserByUsername(missing)", err, store.ErrNotFound)
	_, err = s.UserByUsername(ctx(t), "alic_")
	wantErr(t, "UserByUsername(pattern)", err, store.ErrNotFound)
}

func testUsernameUnique(t *testing.T, s Harness) {
	mustUser(t, s, "carol")
	for _, name := range []string{"carol", "CAROL", "Carol"} {
		_, err := s.CreateUser(ctx(t), store.NewUser{Username: name})
		wantErr(t, "CreateUser("+name+")", err, store.ErrConflict)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM users"); n != 1 {
		t.Fatalf("users = %d, want 1", n)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM profiles"); n != 1 {
		t.Fatalf("profiles = %d, want 1 (no profile for a rejected user)", n)
	}
}

func testRoleDisablePassword(t *testing.T, s Harness) {
	u := mustUser(t, s, "dave")
	c := ctx(t)
	steps := []struct {
		name  string
		do    func(id int64) error
		check func(u store.User) bool
	}{
		{"promote", func(id int64) error { return s.SetUserRole(c, id, store.RoleAdmin) },
			func(u store.User) bool { return u.Role == store.RoleAdmin }},
		{"demote", func(id int64) error { return s.SetUserRole(c, id, store.RolePlayer) },
			func(u store.User) bool { return u.Role == store.RolePlayer }},
		{"disable", func(id int64) error { return s.SetUserDisabled(c, id, true) },
			func(u store.User) bool { return u.Disabled }},
		{"enable", func(id int64) error { return s.SetUserDisabled(c, id, false) },
			func(u store.User) bool { return !u.Disabled }},
		{"password", func(id int64) error { return s.SetPasswordHash(c, id, "new-hash") },
			func(u store.User) bool { return u.PasswordHash == "new-hash" }},
	}
	for _, st := range steps {
		if err := st.do(u.ID); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		got, err := s.UserByID(c, u.ID)
		if err != nil {
			t.Fatalf("%s: UserByID: %v", st.name, err)
		}
		if !st.check(got) {
			t.Fatalf("%s: user is now %+v", st.name, got)
		}
		wantErr(t, st.name+" on missing user", st.do(u.ID+1000), store.ErrNotFound)
	}
}

func testInvalidRole(t *testing.T, s Harness) {
	u := mustUser(t, s, "erin")
	if err := s.SetUserRole(ctx(t), u.ID, "superuser"); err == nil {
		t.Fatal("SetUserRole(superuser) succeeded; the role check constraint must refuse it")
	}
	if _, err := s.CreateUser(ctx(t), store.NewUser{Username: "frank", Role: "god"}); err == nil {
		t.Fatal("CreateUser with role god succeeded")
	}
	got, err := s.UserByID(ctx(t), u.ID)
	if err != nil || got.Role != store.RolePlayer {
		t.Fatalf("after refused role change: %+v, %v", got, err)
	}
	if _, err := s.UserByUsername(ctx(t), "frank"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("refused user was written: %v", err)
	}
	// The schema itself refuses unknown roles, whoever writes the row.
	if err := s.RawExec(ctx(t), "INSERT INTO users (username, role) VALUES (?, ?)", "gus", "root"); err == nil {
		t.Fatal("plain INSERT with role root accepted: role check constraint missing")
	}
	if err := s.RawExec(ctx(t), "UPDATE users SET role = ? WHERE id = ?", "owner", u.ID); err == nil {
		t.Fatal("plain UPDATE to role owner accepted: role check constraint missing")
	}
}

// testConcurrentWriters creates users from many goroutines through two
// stores on one database; none may fail with a lock/busy error.
func testConcurrentWriters(t *testing.T, s Harness) {
	twin := s.Twin(t)
	const n = 40
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			target := store.Store(s)
			if i%2 == 1 {
				target = twin
			}
			u, err := target.CreateUser(ctx(t), store.NewUser{Username: fmt.Sprintf("w%02d", i)})
			if err == nil {
				err = target.CreateSession(ctx(t), store.Session{TokenHash: hash(u.Username), UserID: u.ID,
					IdleExpiresAt: time.Now().Add(time.Hour), ExpiresAt: time.Now().Add(time.Hour)})
			}
			if err == nil {
				_, err = target.Profile(ctx(t), u.ID)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent write: %v", err)
		}
	}
	if got := count(t, s, "SELECT COUNT(*) FROM users"); got != n {
		t.Fatalf("users = %d, want %d", got, n)
	}
}

func checkProfile(t *testing.T, s store.Store, userID int64, name, avatar string) {
	t.Helper()
	p, err := s.Profile(ctx(t), userID)
	if err != nil {
		t.Fatalf("Profile(%d): %v", userID, err)
	}
	want := store.Profile{UserID: userID, DisplayName: name, AvatarURL: avatar,
		Rating: 1500, RD: 350, Volatility: 0.06, XP: 0, Level: 1}
	if p != want {
		t.Fatalf("Profile(%d) = %+v, want %+v", userID, p, want)
	}
}

func testProfileHydratedOnCreate(t *testing.T, s Harness) {
	tests := []struct {
		user       store.NewUser
		wantName   string
		wantAvatar string
	}{
		{store.NewUser{Username: "gina", DisplayName: "Gina G", AvatarURL: "https://a.test/g"}, "Gina G", "https://a.test/g"},
		{store.NewUser{Username: "hank"}, "hank", ""},
	}
	for _, tt := range tests {
		u, err := s.CreateUser(ctx(t), tt.user)
		if err != nil {
			t.Fatalf("CreateUser(%q): %v", tt.user.Username, err)
		}
		checkProfile(t, s, u.ID, tt.wantName, tt.wantAvatar)
	}
	_, err := s.Profile(ctx(t), 999999)
	wantErr(t, "Profile(missing)", err, store.ErrNotFound)
}

// testProfileTriggerPlainSQL proves hydration is the database's work: the
// users row is inserted with plain SQL, no Go store method involved.
func testProfileTriggerPlainSQL(t *testing.T, s Harness) {
	tests := []struct {
		name, query string
		args        []any
		username    string
		wantName    string
		wantAvatar  string
	}{
		{"minimal", "INSERT INTO users (username) VALUES (?)", []any{"ivan"}, "ivan", "ivan", ""},
		{"with password", "INSERT INTO users (username, password_hash) VALUES (?, ?)", []any{"judy", "x"}, "judy", "judy", ""},
		{"display name and avatar", "INSERT INTO users (username, display_name, avatar_url, role) VALUES (?, ?, ?, ?)",
			[]any{"kate", "Kate K", "https://a.test/k.png", "admin"}, "kate", "Kate K", "https://a.test/k.png"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.RawExec(ctx(t), tt.query, tt.args...); err != nil {
				t.Fatalf("plain insert: %v", err)
			}
			u, err := s.UserByUsername(ctx(t), tt.username)
			if err != nil {
				t.Fatalf("UserByUsername: %v", err)
			}
			checkProfile(t, s, u.ID, tt.wantName, tt.wantAvatar)
		})
	}
	if n := count(t, s, "SELECT COUNT(*) FROM profiles p JOIN users u ON u.id = p.user_id"); n != int64(len(tests)) {
		t.Fatalf("profiles = %d, want %d", n, len(tests))
	}
	// A second profile for the same user must be impossible.
	u, _ := s.UserByUsername(ctx(t), "ivan")
	if err := s.RawExec(ctx(t), "INSERT INTO profiles (user_id) VALUES (?)", u.ID); err == nil {
		t.Fatal("second profile row for one user was accepted")
	}
}

// testCascadeOnUserDelete also proves foreign keys are enforced on the
// connection (SQLite only does so when told to, per connection).
func testCascadeOnUserDelete(t *testing.T, s Harness) {
	u := mustUser(t, s, "leo")
	c := ctx(t)
	if err := s.LinkIdentity(c, store.Identity{Provider: "github", Subject: "42", UserID: u.ID}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSession(c, store.Session{TokenHash: hash("leo"), UserID: u.ID,
		IdleExpiresAt: time.Now().Add(time.Hour), ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := s.RawExec(c, "DELETE FROM users WHERE id = ?", u.ID); err != nil {
		t.Fatalf("delete user: %v", err)
	}
	for _, table := range []string{"profiles", "identities", "sessions"} {
		if n := count(t, s, "SELECT COUNT(*) FROM "+table+" WHERE user_id = ?", u.ID); n != 0 {
			t.Errorf("%s rows left for deleted user: %d", table, n)
		}
	}
	if err := s.RawExec(c, "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, idle_expires_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
		hash("orphan"), 987654, time.Now(), time.Now(), time.Now(), time.Now()); err == nil {
		t.Fatal("session for a missing user was accepted: foreign keys are not enforced")
	}
}

func testLinkIdentity(t *testing.T, s Harness) {
	c := ctx(t)
	mia, ned := mustUser(t, s, "mia"), mustUser(t, s, "ned")
	gh := store.Identity{Provider: "github", Subject: "1001", UserID: mia.ID, Email: "mia@example.test"}
	if err := s.LinkIdentity(c, gh); err != nil {
		t.Fatalf("LinkIdentity: %v", err)
	}
	if err := s.LinkIdentity(c, gh); err != nil {
		t.Fatalf("LinkIdentity again by the same user: %v", err)
	}
	stolen := gh
	stolen.UserID = ned.ID
	wantErr(t, "LinkIdentity to another user", s.LinkIdentity(c, stolen), store.ErrConflict)
	google := store.Identity{Provider: "google", Subject: "g-1", UserID: mia.ID}
	if err := s.LinkIdentity(c, google); err != nil {
		t.Fatalf("LinkIdentity second provider: %v", err)
	}
	// Same subject string at another provider is a different identity.
	if err := s.LinkIdentity(c, store.Identity{Provider: "oidc", Subject: "1001", UserID: ned.ID}); err != nil {
		t.Fatalf("LinkIdentity same subject other provider: %v", err)
	}
	wantErr(t, "LinkIdentity for missing user",
		s.LinkIdentity(c, store.Identity{Provider: "github", Subject: "2002", UserID: 999999}), store.ErrNotFound)

	got, err := s.UserByIdentity(c, "github", "1001")
	if err != nil || got != mia {
		t.Fatalf("UserByIdentity = %+v, %v; want %+v", got, err, mia)
	}
	_, err = s.UserByIdentity(c, "github", "9999")
	wantErr(t, "UserByIdentity(missing)", err, store.ErrNotFound)
	_, err = s.UserByIdentity(c, "gitlab", "1001")
	wantErr(t, "UserByIdentity(other provider)", err, store.ErrNotFound)

	ids, err := s.Identities(c, mia.ID)
	if err != nil {
		t.Fatalf("Identities: %v", err)
	}
	if len(ids) != 2 || ids[0].Provider != "github" || ids[1].Provider != "google" {
		t.Fatalf("Identities = %+v, want github then google", ids)
	}
	if ids[0].Email != "mia@example.test" || ids[0].UserID != mia.ID || ids[0].CreatedAt.IsZero() {
		t.Fatalf("identity = %+v", ids[0])
	}
	none, err := s.Identities(c, 999999)
	if err != nil || len(none) != 0 {
		t.Fatalf("Identities(missing) = %v, %v; want empty", none, err)
	}
}

// testConcurrentLink races LinkIdentity (a read-then-write) from two
// stores: one identity claimed by many users has exactly one winner, and
// distinct identities all link, with no lock or busy errors.
func testConcurrentLink(t *testing.T, s Harness) {
	twin := s.Twin(t)
	const n = 12
	users := make([]store.User, n)
	for i := range users {
		users[i] = mustUser(t, s, fmt.Sprintf("racer%02d", i))
	}
	for _, contested := range []bool{true, false} {
		var wins, conflicts atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, u := range users {
			wg.Add(1)
			go func() {
				defer wg.Done()
				target := store.Store(s)
				if i%2 == 1 {
					target = twin
				}
				id := store.Identity{Provider: "github", Subject: "contested", UserID: u.ID}
				if !contested {
					id.Subject = fmt.Sprintf("own-%d", i)
				}
				<-start
				err := target.LinkIdentity(ctx(t), id)
				switch {
				case err == nil:
					wins.Add(1)
				case errors.Is(err, store.ErrConflict):
					conflicts.Add(1)
				default:
					t.Errorf("LinkIdentity(%s): %v", id.Subject, err)
				}
			}()
		}
		close(start)
		wg.Wait()
		wantWins := int32(n)
		if contested {
			wantWins = 1
		}
		if wins.Load() != wantWins || conflicts.Load() != n-wantWins {
			t.Fatalf("contested=%v: %d linked, %d conflicts; want %d and %d",
				contested, wins.Load(), conflicts.Load(), wantWins, n-wantWins)
		}
	}
	if got := count(t, s, "SELECT COUNT(*) FROM identities"); got != n+1 {
		t.Fatalf("identities = %d, want %d", got, n+1)
	}
}

func testCreateUserWithIdentity(t *testing.T, s Harness) {
	c := ctx(t)
	u, err := s.CreateUserWithIdentity(c,
		store.NewUser{Username: "olga", DisplayName: "Olga", AvatarURL: "https://a.test/o"},
		store.Identity{Provider: "oidc", Subject: "sub-olga", Email: "o@example.test"})
	if err != nil {
		t.Fatalf("CreateUserWithIdentity: %v", err)
	}
	if u.PasswordHash != "" || u.Role != store.RolePlayer {
		t.Fatalf("user = %+v", u)
	}
	got, err := s.UserByIdentity(c, "oidc", "sub-olga")
	if err != nil || got != u {
		t.Fatalf("UserByIdentity = %+v, %v; want %+v", got, err, u)
	}
	checkProfile(t, s, u.ID, "Olga", "https://a.test/o")
}

// testCreateUserWithIdentityAtomic: a conflict on either half leaves
// nothing of the other half behind.
func testCreateUserWithIdentityAtomic(t *testing.T, s Harness) {
	c := ctx(t)
	owner := mustUser(t, s, "pam")
	if err := s.LinkIdentity(c, store.Identity{Provider: "github", Subject: "taken", UserID: owner.ID}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		user store.NewUser
		id   store.Identity
	}{
		{"identity taken", store.NewUser{Username: "quinn"}, store.Identity{Provider: "github", Subject: "taken"}},
		{"username taken", store.NewUser{Username: "PAM"}, store.Identity{Provider: "github", Subject: "fresh"}},
	}
	for _, tt := range tests {
		_, err := s.CreateUserWithIdentity(c, tt.user, tt.id)
		wantErr(t, tt.name, err, store.ErrConflict)
	}
	if _, err := s.UserByUsername(c, "quinn"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("half-written user quinn: %v", err)
	}
	if _, err := s.UserByIdentity(c, "github", "fresh"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("half-written identity: %v", err)
	}
	for table, want := range map[string]int64{"users": 1, "profiles": 1, "identities": 1} {
		if n := count(t, s, "SELECT COUNT(*) FROM "+table); n != want {
			t.Errorf("%s = %d rows, want %d", table, n, want)
		}
	}
}

func sameSession(t *testing.T, what string, got, want store.Session) {
	t.Helper()
	eq := string(got.TokenHash) == string(want.TokenHash) && got.UserID == want.UserID &&
		got.CreatedAt.Equal(want.CreatedAt) && got.LastSeenAt.Equal(want.LastSeenAt) &&
		got.IdleExpiresAt.Equal(want.IdleExpiresAt) && got.ExpiresAt.Equal(want.ExpiresAt) &&
		got.UserAgent == want.UserAgent && got.IP == want.IP
	if !eq {
		t.Fatalf("%s = %+v, want %+v", what, got, want)
	}
}

// now returns the current time at the precision both backends keep.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

func testSessions(t *testing.T, s Harness) {
	c := ctx(t)
	u := mustUser(t, s, "rita")
	t0 := now()
	sess := store.Session{TokenHash: hash("tok-1"), UserID: u.ID, CreatedAt: t0, LastSeenAt: t0,
		IdleExpiresAt: t0.Add(30 * time.Minute), ExpiresAt: t0.Add(30 * 24 * time.Hour),
		UserAgent: "curl/8", IP: "127.0.0.1"}
	if err := s.CreateSession(c, sess); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	got, err := s.SessionByTokenHash(c, sess.TokenHash)
	if err != nil {
		t.Fatalf("SessionByTokenHash: %v", err)
	}
	sameSession(t, "SessionByTokenHash", got, sess)

	wantErr(t, "CreateSession duplicate", s.CreateSession(c, sess), store.ErrConflict)
	orphan := sess
	orphan.TokenHash, orphan.UserID = hash("tok-orphan"), 999999
	wantErr(t, "CreateSession for missing user", s.CreateSession(c, orphan), store.ErrNotFound)
	if err := s.CreateSession(c, store.Session{UserID: u.ID, ExpiresAt: t0}); err == nil {
		t.Fatal("CreateSession with empty token hash succeeded")
	}

	_, err = s.SessionByTokenHash(c, hash("nope"))
	wantErr(t, "SessionByTokenHash(missing)", err, store.ErrNotFound)

	if err := s.DeleteSession(c, sess.TokenHash); err != nil {
		t.Fatalf("DeleteSession: %v", err)
	}
	_, err = s.SessionByTokenHash(c, sess.TokenHash)
	wantErr(t, "SessionByTokenHash after delete", err, store.ErrNotFound)
	if err := s.DeleteSession(c, sess.TokenHash); err != nil {
		t.Fatalf("DeleteSession twice: %v", err)
	}
}

func testTouchSession(t *testing.T, s Harness) {
	c := ctx(t)
	u := mustUser(t, s, "sam")
	t0 := now().Add(-time.Hour)
	sess := store.Session{TokenHash: hash("tok"), UserID: u.ID, CreatedAt: t0, LastSeenAt: t0,
		IdleExpiresAt: t0.Add(30 * time.Minute), ExpiresAt: t0.Add(24 * time.Hour)}
	if err := s.CreateSession(c, sess); err != nil {
		t.Fatal(err)
	}
	t1 := now()
	if err := s.TouchSession(c, sess.TokenHash, t1, t1.Add(30*time.Minute)); err != nil {
		t.Fatalf("TouchSession: %v", err)
	}
	want := sess
	want.LastSeenAt, want.IdleExpiresAt = t1, t1.Add(30*time.Minute)
	got, err := s.SessionByTokenHash(c, sess.TokenHash)
	if err != nil {
		t.Fatal(err)
	}
	sameSession(t, "after touch", got, want)
	wantErr(t, "TouchSession(missing)", s.TouchSession(c, hash("gone"), t1, t1), store.ErrNotFound)
}

func testDeleteUserSessions(t *testing.T, s Harness) {
	c := ctx(t)
	a, b := mustUser(t, s, "tina"), mustUser(t, s, "uma")
	exp := now().Add(time.Hour)
	for i, uid := range []int64{a.ID, a.ID, a.ID, b.ID} {
		if err := s.CreateSession(c, store.Session{TokenHash: hash(fmt.Sprint(i)), UserID: uid,
			IdleExpiresAt: exp, ExpiresAt: exp}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeleteUserSessions(c, a.ID); err != nil {
		t.Fatalf("DeleteUserSessions: %v", err)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM sessions WHERE user_id = ?", a.ID); n != 0 {
		t.Fatalf("%d sessions left for signed-out user", n)
	}
	if _, err := s.SessionByTokenHash(c, hash("3")); err != nil {
		t.Fatalf("other user's session was deleted: %v", err)
	}
}

func testDeleteExpiredSessions(t *testing.T, s Harness) {
	c := ctx(t)
	u := mustUser(t, s, "vic")
	t0 := now()
	sessions := []struct {
		token        string
		idle, absExp time.Time
		alive        bool
	}{
		{"live", t0.Add(time.Minute), t0.Add(time.Hour), true},
		{"idle-expired", t0.Add(-time.Second), t0.Add(time.Hour), false},
		{"absolute-expired", t0.Add(time.Minute), t0.Add(-time.Second), false},
		{"expires-exactly-now", t0, t0.Add(time.Hour), false},
		{"both-expired", t0.Add(-time.Hour), t0.Add(-time.Minute), false},
	}
	for _, ss := range sessions {
		if err := s.CreateSession(c, store.Session{TokenHash: hash(ss.token), UserID: u.ID,
			CreatedAt: t0.Add(-2 * time.Hour), IdleExpiresAt: ss.idle, ExpiresAt: ss.absExp}); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.DeleteExpiredSessions(c, t0)
	if err != nil {
		t.Fatalf("DeleteExpiredSessions: %v", err)
	}
	if n != 4 {
		t.Fatalf("DeleteExpiredSessions removed %d, want 4", n)
	}
	for _, ss := range sessions {
		_, err := s.SessionByTokenHash(c, hash(ss.token))
		if ss.alive && err != nil {
			t.Errorf("%s: %v", ss.token, err)
		}
		if !ss.alive && !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s still present: %v", ss.token, err)
		}
	}
	if n, err := s.DeleteExpiredSessions(c, t0); err != nil || n != 0 {
		t.Fatalf("second sweep = %d, %v; want 0", n, err)
	}
}

func testOAuthStateSingleUse(t *testing.T, s Harness) {
	c := ctx(t)
	u := mustUser(t, s, "wes")
	t0 := now()
	states := []store.OAuthState{
		{StateHash: hash("s1"), Provider: "github", PKCEVerifier: "verifier-1", Nonce: "",
			RedirectTo: "/lobby", ExpiresAt: t0.Add(10 * time.Minute)},
		{StateHash: hash("s2"), Provider: "oidc", PKCEVerifier: "verifier-2", Nonce: "n-2",
			LinkUserID: u.ID, ExpiresAt: t0.Add(10 * time.Minute)},
	}
	for _, st := range states {
		if err := s.SaveOAuthState(c, st); err != nil {
			t.Fatalf("SaveOAuthState(%s): %v", st.Provider, err)
		}
	}
	wantErr(t, "SaveOAuthState duplicate", s.SaveOAuthState(c, states[0]), store.ErrConflict)
	for _, st := range states {
		got, err := s.TakeOAuthState(c, st.StateHash, t0)
		if err != nil {
			t.Fatalf("TakeOAuthState(%s): %v", st.Provider, err)
		}
		if string(got.StateHash) != string(st.StateHash) || got.Provider != st.Provider ||
			got.PKCEVerifier != st.PKCEVerifier || got.Nonce != st.Nonce || got.LinkUserID != st.LinkUserID ||
			got.RedirectTo != st.RedirectTo || !got.ExpiresAt.Equal(st.ExpiresAt) {
			t.Fatalf("TakeOAuthState = %+v, want %+v", got, st)
		}
		_, err = s.TakeOAuthState(c, st.StateHash, t0)
		wantErr(t, "TakeOAuthState replay", err, store.ErrNotFound)
	}
	_, err := s.TakeOAuthState(c, hash("never-saved"), t0)
	wantErr(t, "TakeOAuthState(unknown)", err, store.ErrNotFound)
}

func testOAuthStateExpired(t *testing.T, s Harness) {
	c := ctx(t)
	t0 := now()
	old := store.OAuthState{StateHash: hash("old"), Provider: "github", ExpiresAt: t0.Add(-time.Second)}
	abandoned := store.OAuthState{StateHash: hash("abandoned"), Provider: "github", ExpiresAt: t0.Add(-time.Hour)}
	live := store.OAuthState{StateHash: hash("live"), Provider: "github", ExpiresAt: t0.Add(time.Minute)}
	for _, st := range []store.OAuthState{old, abandoned, live} {
		if err := s.SaveOAuthState(c, st); err != nil {
			t.Fatal(err)
		}
	}
	_, err := s.TakeOAuthState(c, old.StateHash, t0)
	wantErr(t, "TakeOAuthState(expired)", err, store.ErrNotFound)
	if n := count(t, s, "SELECT COUNT(*) FROM oauth_states"); n != 1 {
		t.Fatalf("oauth_states = %d rows, want only the live one (expired ones swept)", n)
	}
	if _, err := s.TakeOAuthState(c, live.StateHash, t0); err != nil {
		t.Fatalf("TakeOAuthState(live): %v", err)
	}
}

func testOAuthStateConcurrentTake(t *testing.T, s Harness) {
	c := ctx(t)
	twin := s.Twin(t)
	st := store.OAuthState{StateHash: hash("race"), Provider: "google", ExpiresAt: now().Add(time.Minute)}
	if err := s.SaveOAuthState(c, st); err != nil {
		t.Fatal(err)
	}
	var wins, misses atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			target := store.Store(s)
			if i%2 == 1 {
				target = twin
			}
			<-start
			_, err := target.TakeOAuthState(c, st.StateHash, now())
			switch {
			case err == nil:
				wins.Add(1)
			case errors.Is(err, store.ErrNotFound):
				misses.Add(1)
			default:
				t.Errorf("TakeOAuthState: %v", err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if wins.Load() != 1 || misses.Load() != 11 {
		t.Fatalf("concurrent takes: %d succeeded, %d not found; want exactly 1 and 11", wins.Load(), misses.Load())
	}
}

func testContextCancelled(t *testing.T, s Harness) {
	u := mustUser(t, s, "xena")
	c, cancel := context.WithCancel(context.Background())
	cancel()
	calls := []struct {
		name string
		call func() error
	}{
		{"Ping", func() error { return s.Ping(c) }},
		{"Migrate", func() error { return s.Migrate(c) }},
		{"CreateUser", func() error { _, err := s.CreateUser(c, store.NewUser{Username: "yuri"}); return err }},
		{"CreateUserWithIdentity", func() error {
			_, err := s.CreateUserWithIdentity(c, store.NewUser{Username: "yuri"}, store.Identity{Provider: "github", Subject: "y"})
			return err
		}},
		{"UserByID", func() error { _, err := s.UserByID(c, u.ID); return err }},
		{"UserByUsername", func() error { _, err := s.UserByUsername(c, "xena"); return err }},
		{"SetUserRole", func() error { return s.SetUserRole(c, u.ID, store.RoleAdmin) }},
		{"Profile", func() error { _, err := s.Profile(c, u.ID); return err }},
		{"LinkIdentity", func() error { return s.LinkIdentity(c, store.Identity{Provider: "github", Subject: "x", UserID: u.ID}) }},
		{"CreateSession", func() error {
			return s.CreateSession(c, store.Session{TokenHash: hash("x"), UserID: u.ID, ExpiresAt: now()})
		}},
		{"TakeOAuthState", func() error { _, err := s.TakeOAuthState(c, hash("x"), now()); return err }},
		{"DeleteExpiredSessions", func() error { _, err := s.DeleteExpiredSessions(c, now()); return err }},
	}
	for _, cl := range calls {
		wantErr(t, cl.name+" with cancelled context", cl.call(), context.Canceled)
	}
	// Nothing was written by the cancelled calls.
	if _, err := s.UserByUsername(ctx(t), "yuri"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("cancelled CreateUser wrote a user: %v", err)
	}
	got, err := s.UserByID(ctx(t), u.ID)
	if err != nil || got.Role != store.RolePlayer {
		t.Fatalf("cancelled SetUserRole changed the user: %+v, %v", got, err)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM identities") + count(t, s, "SELECT COUNT(*) FROM sessions"); n != 0 {
		t.Fatalf("cancelled calls wrote %d identity/session rows", n)
	}
	// The store still serves after the cancellations.
	if _, err := s.UserByID(ctx(t), u.ID); err != nil {
		t.Fatalf("store unusable after cancelled calls: %v", err)
	}
}
