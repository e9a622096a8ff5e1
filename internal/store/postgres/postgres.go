// Package postgres is the scale-out store backend (PostgreSQL via pgx).
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/segfaultarena/segfault/internal/store"
	"github.com/segfaultarena/segfault/internal/store/internal/migrate"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migrateLockKey identifies the advisory lock Migrate holds ("segfault" in
// ASCII). It is database-wide, so two schemas in one database migrate one at
// a time; that costs nothing and keeps the key independent of search_path.
const migrateLockKey int64 = 0x7365676661756c74

// Store is a store.Store on a PostgreSQL database.
type Store struct {
	pool *pgxpool.Pool
	dsn  string // redacted, for error messages
}

var _ store.Store = (*Store)(nil)

// Open parses dsn (a postgres:// or postgresql:// URL, with any pgx
// parameters such as pool_max_conns or search_path) and creates a pool. It
// connects lazily and does not migrate; call Ping and Migrate.
func Open(ctx context.Context, dsn string) (*Store, error) {
	red := Redact(dsn)
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse %s: %s", red, scrub(err.Error(), dsn))
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open %s: %w", red, redactedErr{scrub(err.Error(), dsn), err})
	}
	return &Store{pool: pool, dsn: red}, nil
}

// Redact returns dsn with its password replaced, for logs and errors.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "<unparsable postgres URL>"
	}
	return u.Redacted()
}

// scrub removes the password of dsn from msg, in case a driver error quotes
// the connection string.
func scrub(msg, dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		// Cannot find the password; drop any quoted DSN wholesale.
		return strings.ReplaceAll(msg, dsn, "<postgres URL>")
	}
	if pw, ok := u.User.Password(); ok && pw != "" {
		msg = strings.ReplaceAll(msg, pw, "xxxxx")
		msg = strings.ReplaceAll(msg, url.QueryEscape(pw), "xxxxx")
	}
	return msg
}

// redactedErr shows a scrubbed message but still unwraps to the original, so
// errors.Is(err, context.Canceled) keeps working.
type redactedErr struct {
	msg string
	err error
}

func (e redactedErr) Error() string { return e.msg }
func (e redactedErr) Unwrap() error { return e.err }

func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres: ping %s: %w", s.dsn, err)
	}
	return nil
}

func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Migrate applies the missing embedded migrations in one transaction that
// first takes a transaction-scoped advisory lock: a second node running
// Migrate at the same moment waits, then finds everything applied. The lock
// is released by COMMIT or ROLLBACK, so a cancelled Migrate cannot leave it
// held on a pooled connection.
func (s *Store) Migrate(ctx context.Context) error {
	ms, err := migrate.Load(migrationFS, "migrations")
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migrate: begin: %w", err)
	}
	defer tx.Rollback(context.Background())

	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", migrateLockKey); err != nil {
		return fmt.Errorf("postgres: migrate: lock: %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    bigint      PRIMARY KEY,
		name       text        NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now()
	)`); err != nil {
		return fmt.Errorf("postgres: migrate: create schema_migrations: %w", err)
	}
	rows, err := tx.Query(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return fmt.Errorf("postgres: migrate: read schema_migrations: %w", err)
	}
	versions, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("postgres: migrate: read schema_migrations: %w", err)
	}
	applied := map[int64]bool{}
	for _, v := range versions {
		applied[v] = true
	}
	for _, m := range ms {
		if applied[m.Version] {
			continue
		}
		// No arguments: pgx uses the simple protocol, which runs a whole
		// multi-statement file (including $$-quoted function bodies).
		if _, err := tx.Exec(ctx, m.SQL); err != nil {
			return fmt.Errorf("postgres: migrate: apply %s: %w", m.Name, err)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.Version, m.Name); err != nil {
			return fmt.Errorf("postgres: migrate: record %s: %w", m.Name, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: migrate: commit: %w", err)
	}
	return nil
}

// classify maps driver errors to the store sentinels while keeping the
// driver's message for logs.
func classify(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return store.ErrNotFound
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505": // unique_violation
			return fmt.Errorf("%w: %w", store.ErrConflict, err)
		case "23503": // foreign_key_violation: the referenced user does not exist
			return fmt.Errorf("%w: %w", store.ErrNotFound, err)
		}
	}
	return err
}

// utc normalises times read back so both backends return the same location.
func utc(t time.Time) time.Time { return t.UTC() }
