package execution

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/segfaultarena/segfault/internal/bus"
	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/problem"
	"github.com/segfaultarena/segfault/internal/sandbox"
	"github.com/segfaultarena/segfault/internal/store"
)

// BusConfig is the stream and bucket configuration every process of a
// deployment must pass to bus.Setup (Setup updates the shared consumers and
// buckets to the caller's values): ack wait 15 s with an in-progress
// heartbeat every 5 s, so a killed worker's job is redelivered within 15 s;
// lease TTL 3 s, so another API node leads the arena within 4 s (4T/3) of
// the leader's crash, while a renewal (every 1 s) still has 2.7 s to
// succeed on a loaded node (arena/service README, "Failover").
func BusConfig() bus.Config {
	c := bus.DefaultConfig()
	c.AckWait = 15 * time.Second
	c.LeaseTTL = LeaseTTL
	return c
}

// LeaseTTL is the lease lifetime of BusConfig (the arena leader's).
// All API nodes of a deployment must run with the same value: the bucket
// keeps the TTL of the last node that called bus.Setup.
const LeaseTTL = 3 * time.Second

// WorkerConfig is what a worker process needs: the bus, the store, where
// to keep files, how many jobs at once and which sandbox.
type WorkerConfig struct {
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
}

// NewWorkerFromConfig builds the sandbox runtime, the judge and the worker.
// A runtime that cannot start boxes does not fail here: the worker starts,
// reports itself unhealthy and takes no jobs until the runtime works.
func NewWorkerFromConfig(ctx context.Context, c WorkerConfig) (*Worker, error) {
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
	w, err := NewWorker(ctx, WorkerOptions{Bus: c.Bus, Store: c.Store, Judge: j, CacheDir: filepath.Join(abs, "problem-cache"),
		Slots: c.Slots, Name: c.Name, Logger: c.Logger, Registry: c.Registry, Coach: c.Coach, TimeMultipliers: c.TimeMultipliers})
	if err != nil {
		return nil, err
	}
	// After a clean stop every box is closed: remove what is left and the
	// (then empty) directories, so short-lived workers (tests, load tests)
	// leave nothing under /run. os.Remove keeps anything not empty.
	w.stopped = func(ctx context.Context) {
		if rt.Check(ctx) == nil {
			_ = rt.Cleanup(ctx)
		}
		for _, d := range []string{stateDir, boxDir, filepath.Dir(stateDir)} {
			_ = os.Remove(d)
		}
	}
	return w, nil
}

// EmbeddedOptions configure the all-in-one shape of `segfault serve`.
type EmbeddedOptions struct {
	DataDir string // NATS store under DataDir/nats
	Store   store.Store
	// Registry receives the queue and worker gauges (the HTTP API's
	// /metrics registry); nil: none.
	Registry prometheus.Registerer
	Problems ProblemSource
	Workers  int    // in-process judge slots; 0 = none (external workers only)
	Runtime  string // sandbox runtime of the in-process workers
	Logger   *slog.Logger
	// NATSListen, when set (host:port, port 0 = random), also opens the
	// embedded NATS server on TCP so `segfault worker` processes can join.
	NATSListen string
	Limits     Limits
	// Coach configures the in-process workers' analyses.
	Coach CoachOptions
	// TimeMultipliers scale the in-process workers' time limits per
	// language.
	TimeMultipliers problem.LanguageMultipliers
}

// Embedded is a running all-in-one judge pipeline.
type Embedded struct {
	NATS    *bus.Embedded
	Bus     *bus.Bus
	Service *Service
	Worker  *Worker // nil without in-process workers

	runCtx context.Context // cancelled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup
	nc     *nats.Conn
}

