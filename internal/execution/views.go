package execution

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/ratelimit"
	"github.com/segfaultarena/segfault/internal/store"
)

// What the REST API shows of the judge (httpapi serves it): a player's
// practice submissions and runs, their coach reports, and the queue's
// status. Someone else's submission is reported as missing: ids must not
// be probeable.

var errNoSubmission = errcode.New(errcode.NotFound, "no such submission")

// SubmitPractice queues a practice submission of user's sent from address
// ip (as Submit).
func (s *Service) SubmitPractice(ctx context.Context, user int64, ip string, req protocol.SubmissionRequest) (protocol.Submission, error) {
	sub, err := s.Submit(ctx, SubmitRequest{UserID: user, ProblemID: req.Problem, Lang: req.Lang, Source: []byte(req.Code), IP: ip})
	if err != nil {
		return protocol.Submission{}, err
	}
	return submissionView(sub, &Event{Phase: PhaseQueued}, false), nil
}

// RunPractice runs code of user's sent from address ip on a problem's
// samples (or an input), at practice priority (as RunSamples).
func (s *Service) RunPractice(ctx context.Context, user int64, ip string, req protocol.RunRequest) (protocol.RunResult, error) {
	res, err := s.RunSamples(ctx, RunRequest{UserID: user, ProblemID: req.Problem, Lang: req.Lang,
		Source: []byte(req.Code), Input: req.Input, Priority: PriorityPractice, IP: ip})
	if err != nil {
		return protocol.RunResult{}, err
	}
	return *res, nil
}

