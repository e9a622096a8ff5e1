// Package catalog keeps the problem set in the SQL store: it implements
// problem.Catalog on store.Problems, unpacks versions on demand into an
// on-disk cache, imports the bundled set on start and serves the problem
// API (list, statement, statement images, admin upload).
//
// # Storage
//
// Every version's package is stored in the database as a zip (once per
// content hash), so any API node or worker with database access gets the
// exact version a match was played on. Versions are unpacked with
// problem.ExtractZip into
//
//	<data-dir>/problem-cache/<sha256>/<problem-id>/
//
// checked against their content hash, and never changed afterwards: the
// path of a version is valid for as long as the cache is. Deleting the
// cache is always safe; it is rebuilt from the database.
//
// # What players see
//
// The problem API shows the statement, samples (with interaction
// transcripts), limits, difficulty, tags and the languages allowed. It does
// NOT show the intended complexity: "O(n log max a)" next to a statement
// tells the player to binary search on the answer, which is the problem.
// The complexity is kept in the store for the coach, which explains it
// after the match. Tags are shown (players filter by them) although they
// are a milder hint.
package catalog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/problem"
	"github.com/segfaultarena/segfault/internal/store"
)

// DefaultMaxUpload bounds the body of an admin package upload.
const DefaultMaxUpload = 64 << 20

// Catalog is a problem.Catalog on the SQL store. Create it with New; the
// exported fields may be changed before it is used.
type Catalog struct {
	// Limits bound what an imported zip may unpack to (uploads and the
	// cache). Zero value = problem.DefaultArchiveLimits.
	Limits problem.ArchiveLimits
	// MaxUpload is the body limit of the upload route (default 64 MiB).
	// Only that route has it; the rest of the API keeps its JSON limit.
	MaxUpload int64
	// Verify, when set, lets an admin upload ask for verification
	// (?verify=true): input validators and every submission are judged
	// before anything is stored, and the derived time limit is recorded.
	// verify.ImportCheck(judge, opts, nil) fits.
	Verify func(ctx context.Context, pkg *problem.Package) (time.Duration, error)
	// Languages lists the languages a problem offers (default: the judge's
	// embedded languages.yaml).
	Languages *judge.Languages
	// Live, when set (before serving), narrows them to the languages the
	// judge workers offer now (ok false: not known, no narrowing);
	// execution.Service.LiveLanguages fits.
	Live func() (ids []string, ok bool)

	st       store.Problems
	cacheDir string
	log      *slog.Logger

	extractMu sync.Mutex // one unpack at a time: rare, and two would race on the same directory
	mu        sync.Mutex
	pkgs      map[string]*problem.Package // loaded packages by cache key; versions are immutable
}

var _ problem.Catalog = (*Catalog)(nil)

// New returns a catalog on st that caches unpacked packages under
// dataDir/problem-cache. log may be nil.
func New(st store.Problems, dataDir string, log *slog.Logger) *Catalog {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Catalog{
		MaxUpload: DefaultMaxUpload,
		st:        st,
		cacheDir:  filepath.Join(dataDir, "problem-cache"),
		log:       log,
		pkgs:      map[string]*problem.Package{},
	}
}

// Store is the store the catalog reads (for listings).
func (c *Catalog) Store() store.Problems { return c.st }

func (c *Catalog) limits() problem.ArchiveLimits {
	if c.Limits == (problem.ArchiveLimits{}) {
		return problem.DefaultArchiveLimits
	}
	return c.Limits
}

func (c *Catalog) languages() (*judge.Languages, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.Languages == nil {
		l, err := judge.DefaultLanguages("")
		if err != nil {
			return nil, fmt.Errorf("catalog: languages: %w", err)
		}
		c.Languages = l
	}
	return c.Languages, nil
}

type importerKey struct{}

// WithImporter records who imports: SaveVersion stores the user id with
// the version (0 = the server itself or the CLI).
func WithImporter(ctx context.Context, userID int64) context.Context {
	return context.WithValue(ctx, importerKey{}, userID)
}

func importerFrom(ctx context.Context) int64 {
	id, _ := ctx.Value(importerKey{}).(int64)
	return id
}

// notFound turns the store's ErrNotFound into problem.ErrNotFound, keeping both.
func notFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%w: %w", problem.ErrNotFound, err)
	}
	return err
}

// ErrConflict is a package the store refused because of its identity (its
// uuid belongs to another problem, or differs from the problem's own).
var ErrConflict = errors.New("catalog: package conflicts with a stored problem")