// StartEmbedded starts NATS with JetStream in this process, the API side
// (Service: httpapi.MountJudge serves it) and opt.Workers in-process judge
// slots. Stop it with Close after the HTTP server has stopped.
func StartEmbedded(ctx context.Context, opt EmbeddedOptions) (*Embedded, error) {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	cfg := bus.EmbeddedConfig{StoreDir: filepath.Join(opt.DataDir, "nats")}
	if opt.NATSListen != "" {
		host, port, err := splitHostPort(opt.NATSListen)
		if err != nil {
			return nil, err
		}
		cfg.Listen, cfg.Host, cfg.Port = true, host, port
	}
	srv, err := bus.StartEmbedded(cfg)
	if err != nil {
		return nil, err
	}
	nc, err := srv.Connect()
	if err != nil {
		srv.Shutdown()
		return nil, err
	}
	e, err := start(ctx, nc, opt.Store, opt.Registry, opt.Problems, opt.Logger, opt.Limits)
	if err != nil {
		nc.Close()
		srv.Shutdown()
		return nil, err
	}
	e.NATS = srv
	if opt.Workers > 0 {
		w, err := NewWorkerFromConfig(ctx, WorkerConfig{Bus: e.Bus, Store: opt.Store, DataDir: opt.DataDir,
			Slots: opt.Workers, Runtime: opt.Runtime, Logger: opt.Logger.With("component", "worker"), Coach: opt.Coach,
			TimeMultipliers: opt.TimeMultipliers})
		if err != nil {
			e.Close()
			return nil, err
		}
		e.Worker = w
		e.wg.Go(func() { _ = w.Run(e.runCtx) })
	}
	if u := srv.ClientURL(); u != "" {
		opt.Logger.Info("embedded NATS listening for external workers", "url", u)
	}
	return e, nil
}

// APIOptions configure one API node of the scaled-out shape.
type APIOptions struct {
	NATSURL  string // nats://host:4222[,nats://...]
	Store    store.Store
	Registry prometheus.Registerer // queue gauges; nil: none
	Problems ProblemSource
	Logger   *slog.Logger
	Limits   Limits
}

// NewAPI connects an API node to an external NATS cluster (Service:
// httpapi.MountJudge serves it). Close it after the HTTP server has
// stopped.
func NewAPI(ctx context.Context, opt APIOptions) (*Embedded, error) {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	nc, err := bus.Connect(ctx, opt.NATSURL, "segfault-api")
	if err != nil {
		return nil, err
	}
	e, err := start(ctx, nc, opt.Store, opt.Registry, opt.Problems, opt.Logger, opt.Limits)
	if err != nil {
		nc.Close()
		return nil, err
	}
	return e, nil
}

func start(ctx context.Context, nc *nats.Conn, st store.Store, reg prometheus.Registerer, problems ProblemSource, log *slog.Logger, lim Limits) (*Embedded, error) {
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	b, err := bus.Setup(sctx, nc, BusConfig())
	if err != nil {
		return nil, err
	}
	svc, err := New(sctx, Options{Store: st, Bus: b, Problems: problems, Logger: log.With("component", "judge-api"),
		Registry: reg, Limits: lim})
	if err != nil {
		return nil, err
	}
	rctx, rcancel := context.WithCancel(context.WithoutCancel(ctx))
	e := &Embedded{Bus: b, Service: svc, nc: nc, runCtx: rctx, cancel: rcancel}
	e.wg.Go(func() { svc.RunSweeper(rctx, time.Minute) })
	return e, nil
}

// Close stops the workers (handing their jobs back), the sweeper, the
// connection and the embedded server.
func (e *Embedded) Close() {
	e.cancel()
	e.wg.Wait()
	e.Service.Close()
	e.nc.Drain()
	if e.NATS != nil {
		e.NATS.Shutdown()
	}
}

func splitHostPort(hp string) (string, int, error) {
	host, port, err := net.SplitHostPort(hp)
	if err != nil {
		return "", 0, fmt.Errorf("NATS listen address %q: %w", hp, err)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 {
		return "", 0, fmt.Errorf("NATS listen address %q: bad port", hp)
	}
	if n == 0 {
		n = -1 // the server's "random port"
	}
	return host, n, nil
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
