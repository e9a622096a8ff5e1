package execution

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/segfaultarena/segfault/internal/catalog"
	"github.com/segfaultarena/segfault/internal/config"
	"github.com/segfaultarena/segfault/internal/execution/worker"
	"github.com/segfaultarena/segfault/internal/problem"
	"github.com/segfaultarena/segfault/internal/ratelimit"
	"github.com/segfaultarena/segfault/internal/store"
)

// FromConfig starts the judge pipeline of a `serve` or `api` process from
// its configuration (the gauges go to reg; httpapi.MountJudge serves the
// Service):
//
//	serve, no --nats    embedded NATS under --data-dir + --workers in-process slots
//	serve, --nats URL   external NATS + --workers in-process slots
//	api                 external NATS (--nats required), no workers
//
// cat may be nil: the packages under --problems-dir are judged then.
// Close the result after the HTTP server has shut down.
func FromConfig(ctx context.Context, role string, cfg *config.Config, st store.Store, reg prometheus.Registerer,
	cat problem.Catalog, log *slog.Logger) (*Embedded, error) {
	if cat == nil {
		cat = &catalog.Dir{Root: cfg.ProblemsDir}
	}
	mult, err := TimeMultipliersFromConfig(cfg)
	if err != nil {
		return nil, err
	}
	lim := LimitsFromConfig(cfg)
	switch {
	case role == "serve" && cfg.NATS == "":
		return StartEmbedded(ctx, EmbeddedOptions{DataDir: cfg.DataDir, Store: st, Registry: reg, Catalog: cat, Limits: lim,
			Workers: cfg.Workers, Runtime: cfg.SandboxRuntime, Logger: log, Coach: worker.CoachFromConfig(cfg), TimeMultipliers: mult,
			CompileCacheMiB: cfg.CompileCacheMiB, PoolSize: cfg.JudgePool})
	case cfg.NATS == "":
		return nil, errors.New("api: --nats (SEGFAULT_NATS) is required: API nodes share an external NATS cluster")
	}
	e, err := NewAPI(ctx, APIOptions{NATSURL: cfg.NATS, Store: st, Registry: reg, Catalog: cat, Logger: log, Limits: lim})
	if err != nil || role != "serve" {
		return e, err
	}
	w, err := worker.NewFromConfig(ctx, worker.Config{Bus: e.Bus, Store: st, DataDir: cfg.DataDir,
		Slots: cfg.Workers, Runtime: cfg.SandboxRuntime, Logger: log.With("component", "worker"), Coach: worker.CoachFromConfig(cfg),
		TimeMultipliers: mult, Registry: reg, CompileCacheMiB: cfg.CompileCacheMiB, PoolSize: cfg.JudgePool})
	if err != nil {
		e.Close()
		return nil, err
	}
	e.Worker = w
	e.wg.Go(func() { _ = w.Run(e.runCtx) })
	return e, nil
}

// LimitsFromConfig is DefaultLimits with the judge-sharing settings:
// --judge-ip-per-minute, --judge-new-account-age,
// --judge-new-account-in-flight and --judge-queue-floor.
func LimitsFromConfig(cfg *config.Config) Limits {
	lim := DefaultLimits()
	lim.SubmitPerIP = ratelimit.Rate{}
	if n := cfg.JudgeIPPerMinute; n > 0 {
		lim.SubmitPerIP = ratelimit.Rate{Burst: float64(n), PerSec: float64(n) / 60}
	}
	lim.NewAccountAge = cfg.JudgeNewAccountAge
	if cfg.JudgeNewAccountInFlight > 0 {
		lim.NewAccountInFlight = cfg.JudgeNewAccountInFlight
	}
	if cfg.JudgeQueueFloor != 0 {
		lim.QueueFloor = cfg.JudgeQueueFloor
	}
	return lim
}

// TimeMultipliersFromConfig is the workers' per-language time limit
// factors from --time-multipliers (config.Validate has checked the
// syntax; the error is for a Config built by hand).
func TimeMultipliersFromConfig(cfg *config.Config) (problem.LanguageMultipliers, error) {
	m, err := problem.ParseLanguageMultipliers(cfg.TimeMultipliers)
	if err != nil {
		return nil, fmt.Errorf("--time-multipliers: %w", err)
	}
	return m, nil
}
