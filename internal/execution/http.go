package execution

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/httpapi"
	"github.com/segfaultarena/segfault/internal/ratelimit"
	"github.com/segfaultarena/segfault/internal/store"
)

// Mount adds the judge routes to api:
//
//	POST /api/v1/submissions        {problem, lang, code} → 202 submission (practice)
//	GET  /api/v1/submissions        the caller's latest submissions
//	GET  /api/v1/submissions/{id}   one of the caller's submissions, with live progress
//	GET  /api/v1/submissions/{id}/coach  its coach report: 200 done/failed, 202 pending
//	POST /api/v1/runs               {problem, lang, code, input?} → 200 RunResult (practice)
//	GET  /api/v1/judge/status       queue depth per priority and worker heartbeats
//
// plus the "judge_queue" readiness check. Requests need a session (401);
// unauthenticated ones are limited per address (429). Errors are
// errcode codes (status from httpapi): language_unsupported, code_empty,
// code_not_utf8, code_too_large, input_too_large, input_not_utf8,
// problem_not_found, not_found, rate_limited and judge_busy (Retry-After),
// judge_saturated, language_unavailable and unavailable (Retry-After).
func (s *Service) Mount(api *httpapi.Server) {
	h := &handlers{s: s, api: api}
	api.Handle("POST /api/v1/submissions", h.authed(h.create))
	api.Handle("GET /api/v1/submissions", h.authed(h.list))
	api.Handle("GET /api/v1/submissions/{id}", h.authed(h.get))
	api.Handle("GET /api/v1/submissions/{id}/coach", h.authed(h.coach))
	api.Handle("POST /api/v1/runs", h.authed(h.run))
	api.Handle("GET /api/v1/judge/status", h.authed(h.status))
	api.AddReadyCheck(s.ReadyCheck())
}

// authed resolves the session. Requests without a valid one are counted
// against their address (per-IP bucket) and refused with 429 once over it,
// else 401: unauthenticated floods stay cheap, while signed-in players
// are limited per user only, so many players behind one proxy address
// never throttle each other.
func (h *handlers) authed(next func(w http.ResponseWriter, r *http.Request, u store.User)) http.Handler {
	ip := h.s.opt.ClientIP
	if ip == nil {
		ip = ratelimit.PeerIP
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := h.api.Authenticate(r)
		if err == nil {
			next(w, r, u)
			return
		}
		d, lerr := h.s.limiter.Allow(r.Context(), ratelimit.Key("ip", "judge", ip(r)), h.s.opt.Limits.PerIP)
		if lerr == nil && !d.Allowed {
			h.api.WriteError(w, r, &errcode.Error{Code: errcode.RateLimited, Message: "too many requests from your address",
				RetryAfter: d.RetryAfter})
			return
		}
		h.api.WriteError(w, r, err)
	})
}

type handlers struct {
	s   *Service
	api *httpapi.Server
}

type createRequest struct {
	Problem string `json:"problem"`
	Lang    string `json:"lang"`
	Code    string `json:"code"`
}

// SubmissionJSON is the API view of a submission.
type SubmissionJSON struct {
	ID             string          `json:"id"`
	Problem        string          `json:"problem"`
	ProblemVersion int             `json:"problem_version"`
	Lang           string          `json:"lang"`
	Priority       string          `json:"priority"`
	Match          string          `json:"match,omitempty"`
	Status         string          `json:"status"`
	Attempts       int             `json:"attempts"`
	CreatedAt      time.Time       `json:"created_at"`
	Progress       *ProgressJSON   `json:"progress,omitempty"`
	Result         *ResultJSON     `json:"result,omitempty"`
	Tests          json.RawMessage `json:"tests,omitempty"`
}

// ProgressJSON is the live phase of a submission being judged.
type ProgressJSON struct {
	Phase string `json:"phase"`
	Test  int    `json:"test,omitempty"`
	Total int    `json:"total,omitempty"`
}

// ResultJSON is the final result.
type ResultJSON struct {
	Verdict         string    `json:"verdict"`
	Message         string    `json:"message,omitempty"`
	Passed          int       `json:"passed"`
	Total           int       `json:"total"`
	FailedTest      int       `json:"failed_test,omitempty"`
	MaxTimeMS       float64   `json:"max_time_ms"`
	MaxMemoryKB     int64     `json:"max_memory_kb"`
	LanguageVersion string    `json:"language_version,omitempty"`
	FinishedAt      time.Time `json:"finished_at"`
}

func toJSON(sub store.Submission, ev *Event, withTests bool) SubmissionJSON {
	out := SubmissionJSON{ID: sub.ID, Problem: sub.ProblemID, ProblemVersion: sub.ProblemVersion, Lang: sub.Lang,
		Priority: sub.Priority, Match: sub.MatchID, Status: string(sub.Status), Attempts: sub.Attempts, CreatedAt: sub.CreatedAt}
	if ev != nil {
		out.Progress = &ProgressJSON{Phase: ev.Phase, Test: ev.Test, Total: ev.Total}
	}
	if r := sub.Result; r != nil {
		out.Result = &ResultJSON{Verdict: r.Verdict, Message: r.Message, Passed: r.Passed, Total: r.Total,
			FailedTest: r.FailedTest, MaxTimeMS: float64(r.MaxCPUTime.Microseconds()) / 1000,
			MaxMemoryKB: r.MaxMemoryBytes >> 10, LanguageVersion: r.LanguageVersion, FinishedAt: r.FinishedAt}
		if withTests && len(r.Details) > 0 {
			out.Tests = json.RawMessage(r.Details)
		}
	}
	return out
}

func (h *handlers) create(w http.ResponseWriter, r *http.Request, u store.User) {
	var req createRequest
	if err := h.api.DecodeJSON(w, r, &req); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	sub, err := h.s.Submit(r.Context(), SubmitRequest{UserID: u.ID, ProblemID: req.Problem, Lang: req.Lang, Source: []byte(req.Code)})
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/submissions/"+sub.ID)
	httpapi.WriteJSON(w, http.StatusAccepted, toJSON(sub, &Event{Phase: PhaseQueued}, false))
}

func (h *handlers) get(w http.ResponseWriter, r *http.Request, u store.User) {
	sub, ev, err := h.s.Submission(r.Context(), r.PathValue("id"))
	// Someone else's submission is reported as missing: ids must not be
	// probeable.
	if errors.Is(err, store.ErrNotFound) || (err == nil && sub.UserID != u.ID) {
		h.api.WriteError(w, r, errcode.New(errcode.NotFound, "no such submission"))
		return
	}
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, toJSON(sub, ev, true))
}

func (h *handlers) list(w http.ResponseWriter, r *http.Request, u store.User) {
	limit := 20
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			h.api.WriteError(w, r, errcode.New(errcode.InvalidRequest, "limit must be 1..100"))
			return
		}
		limit = n
	}
	subs, err := h.s.opt.Store.UserSubmissions(r.Context(), u.ID, limit)
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	out := make([]SubmissionJSON, 0, len(subs))
	for _, sub := range subs {
		out = append(out, toJSON(sub, nil, false))
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"submissions": out})
}

func (h *handlers) status(w http.ResponseWriter, r *http.Request, _ store.User) {
	st, err := h.s.Status(r.Context())
	if err != nil {
		h.api.WriteError(w, r, &errcode.Error{Code: errcode.Unavailable, Message: "the judge queue is unreachable",
			RetryAfter: 5 * time.Second})
		return
	}
	workers, slots := st.HealthyWorkers()
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"queues": st.Queues, "workers": st.Workers,
		"healthy_workers": workers, "slots": slots, "waiting": st.Waiting()})
}
