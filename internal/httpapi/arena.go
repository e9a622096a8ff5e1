package httpapi

import (
	"context"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/ratelimit"
	"github.com/segfaultarena/segfault/internal/store"
)

// Arena is the arena as the REST API needs it; *service.Service (package
// arena/service) implements it. viewer is the signed-in user, 0 for none.
type Arena interface {
	LeaderboardPage(ctx context.Context, sub protocol.LeaderboardSub, viewer int64) (protocol.LeaderboardUpdate, error)
	Profile(ctx context.Context, username string) (protocol.Profile, error)
	// MatchRecord shows code to the match's players and to admins, to
	// others only once it ended and only for public modes.
	MatchRecord(ctx context.Context, id string, viewer int64, admin bool) (protocol.MatchRecord, error)
	RunningMatches(ctx context.Context, limit int) (protocol.RunningMatches, error)
	// PlayingProblem is an error (problem_in_match) when user plays
	// problem in a live match: the judge routes refuse practice
	// submissions and runs on it, so its hidden tests are judged only
	// through the match.
	PlayingProblem(ctx context.Context, user int64, problem string) error
	// HidesStatement is an error (problem_in_match) when user plays
	// problem in a reverse match that is not over: the problem page and
	// its assets are refused to them.
	HidesStatement(ctx context.Context, user int64, problem string) error
}

// MountArena adds GET /ws (the WebSocket hub, internal/realtime) and the
// arena's REST routes (see routes.go). Every GET works signed out, within
// the anonymous read limit (LimitAnonymousReads). A ws that counts its
// open connections (Count) is shown at /metrics as segfault_websockets_open:
// an upgraded socket is no longer an HTTP request in flight.
func (s *Server) MountArena(a Arena, ws http.Handler) {
	h := &arenaHandlers{s: s, a: a}
	s.arena.Store(&a)
	if c, ok := ws.(interface{ Count() int }); ok {
		s.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "segfault_websockets_open", Help: "WebSocket connections open on this node."},
			func() float64 { return float64(c.Count()) }))
	}
	s.Handle("GET /ws", ws)
	s.Handle("GET /api/v1/leaderboard", h.read(h.leaderboard))
	s.Handle("GET /api/v1/users/{name}", h.read(h.profile))
	s.Handle("GET /api/v1/matches/{id}", h.read(h.match))
	s.Handle("GET /api/v1/matches/{id}/replay", h.read(h.replay))
	s.Handle("GET /api/v1/admin/matches/{id}/evidence", s.RequireAdmin(http.HandlerFunc(h.evidence)))
	s.Handle("GET /api/v1/admin/review", s.RequireAdmin(http.HandlerFunc(h.review)))
	s.Handle("POST /api/v1/admin/matches/{id}/decisions", s.RequireAdmin(http.HandlerFunc(h.decide)))
	s.Handle("GET /api/v1/matches", h.read(h.running))
	h.mountTournaments()
}

// LimitAnonymousReads counts the arena's GETs without a valid session
// against their client address in b (shared by the API nodes), refused
// with 429 rate_limited over r (serve: --anon-read-burst, then one a
// second; issue 17 read 95 profiles in 0.2 s). Signed-in players are not counted. A zero
// Burst (or never calling it) leaves them unlimited.
func (s *Server) LimitAnonymousReads(b *ratelimit.Buckets, r ratelimit.Rate) {
	s.anonReads.Store(&anonReads{b: b, r: r})
}

type anonReads struct {
	b *ratelimit.Buckets
	r ratelimit.Rate
}

type arenaHandlers struct {
	s *Server
	a Arena
}

// read resolves the viewer (nil when signed out) and counts an anonymous
// read against its address. A limiter that cannot answer lets the read
// through: reads are cheap, and an outage of NATS must not take the
// leaderboard down.
func (h *arenaHandlers) read(next func(w http.ResponseWriter, r *http.Request, viewer *store.User)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := h.s.Authenticate(r)
		if err == nil {
			next(w, r, &u)
			return
		}
		if lim := h.s.anonReads.Load(); lim != nil && lim.b != nil && lim.r.Burst > 0 {
			d, err := lim.b.Allow(r.Context(), ratelimit.Key("ip", "read", h.s.clientIP(r)), lim.r)
			if err == nil && !d.Allowed {
				h.s.WriteError(w, r, &errcode.Error{Code: errcode.RateLimited,
					Message: "too many requests from your address; sign in or slow down", RetryAfter: d.RetryAfter})
				return
			}
		}
		next(w, r, nil)
	})
}

func viewerID(u *store.User) int64 {
	if u == nil {
		return 0
	}
	return u.ID
}

func (h *arenaHandlers) leaderboard(w http.ResponseWriter, r *http.Request, viewer *store.User) {
	q := r.URL.Query()
	for k := range q {
		switch k {
		case "board", "offset", "limit", "around":
		default:
			h.s.WriteError(w, r, errcode.New(errcode.InvalidRequest, "unknown parameter "+k))
			return
		}
	}
	sub := protocol.LeaderboardSub{Board: protocol.Board(q.Get("board")), Around: q.Get("around")}
	if sub.Board == "" {
		sub.Board = protocol.BoardRating
	}
	var err error
	if sub.Offset, err = intQuery(r.URL.Query(), "offset", 0, 0, protocol.MaxLeaderboardOffset); err == nil {
		sub.Limit, err = intQuery(r.URL.Query(), "limit", 50, 1, protocol.MaxLeaderboardLimit)
	}
	if err == nil {
		err = sub.Validate()
	}
	if err != nil {
		if _, ok := errcode.As(err); !ok {
			err = errcode.New(errcode.InvalidRequest, err.Error())
		}
		h.s.WriteError(w, r, err)
		return
	}
	page, err := h.a.LeaderboardPage(r.Context(), sub, viewerID(viewer))
	if err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, page)
}

func (h *arenaHandlers) profile(w http.ResponseWriter, r *http.Request, _ *store.User) {
	p, err := h.a.Profile(r.Context(), r.PathValue("name"))
	if err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, p)
}

func (h *arenaHandlers) match(w http.ResponseWriter, r *http.Request, viewer *store.User) {
	m, err := h.a.MatchRecord(r.Context(), r.PathValue("id"), viewerID(viewer), viewer != nil && viewer.Role == store.RoleAdmin)
	if err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, m)
}

func (h *arenaHandlers) running(w http.ResponseWriter, r *http.Request, _ *store.User) {
	if st := r.URL.Query().Get("state"); st != "" && st != "running" {
		h.s.WriteError(w, r, errcode.New(errcode.InvalidRequest, `state must be "running"`))
		return
	}
	limit, err := intQuery(r.URL.Query(), "limit", 20, 1, 100)
	if err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	out, err := h.a.RunningMatches(r.Context(), limit)
	if err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, out)
}
