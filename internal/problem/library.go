package problem

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Version is one imported version of a problem. Versions are immutable: a
// match records the version it was played on, and re-importing a changed
// package adds a version instead of rewriting the one history points at.
type Version struct {
	ProblemID string `json:"problem_id"` // short name, the Kattis problem id
	Number    int    `json:"version"`    // 1, 2, ...
	SHA256    string `json:"sha256"`     // of the package content (paths + bytes)
	UUID      string `json:"uuid,omitempty"`
	// TimeLimit is the base time limit matches use: the package's explicit
	// one, or the one verification derived at import (0 = not known).
	TimeLimit time.Duration `json:"time_limit_ns"`
	Name      string        `json:"name"`
	Imported  time.Time     `json:"imported"`
	Dir       string        `json:"-"` // where the package files are
}

// Catalog stores versioned problem packages. Library implements it on a
// directory; the SQL store is meant to implement it too (see the report
// on problem tables), so import and export work the same against either.
type Catalog interface {
	// SaveVersion stores the package at dir as a new version of its problem,
	// unless the newest version has the same content hash; it returns the
	// version the content is stored as and whether it was created now.
	// timeLimit is recorded with a new version (see Version.TimeLimit).
	SaveVersion(ctx context.Context, pkg *Package, sha string, timeLimit time.Duration) (Version, bool, error)
	// Version returns version n of a problem (0 = the newest).
	Version(ctx context.Context, problemID string, n int) (Version, error)
	// Versions lists a problem's versions, oldest first.
	Versions(ctx context.Context, problemID string) ([]Version, error)
	// Problems lists the ids of every stored problem.
	Problems(ctx context.Context) ([]string, error)
}

// ErrNotFound is returned for an unknown problem or version.
var ErrNotFound = errors.New("problem: not found")

// Library is a Catalog on a directory:
//
//	root/<problem-id>/<n>/         the package files of version n (read-only by convention)
//	root/<problem-id>/<n>.json     its Version record, written last
//
// A version exists once its .json exists; a crash before that leaves a
// directory that the next import of the problem replaces.
type Library struct {
	Root string
}

var problemIDRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// ContentHash hashes a package's files (relative paths and bytes, in
// order), so the same package imported from a directory or a zip matches.
func ContentHash(root string) (string, error) {
	files, err := packageFiles(root)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, rel := range files {
		f, err := os.Open(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil {
			return "", err
		}
		fi, err := f.Stat()
		if err != nil {
			f.Close()
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", rel, fi.Size())
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func (l *Library) problemDir(id string) (string, error) {
	if !problemIDRE.MatchString(id) {
		return "", fmt.Errorf("%w: invalid problem id %q (lower-case letters, digits, - and _)", ErrNotFound, id)
	}
	return filepath.Join(l.Root, id), nil
}

// SaveVersion implements Catalog.
func (l *Library) SaveVersion(ctx context.Context, pkg *Package, sha string, timeLimit time.Duration) (Version, bool, error) {
	id := strings.ToLower(pkg.ShortName)
	dir, err := l.problemDir(id)
	if err != nil {
		return Version{}, false, &LoadError{Dir: pkg.Dir, Issues: []Issue{{Severity: Error, Code: CodeBadValue,
			Msg: fmt.Sprintf("directory name %q is not a valid problem id (lower-case letters, digits, - and _)", pkg.ShortName)}}}
	}
	// Two imports of the same problem at once must not pick the same
	// version number: hold an exclusive lock on the problem directory.
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Version{}, false, fmt.Errorf("save %s: %w", id, err)
	}
	unlock, err := lockDir(dir)
	if err != nil {
		return Version{}, false, fmt.Errorf("save %s: %w", id, err)
	}
	defer unlock()
	versions, err := l.Versions(ctx, id)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Version{}, false, err
	}
	if n := len(versions); n > 0 && versions[n-1].SHA256 == sha {
		return versions[n-1], false, nil
	}
	v := Version{ProblemID: id, Number: len(versions) + 1, SHA256: sha, UUID: pkg.Meta.UUID,
		Name: pkg.Meta.Name("en"), Imported: time.Now().UTC(), TimeLimit: timeLimit}
	v.Dir = filepath.Join(dir, strconv.Itoa(v.Number))
	os.RemoveAll(v.Dir) // a leftover of a crashed import (no .json)
	if err := CopyTree(pkg.Dir, v.Dir); err != nil {
		return Version{}, false, fmt.Errorf("save %s v%d: %w", id, v.Number, err)
	}
	rec, _ := json.MarshalIndent(v, "", "  ")
	tmp := v.Dir + ".json.tmp"
	if err := os.WriteFile(tmp, rec, 0o644); err != nil {
		os.RemoveAll(v.Dir)
		return Version{}, false, fmt.Errorf("save %s v%d: %w", id, v.Number, err)
	}
	if err := os.Rename(tmp, v.Dir+".json"); err != nil {
		os.Remove(tmp)
		os.RemoveAll(v.Dir)
		return Version{}, false, fmt.Errorf("save %s v%d: %w", id, v.Number, err)
	}
	return v, true, nil
}

// Versions implements Catalog.
func (l *Library) Versions(ctx context.Context, id string) ([]Version, error) {
	dir, err := l.problemDir(id)
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, fmt.Errorf("%w: problem %q", ErrNotFound, id)
	}
	if err != nil {
		return nil, err
	}
	var out []Version
	for _, e := range entries {
		num, ok := strings.CutSuffix(e.Name(), ".json")
		n, err := strconv.Atoi(num)
		if !ok || err != nil || n <= 0 {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		var v Version
		if err := json.Unmarshal(data, &v); err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		v.Dir = filepath.Join(dir, num)
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: problem %q", ErrNotFound, id)
	}
	return out, nil
}

// Version implements Catalog.
func (l *Library) Version(ctx context.Context, id string, n int) (Version, error) {
	vs, err := l.Versions(ctx, id)
	if err != nil {
		return Version{}, err
	}
	if n == 0 {
		return vs[len(vs)-1], nil
	}
	for _, v := range vs {
		if v.Number == n {
			return v, nil
		}
	}
	return Version{}, fmt.Errorf("%w: %s version %d", ErrNotFound, id, n)
}

// Problems implements Catalog.
func (l *Library) Problems(ctx context.Context) ([]string, error) {
	entries, err := os.ReadDir(l.Root)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() && problemIDRE.MatchString(e.Name()) {
			if _, err := l.Versions(ctx, e.Name()); err == nil {
				out = append(out, e.Name())
			}
		}
	}
	return out, nil
}

// ImportResult says what Import did.
type ImportResult struct {
	Version Version
	Created bool // false: the same content was already the newest version
	Package *Package
}

// ImportOptions tune Import.
type ImportOptions struct {
	Limits ArchiveLimits // zero value = DefaultArchiveLimits
	// Check, when set, verifies the loaded package before anything is
	// saved (input validators compile and accept every input, submissions
	// get their folders' verdicts) and returns the time limit to record.
	// An error rejects the import.
	Check func(ctx context.Context, pkg *Package) (time.Duration, error)
}

// Import loads src (a package directory or a .zip), checks it, and saves it
// as a new version in cat. A zip is unpacked with the safety checks of
// ExtractZip into a temporary directory that is removed afterwards. Any
// error leaves cat unchanged.
func Import(ctx context.Context, cat Catalog, src string, opt ImportOptions) (*ImportResult, error) {
	if opt.Limits == (ArchiveLimits{}) {
		opt.Limits = DefaultArchiveLimits
	}
	fi, err := os.Stat(src)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	root := src
	if fi.IsDir() {
		// A directory gets the limits a zip gets, before anything is
		// loaded or copied.
		if err := checkDirLimits(src, opt.Limits); err != nil {
			return nil, err
		}
	} else {
		tmp, err := os.MkdirTemp("", "segfault-import-")
		if err != nil {
			return nil, fmt.Errorf("import: %w", err)
		}
		defer os.RemoveAll(tmp)
		// The package directory keeps the zip's base name as its short name.
		name := strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))
		if err := ExtractZip(src, filepath.Join(tmp, "x"), opt.Limits); err != nil {
			return nil, err
		}
		r, err := packageRoot(filepath.Join(tmp, "x"))
		if err != nil {
			return nil, err
		}
		if r == filepath.Join(tmp, "x") {
			if err := os.Rename(r, filepath.Join(tmp, name)); err != nil {
				return nil, fmt.Errorf("import: %w", err)
			}
			r = filepath.Join(tmp, name)
		}
		root = r
	}
	pkg, err := Load(root)
	if err != nil {
		return nil, err
	}
	sha, err := ContentHash(pkg.Dir)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	tl := pkg.TimeLimit
	if opt.Check != nil {
		if tl, err = opt.Check(ctx, pkg); err != nil {
			return nil, err
		}
	}
	if pkg.TimeLimit <= 0 && tl > 0 {
		// A derived limit is written into the stored package as .timelimit
		// (what problemtools and DOMjudge do): every reader of the version
		// (judge workers that get only the zip, `segfault judge`, export)
		// then plays with the limit verification chose, and the content
		// hash covers it. Re-importing the same package derives again; the
		// same whole-second limit gives the same content, so no new version.
		staged, cleanup, err := withTimeLimitFile(pkg, tl)
		if err != nil {
			return nil, err
		}
		defer cleanup()
		pkg = staged
		if sha, err = ContentHash(pkg.Dir); err != nil {
			return nil, fmt.Errorf("import: %w", err)
		}
	}
	v, created, err := cat.SaveVersion(ctx, pkg, sha, tl)
	if err != nil {
		return nil, err
	}
	return &ImportResult{Version: v, Created: created, Package: pkg}, nil
}

