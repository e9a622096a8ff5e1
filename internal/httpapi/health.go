package httpapi

import (
	"context"
	"crypto/subtle"
	"html/template"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
)

// readyTimeout bounds each readiness check so a hung dependency makes the
// probe fail rather than hang.
const readyTimeout = 2 * time.Second

// handleHealthz answers while the process can serve HTTP at all.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	WriteJSON(w, http.StatusOK, protocol.Health{Status: "ok"})
}

// OpsHandler serves the operators' endpoints in full: /healthz, /readyz
// with each check's error and detail, and /metrics. Serve it on a listener
// players cannot reach (--metrics-addr); the public address keeps only
// /healthz and the verdict of /readyz (issue 17: queue depths, worker
// names and dependency addresses are not for everyone).
func (s *Server) OpsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.handleHealthz)
	mux.HandleFunc("GET /readyz", s.handleReadyz)
	mux.Handle("GET /metrics", s.metricsHandler())
	return s.recoverPanics(mux)
}

// opsAllowed reports whether r carries the metrics token.
func (s *Server) opsAllowed(r *http.Request) bool {
	if s.metricsToken == "" {
		return false
	}
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(tok), []byte(s.metricsToken)) == 1
}

// handlePublicMetrics is /metrics on the public address: only with the
// metrics token.
func (s *Server) handlePublicMetrics(w http.ResponseWriter, r *http.Request) {
	if !s.opsAllowed(r) {
		s.WriteError(w, r, errcode.New(errcode.NotFound, "metrics are served on the metrics address (--metrics-addr) or with the metrics token"))
		return
	}
	s.metricsHandler().ServeHTTP(w, r)
}

// handlePublicReadyz is /readyz on the public address: the verdict (200 or
// 503, which is all a load balancer needs) and each check's ok, without
// errors and details unless the request carries the metrics token.
func (s *Server) handlePublicReadyz(w http.ResponseWriter, r *http.Request) {
	ready, code := s.readiness(r.Context())
	if !s.opsAllowed(r) {
		for name, c := range ready.Checks {
			ready.Checks[name] = protocol.ReadyResult{OK: c.OK}
		}
	}
	WriteJSON(w, code, ready)
}

// handleReadyz answers with every check's result in full.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	ready, code := s.readiness(r.Context())
	WriteJSON(w, code, ready)
}

// readiness runs every check concurrently; any failure gives 503 so a
// load balancer stops sending traffic to this node.
func (s *Server) readiness(ctx context.Context) (protocol.Readiness, int) {
	s.readyMu.Lock()
	checks := append([]ReadyCheck(nil), s.ready...)
	s.readyMu.Unlock()

	results := make(map[string]protocol.ReadyResult, len(checks))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, c := range checks {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(ctx, readyTimeout)
			defer cancel()
			start := time.Now()
			var detail any
			var err error
			if c.Detail != nil {
				detail, err = c.Detail(ctx)
			} else {
				err = c.Check(ctx)
			}
			res := protocol.ReadyResult{OK: err == nil, DurationMS: float64(time.Since(start).Microseconds()) / 1000, Detail: detail}
			if err != nil {
				res.Error = err.Error()
			}
			mu.Lock()
			results[c.Name] = res
			mu.Unlock()
		})
	}
	wg.Wait()
	status, code := "ok", http.StatusOK
	for _, res := range results {
		if !res.OK {
			status, code = "unavailable", http.StatusServiceUnavailable
		}
	}
	return protocol.Readiness{Status: status, Checks: results}, code
}

// placeholderPage stands in for the SPA until one is mounted: no inline
// script or style, so it passes the same CSP.
var placeholderPage = template.Must(template.New("p").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SegFault Arena</title></head>
<body>
<h1>SegFault Arena</h1>
<p>The web client is not built into this binary. The JSON API is up:</p>
<ul>
<li><code>POST /api/v1/auth/register {"username","password"}</code></li>
<li><code>POST /api/v1/auth/login {"username","password"}</code></li>
<li><code>POST /api/v1/auth/logout</code></li>
<li><code>GET /api/v1/me</code></li>
<li><code>GET /api/v1/auth/providers</code></li>
<li><code>GET /healthz</code>, <code>GET /readyz</code>, <code>GET /metrics</code></li>
</ul>
{{if .Providers}}<h2>Sign in with</h2>
<ul>{{range .Providers}}<li><a href="{{.StartURL}}">{{.DisplayName}}</a></li>{{end}}</ul>{{end}}
{{if .Error}}<p>Sign-in failed: <code>{{.Error}}</code></p>{{end}}
</body></html>
`))

func (s *Server) handlePlaceholder(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		s.WriteError(w, r, errcode.New(errcode.MethodNotAllowed, "only GET is served here"))
		return
	}
	if r.URL.Path != "/" && r.URL.Path != "/signin" {
		s.WriteError(w, r, errcode.New(errcode.NotFound, "no such page"))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = placeholderPage.Execute(w, map[string]any{"Providers": s.providerList(), "Error": r.URL.Query().Get("error")})
}
