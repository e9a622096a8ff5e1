package execution

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/segfaultarena/segfault/internal/bus"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/execution/jobs"
	"github.com/segfaultarena/segfault/internal/ratelimit"
)

// Sample runs (a player's "Run" button, code.run on the WebSocket).
//
// A run is judged by a worker like a submission, never on the API node:
// RunSamples checks the request, spends a token of the user's run bucket,
// publishes a jobs.JobRun on the judge stream at the caller's priority (ranked
// runs overtake every practice job) with a fresh core-NATS inbox as its
// reply subject, and waits on that inbox. The worker judges the problem's
// sample tests only (judge.Options.SamplesOnly; secret tests are never
// read) or runs the program once on the custom input, and publishes the
// RunResult on the inbox. Nothing is stored: a run never counts as a
// submission of a match.
//
// worker.Worker loss: the job is redelivered after the ack wait while its
// deadline allows; a worker drops a run whose deadline has passed (no one
// is waiting). The caller always gets an answer within min(its context,
// Limits.RunTimeout): the result, or 503 unavailable.

// RunRequest is one sample run.
type RunRequest struct {
	UserID         int64
	ProblemID      string
	ProblemVersion int // as in SubmitRequest: 0 is the newest
	Lang           string
	Source         []byte
	Input          *string // custom input instead of the samples (then Expected is nil)
	MatchID        string  // "" in practice; logs only
	Priority       string  // PriorityRanked or PriorityPractice ("" = practice)
	// IP is the client's address (as SubmitRequest.IP): with the
	// per-address limit on, the run is charged to the address's judge-time
	// bucket too, so accounts sharing an address share its first lane.
	IP string
}

func (s *Service) countRun(outcome, priority string) {
	if s.metrics != nil {
		s.metrics.runs.WithLabelValues(priority, outcome).Inc()
	}
}

