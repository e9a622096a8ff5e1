package httpapi

import (
	"context"
	"net/http"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/store"
)

// Replays is the replay side of the arena (issue 20); *service.Service
// implements it. viewer is the signed-in user (0: none), admin whether
// they are an administrator.
type Replays interface {
	Replay(ctx context.Context, id string, viewer int64, admin bool) (protocol.Replay, error)
}

func (h *arenaHandlers) replay(w http.ResponseWriter, r *http.Request, viewer *store.User) {
	rp, ok := h.a.(Replays)
	if !ok {
		h.s.WriteError(w, r, errcode.New(errcode.NotFound, "replays are not served here"))
		return
	}
	out, err := rp.Replay(r.Context(), r.PathValue("id"), viewerID(viewer), viewer != nil && viewer.Role == store.RoleAdmin)
	if err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, out)
}

// Evidences is the fair-play review of the arena (issue 20).
type Evidences interface {
	Evidence(ctx context.Context, id string) (protocol.MatchEvidence, error)
}

func (h *arenaHandlers) evidence(w http.ResponseWriter, r *http.Request) {
	ev, ok := h.a.(Evidences)
	if !ok {
		h.s.WriteError(w, r, errcode.New(errcode.NotFound, "fair-play evidence is not served here"))
		return
	}
	out, err := ev.Evidence(r.Context(), r.PathValue("id"))
	if err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, out)
}

// Decisions are the administrators' recorded fair-play decisions (issue 20).
type Decisions interface {
	Decide(ctx context.Context, matchID string, admin int64, req protocol.DecisionRequest) (protocol.ReviewDecision, error)
}

func (h *arenaHandlers) decide(w http.ResponseWriter, r *http.Request) {
	dc, ok := h.a.(Decisions)
	if !ok {
		h.s.WriteError(w, r, errcode.New(errcode.NotFound, "review decisions are not served here"))
		return
	}
	var in protocol.DecisionRequest
	if err := h.s.DecodeJSON(w, r, &in); err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	admin, _ := UserFrom(r.Context())
	out, err := dc.Decide(r.Context(), r.PathValue("id"), admin.ID, in)
	if err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, out)
}

// Reviews is the fair-play review queue (issue 20).
type Reviews interface {
	Review(ctx context.Context, limit int, status protocol.ReviewStatus) (protocol.ReviewQueue, error)
}

func (h *arenaHandlers) review(w http.ResponseWriter, r *http.Request) {
	rv, ok := h.a.(Reviews)
	if !ok {
		h.s.WriteError(w, r, errcode.New(errcode.NotFound, "the review queue is not served here"))
		return
	}
	limit, err := intQuery(r.URL.Query(), "limit", 50, 1, 200)
	if err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	status := protocol.ReviewStatus(r.URL.Query().Get("status"))
	switch status {
	case "":
		status = protocol.ReviewOpen
	case protocol.ReviewOpen, protocol.ReviewDecided, protocol.ReviewAll:
	default:
		h.s.WriteError(w, r, errcode.New(errcode.InvalidRequest, "status is open, decided or all"))
		return
	}
	out, err := rv.Review(r.Context(), limit, status)
	if err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, out)
}