// SubmissionView is one of user's submissions with its live progress and
// per-test results.
func (s *Service) SubmissionView(ctx context.Context, user int64, id string) (protocol.Submission, error) {
	sub, ev, err := s.Submission(ctx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && sub.UserID != user {
		return protocol.Submission{}, errNoSubmission
	}
	if err != nil {
		return protocol.Submission{}, err
	}
	return submissionView(sub, ev, true), nil
}

// Submissions lists user's latest submissions, newest first.
func (s *Service) Submissions(ctx context.Context, user int64, limit int) (protocol.Submissions, error) {
	subs, err := s.opt.Store.UserSubmissions(ctx, user, limit)
	if err != nil {
		return protocol.Submissions{}, err
	}
	out := protocol.Submissions{Submissions: protocol.List[protocol.Submission]{}}
	for _, sub := range subs {
		out.Submissions = append(out.Submissions, submissionView(sub, nil, false))
	}
	return out, nil
}

func submissionView(sub store.Submission, ev *Event, withTests bool) protocol.Submission {
	out := protocol.Submission{ID: sub.ID, Problem: sub.ProblemID, ProblemVersion: sub.ProblemVersion, Lang: sub.Lang,
		Priority: sub.Priority, Match: sub.MatchID, Status: string(sub.Status), Attempts: sub.Attempts,
		CreatedAt: protocol.Time(sub.CreatedAt)}
	if ev != nil {
		out.Progress = &protocol.SubmissionProgressView{Phase: ev.Phase, Test: ev.Test, Total: ev.Total}
	}
	if r := sub.Result; r != nil {
		out.Result = &protocol.SubmissionVerdict{Verdict: protocol.Verdict(r.Verdict), Message: r.Message, Passed: r.Passed,
			Total: r.Total, FailedTest: r.FailedTest, MaxTimeMS: float64(r.MaxCPUTime.Microseconds()) / 1000,
			MaxMemoryKB: r.MaxMemoryBytes >> 10, LanguageVersion: r.LanguageVersion, FinishedAt: protocol.Time(r.FinishedAt)}
		if withTests && len(r.Details) > 0 {
			out.Tests = json.RawMessage(r.Details)
		}
	}
	return out
}

// CoachView is the coach report of one of user's submissions (an admin
// sees anyone's). pending is true while the submission is being judged or
// analysed; a submission that was not accepted has none (no_coach_report).
func (s *Service) CoachView(ctx context.Context, user store.User, id string) (v protocol.CoachView, pending bool, err error) {
	sub, err := s.opt.Store.Submission(ctx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && sub.UserID != user.ID && user.Role != store.RoleAdmin {
		return v, false, errNoSubmission
	}
	if err != nil {
		return v, false, err
	}
	rep, err := s.opt.Store.CoachReport(ctx, id)
	switch {
	case err == nil && rep.Status == store.CoachDone:
		return protocol.CoachView{Status: rep.Status, Report: json.RawMessage(rep.Report)}, false, nil
	case err == nil:
		return protocol.CoachView{Status: rep.Status, Error: rep.Error}, false, nil
	case !errors.Is(err, store.ErrNotFound):
		return v, false, err
	case sub.Result != nil && sub.Result.Verdict != string(judge.AC):
		return v, false, errcode.New(errcode.NoCoachReport, "only accepted submissions get a coach report")
	}
	return protocol.CoachView{Status: "pending"}, true, nil
}

// JudgeStatus is the queue depth per priority and the workers' heartbeats.
func (s *Service) JudgeStatus(ctx context.Context) (protocol.JudgeStatus, error) {
	st, err := s.Status(ctx)
	if err != nil {
		return protocol.JudgeStatus{}, &errcode.Error{Code: errcode.Unavailable, Message: "the judge queue is unreachable",
			RetryAfter: 5 * time.Second, Err: err}
	}
	workers, slots := st.HealthyWorkers()
	out := protocol.JudgeStatus{Queues: map[string]protocol.QueueDepth{}, Workers: protocol.List[protocol.JudgeWorker]{},
		HealthyWorkers: workers, Slots: slots, Waiting: st.Waiting()}
	for p, d := range st.Queues {
		out.Queues[p] = protocol.QueueDepth{Pending: d.Pending, InFlight: d.InFlight}
	}
	for _, w := range st.Workers {
		out.Workers = append(out.Workers, protocol.JudgeWorker{ID: w.ID, Host: w.Host, Runtime: w.Runtime, Languages: w.Languages,
			Slots: w.Slots, Busy: w.Busy, Healthy: w.Healthy, Error: w.Error, Started: protocol.Time(w.Started), At: protocol.Time(w.At)})
	}
	return out, nil
}

// Languages lists, in table order, the languages every healthy worker
// offers (all of the table while none is up: a job waits for a worker),
// each with what the web needs: name, version (as the workers report it),
// extensions, editor mode, starter code, notes, coach capability.
func (s *Service) Languages(ctx context.Context) (protocol.Languages, error) {
	st, err := s.Status(ctx)
	if err != nil {
		return protocol.Languages{}, &errcode.Error{Code: errcode.Unavailable, Message: "the judge queue is unreachable",
			RetryAfter: 5 * time.Second, Err: err}
	}
	ids := s.langs.IDs()
	live, versions, known := st.Languages(ids)
	if !known {
		live = ids
	}
	out := protocol.Languages{Languages: protocol.List[protocol.Language]{}}
	for _, id := range live {
		spec, _ := s.langs.Spec(id)
		li := spec.Info()
		out.Languages = append(out.Languages, protocol.Language{ID: li.ID, Name: li.Name, Aliases: li.Aliases,
			Version: versions[id], Extensions: li.Extensions, Monaco: li.Monaco, Template: li.Template,
			Notes: li.Notes, Coach: li.Coach})
	}
	return out, nil
}

// AllowIP spends a token of the per-address bucket of requests without a
// valid session: refused is a rate_limited error. A broken limiter lets
// the request through (it is refused as unauthenticated anyway).
func (s *Service) AllowIP(ctx context.Context, ip string) error {
	d, err := s.limiter.Allow(ctx, ratelimit.Key("ip", "judge", ip), s.opt.Limits.PerIP)
	if err != nil || d.Allowed {
		return nil
	}
	return &errcode.Error{Code: errcode.RateLimited, Message: "too many requests from your address", RetryAfter: d.RetryAfter}
}