// SaveVersion implements problem.Catalog: the package directory is zipped
// (reproducibly, so equal content gives equal bytes) and stored with its
// metadata; the cache is seeded from the directory.
func (c *Catalog) SaveVersion(ctx context.Context, pkg *problem.Package, sha string, timeLimit time.Duration) (problem.Version, bool, error) {
	id := strings.ToLower(pkg.ShortName)
	if !store.ProblemIDPattern.MatchString(id) {
		return problem.Version{}, false, &problem.LoadError{Dir: pkg.ShortName, Issues: []problem.Issue{{Severity: problem.Error,
			Code: problem.CodeBadValue, Msg: fmt.Sprintf("%q is not a valid problem id (lower-case letters, digits, - and _, at most 64)", pkg.ShortName)}}}
	}
	// Unchanged content (every restart for the bundled set) is answered
	// without zipping megabytes; SaveProblemVersion checks again atomically.
	if cur, err := c.st.ProblemVersion(ctx, id, 0); err == nil && cur.SHA256 == sha {
		v, err := c.version(ctx, cur)
		return v, false, err
	}
	if timeLimit <= 0 {
		timeLimit = pkg.TimeLimit
	}
	var zip bytes.Buffer
	if err := problem.WriteZip(pkg.Dir, "", &zip); err != nil {
		return problem.Version{}, false, fmt.Errorf("catalog: save %s: %w", id, err)
	}
	tags := pkg.Arena.Tags
	if tags == nil {
		tags = []string{}
	}
	saved, created, err := c.st.SaveProblemVersion(ctx, store.ProblemVersion{
		ProblemID: id, SHA256: sha, UUID: pkg.Meta.UUID, Name: pkg.Meta.Name("en"),
		Difficulty: pkg.Arena.Difficulty, Tags: tags,
		ComplexityTime: pkg.Arena.Complexity.Time, ComplexitySpace: pkg.Arena.Complexity.Space,
		TimeLimit: timeLimit, MemoryMiB: pkg.Meta.Limits.MemoryMiB,
		Interactive: pkg.Meta.Interactive(), Scoring: pkg.Meta.Scoring(),
		ImportedBy: importerFrom(ctx),
	}, zip.Bytes())
	if err != nil {
		if errors.Is(err, store.ErrConflict) {
			return problem.Version{}, false, fmt.Errorf("%w: %w", ErrConflict, err)
		}
		return problem.Version{}, false, fmt.Errorf("catalog: save %s: %w", id, err)
	}
	// Seed the cache from the directory we already have; failing only
	// costs an unpack later.
	dir := c.dir(saved)
	if _, err := os.Stat(dir); err != nil {
		c.extractMu.Lock()
		if _, err := os.Stat(dir); err != nil {
			if err := problem.CopyTree(pkg.Dir, dir); err != nil {
				c.log.Warn("problem cache: seed failed", "problem", id, "version", saved.Version, "err", err)
			}
		}
		c.extractMu.Unlock()
	}
	v, err := c.version(ctx, saved)
	return v, created, err
}

// Version implements problem.Catalog; Dir is the unpacked cache directory.
func (c *Catalog) Version(ctx context.Context, problemID string, n int) (problem.Version, error) {
	sv, err := c.st.ProblemVersion(ctx, problemID, n)
	if err != nil {
		return problem.Version{}, notFound(err)
	}
	return c.version(ctx, sv)
}

