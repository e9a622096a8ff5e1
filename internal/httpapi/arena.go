package httpapi

import (
	"context"
	"net/http"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
)

// Arena is the arena as the REST API needs it; *service.Service (package
// arena/service) implements it. viewer is the signed-in user, 0 for none.
type Arena interface {
	LeaderboardPage(ctx context.Context, sub protocol.LeaderboardSub, viewer int64) (protocol.LeaderboardUpdate, error)
	Profile(ctx context.Context, username string) (protocol.Profile, error)
	MatchRecord(ctx context.Context, id string, viewer int64) (protocol.MatchRecord, error)
	RunningMatches(ctx context.Context, limit int) (protocol.RunningMatches, error)
}

// MountArena adds GET /ws (the WebSocket hub, internal/realtime) and the
// arena's REST routes (see routes.go). Every GET works signed out.
func (s *Server) MountArena(a Arena, ws http.Handler) {
	h := &arenaHandlers{s: s, a: a}
	s.Handle("GET /ws", ws)
	s.Handle("GET /api/v1/leaderboard", http.HandlerFunc(h.leaderboard))
	s.Handle("GET /api/v1/users/{name}", http.HandlerFunc(h.profile))
	s.Handle("GET /api/v1/matches/{id}", http.HandlerFunc(h.match))
	s.Handle("GET /api/v1/matches/{id}/replay", http.HandlerFunc(h.replay))
	s.Handle("GET /api/v1/matches", http.HandlerFunc(h.running))
}

type arenaHandlers struct {
	s *Server
	a Arena
}

// viewer is the signed-in user's id, 0 when signed out.
func (h *arenaHandlers) viewer(r *http.Request) int64 {
	u, err := h.s.Authenticate(r)
	if err != nil {
		return 0
	}
	return u.ID
}

func (h *arenaHandlers) leaderboard(w http.ResponseWriter, r *http.Request) {
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
	page, err := h.a.LeaderboardPage(r.Context(), sub, h.viewer(r))
	if err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, page)
}

func (h *arenaHandlers) profile(w http.ResponseWriter, r *http.Request) {
	p, err := h.a.Profile(r.Context(), r.PathValue("name"))
	if err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, p)
}

func (h *arenaHandlers) match(w http.ResponseWriter, r *http.Request) {
	m, err := h.a.MatchRecord(r.Context(), r.PathValue("id"), h.viewer(r))
	if err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, m)
}

func (h *arenaHandlers) running(w http.ResponseWriter, r *http.Request) {
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
