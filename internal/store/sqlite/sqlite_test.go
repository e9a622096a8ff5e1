package sqlite

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/store"
	"github.com/segfaultarena/segfault/internal/store/storetest"
)

// harness gives the conformance suite raw SQL access; it lives in a test
// file so the production Store has no such escape hatch.
type harness struct{ *Store }

func (h harness) RawExec(ctx context.Context, query string, args ...any) error {
	_, err := h.w.ExecContext(ctx, query, args...)
	return err
}

func (h harness) RawInt(ctx context.Context, query string, args ...any) (int64, error) {
	var n int64
	err := h.r.QueryRowContext(ctx, query, args...).Scan(&n)
	return n, err
}

func (h harness) Twin(t *testing.T) storetest.Harness {
	return openHarness(t, h.path)
}

func openHarness(t *testing.T, path string) harness {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return harness{s}
}

func TestConformance(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) store.Store {
			return openHarness(t, filepath.Join(t.TempDir(), "segfault.db"))
		})
	})
}

// TestPragmasOnEveryConnection checks the settings SQLite keeps per
// connection, on both pools, including connections opened after the first.
func TestPragmasOnEveryConnection(t *testing.T) {
	h := openHarness(t, filepath.Join(t.TempDir(), "p.db"))
	ctx := context.Background()
	// Hold several reader connections at once so the pool must open new ones.
	for _, pool := range []struct {
		name      string
		db        *sql.DB
		n         int
		queryOnly int
	}{{"writer", h.w, 1, 0}, {"reader", h.r, 4, 1}} {
		var held []*sql.Conn
		for i := range pool.n {
			c, err := pool.db.Conn(ctx)
			if err != nil {
				t.Fatalf("%s conn %d: %v", pool.name, i, err)
			}
			held = append(held, c)
			checks := []struct {
				pragma string
				want   any
			}{
				{"journal_mode", "wal"},
				{"foreign_keys", int64(1)},
				{"busy_timeout", busyTimeout.Milliseconds()},
				{"synchronous", int64(1)},
				{"query_only", int64(pool.queryOnly)},
			}
			for _, ck := range checks {
				var got any
				if err := c.QueryRowContext(ctx, "PRAGMA "+ck.pragma).Scan(&got); err != nil {
					t.Fatalf("%s conn %d: PRAGMA %s: %v", pool.name, i, ck.pragma, err)
				}
				if s, ok := got.(string); ok {
					got = strings.ToLower(s)
				}
				if got != ck.want {
					t.Errorf("%s conn %d: PRAGMA %s = %v (%T), want %v", pool.name, i, ck.pragma, got, got, ck.want)
				}
			}
		}
		for _, c := range held {
			c.Close()
		}
	}
}

func TestOpenCreatesDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "segfault.db")
	h := openHarness(t, path)
	if err := h.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database file not created: %v", err)
	}
}

func TestOpenRejectsBadPaths(t *testing.T) {
	for _, path := range []string{"", "x.db?mode=ro", "x.db#frag"} {
		if s, err := Open(context.Background(), path); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", path)
		}
	}
}

// TestContextDeadlineWhileLocked: when another process holds the write
// lock, a request's deadline ends the wait; busy_timeout (10 s) does not
// keep the request hanging past it.
func TestContextDeadlineWhileLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "locked.db")
	h := openHarness(t, path)
	ctx := context.Background()
	if err := h.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	other := openHarness(t, path)
	conn, err := other.w.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, "ROLLBACK")

	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = h.CreateUser(short, store.NewUser{Username: "blocked"})
	elapsed := time.Since(start)
	if err == nil {
		t.Fatal("CreateUser succeeded while another connection held the write lock")
	}
	// 300 ms wanted, 10 s if busy_timeout decided: 7 s tells them apart on
	// a machine however loaded.
	if elapsed > 7*time.Second {
		t.Fatalf("CreateUser returned after %v, want about the 300ms deadline", elapsed)
	}
	t.Logf("CreateUser gave up after %v: %v", elapsed, err)

	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.CreateUser(ctx, store.NewUser{Username: "unblocked"}); err != nil {
		t.Fatalf("CreateUser after the lock was released: %v", err)
	}
}
