// Package httpapi is the HTTP face of SegFault Arena: JSON under /api/v1,
// the OAuth redirect endpoints under /auth, probes and metrics, and the SPA
// at "/". Handlers are thin: decode → call the domain → encode. The domain
// packages know nothing of HTTP: each is reached through a small interface
// owned here (Problems, Judge, Arena) and mounted with MountProblems,
// MountJudge and MountArena. Routes documents every endpoint; it is served
// as an OpenAPI 3.1 document at /api/v1/openapi.json.
//
// Errors are always {"error":{"code":"...","message":"...",...}}: the
// code is one of package errcode's, as the domain chose it, with its data
// (retry_after_ms, cooldown_until, limit, issues); Status maps each code to
// its HTTP status (the one such mapping). A refusal with retry_after_ms
// also has Retry-After, in seconds. Any other error is a 500 `internal`
// whose text goes to the log only.
//
// OAuth endpoints are navigated to by the browser, so their failures are
// redirects to /signin?error=CODE (303) unless the request's Accept header
// asks for application/json, in which case they are JSON errors. Success
// redirects (303) to the local redirect_to given at start, or "/".
//
// State-changing requests must be same-origin; see Server.SameOrigin.
package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/segfaultarena/segfault/internal/auth"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/store"
)

// DefaultBodyLimit bounds JSON request bodies.
const DefaultBodyLimit = 1 << 20

// ReadyCheck is one named readiness dependency (store, queue, workers...).
type ReadyCheck struct {
	Name  string
	Check func(ctx context.Context) error
	// Detail, when set, replaces Check and also returns what /readyz shows
	// under "detail" (e.g. queue depth and worker count).
	Detail func(ctx context.Context) (any, error)
}

// Options configure New.
type Options struct {
	Store  store.Store  // required
	Logger *slog.Logger // default: discard
	// PublicURL is the origin browsers use ("https://arena.example").
	// Required: it drives the same-origin check, Secure cookies and OAuth
	// redirect URLs.
	PublicURL string
	BodyLimit int64 // JSON body limit in bytes; default 1 MiB

	// Auth configures sessions, passwords and rate limits. Auth.PublicURL
	// and Auth.Providers are filled from the fields here; Auth.Logger from
	// Logger if unset.
	Auth      auth.Options
	Providers []auth.ProviderConfig

	// Static serves the SPA at "/". Nil: a small HTML page listing the API
	// and the enabled sign-in providers.
	Static http.Handler

	// ReadyChecks are added to /readyz next to the built-in "store" check.
	ReadyChecks []ReadyCheck

	// Registry receives the HTTP metrics and is served at /metrics. Nil: a
	// new registry with the Go runtime and process collectors.
	Registry *prometheus.Registry

	// TrustedProxies are the proxies whose X-Forwarded-For is believed when
	// working out the client IP (rate limits, logs). Empty: none.
	TrustedProxies []netip.Prefix

	// MetricsToken, when set, opens /metrics and the details of /readyz
	// on the public address to requests with "Authorization: Bearer
	// <token>". Otherwise the public address serves no metrics and only
	// the verdict of /readyz; OpsHandler (the --metrics-addr listener)
	// serves both in full.
	MetricsToken string
}

// Server is the HTTP handler. Create it with New.
type Server struct {
	st             store.Store
	auth           *auth.Service
	log            *slog.Logger
	mux            *http.ServeMux
	handler        http.Handler
	bodyLimit      int64
	origin         string // scheme://host[:port] of PublicURL
	secure         bool   // PublicURL is https
	csp            string
	cookieName     string
	stateCookie    string
	trustedProxies []netip.Prefix
	metrics        *metrics
	registry       *prometheus.Registry
	metricsToken   string
	arena          atomic.Pointer[Arena] // set by MountArena
	anonReads      atomic.Pointer[anonReads]

	readyMu  sync.Mutex // guards ready and patterns
	ready    []ReadyCheck
	patterns []string
}

