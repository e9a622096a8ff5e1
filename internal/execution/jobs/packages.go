package jobs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/segfaultarena/segfault/internal/bus"
	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/problem"
	"github.com/segfaultarena/segfault/internal/problem/verify"
)

// ProblemRef names the exact package a job is judged against: a worker
// never judges against "the newest version", so a re-import during a match
// cannot change the tests under a running submission.
type ProblemRef struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
	SHA256  string `json:"sha256"`
	Dir     string `json:"-"` // where the API node has the files
}

// Packages moves problem packages to workers through a JetStream object
// store bucket keyed by content hash: the API node uploads a version the
// first time a job uses it; a worker downloads it once and keeps it on its
// disk, so a worker on another machine needs only NATS and the database.
type Packages struct {
	obj      jetstream.ObjectStore
	cacheDir string // worker side; "" on API nodes

	mu        sync.Mutex
	published map[string]bool
	loaded    map[string]*judge.Problem
	loading   map[string]*sync.Mutex
}

// packageBucket is the object store bucket of problem packages.
func packageBucket(b *bus.Bus) string {
	return NSName(b, "problems")
}

// NewPackages ensures the bucket. cacheDir is where a worker unpacks
// packages (created if missing); API nodes pass "".
func NewPackages(ctx context.Context, b *bus.Bus, cacheDir string) (*Packages, error) {
	storage := jetstream.FileStorage
	if b.Config.Memory {
		storage = jetstream.MemoryStorage
	}
	obj, err := b.JS.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{
		Bucket:      packageBucket(b),
		Description: "problem packages (zip) by content SHA-256, for judge workers",
		Storage:     storage,
		Replicas:    b.Config.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("problem package bucket: %w", err)
	}
	if cacheDir != "" {
		if err := os.MkdirAll(cacheDir, 0o750); err != nil {
			return nil, fmt.Errorf("problem cache: %w", err)
		}
	}
	return &Packages{obj: obj, cacheDir: cacheDir, published: map[string]bool{},
		loaded: map[string]*judge.Problem{}, loading: map[string]*sync.Mutex{}}, nil
}

// Publish uploads the package of ref unless the bucket already has it.
func (p *Packages) Publish(ctx context.Context, ref ProblemRef) error {
	p.mu.Lock()
	done := p.published[ref.SHA256]
	p.mu.Unlock()
	if done {
		return nil
	}
	if _, err := p.obj.GetInfo(ctx, ref.SHA256); err == nil {
		p.markPublished(ref.SHA256)
		return nil
	} else if !errors.Is(err, jetstream.ErrObjectNotFound) {
		return fmt.Errorf("problem %s: look up package: %w", ref.ID, err)
	}
	if ref.Dir == "" {
		return fmt.Errorf("problem %s: no local files to publish", ref.ID)
	}
	var buf bytes.Buffer
	if err := problem.WriteZip(ref.Dir, "", &buf); err != nil {
		return fmt.Errorf("problem %s: %w", ref.ID, err)
	}
	if _, err := p.obj.Put(ctx, jetstream.ObjectMeta{Name: ref.SHA256,
		Description: fmt.Sprintf("%s version %d", ref.ID, ref.Version)}, &buf); err != nil {
		return fmt.Errorf("problem %s: upload package: %w", ref.ID, err)
	}
	p.markPublished(ref.SHA256)
	return nil
}

func (p *Packages) markPublished(sha string) {
	p.mu.Lock()
	p.published[sha] = true
	p.mu.Unlock()
}

var shaRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Load returns the judge's view of the package with content hash ref.SHA256,
// downloading and unpacking it into the cache on first use.
func (p *Packages) Load(ctx context.Context, ref ProblemRef) (*judge.Problem, error) {
	if !shaRE.MatchString(ref.SHA256) {
		return nil, fmt.Errorf("problem %s: bad content hash %q", ref.ID, ref.SHA256)
	}
	p.mu.Lock()
	if jp, ok := p.loaded[ref.SHA256]; ok {
		p.mu.Unlock()
		return jp, nil
	}
	l := p.loading[ref.SHA256]
	if l == nil {
		l = &sync.Mutex{}
		p.loading[ref.SHA256] = l
	}
	p.mu.Unlock()
	// One download per package even when several slots need it at once.
	l.Lock()
	defer l.Unlock()
	p.mu.Lock()
	jp, ok := p.loaded[ref.SHA256]
	p.mu.Unlock()
	if ok {
		return jp, nil
	}

	dir := filepath.Join(p.cacheDir, ref.SHA256)
	if _, err := os.Stat(filepath.Join(dir, "problem.yaml")); err != nil {
		if err := p.download(ctx, ref, dir); err != nil {
			return nil, err
		}
	}
	// The same loader and conversion as `segfault problem verify`: the
	// package plays with the limits, validator and flags it verified with,
	// and with the time limit import derived (written as .timelimit).
	jp, _, err := verify.LoadJudgeProblem(dir)
	if err != nil {
		return nil, fmt.Errorf("problem %s: %w", ref.ID, err)
	}
	if jp.Name == "" || jp.Name == ref.SHA256 {
		jp.Name = ref.ID
	}
	p.mu.Lock()
	p.loaded[ref.SHA256] = jp
	p.mu.Unlock()
	return jp, nil
}

func (p *Packages) download(ctx context.Context, ref ProblemRef, dir string) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	r, err := p.obj.Get(ctx, ref.SHA256)
	if err != nil {
		return fmt.Errorf("problem %s: fetch package %s: %w", ref.ID, ref.SHA256[:12], err)
	}
	defer r.Close()
	tmp, err := os.CreateTemp(p.cacheDir, "pkg-*.zip")
	if err != nil {
		return fmt.Errorf("problem %s: %w", ref.ID, err)
	}
	defer os.Remove(tmp.Name())
	_, err = io.Copy(tmp, r)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("problem %s: fetch package: %w", ref.ID, err)
	}
	// A half-unpacked directory left by a crash would lack problem.yaml
	// or be incomplete: ExtractZip renames into place only when complete.
	os.RemoveAll(dir)
	if err := problem.ExtractZip(tmp.Name(), dir, problem.DefaultArchiveLimits); err != nil {
		return fmt.Errorf("problem %s: unpack package: %w", ref.ID, err)
	}
	got, err := problem.ContentHash(dir)
	if err != nil || got != ref.SHA256 {
		os.RemoveAll(dir)
		return fmt.Errorf("problem %s: package content hash %s does not match %s (%v)", ref.ID, got, ref.SHA256, err)
	}
	return nil
}

// Dir is where the worker unpacked the package of ref (Load first).
func (p *Packages) Dir(ref ProblemRef) string { return filepath.Join(p.cacheDir, ref.SHA256) }
