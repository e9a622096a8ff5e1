package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/segfaultarena/segfault/internal/arena/fairplay"
	"github.com/segfaultarena/segfault/internal/arena/match"
	"github.com/segfaultarena/segfault/internal/arena/service"
	"github.com/segfaultarena/segfault/internal/auth"
	"github.com/segfaultarena/segfault/internal/catalog"
	"github.com/segfaultarena/segfault/internal/config"
	"github.com/segfaultarena/segfault/internal/execution"
	"github.com/segfaultarena/segfault/internal/httpapi"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/ratelimit"
	"github.com/segfaultarena/segfault/internal/realtime"
	"github.com/segfaultarena/segfault/internal/store"
	storeopen "github.com/segfaultarena/segfault/internal/store/open"
	"github.com/segfaultarena/segfault/internal/web"
)

func init() {
	register(command{name: "serve", summary: "all-in-one arena: API, web, embedded queue and local workers (default)",
		run: func(ctx context.Context, args []string) int { return runServer(ctx, "serve", args) }})
	register(command{name: "api", summary: "API node for the scaled-out shape (PostgreSQL + external NATS)",
		run: func(ctx context.Context, args []string) int { return runServer(ctx, "api", args) }})
	register(command{name: "migrate", summary: "apply the embedded database migrations and exit", run: runMigrate})
}

// loadConfig parses a command's settings and reports errors the same way for
// every command: on stderr, exit status 2.
func loadConfig(name string, args []string) (*config.Config, int) {
	cfg, err := config.Load(name, args, os.Getenv, os.Stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, 0
		}
		fmt.Fprintf(os.Stderr, "segfault %s: %v\n", name, err)
		return nil, 2
	}
	return cfg, -1
}

func newLogger(cfg *config.Config) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel)) // validated by config
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

// openStore creates the data dir, opens the configured database and applies
// migrations (safe when several nodes start at once).
func openStore(ctx context.Context, cfg *config.Config) (store.Store, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("data-dir: %w", err)
	}
	st, err := storeopen.Open(ctx, cfg.DB, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return st, nil
}

func runMigrate(ctx context.Context, args []string) int {
	cfg, code := loadConfig("migrate", args)
	if cfg == nil {
		return code
	}
	log := newLogger(cfg)
	st, err := openStore(ctx, cfg)
	if err != nil {
		log.Error("migrate failed", "err", err)
		return 1
	}
	defer st.Close()
	log.Info("database is up to date")
	return 0
}

func passwordParams(cfg *config.Config) auth.PasswordParams {
	p := auth.DefaultPasswordParams()
	p.Time, p.MemoryKiB, p.Threads = uint32(cfg.Argon2Time), uint32(cfg.Argon2Memory), uint8(cfg.Argon2Threads)
	return p
}

// providers turns the configuration into the enabled sign-in providers.
func providers(cfg *config.Config) []auth.ProviderConfig {
	var ps []auth.ProviderConfig
	if cfg.GitHubClientID != "" {
		ps = append(ps, auth.ProviderConfig{Name: "github", Kind: "github", DisplayName: "GitHub",
			ClientID: cfg.GitHubClientID, ClientSecret: cfg.GitHubClientSecret,
			AuthURL: cfg.GitHubAuthURL, TokenURL: cfg.GitHubTokenURL, APIURL: cfg.GitHubAPIURL})
	}
	if cfg.GoogleClientID != "" {
		ps = append(ps, auth.ProviderConfig{Name: "google", Kind: "oidc", DisplayName: "Google",
			ClientID: cfg.GoogleClientID, ClientSecret: cfg.GoogleClientSecret, IssuerURL: "https://accounts.google.com"})
	}
	if cfg.OIDCIssuer != "" {
		ps = append(ps, auth.ProviderConfig{Name: "oidc", Kind: "oidc", DisplayName: cfg.OIDCName,
			ClientID: cfg.OIDCClientID, ClientSecret: cfg.OIDCClientSecret, IssuerURL: cfg.OIDCIssuer})
	}
	return ps
}

// registerRate is the per-address sign-up quota of the settings (burst 0:
// none).
func registerRate(cfg *config.Config) auth.RateLimit {
	if cfg.RegisterIPBurst == 0 {
		return auth.RateLimit{Burst: -1}
	}
	return auth.RateLimit{Burst: cfg.RegisterIPBurst, Every: cfg.RegisterIPEvery}
}

// runServer runs serve (all-in-one) or api (one node of the scaled-out shape)
// until ctx is cancelled (SIGINT/SIGTERM), then drains in-flight requests.
func runServer(ctx context.Context, role string, args []string) int {
	cfg, code := loadConfig(role, args)
	if cfg == nil {
		return code
	}
	log := newLogger(cfg).With("role", role)
	if err := serve(ctx, cfg, role, log, nil); err != nil {
		log.Error("stopped with an error", "err", err)
		return 1
	}
	return 0
}

