package execution

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/httpapi"
	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/store"
)

// CoachJSON is the API view of a coach report.
type CoachJSON struct {
	Status string          `json:"status"` // "pending", "done" or "failed"
	Report json.RawMessage `json:"report,omitempty"`
	Error  string          `json:"error,omitempty"`
}

// CoachReport returns the stored coach report of a submission:
// store.ErrNotFound while there is none (pending, or never: only accepted
// submissions are analysed). For the arena's match.coach messages.
func (s *Service) CoachReport(ctx context.Context, submissionID string) (store.CoachReport, error) {
	return s.opt.Store.CoachReport(ctx, submissionID)
}

// coach serves GET /api/v1/submissions/{id}/coach to the owner or an
// admin: 200 {"status":"done","report":{...}} or {"status":"failed",
// "error":...}, 202 {"status":"pending"} while the submission is being
// judged or analysed, 404 not_found for unknown (or someone else's) ids and
// 404 no_coach_report for submissions that were not accepted.
func (h *handlers) coach(w http.ResponseWriter, r *http.Request, u store.User) {
	id := r.PathValue("id")
	sub, err := h.s.opt.Store.Submission(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && sub.UserID != u.ID && u.Role != store.RoleAdmin) {
		h.api.WriteError(w, r, errcode.New(errcode.NotFound, "no such submission"))
		return
	}
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	rep, err := h.s.CoachReport(r.Context(), id)
	switch {
	case err == nil && rep.Status == store.CoachDone:
		httpapi.WriteJSON(w, http.StatusOK, CoachJSON{Status: rep.Status, Report: json.RawMessage(rep.Report)})
	case err == nil:
		httpapi.WriteJSON(w, http.StatusOK, CoachJSON{Status: rep.Status, Error: rep.Error})
	case !errors.Is(err, store.ErrNotFound):
		h.api.WriteError(w, r, err)
	case sub.Result != nil && sub.Result.Verdict != string(judge.AC):
		h.api.WriteError(w, r, errcode.New(errcode.NoCoachReport, "only accepted submissions get a coach report"))
	default:
		httpapi.WriteJSON(w, http.StatusAccepted, CoachJSON{Status: "pending"})
	}
}

type runRequestJSON struct {
	Problem string  `json:"problem"`
	Lang    string  `json:"lang"`
	Code    string  `json:"code"`
	Input   *string `json:"input"`
}

// run serves POST /api/v1/runs: a practice sample run, answered when the
// worker is done (the request waits, bounded by Limits.RunTimeout).
func (h *handlers) run(w http.ResponseWriter, r *http.Request, u store.User) {
	var req runRequestJSON
	if err := h.api.DecodeJSON(w, r, &req); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	res, err := h.s.RunSamples(r.Context(), RunRequest{UserID: u.ID, ProblemID: req.Problem, Lang: req.Lang,
		Source: []byte(req.Code), Input: req.Input, Priority: PriorityPractice})
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, res)
}
