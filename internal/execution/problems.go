package execution

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sync"

	"github.com/segfaultarena/segfault/internal/problem"
)

// ProblemSource resolves a problem id to a version on an API node: the
// newest when version is 0, else that version (a match's submissions and
// runs are judged against the version the match started with, so a
// re-import during a match does not change the tests under it).
// ErrUnknownProblem for ids (or versions) it does not have.
type ProblemSource interface {
	Problem(ctx context.Context, id string, version int) (ProblemRef, error)
}

// ErrUnknownProblem is returned by a ProblemSource for an unknown id.
var ErrUnknownProblem = errors.New("unknown problem")

var problemIDRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// DirSource serves the packages under a directory (the bundled problems/):
// one package per subdirectory, id = directory name, version 0 (bundled,
// unversioned), hashed once on first use.
type DirSource struct {
	Root string

	mu    sync.Mutex
	cache map[string]ProblemRef
}

// Problem implements ProblemSource. A directory holds one version of each
// problem, so the version asked for is not looked at.
func (d *DirSource) Problem(ctx context.Context, id string, _ int) (ProblemRef, error) {
	if !problemIDRE.MatchString(id) {
		return ProblemRef{}, ErrUnknownProblem
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if ref, ok := d.cache[id]; ok {
		return ref, nil
	}
	dir := filepath.Join(d.Root, id)
	if _, err := os.Stat(filepath.Join(dir, "problem.yaml")); err != nil {
		return ProblemRef{}, ErrUnknownProblem
	}
	sha, err := problem.ContentHash(dir)
	if err != nil {
		return ProblemRef{}, fmt.Errorf("hash problem %s: %w", id, err)
	}
	ref := ProblemRef{ID: id, SHA256: sha, Dir: dir}
	if d.cache == nil {
		d.cache = map[string]ProblemRef{}
	}
	d.cache[id] = ref
	return ref, nil
}

// CatalogSource serves the versions of a problem.Catalog (the versioned
// library): the newest, or the one asked for.
type CatalogSource struct{ Catalog problem.Catalog }

func (c CatalogSource) Problem(ctx context.Context, id string, version int) (ProblemRef, error) {
	v, err := c.Catalog.Version(ctx, id, version)
	if errors.Is(err, problem.ErrNotFound) {
		return ProblemRef{}, ErrUnknownProblem
	}
	if err != nil {
		return ProblemRef{}, err
	}
	return ProblemRef{ID: v.ProblemID, Version: v.Number, SHA256: v.SHA256, Dir: v.Dir}, nil
}
