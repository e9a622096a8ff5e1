package open

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segfaultarena/segfault/internal/store"
)

func TestParse(t *testing.T) {
	tests := []struct {
		dsn         string
		wantBackend Backend
		wantTarget  string
		wantErr     string
	}{
		{"", SQLite, "/data/segfault.db", ""},
		{"  ", SQLite, "/data/segfault.db", ""},
		{"sqlite:/var/lib/arena.db", SQLite, "/var/lib/arena.db", ""},
		{"sqlite:arena.db", SQLite, "arena.db", ""},
		{"sqlite:///var/lib/arena.db", SQLite, "/var/lib/arena.db", ""},
		{"SQLITE:x.db", SQLite, "x.db", ""},
		{"file:/tmp/a.db", SQLite, "/tmp/a.db", ""},
		{"file:///tmp/a.db", SQLite, "/tmp/a.db", ""},
		{"/srv/arena/arena.sqlite", SQLite, "/srv/arena/arena.sqlite", ""},
		{"./local", SQLite, "./local", ""},
		{"arena.sqlite3", SQLite, "arena.sqlite3", ""},
		{"postgres://u:p@db:5432/arena?sslmode=require", Postgres, "postgres://u:p@db:5432/arena?sslmode=require", ""},
		{"postgresql://db/arena", Postgres, "postgresql://db/arena", ""},
		{"sqlite:", "", "", "no file path"},
		{"sqlite:x.db?_pragma=foreign_keys(0)", "", "", "options are not accepted"},
		{"file:x.db?mode=ro", "", "", "options are not accepted"},
		{"mysql://root:pw@db/arena", "", "", "SEGFAULT_DB / --db"},
		{"redis://localhost:6379", "", "", "not understood"},
		{"arena", "", "", "not understood"},
	}
	for _, tt := range tests {
		t.Run(tt.dsn, func(t *testing.T) {
			b, target, err := Parse(tt.dsn, "/data")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Parse(%q) error = %v, want containing %q", tt.dsn, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.dsn, err)
			}
			if b != tt.wantBackend || target != tt.wantTarget {
				t.Fatalf("Parse(%q) = %s %q, want %s %q", tt.dsn, b, target, tt.wantBackend, tt.wantTarget)
			}
		})
	}
}

func TestParseErrorsHidePasswords(t *testing.T) {
	for _, dsn := range []string{
		"mysql://root:hunter2@db/arena",
		"mongodb://admin:hunter2@db:27017/arena?authSource=admin",
	} {
		_, _, err := Parse(dsn, "/data")
		if err == nil {
			t.Fatalf("Parse(%q) succeeded", dsn)
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("error leaks password: %v", err)
		}
		if !strings.Contains(err.Error(), "xxxxx") {
			t.Errorf("error does not show the redacted DSN: %v", err)
		}
	}
}

func TestParseNoDataDir(t *testing.T) {
	if _, _, err := Parse("", ""); err == nil {
		t.Fatal("empty DSN with empty data dir accepted")
	}
}

// TestOpenDefault opens the embedded default under a data directory that
// does not exist yet, migrates it and uses it.
func TestOpenDefault(t *testing.T) {
	dataDir := filepath.Join(t.TempDir(), "data")
	ctx := context.Background()
	s, err := Open(ctx, "", dataDir)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	u, err := s.CreateUser(ctx, store.NewUser{Username: "zoe"})
	if err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	if p, err := s.Profile(ctx, u.ID); err != nil || p.DisplayName != "zoe" {
		t.Fatalf("Profile = %+v, %v", p, err)
	}
	if _, err := os.Stat(filepath.Join(dataDir, DefaultFile)); err != nil {
		t.Fatalf("default database file: %v", err)
	}
}

// TestOpenPostgresBadHost: an unreachable server fails at first use with an
// error that does not show the password (the pool connects lazily).
func TestOpenPostgresBadHost(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, "postgres://bob:hunter2@127.0.0.1:1/arena?connect_timeout=2", "")
	if err != nil {
		if strings.Contains(err.Error(), "hunter2") {
			t.Fatalf("error leaks password: %v", err)
		}
		return
	}
	defer s.Close()
	err = s.Ping(ctx)
	if err == nil {
		t.Fatal("Ping to 127.0.0.1:1 succeeded")
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("error leaks password: %v", err)
	}
}
