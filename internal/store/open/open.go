// Package open picks and opens a store backend from a DSN. It lives apart
// from package store so that store stays free of driver imports and the
// backends can import store without a cycle.
package open

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/segfaultarena/segfault/internal/store"
	"github.com/segfaultarena/segfault/internal/store/postgres"
	"github.com/segfaultarena/segfault/internal/store/sqlite"
)

// DefaultFile is the SQLite file name used under the data directory when no
// DSN is configured.
const DefaultFile = "segfault.db"

// Backend names what a DSN selects.
type Backend string

const (
	SQLite   Backend = "sqlite"
	Postgres Backend = "postgres"
)

// Parse decides the backend for dsn and returns its target: the SQLite file
// path, or the PostgreSQL URL unchanged. Accepted forms:
//
//	""                               SQLite at <dataDir>/segfault.db
//	sqlite:PATH, sqlite://PATH       SQLite at PATH (sqlite:///abs/x.db is /abs/x.db)
//	file:PATH, file://PATH           SQLite at PATH
//	/abs/x.db, ./x.db, ../x.db, x.db SQLite at that path (a plain path; relative
//	                                 ones must start with ./ or ../ or end in
//	                                 .db, .sqlite or .sqlite3)
//	postgres://..., postgresql://... PostgreSQL (any pgx parameters)
//
// Errors name the setting (SEGFAULT_DB / --db) and never contain a password.
func Parse(dsn, dataDir string) (Backend, string, error) {
	dsn = strings.TrimSpace(dsn)
	lower := strings.ToLower(dsn)
	switch {
	case dsn == "":
		if dataDir == "" {
			return "", "", fmt.Errorf("store: no database configured (SEGFAULT_DB / --db) and no data directory")
		}
		return SQLite, filepath.Join(dataDir, DefaultFile), nil
	case strings.HasPrefix(lower, "postgres://"), strings.HasPrefix(lower, "postgresql://"):
		return Postgres, dsn, nil
	case strings.HasPrefix(lower, "sqlite:"):
		return sqlitePath(dsn[len("sqlite:"):], dsn)
	case strings.HasPrefix(lower, "file:"):
		return sqlitePath(dsn[len("file:"):], dsn)
	case looksLikePath(dsn):
		return sqlitePath(dsn, dsn)
	}
	return "", "", fmt.Errorf("store: database setting (SEGFAULT_DB / --db) %q is not understood; "+
		"use sqlite:PATH, a file path, or postgres://USER@HOST:PORT/DB", redact(dsn))
}

func sqlitePath(rest, dsn string) (Backend, string, error) {
	rest = strings.TrimPrefix(rest, "//")
	if rest == "" {
		return "", "", fmt.Errorf("store: database setting (SEGFAULT_DB / --db) %q has no file path", dsn)
	}
	if strings.ContainsAny(rest, "?#") {
		return "", "", fmt.Errorf("store: database setting (SEGFAULT_DB / --db) %q: SQLite options are not accepted "+
			"(the store sets WAL, busy timeout and foreign keys itself); give only the file path", dsn)
	}
	return SQLite, rest, nil
}

func looksLikePath(s string) bool {
	if strings.Contains(s, "://") {
		return false
	}
	if filepath.IsAbs(s) || strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../") {
		return true
	}
	switch strings.ToLower(filepath.Ext(s)) {
	case ".db", ".sqlite", ".sqlite3":
		return true
	}
	return false
}

// redact hides anything that looks like URL credentials in a DSN we could
// not understand.
func redact(dsn string) string {
	scheme, rest, ok := strings.Cut(dsn, "://")
	if !ok {
		return dsn
	}
	host := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		host = rest[:i]
	}
	at := strings.LastIndex(host, "@")
	if at < 0 {
		return dsn
	}
	user, _, hasPw := strings.Cut(host[:at], ":")
	if !hasPw {
		return dsn
	}
	return scheme + "://" + user + ":xxxxx" + rest[at:]
}

// Open opens the store dsn selects (see Parse). It does not migrate: call
// Migrate on the result (`segfault migrate`, or at start of serve/api).
func Open(ctx context.Context, dsn, dataDir string) (store.Store, error) {
	backend, target, err := Parse(dsn, dataDir)
	if err != nil {
		return nil, err
	}
	switch backend {
	case SQLite:
		return sqlite.Open(ctx, target)
	default:
		return postgres.Open(ctx, target)
	}
}
