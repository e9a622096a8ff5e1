package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/segfaultarena/segfault/internal/store"
	"github.com/segfaultarena/segfault/internal/store/storetest"
)

// defaultTestDSN is the PostgreSQL the development machines and CI run;
// override with SEGFAULT_TEST_PG.
const defaultTestDSN = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// testDSN returns the server to test against, skipping the test when it is
// unreachable outside CI (CI starts PostgreSQL, so there it is a failure).
func testDSN(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("SEGFAULT_TEST_PG")
	if dsn == "" {
		dsn = defaultTestDSN
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err == nil {
		err = conn.Ping(ctx)
		conn.Close(ctx)
	}
	if err != nil {
		msg := "PostgreSQL at " + Redact(dsn) + " unreachable (set SEGFAULT_TEST_PG to point elsewhere): " + scrub(err.Error(), dsn)
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip("skipping: " + msg)
	}
	return dsn
}

// freshSchema creates a uniquely named schema, dropped when t ends, and
// returns dsn with search_path pointing at it, so parallel runs against one
// database never see each other's tables.
func freshSchema(t *testing.T, dsn string) string {
	t.Helper()
	b := make([]byte, 8)
	rand.Read(b)
	schema := "segfault_test_" + hex.EncodeToString(b)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("parse test DSN: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema) // pgx sends unknown parameters as run-time settings
	u.RawQuery = q.Encode()
	return u.String()
}

// harness gives the conformance suite raw SQL access; it lives in a test
// file so the production Store has no such escape hatch.
type harness struct {
	*Store
	rawDSN string
}

// dollarPlaceholders rewrites the suite's '?' placeholders to $1, $2, ...
func dollarPlaceholders(query string) string {
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (h harness) RawExec(ctx context.Context, query string, args ...any) error {
	_, err := h.pool.Exec(ctx, dollarPlaceholders(query), args...)
	return err
}

func (h harness) RawInt(ctx context.Context, query string, args ...any) (int64, error) {
	var n int64
	err := h.pool.QueryRow(ctx, dollarPlaceholders(query), args...).Scan(&n)
	return n, err
}

func (h harness) Twin(t *testing.T) storetest.Harness { return openHarness(t, h.rawDSN) }

func openHarness(t *testing.T, dsn string) harness {
	t.Helper()
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return harness{Store: s, rawDSN: dsn}
}

func TestConformance(t *testing.T) {
	t.Run("postgres", func(t *testing.T) {
		dsn := testDSN(t)
		storetest.Run(t, func(t *testing.T) store.Store {
			return openHarness(t, freshSchema(t, dsn))
		})
	})
}

func TestSearchPathIsolation(t *testing.T) {
	dsn := testDSN(t)
	a, b := openHarness(t, freshSchema(t, dsn)), openHarness(t, freshSchema(t, dsn))
	ctx := context.Background()
	for _, h := range []harness{a, b} {
		if err := h.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.CreateUser(ctx, store.NewUser{Username: "only_in_a"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.UserByUsername(ctx, "only_in_a"); err == nil {
		t.Fatal("user created in schema a is visible in schema b")
	}
	// b can take the same name: separate tables, separate unique indexes.
	if _, err := b.CreateUser(ctx, store.NewUser{Username: "only_in_a"}); err != nil {
		t.Fatalf("same username in another schema: %v", err)
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ dsn, want string }{
		{"postgres://bob:s3cret@db:5432/arena", "postgres://bob:xxxxx@db:5432/arena"},
		{"postgres://bob@db/arena", "postgres://bob@db/arena"},
		{"postgresql://db/arena?sslmode=require", "postgresql://db/arena?sslmode=require"},
	}
	for _, tt := range tests {
		if got := Redact(tt.dsn); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.dsn, got, tt.want)
		}
	}
}

func TestOpenErrorHidesPassword(t *testing.T) {
	tests := []string{
		"postgres://bob:hunter2hunter2@127.0.0.1:5432/test?sslmode=bogus",
		"postgres://bob:hunter2hunter2@127.0.0.1:notaport/test",
	}
	for _, dsn := range tests {
		s, err := Open(context.Background(), dsn)
		if err == nil {
			s.Close()
			t.Errorf("Open(%s) succeeded", Redact(dsn))
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("error leaks the password: %v", err)
		}
	}
}