// Versions implements problem.Catalog (each version is unpacked if needed).
func (c *Catalog) Versions(ctx context.Context, problemID string) ([]problem.Version, error) {
	svs, err := c.st.ProblemVersions(ctx, problemID)
	if err != nil {
		return nil, notFound(err)
	}
	out := make([]problem.Version, 0, len(svs))
	for _, sv := range svs {
		v, err := c.version(ctx, sv)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Problems implements problem.Catalog: every stored problem, enabled or not.
func (c *Catalog) Problems(ctx context.Context) ([]string, error) {
	var ids []string
	for off := 0; ; {
		page, total, err := c.st.ListProblems(ctx, store.ProblemFilter{IncludeDisabled: true, Offset: off, Limit: store.MaxProblemPage})
		if err != nil {
			return nil, err
		}
		for _, v := range page {
			ids = append(ids, v.ProblemID)
		}
		off += len(page)
		if len(page) == 0 || off >= total {
			return ids, nil
		}
	}
}

func (c *Catalog) version(ctx context.Context, sv store.ProblemVersion) (problem.Version, error) {
	dir, err := c.ensure(ctx, sv)
	if err != nil {
		return problem.Version{}, err
	}
	return problem.Version{ProblemID: sv.ProblemID, Number: sv.Version, SHA256: sv.SHA256, UUID: sv.UUID,
		TimeLimit: sv.TimeLimit, Name: sv.Name, Imported: sv.ImportedAt, Dir: dir}, nil
}

// dir is where a version is unpacked. Both parts are validated by the
// store (id pattern, 64 hex digits), so the path stays under cacheDir. The
// last element is the problem id because a package's short name is its
// directory name.
func (c *Catalog) dir(sv store.ProblemVersion) string {
	return filepath.Join(c.cacheDir, sv.SHA256, sv.ProblemID)
}

// ensure unpacks a version into the cache unless it is there. The unpack is
// atomic (ExtractZip renames a finished directory into place) and checked
// against the content hash, so a present directory is a complete one.
func (c *Catalog) ensure(ctx context.Context, sv store.ProblemVersion) (string, error) {
	dir := c.dir(sv)
	if _, err := os.Stat(filepath.Join(dir, "problem.yaml")); err == nil {
		return dir, nil
	}
	c.extractMu.Lock()
	defer c.extractMu.Unlock()
	if _, err := os.Stat(filepath.Join(dir, "problem.yaml")); err == nil {
		return dir, nil
	}
	zip, err := c.st.ProblemPackage(ctx, sv.ID)
	if err != nil {
		return "", fmt.Errorf("catalog: %s v%d: %w", sv.ProblemID, sv.Version, notFound(err))
	}
	if err := os.MkdirAll(c.cacheDir, 0o755); err != nil {
		return "", fmt.Errorf("catalog: cache: %w", err)
	}
	tmp, err := os.CreateTemp(c.cacheDir, ".zip-*")
	if err != nil {
		return "", fmt.Errorf("catalog: cache: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(zip)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("catalog: cache: %w", err)
	}
	if err := problem.ExtractZip(tmp.Name(), dir, c.limits()); err != nil {
		// Another process sharing the data dir (a worker next to the API)
		// may have renamed its finished copy into place first.
		if _, serr := os.Stat(filepath.Join(dir, "problem.yaml")); serr == nil {
			return dir, nil
		}
		if _, serr := os.Lstat(dir); serr == nil {
			// Never deleted here: another process may be reading it.
			return "", fmt.Errorf("catalog: cache directory %s is damaged (no problem.yaml); delete it to have it unpacked again", dir)
		}
		return "", fmt.Errorf("catalog: unpack %s v%d: %w", sv.ProblemID, sv.Version, err)
	}
	sum, err := problem.ContentHash(dir)
	if err != nil || sum != sv.SHA256 {
		os.RemoveAll(dir)
		if err == nil {
			err = fmt.Errorf("content hash %s, want %s", sum, sv.SHA256)
		}
		return "", fmt.Errorf("catalog: stored package of %s v%d is corrupt: %w", sv.ProblemID, sv.Version, err)
	}
	c.log.Info("problem cache: unpacked", "problem", sv.ProblemID, "version", sv.Version, "bytes", len(zip))
	return dir, nil
}

// Package returns version n (0 = newest) of a problem, loaded, with its
// store row. Loaded packages are kept in memory: versions never change.
func (c *Catalog) Package(ctx context.Context, problemID string, n int) (*problem.Package, store.ProblemVersion, error) {
	sv, err := c.st.ProblemVersion(ctx, problemID, n)
	if err != nil {
		return nil, store.ProblemVersion{}, notFound(err)
	}
	key := sv.SHA256 + "/" + sv.ProblemID
	c.mu.Lock()
	p := c.pkgs[key]
	c.mu.Unlock()
	if p != nil {
		return p, sv, nil
	}
	dir, err := c.ensure(ctx, sv)
	if err != nil {
		return nil, sv, err
	}
	p, err = problem.Load(dir)
	if err != nil {
		return nil, sv, fmt.Errorf("catalog: load %s v%d: %w", sv.ProblemID, sv.Version, err)
	}
	c.mu.Lock()
	c.pkgs[key] = p
	c.mu.Unlock()
	return p, sv, nil
}

// Import checks and stores the package at src (directory or zip) as a new
// version, with the catalog's archive limits unless opt sets others.
func (c *Catalog) Import(ctx context.Context, src string, opt problem.ImportOptions) (*problem.ImportResult, error) {
	if opt.Limits == (problem.ArchiveLimits{}) {
		opt.Limits = c.limits()
	}
	return problem.Import(ctx, c, src, opt)
}
