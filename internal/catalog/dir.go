package catalog

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/segfaultarena/segfault/internal/problem"
	"github.com/segfaultarena/segfault/internal/store"
)

// Dir is a read-only catalog of the packages under a directory, as the
// bundled problems/ lays them out: one package per subdirectory named by
// its id, one version each (1), hashed once on first use. Tools and tests
// judge from it where no database is at hand; serve imports the same
// directory into the database Catalog instead.
type Dir struct {
	Root string

	mu    sync.Mutex
	cache map[string]problem.Version
}

var _ problem.Catalog = (*Dir)(nil)

// Version implements problem.Catalog: n is 0 (the newest) or 1.
func (d *Dir) Version(ctx context.Context, id string, n int) (problem.Version, error) {
	if !store.ProblemIDPattern.MatchString(id) || n > 1 {
		return problem.Version{}, problem.ErrNotFound
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if v, ok := d.cache[id]; ok {
		return v, nil
	}
	dir := filepath.Join(d.Root, id)
	if _, err := os.Stat(filepath.Join(dir, "problem.yaml")); err != nil {
		return problem.Version{}, problem.ErrNotFound
	}
	sha, err := problem.ContentHash(dir)
	if err != nil {
		return problem.Version{}, fmt.Errorf("hash problem %s: %w", id, err)
	}
	v := problem.Version{ProblemID: id, Number: 1, SHA256: sha, Dir: dir}
	if d.cache == nil {
		d.cache = map[string]problem.Version{}
	}
	d.cache[id] = v
	return v, nil
}

// Versions implements problem.Catalog.
func (d *Dir) Versions(ctx context.Context, id string) ([]problem.Version, error) {
	v, err := d.Version(ctx, id, 0)
	if err != nil {
		return nil, err
	}
	return []problem.Version{v}, nil
}

// Problems implements problem.Catalog.
func (d *Dir) Problems(ctx context.Context) ([]string, error) {
	entries, err := os.ReadDir(d.Root)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(d.Root, e.Name(), "problem.yaml")); e.IsDir() && err == nil &&
			store.ProblemIDPattern.MatchString(e.Name()) {
			ids = append(ids, e.Name())
		}
	}
	sort.Strings(ids)
	return ids, nil
}

// ErrReadOnly refuses SaveVersion on a Dir.
var ErrReadOnly = errors.New("catalog: a directory catalog is read-only")

// SaveVersion implements problem.Catalog: a Dir is read-only.
func (d *Dir) SaveVersion(ctx context.Context, pkg *problem.Package, sha string, timeLimit time.Duration) (problem.Version, bool, error) {
	return problem.Version{}, false, ErrReadOnly
}