// serve is runServer without the process concerns; ready (may be nil)
// receives the bound address once the listener is open (tests use port 0).
func serve(ctx context.Context, cfg *config.Config, role string, log *slog.Logger, ready func(addr string)) error {
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()

	proxies, err := cfg.TrustedProxyPrefixes() // validated with the config
	if err != nil {
		return err
	}
	api, err := httpapi.New(httpapi.Options{
		TrustedProxies: proxies,
		Store:          st,
		Logger:         log,
		PublicURL:      cfg.PublicURL,
		BodyLimit:      cfg.BodyLimit,
		Auth: auth.Options{
			Password:        passwordParams(cfg),
			SessionIdle:     cfg.SessionIdle,
			SessionAbsolute: cfg.SessionMax,
			RegisterRate:    registerRate(cfg),
			ProofOfWorkBits: cfg.RegisterPowBits,
		},
		Providers:    providers(cfg),
		Static:       web.Handler(),
		MetricsToken: cfg.MetricsToken,
	})
	if err != nil {
		return err
	}
	problems, ok := st.(store.Problems)
	if !ok {
		return fmt.Errorf("store %T has no problem tables", st)
	}
	cat := catalog.New(problems, cfg.DataDir, log)
	if cfg.ProblemsDir != "" {
		// Synchronous so the bundled set is listed as soon as the server
		// answers; an unchanged set takes well under a second, and a broken
		// package is logged and skipped, never fatal.
		catalog.LoadBundled(ctx, cat, cfg.ProblemsDir)
	}
	api.MountProblems(cat)

	// The judge pipeline: embedded NATS + in-process workers for serve, an
	// external NATS cluster for api nodes (workers run as `segfault worker`).
	// Submissions resolve problems in the catalog; a match's own submissions
	// and runs are judged against the version the match started with.
	exec, err := execution.FromConfig(ctx, role, cfg, st, api.Registry(), cat, log)
	if err != nil {
		return fmt.Errorf("judge queue: %w", err)
	}
	defer exec.Close()
	api.MountJudge(exec.Service)
	api.AddReadyCheck(httpapi.ReadyCheck{Name: "judge_queue", Detail: exec.Service.ReadyDetail})
	cat.Live = exec.Service.LiveLanguages // players are offered what the workers can judge
	// The arena: WebSocket hub, lobby and matchmaker (one leader across
	// nodes), matches, ratings and the live leaderboard. It plays on the
	// same catalog (bundled set imported above, admin uploads), loaded once.
	mult, err := execution.TimeMultipliersFromConfig(cfg) // validated with the config: cannot fail here
	if err != nil {
		return err
	}
	fair := fairplay.Rules{MinAccountAge: cfg.RankedMinAccountAge, MinCompleted: cfg.RankedMinCompleted,
		MinRunTime: cfg.RatedMinRunTime, RepeatWindow: cfg.RepeatPairWindow}
	rules := match.Default()
	rules.MeasureGrace = cfg.BigOMeasureGrace
	live := map[protocol.Mode]bool{}
	modes, _ := cfg.LiveEditorModes() // validated by config.Load
	for _, m := range modes {
		live[protocol.Mode(m)] = true
	}
	arena, err := service.Start(ctx, service.Options{FairPlay: &fair, Match: rules, Store: st, Bus: exec.Bus, WS: arenaWSOf(api, cfg), Judge: exec.Service,
		Runner: exec.Service, Languages: exec.Service, Catalog: cat, Logger: log, TimeMultipliers: mult, LiveEditors: live})
	if err != nil {
		return fmt.Errorf("arena: %w", err)
	}
	defer arena.Stop()
	api.MountArena(arena, arena.Hub())
	// A sign-out, sign-out everywhere, disabling or new password closes the
	// user's open sockets on every node at once.
	api.Auth().OnSessionsEnded(arena.SessionsEnded)
	// Signed-out reads of profiles and matches are counted per address in
	// the token buckets every API node shares (the judge's KV bucket).
	api.LimitAnonymousReads(exec.Service.Limiter(), ratelimit.Rate{Burst: float64(cfg.AnonReadBurst), PerSec: 1, Penalize: true})

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("addr: %w", err)
	}
	srv := api.HTTPServer(cfg.Addr)
	// Expired sessions and OAuth states are deleted now and then so the
	// tables do not grow without bound; every node may do it (idempotent).
	go api.Auth().RunJanitor(ctx, time.Hour)

	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	if cfg.MetricsAddr != "" {
		// /metrics and /readyz in full, on an address players cannot reach.
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			return fmt.Errorf("metrics-addr: %w", err)
		}
		msrv := &http.Server{Handler: api.OpsHandler(), ReadHeaderTimeout: 10 * time.Second}
		go func() {
			if err := msrv.Serve(mln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- fmt.Errorf("metrics listener: %w", err)
			}
		}()
		defer msrv.Close()
		log.Info("operators' endpoints listening", "addr", mln.Addr().String())
	}
	if !web.Built() {
		log.Warn("the web UI is not built into this binary: run `make web` (or `make build`) for the browser arena")
	}
	log.Info("arena listening", "addr", ln.Addr().String(), "public_url", cfg.PublicURL, "data_dir", cfg.DataDir)
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped cleanly")
	return nil
}

// arenaWS is the WebSocket hub's part of the HTTP API: the session
// cookie, the same-origin rule and the JSON error body of a refused
// upgrade.
// arenaWSOf is arenaWS with the connection caps of the settings.
func arenaWSOf(api *httpapi.Server, cfg *config.Config) realtime.Options {
	o := arenaWS(api)
	o.MaxConnsPerUser, o.MaxConnsPerIP = cfg.WSMaxPerUser, cfg.WSMaxPerIP
	return o
}

func arenaWS(api *httpapi.Server) realtime.Options {
	return realtime.Options{Authenticate: api.Authenticate, SameOrigin: api.SameOrigin, WriteError: api.WriteError, ClientIP: api.ClientIP}
}
