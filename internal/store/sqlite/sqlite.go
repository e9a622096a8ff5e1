// Package sqlite is the embedded store backend (modernc.org/sqlite, pure Go).
//
// It keeps two connection pools on one database file: a single writer
// connection, so writers queue in Go instead of fighting over SQLite's lock,
// and several read-only connections that WAL lets run alongside the writer.
// Every connection gets its pragmas from the DSN, so a connection the pool
// opens later is configured like the first one.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/segfaultarena/segfault/internal/store"
	"github.com/segfaultarena/segfault/internal/store/internal/migrate"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// busyTimeout is how long a connection waits for another process's write
// lock (e.g. `segfault migrate` next to a running server) before SQLITE_BUSY.
const busyTimeout = 10 * time.Second

// Store is a store.Store on one SQLite database file.
type Store struct {
	path string
	w    *sql.DB // exactly one connection: all writes and read-modify-write transactions
	r    *sql.DB // read-only connections for plain reads

	// saveMatch is SaveMatchStates' UPDATE, compiled once on the writer
	// (prepared on first use: the table exists only after Migrate).
	saveMu    sync.Mutex
	saveMatch *sql.Stmt
}

var _ store.Store = (*Store)(nil)

// Open opens (creating if missing) the SQLite database at path, creating its
// parent directory too. It does not migrate; call Migrate.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("sqlite: empty database path")
	}
	if strings.ContainsAny(path, "?#") {
		// The driver would read anything after '?' as its own parameters.
		return nil, fmt.Errorf("sqlite: database path %q must not contain '?' or '#'", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("sqlite: create directory for %s: %w", path, err)
	}

	params := url.Values{}
	params.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	params.Add("_pragma", "journal_mode(WAL)")
	params.Add("_pragma", "foreign_keys(1)")
	// NORMAL is durable across application crashes in WAL mode; only an OS
	// crash may lose the last transactions, never corrupt the file.
	params.Add("_pragma", "synchronous(NORMAL)")
	// Transactions take the write lock up front: a deferred transaction that
	// reads and then writes can fail with SQLITE_BUSY when another process
	// wrote in between, and busy_timeout cannot help with that upgrade.
	params.Set("_txlock", "immediate")

	w, err := sql.Open("sqlite", path+"?"+params.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)

	// The writer connection creates the file and switches it to WAL before
	// any reader opens it (a read-only connection cannot change journal_mode).
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}

	params.Set("_txlock", "deferred")
	params.Add("_pragma", "query_only(1)")
	r, err := sql.Open("sqlite", path+"?"+params.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s for reading: %w", path, err)
	}
	n := max(4, runtime.NumCPU())
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	return &Store{path: path, w: w, r: r}, nil
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

func (s *Store) Ping(ctx context.Context) error {
	if err := s.r.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlite: ping %s: %w", s.path, err)
	}
	var one int
	if err := s.r.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("sqlite: ping %s: %w", s.path, err)
	}
	return nil
}

func (s *Store) Close() error {
	s.saveMu.Lock()
	if s.saveMatch != nil {
		s.saveMatch.Close()
	}
	s.saveMu.Unlock()
	return errors.Join(s.r.Close(), s.w.Close())
}

// Migrate applies the embedded migrations that are missing, all in one
// IMMEDIATE transaction: a second process running Migrate at the same time
// waits for the write lock (busy_timeout), then finds everything applied.
func (s *Store) Migrate(ctx context.Context) error {
	ms, err := migrate.Load(migrationFS, "migrations")
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: migrate: begin: %w", err)
	}
	defer tx.Rollback()

	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT    NOT NULL,
		applied_at INTEGER NOT NULL
	)`); err != nil {
		return fmt.Errorf("sqlite: migrate: create schema_migrations: %w", err)
	}
	applied := map[int64]bool{}
	rows, err := tx.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return fmt.Errorf("sqlite: migrate: read schema_migrations: %w", err)
	}
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return fmt.Errorf("sqlite: migrate: read schema_migrations: %w", err)
		}
		applied[v] = true
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("sqlite: migrate: read schema_migrations: %w", err)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: migrate: read schema_migrations: %w", err)
	}

	for _, m := range ms {
		if applied[m.Version] {
			continue
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			return fmt.Errorf("sqlite: migrate: apply %s: %w", m.Name, err)
		}
		if _, err := tx.ExecContext(ctx,
			"INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
			m.Version, m.Name, micros(time.Now())); err != nil {
			return fmt.Errorf("sqlite: migrate: record %s: %w", m.Name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: migrate: commit: %w", err)
	}
	return nil
}

// micros converts to the on-disk timestamp form (see the migration header).
func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// classify maps driver errors to the store sentinels while keeping the
// driver's message for logs.
func classify(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	var se *msqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w: %w", store.ErrConflict, err)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			// The referenced user does not exist (or is being deleted).
			return fmt.Errorf("%w: %w", store.ErrNotFound, err)
		}
	}
	return err
}
