package catalog

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/segfaultarena/segfault/internal/problem"
	"github.com/segfaultarena/segfault/internal/store"
)

// BundledResult says what LoadBundled did, by problem id (directory name).
type BundledResult struct {
	Imported  []string // new problems or new versions
	Unchanged []string // content already stored
	Failed    []string // broken packages, logged and skipped
	Took      time.Duration
}

// LoadBundled imports every package directly under dir (a directory with
// problem.yaml; helpers like tools/ are skipped) into cat. The first start
// imports them all; later starts add a version only for content the
// problem has never had, so an unchanged set costs a hash per package, and
// a fix an admin uploaded is not undone by the older bundled copy on the
// next restart. A broken package is logged and skipped: it never blocks
// the server from starting. Packages are not verified here (CI verifies the
// bundled set); their time limits are explicit.
func LoadBundled(ctx context.Context, cat *Catalog, dir string) BundledResult {
	start := time.Now()
	var res BundledResult
	if dir == "" {
		return res
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		cat.log.Warn("bundled problems: cannot read directory; none loaded", "dir", dir, "err", err)
		return res
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		if ctx.Err() != nil {
			break
		}
		pdir := filepath.Join(dir, e.Name())
		if _, err := os.Stat(filepath.Join(pdir, "problem.yaml")); err != nil || !e.IsDir() {
			continue
		}
		name := e.Name()
		log := cat.log.With("problem", name, "dir", pdir)
		created, err := loadOne(ctx, cat, pdir)
		switch {
		case err != nil:
			res.Failed = append(res.Failed, name)
			log.Error("bundled problem skipped", "code", problem.ErrorCode(err), "err", err)
		case created:
			res.Imported = append(res.Imported, name)
		default:
			res.Unchanged = append(res.Unchanged, name)
		}
	}
	res.Took = time.Since(start)
	cat.log.Info("bundled problems loaded", "dir", dir, "imported", len(res.Imported),
		"unchanged", len(res.Unchanged), "failed", len(res.Failed), "took", res.Took.Round(time.Millisecond))
	return res
}

func loadOne(ctx context.Context, cat *Catalog, pdir string) (bool, error) {
	sha, err := problem.ContentHash(pdir)
	if err != nil {
		return false, err
	}
	id := strings.ToLower(filepath.Base(pdir))
	versions, err := cat.st.ProblemVersions(ctx, id)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	for _, v := range versions {
		if v.SHA256 == sha {
			return false, nil
		}
	}
	res, err := cat.Import(ctx, pdir, problem.ImportOptions{})
	if err != nil {
		return false, err
	}
	if res.Version.TimeLimit <= 0 {
		cat.log.Warn("bundled problem has no explicit time limit; matches need one (set limits.time_limit or import with verification)",
			"problem", res.Version.ProblemID)
	}
	cat.log.Info("bundled problem imported", "problem", res.Version.ProblemID, "version", res.Version.Number,
		"sha256", res.Version.SHA256[:12], "warnings", len(res.Package.Warnings))
	return res.Created, nil
}
