package httpapi

import (
	"bufio"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/segfaultarena/segfault/internal/errcode"
)

// routeInfo is filled by the matched route's wrapper so the outer
// middleware (metrics, access log) can label by pattern, not raw path
// (raw paths would blow up metric cardinality and leak ids into logs).
type routeInfo struct{ pattern string }

type routeKey struct{}

func routeOf(r *http.Request) string {
	if ri, ok := r.Context().Value(routeKey{}).(*routeInfo); ok && ri.pattern != "" {
		return ri.pattern
	}
	return "unmatched"
}

// tagRoute records the ServeMux pattern that matched.
func tagRoute(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ri, ok := r.Context().Value(routeKey{}).(*routeInfo); ok {
			ri.pattern = r.Pattern
		}
		h.ServeHTTP(w, r)
	})
}

// recorder captures the status and size for metrics and logs. It keeps
// Flush and Hijack working (WebSockets, streaming) and supports Unwrap for
// http.ResponseController.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (rec *recorder) WriteHeader(code int) {
	if rec.status == 0 {
		rec.status = code
	}
	rec.ResponseWriter.WriteHeader(code)
}

func (rec *recorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	n, err := rec.ResponseWriter.Write(b)
	rec.bytes += int64(n)
	return n, err
}

func (rec *recorder) Flush() {
	if f, ok := rec.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (rec *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := rec.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("httpapi: response writer cannot hijack")
	}
	if rec.status == 0 {
		rec.status = http.StatusSwitchingProtocols
	}
	return hj.Hijack()
}

func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

// observe is the outermost layer: metrics and the access log. Cookies,
// headers, query strings and bodies are never logged.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ri := &routeInfo{}
		r = r.WithContext(context.WithValue(r.Context(), routeKey{}, ri))
		rec := &recorder{ResponseWriter: w}
		s.metrics.inFlight.Inc()
		defer func() {
			s.metrics.inFlight.Dec()
			if rec.status == 0 {
				rec.status = http.StatusOK
			}
			d := time.Since(start)
			route := ri.pattern
			if route == "" {
				route = "unmatched"
			}
			method := metricMethod(r.Method)
			s.metrics.requests.WithLabelValues(method, route, strconv.Itoa(rec.status)).Inc()
			s.metrics.duration.WithLabelValues(method, route).Observe(d.Seconds())
			s.log.LogAttrs(r.Context(), accessLevel(route, rec.status), "http request",
				slog.String("method", r.Method), slog.String("route", route), slog.Int("status", rec.status),
				slog.Duration("duration", d), slog.Int64("bytes", rec.bytes), slog.String("ip", s.clientIP(r)))
		}()
		next.ServeHTTP(rec, r)
	})
}

// accessLevel keeps probes and scrapes out of the default log level and
// makes server errors stand out.
func accessLevel(route string, status int) slog.Level {
	switch {
	case status >= 500:
		return slog.LevelWarn
	case strings.HasSuffix(route, "/healthz") || strings.HasSuffix(route, "/readyz") || strings.HasSuffix(route, "/metrics"):
		return slog.LevelDebug
	}
	return slog.LevelInfo
}

func metricMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "OTHER" // bound label cardinality
}

// recoverPanics turns a handler panic into a 500 instead of a dropped
// connection, and logs it. http.ErrAbortHandler keeps its meaning.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "handler panic", "route", routeOf(r), "panic", v)
				s.WriteError(w, r, errInternal)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders applies to every response, API or page.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", s.csp)
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.secure {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// buildCSP allows only our own scripts (no inline), the inline styles that
// Monaco and the motion library inject, Web Workers from blob: (Monaco),
// avatars from any https host and the WebSocket of our own origin.
func buildCSP(origin string) string {
	ws := "ws" + strings.TrimPrefix(origin, "http") // http→ws, https→wss
	return strings.Join([]string{
		"default-src 'self'",
		"script-src 'self'",
		"style-src 'self' 'unsafe-inline'",
		"img-src 'self' data: https:",
		"font-src 'self' data:",
		"connect-src 'self' " + ws,
		"worker-src 'self' blob:",
		"object-src 'none'",
		"base-uri 'self'",
		"frame-ancestors 'none'",
	}, "; ")
}

// sameOrigin refuses state-changing requests that a browser sends on behalf
// of another site. Rules, in order:
//   - safe methods (GET, HEAD, OPTIONS) pass;
//   - an Origin header must equal the public URL's origin exactly;
//   - without Origin, Sec-Fetch-Site must be "same-origin" or "none";
//   - with neither header the request does not come from a modern browser
//     (curl, scripts, other servers): it passes. Browsers always send one
//     of the two on cross-site POSTs, and non-browser clients cannot ride a
//     victim's cookies anyway.
func (s *Server) sameOrigin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
			next.ServeHTTP(w, r)
			return
		}
		ok := s.SameOrigin(r)
		if !ok {
			s.WriteError(w, r, errcode.New(errcode.ForbiddenOrigin, "cross-origin request refused"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// SameOrigin applies the rules above to any request; the WebSocket
// handler calls it on the upgrade GET (cross-site WebSocket hijacking).
func (s *Server) SameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	site := r.Header.Get("Sec-Fetch-Site")
	switch {
	case origin != "":
		return origin == s.origin
	case site != "":
		return site == "same-origin" || site == "none"
	}
	return true
}

// clientIP is the peer address, or — when the peer is a trusted proxy —
// the right-most X-Forwarded-For entry that is not itself a trusted proxy.
// ClientIP is the client's address as the rate limits count it (the
// forwarded one behind a trusted proxy).
func (s *Server) ClientIP(r *http.Request) string { return s.clientIP(r) }

func (s *Server) clientIP(r *http.Request) string {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	addr := peer.Addr().Unmap()
	if !s.trusted(addr) {
		return addr.String()
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		a = a.Unmap()
		if !s.trusted(a) {
			return a.String()
		}
	}
	return addr.String()
}

func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.trustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
