package store

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"
)

// Problems is the persistence of versioned problem packages (issue 4). It
// is a separate interface until the lead embeds it in Store; callers take it
// explicitly (catalog.New) or type-assert a Store.
//
// A problem is a stable id (the Kattis short name) with numbered, immutable
// versions. Each version keeps the metadata the lobby and matchmaking filter
// on, plus the whole package as a zip, stored once per content hash: any
// API node or worker with database access can unpack the exact version a
// match was played on.
type Problems interface {
	// SaveProblemVersion stores v with its package zip, in one
	// transaction. If the problem's newest version has the same SHA256, that
	// version is returned with created=false and nothing is written;
	// otherwise a new version numbered newest+1 is created. (Content equal
	// to an OLDER version also becomes a new version: the newest is always
	// what was imported last.) ID, Version, ImportedAt (when zero),
	// PackageBytes, Enabled and LatestVersion of v are set by the store.
	// A UUID that another problem already has, or that differs from the
	// problem's own, is ErrConflict.
	SaveProblemVersion(ctx context.Context, v ProblemVersion, zip []byte) (ProblemVersion, bool, error)
	// ProblemVersion returns version n of a problem, 0 = the newest.
	ProblemVersion(ctx context.Context, problemID string, n int) (ProblemVersion, error) // ErrNotFound
	// ProblemVersionByID returns a version by its row id.
	ProblemVersionByID(ctx context.Context, id int64) (ProblemVersion, error) // ErrNotFound
	// ProblemVersions lists a problem's versions, oldest first.
	ProblemVersions(ctx context.Context, problemID string) ([]ProblemVersion, error) // ErrNotFound if none
	// ListProblems returns one page of the newest versions of the problems
	// matching f, ordered by difficulty (unrated last) then id, and how many
	// match in all.
	ListProblems(ctx context.Context, f ProblemFilter) ([]ProblemVersion, int, error)
	// ProblemPackage returns the package zip of a version.
	ProblemPackage(ctx context.Context, versionID int64) ([]byte, error) // ErrNotFound
	// SetProblemEnabled shows or hides a problem (all its versions) in
	// listings and matchmaking; history keeps pointing at it either way.
	SetProblemEnabled(ctx context.Context, problemID string, enabled bool) error // ErrNotFound
}

// ProblemVersion is one stored version of a problem (without its zip).
type ProblemVersion struct {
	ID              int64  // row id, unique across problems
	ProblemID       string // ProblemIDPattern
	Version         int    // 1, 2, ...
	SHA256          string // content hash of the package (problem.ContentHash), 64 hex digits
	UUID            string // problem.yaml uuid, "" if none
	Name            string // English name
	Difficulty      int    // 800–3000; 0 = unrated
	Tags            []string
	ComplexityTime  string // intended solution, e.g. "O(n log n)"
	ComplexitySpace string
	TimeLimit       time.Duration // millisecond precision; 0 = not known
	MemoryMiB       int64
	Interactive     bool
	Scoring         bool
	PackageBytes    int64 // size of the stored zip
	ImportedAt      time.Time
	ImportedBy      int64 // user id; 0 = the server itself (bundled set) or the CLI

	// Of the problem, read only.
	Enabled       bool
	LatestVersion int
}

// ProblemFilter selects problems for ListProblems. Zero values select
// everything enabled, first page of DefaultProblemPage.
type ProblemFilter struct {
	MinDifficulty, MaxDifficulty int      // inclusive; 0 = unbounded. Either bound excludes unrated problems.
	Tags                         []string // the newest version must carry every one (case-insensitive)
	IncludeDisabled              bool
	Offset, Limit                int // Limit 0 = DefaultProblemPage; capped at MaxProblemPage
}

// Page sizes of ListProblems.
const (
	DefaultProblemPage = 50
	MaxProblemPage     = 500
)

// ProblemIDPattern is what a problem id looks like (a Kattis short name in
// lower case); the schema enforces it too.
var ProblemIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

var sha256Pattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ErrInvalid is returned for a value the store refuses before touching the
// database (malformed problem id, hash...).
var ErrInvalid = errors.New("store: invalid value")

// CheckProblemVersion validates what SaveProblemVersion needs; backends
// call it first so both reject the same inputs with the same error.
func CheckProblemVersion(v ProblemVersion, zip []byte) error {
	switch {
	case !ProblemIDPattern.MatchString(v.ProblemID):
		return fmt.Errorf("%w: problem id %q (want lower-case letters, digits, - and _, at most 64)", ErrInvalid, v.ProblemID)
	case !sha256Pattern.MatchString(v.SHA256):
		return fmt.Errorf("%w: sha256 %q (want 64 lower-case hex digits)", ErrInvalid, v.SHA256)
	case len(zip) == 0:
		return fmt.Errorf("%w: empty package zip", ErrInvalid)
	case v.Difficulty < 0 || v.TimeLimit < 0 || v.MemoryMiB < 0:
		return fmt.Errorf("%w: negative difficulty, time or memory limit", ErrInvalid)
	}
	return nil
}

// NormalizeProblemFilter applies the defaults and caps of ProblemFilter.
func NormalizeProblemFilter(f ProblemFilter) ProblemFilter {
	if f.Limit <= 0 {
		f.Limit = DefaultProblemPage
	}
	f.Limit = min(f.Limit, MaxProblemPage)
	f.Offset = max(f.Offset, 0)
	return f
}