// RunSamples runs req's code on the problem's samples (or on req.Input) on
// a worker and returns the outcome. Errors are *errcode.Error with the
// codes of Submit (language_unsupported, code_empty, code_too_large,
// code_not_utf8, language_unavailable, problem_not_found, rate_limited,
// judge_busy, judge_saturated, unavailable) plus input_too_large,
// input_not_utf8, no_samples and invalid_request, and cancelled when ctx
// ended first.
func (s *Service) RunSamples(ctx context.Context, req RunRequest) (*RunResult, error) {
	priority := req.Priority
	if priority == "" {
		priority = PriorityPractice
	}
	if priority != PriorityPractice && priority != PriorityRanked {
		s.countRun("invalid", priority)
		return nil, errcode.Errorf(errcode.InvalidRequest, "runs are ranked or practice, not %q", priority)
	}
	if req.Input != nil {
		if len(*req.Input) > jobs.MaxRunInputBytes {
			s.countRun("invalid", priority)
			return nil, &errcode.Error{Code: errcode.InputTooLarge, Limit: jobs.MaxRunInputBytes,
				Message: fmt.Sprintf("the custom input is %d bytes, over the limit of %d (%d KiB)", len(*req.Input), jobs.MaxRunInputBytes, jobs.MaxRunInputBytes>>10)}
		}
		if !utf8.ValidString(*req.Input) {
			s.countRun("invalid", priority)
			return nil, errcode.New(errcode.InputNotUTF8, "the custom input is not UTF-8")
		}
	}
	langID, ref, err := s.checkCounted(ctx, req.Lang, req.Source, req.ProblemID, req.ProblemVersion, s.countRun, priority)
	if err != nil {
		return nil, err
	}
	unavailable := func(msg string) error {
		s.countRun("unavailable", priority)
		return s.errUnavailable(msg)
	}
	cancelled := func() error {
		s.countRun("cancelled", priority)
		return s.errCancelled()
	}

	// Every run spends a token, ranked ones too: the arena limits
	// submissions by its match rules, but nothing else bounds runs.
	d, err := s.limiter.Allow(ctx, ratelimit.Key("run", fmt.Sprint(req.UserID)), s.opt.Limits.Run)
	if err != nil {
		if ctx.Err() != nil {
			return nil, cancelled()
		}
		s.log.ErrorContext(ctx, "rate limiter unavailable", "err", err)
		return nil, unavailable(msgUnavailable)
	}
	if !d.Allowed {
		s.countRun("rate_limited", priority)
		return nil, &errcode.Error{Code: errcode.RateLimited, Message: "too many runs; slow down", RetryAfter: d.RetryAfter}
	}
	st, stErr := s.Status(ctx)
	if stErr == nil {
		if workers, _ := st.HealthyWorkers(); workers == 0 {
			// A run is interactive: failing now beats making the player
			// wait for the timeout while no worker could take the job.
			return nil, unavailable("no judge worker is running; try again shortly")
		}
		b := st.QueueBound(s.opt.Limits.QueueFloor)
		if priority == PriorityPractice && (s.opt.Limits.MaxQueued > 0 && st.Waiting() >= s.opt.Limits.MaxQueued ||
			b > 0 && st.PracticeWaiting() >= b) {
			s.countRun("saturated", priority)
			return nil, s.errSaturated()
		}
	}
	if !s.startRun(req.UserID) {
		s.countRun("in_flight_limited", priority)
		return nil, &errcode.Error{Code: errcode.JudgeBusy, Message: "your previous run has not finished yet", RetryAfter: time.Second}
	}
	defer s.endRun(req.UserID)

	if err := s.pkgs.Publish(ctx, ref); err != nil {
		if ctx.Err() != nil {
			return nil, cancelled()
		}
		s.log.ErrorContext(ctx, "publish problem package", "problem", ref.ID, "err", err)
		return nil, unavailable(msgUnavailable)
	}

	wctx, cancel := context.WithTimeout(ctx, s.opt.Limits.RunTimeout)
	defer cancel()
	deadline, _ := wctx.Deadline()
	nc := s.opt.Bus.NC
	inbox := nc.NewInbox()
	sub, err := nc.SubscribeSync(inbox)
	if err != nil {
		return nil, unavailable(msgUnavailable)
	}
	defer sub.Unsubscribe()
	id := jobs.NewID()
	job := jobs.Job{SubmissionID: id, UserID: req.UserID, Lang: langID, Priority: priority, EnqueuedAt: time.Now(),
		Problem: ProblemRef{ID: ref.ID, Version: ref.Version, SHA256: ref.SHA256},
		Kind:    jobs.JobRun, Source: req.Source, Input: req.Input, Reply: inbox, Deadline: deadline, MatchID: req.MatchID,
		IP: s.usageIP(req.IP)}
	p, _ := jobs.BusPriority(priority)
	// Runs share the fair share: an account whose programs ran long waits
	// in the repeat lane.
	p = s.lane(wctx, p, req.UserID, false, req.IP)
	start := time.Now()
	if _, err := s.opt.Bus.PublishJob(wctx, p, "run-"+id, job.Encode()); err != nil {
		if errors.Is(err, bus.ErrQueueFull) {
			s.countRun("saturated", priority)
			return nil, s.errSaturated()
		}
		if ctx.Err() != nil {
			return nil, cancelled()
		}
		s.log.ErrorContext(ctx, "publish run job", "run", id, "err", err)
		return nil, unavailable(msgUnavailable)
	}
	msg, err := sub.NextMsgWithContext(wctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, cancelled()
		}
		s.log.WarnContext(ctx, "sample run got no answer", "run", id, "problem", ref.ID, "match", req.MatchID,
			"waited", time.Since(start).Round(time.Millisecond))
		return nil, unavailable("the judge did not answer in time; try again shortly")
	}
	if s.metrics != nil {
		s.metrics.runSeconds.Observe(time.Since(start).Seconds())
	}
	var reply jobs.RunReply
	if err := json.Unmarshal(msg.Data, &reply); err != nil || (reply.Result == nil && reply.Error == nil) {
		s.log.ErrorContext(ctx, "malformed run reply", "run", id, "err", err)
		return nil, unavailable("the judge failed; try again shortly")
	}
	if e := reply.Error; e != nil {
		s.countRun(string(e.Code), priority)
		out := &errcode.Error{Code: e.Code, Message: e.Message}
		if e.Code == "" {
			out.Code = errcode.Unavailable
		}
		if out.Code == errcode.Unavailable {
			out.RetryAfter = s.opt.Limits.SaturatedRetry
		}
		return nil, out
	}
	if reply.Result.Results == nil {
		reply.Result.Results = []RunTestResult{}
	}
	s.countRun("done", priority)
	return reply.Result, nil
}

// startRun takes one of the user's run slots on this node.
func (s *Service) startRun(userID int64) bool {
	s.runMu.Lock()
	defer s.runMu.Unlock()
	if s.running[userID] >= s.opt.Limits.MaxRunsInFlight {
		return false
	}
	s.running[userID]++
	return true
}

func (s *Service) endRun(userID int64) {
	s.runMu.Lock()
	defer s.runMu.Unlock()
	if s.running[userID] <= 1 {
		delete(s.running, userID)
		return
	}
	s.running[userID]--
}
