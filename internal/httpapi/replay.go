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

func (h *arenaHandlers) replay(w http.ResponseWriter, r *http.Request) {
	rp, ok := h.a.(Replays)
	if !ok {
		h.s.WriteError(w, r, errcode.New(errcode.NotFound, "replays are not served here"))
		return
	}
	var viewer int64
	admin := false
	if u, err := h.s.Authenticate(r); err == nil {
		viewer, admin = u.ID, u.Role == store.RoleAdmin
	}
	out, err := rp.Replay(r.Context(), r.PathValue("id"), viewer, admin)
	if err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, out)
}
