package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/store"
)

// Judge is the judge queue as the REST API needs it; *execution.Service
// implements it. Every route needs a session.
type Judge interface {
	// SubmitPractice queues user's submission; ip (the client's address)
	// is counted against the per-address submission bucket.
	SubmitPractice(ctx context.Context, user int64, ip string, req protocol.SubmissionRequest) (protocol.Submission, error)
	RunPractice(ctx context.Context, user int64, ip string, req protocol.RunRequest) (protocol.RunResult, error)
	SubmissionView(ctx context.Context, user int64, id string) (protocol.Submission, error)
	Submissions(ctx context.Context, user int64, limit int) (protocol.Submissions, error)
	CoachView(ctx context.Context, user store.User, id string) (v protocol.CoachView, pending bool, err error)
	JudgeStatus(ctx context.Context) (protocol.JudgeStatus, error)
	Languages(ctx context.Context) (protocol.Languages, error)
	// AllowIP counts a request without a valid session against its
	// address: an error (rate_limited) once over the bucket.
	AllowIP(ctx context.Context, ip string) error
}

// MountJudge adds the judge routes (see routes.go).
func (s *Server) MountJudge(j Judge) {
	h := &judgeHandlers{s: s, j: j}
	s.Handle("POST /api/v1/submissions", h.authed(h.create))
	s.Handle("GET /api/v1/submissions", h.authed(h.list))
	s.Handle("GET /api/v1/submissions/{id}", h.authed(h.get))
	s.Handle("GET /api/v1/submissions/{id}/coach", h.authed(h.coach))
	s.Handle("POST /api/v1/runs", h.authed(h.run))
	s.Handle("GET /api/v1/judge/status", h.authed(h.status))
	s.Handle("GET /api/v1/languages", h.authed(h.languages))
}

type judgeHandlers struct {
	s *Server
	j Judge
}

// authed resolves the session. Requests without a valid one are counted
// against their address and refused with 429 once over its bucket, else
// 401: unauthenticated floods stay cheap, while signed-in players are
// limited per user only, so many players behind one proxy address never
// throttle each other.
func (h *judgeHandlers) authed(next func(w http.ResponseWriter, r *http.Request, u store.User)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := h.s.Authenticate(r)
		if err == nil {
			next(w, r, u)
			return
		}
		if lerr := h.j.AllowIP(r.Context(), h.s.clientIP(r)); lerr != nil {
			err = lerr
		}
		h.s.WriteError(w, r, err)
	})
}

func (h *judgeHandlers) create(w http.ResponseWriter, r *http.Request, u store.User) {
	var req protocol.SubmissionRequest
	if err := h.s.DecodeJSON(w, r, &req); err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	if err := h.s.playing(r.Context(), u.ID, req.Problem); err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	sub, err := h.j.SubmitPractice(r.Context(), u.ID, h.s.clientIP(r), req)
	if err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/submissions/"+sub.ID)
	WriteJSON(w, http.StatusAccepted, sub)
}

func (h *judgeHandlers) get(w http.ResponseWriter, r *http.Request, u store.User) {
	sub, err := h.j.SubmissionView(r.Context(), u.ID, r.PathValue("id"))
	if err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, sub)
}

func (h *judgeHandlers) list(w http.ResponseWriter, r *http.Request, u store.User) {
	limit := 20
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			h.s.WriteError(w, r, errcode.New(errcode.InvalidRequest, "limit must be 1..100"))
			return
		}
		limit = n
	}
	out, err := h.j.Submissions(r.Context(), u.ID, limit)
	if err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, out)
}

// coach answers 200 with a done or failed report, 202 while it is pending.
func (h *judgeHandlers) coach(w http.ResponseWriter, r *http.Request, u store.User) {
	v, pending, err := h.j.CoachView(r.Context(), u, r.PathValue("id"))
	if err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	status := http.StatusOK
	if pending {
		status = http.StatusAccepted
	}
	WriteJSON(w, status, v)
}

// run answers a practice sample run when the worker is done (the request
// waits, bounded by the judge's run timeout).
func (h *judgeHandlers) run(w http.ResponseWriter, r *http.Request, u store.User) {
	var req protocol.RunRequest
	if err := h.s.DecodeJSON(w, r, &req); err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	if err := h.s.playing(r.Context(), u.ID, req.Problem); err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	res, err := h.j.RunPractice(r.Context(), u.ID, h.s.clientIP(r), req)
	if err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, res)
}

// status is the judge's state. Players see the queues and what each worker
// offers, not which machine it is (ids carry host names) nor why one is
// unhealthy (errors may name paths): those are for administrators.
func (h *judgeHandlers) status(w http.ResponseWriter, r *http.Request, u store.User) {
	st, err := h.j.JudgeStatus(r.Context())
	if err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	if u.Role != store.RoleAdmin {
		for i := range st.Workers {
			wk := &st.Workers[i]
			wk.ID, wk.Host, wk.Error = fmt.Sprintf("worker-%d", i+1), "", ""
		}
	}
	WriteJSON(w, http.StatusOK, st)
}

func (h *judgeHandlers) languages(w http.ResponseWriter, r *http.Request, _ store.User) {
	l, err := h.j.Languages(r.Context())
	if err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, l)
}

// playing refuses a practice submission or run on a problem the user is
// playing in a live match (the arena's PlayingProblem; nothing without an
// arena): during a match its hidden tests are judged through the match only.
func (s *Server) playing(ctx context.Context, user int64, problem string) error {
	a := s.arena.Load()
	if a == nil || problem == "" {
		return nil
	}
	return (*a).PlayingProblem(ctx, user, problem)
}