// New validates opts and builds the server with all routes.
func New(opts Options) (*Server, error) {
	if opts.Store == nil {
		return nil, errors.New("httpapi: store is required")
	}
	pub, err := url.Parse(opts.PublicURL)
	if err != nil || (pub.Scheme != "http" && pub.Scheme != "https") || pub.Host == "" || pub.User != nil {
		return nil, fmt.Errorf("httpapi: public URL %q must be an absolute http:// or https:// URL", opts.PublicURL)
	}
	if pub.Path != "" && pub.Path != "/" {
		return nil, fmt.Errorf("httpapi: public URL %q must not have a path (the arena is served at /)", opts.PublicURL)
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.BodyLimit == 0 {
		opts.BodyLimit = DefaultBodyLimit
	}
	if opts.BodyLimit < 0 {
		return nil, errors.New("httpapi: body limit must be positive")
	}
	a := opts.Auth
	a.PublicURL = pub.Scheme + "://" + pub.Host
	a.Providers = opts.Providers
	if a.Logger == nil {
		a.Logger = opts.Logger
	}
	svc, err := auth.New(opts.Store, a)
	if err != nil {
		return nil, fmt.Errorf("httpapi: %w", err)
	}
	s := &Server{
		st:             opts.Store,
		auth:           svc,
		log:            opts.Logger,
		mux:            http.NewServeMux(),
		bodyLimit:      opts.BodyLimit,
		origin:         pub.Scheme + "://" + strings.ToLower(pub.Host),
		secure:         pub.Scheme == "https",
		trustedProxies: opts.TrustedProxies,
		registry:       opts.Registry,
		metricsToken:   opts.MetricsToken,
	}
	s.csp = buildCSP(s.origin)
	// The __Host- prefix makes browsers refuse the cookie unless it is
	// Secure, host-only and Path=/, so a sibling subdomain cannot plant it.
	s.cookieName, s.stateCookie = "sf_session", "sf_oauth_state"
	if s.secure {
		s.cookieName, s.stateCookie = "__Host-sf_session", "__Host-sf_oauth_state"
	}
	if s.registry == nil {
		s.registry = newRegistry()
	}
	if s.metrics, err = newMetrics(s.registry); err != nil {
		return nil, fmt.Errorf("httpapi: %w", err)
	}
	s.ready = append([]ReadyCheck{{Name: "store", Check: opts.Store.Ping}}, opts.ReadyChecks...)
	s.routes(opts.Static)
	s.handler = s.observe(s.recoverPanics(s.securityHeaders(s.sameOrigin(s.mux))))
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Auth is the identity service (for other handlers and the CLI).
func (s *Server) Auth() *auth.Service { return s.auth }

// Registry is the metrics registry served at /metrics; other components
// register their collectors on it.
func (s *Server) Registry() *prometheus.Registry { return s.registry }

// Handle mounts another component's handler (lobby, WebSocket...) with the
// same middleware, metrics and route labels. Patterns use Go 1.22 ServeMux
// syntax ("GET /api/v1/matches/{id}").
func (s *Server) Handle(pattern string, h http.Handler) {
	s.mux.Handle(pattern, tagRoute(h))
	s.readyMu.Lock()
	s.patterns = append(s.patterns, pattern)
	s.readyMu.Unlock()
}

// Patterns lists the patterns mounted so far, in order (the test of
// Routes compares them).
func (s *Server) Patterns() []string {
	s.readyMu.Lock()
	defer s.readyMu.Unlock()
	return slices.Clone(s.patterns)
}

// AddReadyCheck adds a named check to /readyz (e.g. queue depth, workers).
func (s *Server) AddReadyCheck(c ReadyCheck) {
	s.readyMu.Lock()
	defer s.readyMu.Unlock()
	s.ready = append(s.ready, c)
}

// HTTPServer returns an http.Server for addr with timeouts suited to this
// handler. There is no overall read/write timeout because WebSockets and
// slow judge results live on long connections; the header timeout stops
// slowloris and IdleTimeout reaps idle keep-alives.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          log.New(slogWriter{s.log}, "", 0),
	}
}

// slogWriter sends net/http's own error log (TLS handshake errors, etc.)
// to slog.
type slogWriter struct{ l *slog.Logger }

func (w slogWriter) Write(p []byte) (int, error) {
	w.l.Warn("http server", "msg", strings.TrimSpace(string(p)))
	return len(p), nil
}

func (s *Server) routes(static http.Handler) {
	s.Handle("GET /api/v1/auth/challenge", http.HandlerFunc(s.handleChallenge))
	s.Handle("POST /api/v1/auth/register", http.HandlerFunc(s.handleRegister))
	s.Handle("POST /api/v1/auth/login", http.HandlerFunc(s.handleLogin))
	s.Handle("POST /api/v1/auth/logout", http.HandlerFunc(s.handleLogout))
	s.Handle("POST /api/v1/auth/logout-all", s.RequireUser(http.HandlerFunc(s.handleLogoutAll)))
	s.Handle("GET /api/v1/auth/providers", http.HandlerFunc(s.handleProviders))
	s.Handle("GET /api/v1/me", s.RequireUser(http.HandlerFunc(s.handleMe)))
	s.Handle("GET /auth/{provider}/start", http.HandlerFunc(s.handleOAuthStart))
	s.Handle("GET /auth/{provider}/callback", http.HandlerFunc(s.handleOAuthCallback))
	s.Handle("GET /healthz", http.HandlerFunc(s.handleHealthz))
	s.Handle("GET /readyz", http.HandlerFunc(s.handlePublicReadyz))
	s.Handle("GET /metrics", http.HandlerFunc(s.handlePublicMetrics))
	s.Handle("GET /api/v1/openapi.json", http.HandlerFunc(s.handleOpenAPI))
	// Unknown API paths get a JSON 404, not the SPA's index page.
	s.Handle("/api/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.WriteError(w, r, errcode.New(errcode.NotFound, "no such API endpoint"))
	}))
	if static == nil {
		static = http.HandlerFunc(s.handlePlaceholder)
	}
	s.Handle("/", static)
}