// checkDirLimits applies ArchiveLimits to a package directory.
func checkDirLimits(root string, lim ArchiveLimits) error {
	files, err := packageFiles(root)
	if err != nil {
		return &LoadError{Dir: root, Issues: []Issue{{Severity: Error, Code: CodeBadLayout, Msg: err.Error()}}}
	}
	tooBig := func(path, format string, a ...any) error {
		return &LoadError{Dir: root, Issues: []Issue{{Severity: Error, Code: CodeBadValue, Path: path, Msg: fmt.Sprintf(format, a...)}}}
	}
	if len(files) > lim.MaxFiles {
		return tooBig("", "%d files, over the limit of %d", len(files), lim.MaxFiles)
	}
	var total int64
	for _, rel := range files {
		fi, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		if fi.Size() > lim.MaxFileBytes {
			return tooBig(rel, "%d bytes, over the limit of %d per file", fi.Size(), lim.MaxFileBytes)
		}
		if total += fi.Size(); total > lim.MaxTotalBytes {
			return tooBig(rel, "package over the total limit of %d bytes", lim.MaxTotalBytes)
		}
	}
	return nil
}

// withTimeLimitFile copies pkg into a temporary directory (same short name)
// with a .timelimit file of tl, and loads the copy.
func withTimeLimitFile(pkg *Package, tl time.Duration) (*Package, func(), error) {
	tmp, err := os.MkdirTemp("", "segfault-timelimit-")
	if err != nil {
		return nil, nil, fmt.Errorf("import: %w", err)
	}
	cleanup := func() { os.RemoveAll(tmp) }
	dir := filepath.Join(tmp, pkg.ShortName)
	if err := CopyTree(pkg.Dir, dir); err != nil {
		cleanup()
		return nil, nil, fmt.Errorf("import: %w", err)
	}
	secs := strconv.FormatFloat(tl.Seconds(), 'f', -1, 64)
	if err := os.WriteFile(filepath.Join(dir, ".timelimit"), []byte(secs+"\n"), 0o644); err != nil {
		cleanup()
		return nil, nil, fmt.Errorf("import: %w", err)
	}
	staged, err := Load(dir)
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	return staged, cleanup, nil
}

// Export writes version n (0 = newest) of a problem from a Library-like
// catalog to dest: a .zip file when dest ends in .zip, else a new directory.
func Export(ctx context.Context, cat Catalog, id string, n int, dest string) (Version, error) {
	v, err := cat.Version(ctx, id, n)
	if err != nil {
		return Version{}, err
	}
	return v, ExportDir(v.Dir, v.ProblemID, dest)
}

// ExportDir writes the package at root to dest (zip or directory). A zip is
// written to a temporary file and renamed, so dest is complete or absent.
func ExportDir(root, shortName, dest string) error {
	if !strings.EqualFold(filepath.Ext(dest), ".zip") {
		return CopyTree(root, dest)
	}
	if _, err := os.Lstat(dest); err == nil {
		return fmt.Errorf("export: %s already exists", dest)
	}
	f, err := os.CreateTemp(filepath.Dir(dest), ".export-*.zip")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := WriteZip(root, shortName, f); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("export: %w", err)
	}
	if err := os.Rename(f.Name(), dest); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("export: %w", err)
	}
	return nil
}
