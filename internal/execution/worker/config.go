package worker

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/segfaultarena/segfault/internal/bus"
	"github.com/segfaultarena/segfault/internal/coach/llm"
	"github.com/segfaultarena/segfault/internal/config"
	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/problem"
	"github.com/segfaultarena/segfault/internal/sandbox"
	"github.com/segfaultarena/segfault/internal/store"
)

// Config is what a worker process needs: the bus, the store, where
// to keep files, how many jobs at once and which sandbox.
type Config struct {
	Bus     *bus.Bus
	Store   store.Store
	DataDir string // problem cache and sandbox dirs live under it
	Slots   int
	// Runtime is runc, runsc or bare; RuntimeBinary overrides the
	// runtime executable ("" = found on PATH).
	Runtime       string
	RuntimeBinary string
	Name          string
	Logger        *slog.Logger
	Registry      prometheus.Registerer // worker metrics; nil = none
	Coach         CoachOptions          // analyses after Accepted (CoachFromConfig)
	// TimeMultipliers scale time limits per language (--time-multipliers,
	// TimeMultipliersFromConfig).
	TimeMultipliers problem.LanguageMultipliers
	// CompileCacheMiB bounds the compile cache under DataDir/compile-cache
	// (--compile-cache-mib; 0 = none: every submission compiles).
	CompileCacheMiB int
	// PoolSize is the boxes kept started ahead per language in use
	// (--judge-pool; 0 = none).
	PoolSize int
}

// NewFromConfig builds the sandbox runtime, the judge and the worker.
// A runtime that cannot start boxes does not fail here: the worker starts,
// reports itself unhealthy and takes no jobs until the runtime works.
func NewFromConfig(ctx context.Context, c Config) (*Worker, error) {
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	abs, err := filepath.Abs(c.DataDir)
	if err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	// The runtime's state and box dirs belong to this data dir: a restarted
	// worker cleans what its killed predecessor left, and two workers with
	// their own data dirs on one host never touch each other's boxes. They
	// live under /run because OCI socket paths must stay short.
	stateDir, boxDir := sandboxDirs(abs)
	rt, err := sandbox.New(c.Runtime, sandbox.Options{StateDir: stateDir, BoxDir: boxDir, Binary: c.RuntimeBinary})
	if err != nil {
		return nil, err
	}
	if rt.Check(ctx) == nil {
		if err := rt.Cleanup(ctx); err != nil {
			c.Logger.Warn("sandbox cleanup of a previous run failed", "err", err)
		}
	}
	// The default toolchain cache is shared by every worker on the host
	// (preparing the Go standard library takes a while, once).
	langs, err := judge.DefaultLanguages("")
	if err != nil {
		return nil, err
	}
	j, err := judge.New(rt, langs, c.Logger)
	if err != nil {
		return nil, err
	}
	if c.CompileCacheMiB > 0 {
		cc, err := judge.OpenCompileCache(filepath.Join(abs, "compile-cache"), int64(c.CompileCacheMiB)<<20, c.Logger)
		if err != nil {
			return nil, err
		}
		j.UseCompileCache(cc)
	}
	var pool *sandbox.Pool
	if c.PoolSize > 0 {
		pool = j.StartPool(ctx, c.PoolSize)
	}
	w, err := New(ctx, Options{Bus: c.Bus, Store: c.Store, Judge: j, CacheDir: filepath.Join(abs, "problem-cache"),
		Slots: c.Slots, Name: c.Name, Logger: c.Logger, Registry: c.Registry, Coach: c.Coach, TimeMultipliers: c.TimeMultipliers})
	if err != nil {
		if pool != nil {
			pool.Close()
		}
		return nil, err
	}
	// After a clean stop every box is closed: remove what is left and the
	// (then empty) directories, so short-lived workers (tests, load tests)
	// leave nothing under /run. os.Remove keeps anything not empty.
	w.stopped = func(ctx context.Context) {
		if pool != nil {
			pool.Close()
		}
		if rt.Check(ctx) == nil {
			_ = rt.Cleanup(ctx)
		}
		for _, d := range []string{stateDir, boxDir, filepath.Dir(stateDir)} {
			_ = os.Remove(d)
		}
	}
	return w, nil
}

// sandboxDirs are the runtime state and box directories of the worker
// whose data dir is the absolute path abs.
func sandboxDirs(abs string) (state, boxes string) {
	h := sha256.Sum256([]byte(abs))
	base := filepath.Join("/run/segfault-sandbox", "w-"+hex.EncodeToString(h[:6]))
	return filepath.Join(base, "state"), filepath.Join(base, "boxes")
}

// SandboxDirs are the sandbox runtime state and box directories a worker
// with this data dir uses (for `segfault __sandbox cleanup` and tests).
func SandboxDirs(dataDir string) (state, boxes string, err error) {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return "", "", err
	}
	state, boxes = sandboxDirs(abs)
	return state, boxes, nil
}

// CoachFromConfig is the workers' coach configuration: the LLM from
// --llm-base-url, --llm-model, --llm-api-key and --llm-timeout when a base
// URL is set (else the offline coach), the default 10 s CPU budget.
func CoachFromConfig(cfg *config.Config) CoachOptions {
	var opt CoachOptions
	if cfg.LLMBaseURL != "" {
		opt.LLM = &llm.Client{BaseURL: cfg.LLMBaseURL, Model: cfg.LLMModel, APIKey: cfg.LLMAPIKey, Timeout: cfg.LLMTimeout}
	}
	return opt
}
