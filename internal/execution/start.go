package execution

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/segfaultarena/segfault/internal/bus"
	"github.com/segfaultarena/segfault/internal/execution/worker"
	"github.com/segfaultarena/segfault/internal/problem"
	"github.com/segfaultarena/segfault/internal/store"
)

// EmbeddedOptions configure the all-in-one shape of `segfault serve`.
type EmbeddedOptions struct {
	DataDir string // NATS store under DataDir/nats
	Store   store.Store
	// Registry receives the queue and worker gauges (the HTTP API's
	// /metrics registry); nil: none.
	Registry prometheus.Registerer
	Catalog  problem.Catalog // resolves problem ids (and versions) to packages
	Workers  int             // in-process judge slots; 0 = none (external workers only)
	Runtime  string          // sandbox runtime of the in-process workers
	Logger   *slog.Logger
	// NATSListen, when set (host:port, port 0 = random), also opens the
	// embedded NATS server on TCP so `segfault worker` processes can join.
	NATSListen string
	Limits     Limits
	// Coach configures the in-process workers' analyses.
	Coach worker.CoachOptions
	// TimeMultipliers scale the in-process workers' time limits per
	// language.
	TimeMultipliers problem.LanguageMultipliers
	// CompileCacheMiB bounds the in-process worker's compile cache (0 = none).
	CompileCacheMiB int
	// PoolSize is the in-process worker's warm boxes per language (0 = none).
	PoolSize int
}

// Embedded is a running all-in-one judge pipeline.
type Embedded struct {
	NATS    *bus.Embedded
	Bus     *bus.Bus
	Service *Service
	Worker  *worker.Worker // nil without in-process workers

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
	e, err := start(ctx, nc, opt.Store, opt.Registry, opt.Catalog, opt.Logger, opt.Limits)
	if err != nil {
		nc.Close()
		srv.Shutdown()
		return nil, err
	}
	e.NATS = srv
	if opt.Workers > 0 {
		w, err := worker.NewFromConfig(ctx, worker.Config{Bus: e.Bus, Store: opt.Store, DataDir: opt.DataDir,
			Slots: opt.Workers, Runtime: opt.Runtime, Logger: opt.Logger.With("component", "worker"), Coach: opt.Coach,
			TimeMultipliers: opt.TimeMultipliers, Registry: opt.Registry, CompileCacheMiB: opt.CompileCacheMiB, PoolSize: opt.PoolSize})
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
	Catalog  problem.Catalog       // resolves problem ids (and versions) to packages
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
	e, err := start(ctx, nc, opt.Store, opt.Registry, opt.Catalog, opt.Logger, opt.Limits)
	if err != nil {
		nc.Close()
		return nil, err
	}
	return e, nil
}

func start(ctx context.Context, nc *nats.Conn, st store.Store, reg prometheus.Registerer, cat problem.Catalog, log *slog.Logger, lim Limits) (*Embedded, error) {
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	b, err := bus.Setup(sctx, nc, BusConfig())
	if err != nil {
		return nil, err
	}
	svc, err := New(sctx, Options{Store: st, Bus: b, Catalog: cat, Logger: log.With("component", "judge-api"),
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
