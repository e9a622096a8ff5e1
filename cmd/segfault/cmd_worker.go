package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/segfaultarena/segfault/internal/bus"
	"github.com/segfaultarena/segfault/internal/config"
	"github.com/segfaultarena/segfault/internal/execution"
	"github.com/segfaultarena/segfault/internal/execution/worker"
	"github.com/segfaultarena/segfault/internal/store"
)

func init() {
	register(command{name: "worker", summary: "judge worker: pulls jobs from NATS JetStream and judges them in sandboxes",
		run: runWorker})
}

// runWorker is `segfault worker --nats nats://... --db postgres://...`: the
// scaled-out judge. It needs only NATS (jobs, problem packages, progress)
// and the database (sources and results). --addr serves /healthz (process
// up) and /readyz (sandbox runtime usable: 503 while the worker takes no
// jobs) and /metrics for orchestrators.
func runWorker(ctx context.Context, args []string) int {
	var runtimeBinary string
	cfg, rest, err := config.Parse("worker", args, os.Getenv, os.Stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&runtimeBinary, "sandbox-binary", "", "path of the sandbox runtime executable (default: runc or runsc found on PATH)")
	})
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(os.Stderr, "segfault worker: %v\n", err)
		return 2
	}
	if len(rest) > 0 {
		fmt.Fprintf(os.Stderr, "segfault worker: unexpected argument %q (flags only)\n", rest[0])
		return 2
	}
	if cfg.NATS == "" {
		fmt.Fprintln(os.Stderr, "segfault worker: --nats (SEGFAULT_NATS) is required: workers join the NATS server of `segfault serve` or a cluster")
		return 2
	}
	log := newLogger(cfg).With("role", "worker")
	st, err := openStore(ctx, cfg)
	if err != nil {
		log.Error("database unavailable", "err", err)
		return 1
	}
	defer st.Close()
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	nc, err := bus.Connect(cctx, cfg.NATS, "segfault-worker")
	if err == nil {
		var b *bus.Bus
		b, err = bus.Setup(cctx, nc, execution.BusConfig())
		if err == nil {
			cancel()
			return workerLoop(ctx, cfg, st, b, runtimeBinary)
		}
		nc.Close()
	}
	cancel()
	log.Error("NATS unavailable", "err", err)
	return 1
}

func workerLoop(ctx context.Context, cfg *config.Config, st store.Store, b *bus.Bus, runtimeBinary string) int {
	log := newLogger(cfg).With("role", "worker")
	defer b.NC.Drain()
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	mult, err := execution.TimeMultipliersFromConfig(cfg)
	if err != nil {
		log.Error("bad configuration", "err", err)
		return 2
	}
	w, err := worker.NewFromConfig(ctx, worker.Config{Bus: b, Store: st, DataDir: cfg.DataDir,
		Slots: cfg.Workers, Runtime: cfg.SandboxRuntime, RuntimeBinary: runtimeBinary, Logger: log, Registry: reg,
		Coach: worker.CoachFromConfig(cfg), TimeMultipliers: mult, CompileCacheMiB: cfg.CompileCacheMiB, PoolSize: cfg.JudgePool})
	if err != nil {
		log.Error("worker setup failed", "err", err)
		return 1
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(rw http.ResponseWriter, r *http.Request) { fmt.Fprintln(rw, "ok") })
	mux.HandleFunc("GET /readyz", func(rw http.ResponseWriter, r *http.Request) {
		if err := w.Health(); err != nil {
			http.Error(rw, "unhealthy: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(rw, "ok")
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	if ln, err := net.Listen("tcp", cfg.Addr); err != nil {
		// Probes are optional: a worker next to `serve` on one host would
		// collide on the default address, and judging matters more.
		log.Warn("health endpoint not served", "addr", cfg.Addr, "err", err)
	} else {
		log.Info("health endpoint", "addr", ln.Addr().String())
		go srv.Serve(ln)
		defer srv.Close()
	}
	log.Info("worker started", "name", w.Name(), "slots", cfg.Workers, "runtime", cfg.SandboxRuntime, "nats", cfg.NATS,
		"time_multipliers", mult.String())
	_ = w.Run(ctx)
	log.Info("worker stopped")
	return 0
}
