package execution

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/segfaultarena/segfault/internal/bus"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/execution/jobs"
	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/problem"
	"github.com/segfaultarena/segfault/internal/ratelimit"
	"github.com/segfaultarena/segfault/internal/store"
)

// Limits are the anti-flooding limits of one deployment. All state behind
// them is shared by the API nodes (NATS KV, the database, the stream).
type Limits struct {
	// Submit is each user's token bucket for practice submissions.
	Submit ratelimit.Rate
	// MaxInFlight caps a user's submissions not yet judged.
	MaxInFlight int
	// MaxQueued is the global cap on waiting practice/analysis jobs; over it
	// practice submissions get 503. Ranked jobs are never refused by it.
	MaxQueued int
	// QueueFloor is the least the drain bound allows: practice jobs
	// waiting are refused (503 judge_saturated) beyond what the healthy
	// workers finish in a minute at their recent pace (slots × 60 s / the
	// average job's seconds, from their heartbeats), but never below
	// QueueFloor; default 20, negative = no drain bound (MaxQueued only).
	QueueFloor int
	// SubmitPerIP is the bucket of practice submissions one client address
	// makes, whatever the accounts (REST; zero Burst = none): several
	// accounts behind one address share it.
	SubmitPerIP ratelimit.Rate
	// NewAccountAge and NewAccountInFlight: an account younger than
	// NewAccountAge may have NewAccountInFlight practice submissions in
	// flight (when it sends one outside a match) instead of MaxInFlight
	// (0 age = no new-account limit).
	NewAccountAge      time.Duration
	NewAccountInFlight int
	// PerIP is the per-address bucket for judge requests without a valid
	// session (signed-in players are limited per user).
	PerIP ratelimit.Rate
	// SaturatedRetry is the Retry-After sent with 503.
	SaturatedRetry time.Duration

	// Run is each user's token bucket for sample runs, ranked and practice
	// alike: runs are not stored, so without it "Run" would be an unlimited
	// judge beside the limited "Submit".
	Run ratelimit.Rate
	// MaxRunsInFlight caps a user's sample runs waiting for a worker on one
	// API node; default 1.
	MaxRunsInFlight int
	// RunTimeout bounds a sample run from publish to answer (the caller's
	// context may end it sooner); default 60 s.
	RunTimeout time.Duration
}

// DefaultLimits: a burst of 5 practice submissions then one every 15 s
// per user (faster than a busy honest player), 2 in flight per user, 2000
// waiting jobs, 100 unauthenticated requests/s per address. Submissions
// refused by the bucket cost a token too, so an account that keeps
// flooding gets nothing through; what a fast submitter does get through
// waits behind everyone (see `segfault loadtest judge`).
func DefaultLimits() Limits {
	return Limits{
		Submit:      ratelimit.Rate{Burst: 5, PerSec: 1.0 / 15, Penalize: true},
		MaxInFlight: 2,
		MaxQueued:   2000,
		QueueFloor:  20,
		// 30 practice submissions a minute per address: a classroom behind
		// one NAT submits far less; five flooding accounts share it.
		SubmitPerIP:        ratelimit.Rate{Burst: 30, PerSec: 0.5},
		NewAccountAge:      time.Hour,
		NewAccountInFlight: 1,
		PerIP:              ratelimit.Rate{Burst: 200, PerSec: 100},
		SaturatedRetry:     5 * time.Second,
		// Runs judge the samples only (cheaper than a submission) and a
		// player runs more often than they submit: a burst of 10, then one
		// every 4 s.
		Run:             ratelimit.Rate{Burst: 10, PerSec: 1.0 / 4, Penalize: true},
		MaxRunsInFlight: 1,
		RunTimeout:      60 * time.Second,
	}
}

// Options configure the API side.
type Options struct {
	Store store.Store
	Bus   *bus.Bus
	// Catalog resolves a problem id and version to the package judged.
	Catalog problem.Catalog
	Logger  *slog.Logger
	// Registry receives the queue and worker gauges (nil: none).
	Registry prometheus.Registerer
	Limits   Limits
	// StaleAfter is when the sweeper looks at a submission that has not
	// moved: republishes a queued one (its job may be lost) or ends it as
	// IE when it has run out of attempts. Default 5 min.
	StaleAfter time.Duration
	// GiveUpAfter ends any submission still not judged this long after it
	// was created with IE; default 1 h.
	GiveUpAfter time.Duration
	// CoachStaleAfter is when the sweeper gives up on the coach report of
	// an accepted submission while no analysis is queued or running: its
	// job is gone (a worker died on its last delivery), so a failed report
	// is stored instead of leaving it pending forever. Default 10 min.
	CoachStaleAfter time.Duration
	// CoachGiveUpAfter is the same bound whatever the analysis queue holds
	// (a backlog may still reach it, but a player has waited long enough);
	// default 2 h.
	CoachGiveUpAfter time.Duration
}

// Service is the API side of the judge pipeline.
type Service struct {
	opt      Options
	log      *slog.Logger
	langs    *judge.Languages
	pkgs     *jobs.Packages
	limiter  *ratelimit.Buckets
	registry jetstream.KeyValue
	sub      *nats.Subscription
	metrics  *metrics

	snapMu  sync.Mutex
	snap    Status
	snapAt  time.Time
	snapErr error
	// live is the latest snapshot's language intersection, for callers
	// that must not wait for NATS (LiveLanguages).
	live       atomic.Pointer[liveLanguages]
	refreshing atomic.Bool

	progMu   sync.Mutex
	progress map[string]Event // latest live event per submission not yet done

	runMu   sync.Mutex
	running map[int64]int // sample runs in flight per user on this node
}

// New builds the API side: ensures buckets, subscribes to progress events.
func New(ctx context.Context, opt Options) (*Service, error) {
	if opt.Store == nil || opt.Bus == nil || opt.Catalog == nil {
		return nil, errors.New("execution: service needs a store, a bus and a problem source")
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Limits == (Limits{}) {
		opt.Limits = DefaultLimits()
	}
	if opt.Limits.QueueFloor == 0 {
		opt.Limits.QueueFloor = 20
	}
	if opt.Limits.NewAccountInFlight <= 0 {
		opt.Limits.NewAccountInFlight = 1
	}
	if opt.Limits.SaturatedRetry <= 0 {
		opt.Limits.SaturatedRetry = 5 * time.Second
	}
	if opt.Limits.MaxRunsInFlight <= 0 {
		opt.Limits.MaxRunsInFlight = 1
	}
	if opt.Limits.RunTimeout <= 0 {
		opt.Limits.RunTimeout = 60 * time.Second
	}
	if opt.StaleAfter <= 0 {
		opt.StaleAfter = 5 * time.Minute
	}
	if opt.GiveUpAfter <= 0 {
		opt.GiveUpAfter = time.Hour
	}
	if opt.CoachStaleAfter <= 0 {
		opt.CoachStaleAfter = 10 * time.Minute
	}
	if opt.CoachGiveUpAfter <= 0 {
		opt.CoachGiveUpAfter = 2 * time.Hour
	}
	opt.CoachGiveUpAfter = max(opt.CoachGiveUpAfter, opt.CoachStaleAfter)
	langs, err := judge.DefaultLanguages("")
	if err != nil {
		return nil, fmt.Errorf("execution: %w", err)
	}
	pkgs, err := jobs.NewPackages(ctx, opt.Bus, "")
	if err != nil {
		return nil, err
	}
	reg, err := jobs.OpenRegistry(ctx, opt.Bus)
	if err != nil {
		return nil, err
	}
	if _, err := jobs.EnsureResults(ctx, opt.Bus); err != nil {
		return nil, err
	}
	lim, err := jobs.OpenBuckets(ctx, opt.Bus)
	if err != nil {
		return nil, err
	}
	s := &Service{opt: opt, log: opt.Logger, langs: langs, pkgs: pkgs, limiter: lim, registry: reg,
		progress: map[string]Event{}, running: map[int64]int{}}
	s.sub, err = opt.Bus.NC.Subscribe(opt.Bus.Names.AllUserEvents(), s.onEvent)
	if err != nil {
		return nil, fmt.Errorf("execution: subscribe to progress: %w", err)
	}
	if opt.Registry != nil {
		if s.metrics, err = newMetrics(opt.Registry, s); err != nil {
			s.sub.Unsubscribe()
			return nil, err
		}
	}
	return s, nil
}

// Close stops the progress subscription.
func (s *Service) Close() error { return s.sub.Unsubscribe() }

// Limiter exposes the shared token buckets (for per-IP limits elsewhere).
func (s *Service) Limiter() *ratelimit.Buckets { return s.limiter }

func (s *Service) onEvent(m *nats.Msg) {
	var ev Event
	if json.Unmarshal(m.Data, &ev) != nil || ev.Type != EventType || ev.SubmissionID == "" {
		return
	}
	s.progMu.Lock()
	defer s.progMu.Unlock()
	if ev.Phase == PhaseDone {
		delete(s.progress, ev.SubmissionID)
		if s.metrics != nil {
			s.metrics.verdicts.WithLabelValues(ev.Verdict).Inc()
		}
		return
	}
	if old, ok := s.progress[ev.SubmissionID]; ok && old.At.After(ev.At) {
		return // out of order
	}
	if len(s.progress) > 100_000 {
		// Events of submissions whose final event was lost: drop them all
		// rather than grow; the store has the truth.
		clear(s.progress)
	}
	s.progress[ev.SubmissionID] = ev
}

// SubmitRequest is one submission to judge.
type SubmitRequest struct {
	UserID    int64
	ProblemID string
	// ProblemVersion pins the version judged against (a match keeps the
	// version it started with); 0 is the newest.
	ProblemVersion int
	Lang           string
	Source         []byte
	MatchID        string
	// IP is the client's address (the REST request's, or the WebSocket
	// upgrade's for a match's code.submit, forwarded with it to the match's
	// owner): practice submissions count against Limits.SubmitPerIP and the
	// address's judge-time bucket when set.
	IP string
}

// Submit queues a practice submission after the user's limits: 429 over
// the token bucket or the in-flight cap, 503 when the queue is saturated.
// Errors are *errcode.Error with a stable code.
func (s *Service) Submit(ctx context.Context, req SubmitRequest) (store.Submission, error) {
	return s.submit(ctx, req, PriorityPractice)
}

// SubmitRanked queues a ranked-match submission: ahead of every practice
// job, not subject to the practice token bucket nor the practice queue
// cap (the arena enforces its own match rules), still bounded by the
// in-flight cap.
func (s *Service) SubmitRanked(ctx context.Context, req SubmitRequest) (store.Submission, error) {
	return s.submit(ctx, req, PriorityRanked)
}

func (s *Service) count(outcome, priority string) {
	if s.metrics != nil {
		s.metrics.submits.WithLabelValues(priority, outcome).Inc()
	}
}

// Messages of the 503 refusals shared by submissions and sample runs.
const (
	msgUnavailable = "the judge is unavailable, try again shortly"
	msgSaturated   = "the judge queue is full; try again shortly"
)

// errSaturated is the refusal of a request while the judge queue is full.
func (s *Service) errSaturated() *errcode.Error {
	return &errcode.Error{Code: errcode.JudgeSaturated, Message: msgSaturated, RetryAfter: s.opt.Limits.SaturatedRetry}
}

// errUnavailable is the refusal of a request the judge cannot take right
// now (a dependency failed); msg tells the client what to expect.
func (s *Service) errUnavailable(msg string) *errcode.Error {
	return &errcode.Error{Code: errcode.Unavailable, Message: msg, RetryAfter: s.opt.Limits.SaturatedRetry}
}

// errCancelled answers a request whose client went away first.
func (s *Service) errCancelled() *errcode.Error {
	return errcode.New(errcode.Cancelled, "request cancelled")
}

// checkCounted is checkRequest counting a refusal (not an internal error)
// as outcome "invalid" with count: s.count for submissions, s.countRun for
// sample runs.
func (s *Service) checkCounted(ctx context.Context, lang string, source []byte, problemID string, version int,
	count func(outcome, priority string), priority string) (langID string, ref ProblemRef, err error) {
	langID, ref, err = s.checkRequest(ctx, lang, source, problemID, version)
	if err != nil {
		if _, refused := errcode.As(err); refused {
			count("invalid", priority)
		}
		return "", ProblemRef{}, err
	}
	return langID, ref, nil
}

// checkRequest runs the checks a submission and a sample run share:
// language, source, problem. Refusals are *errcode.Error; other errors are
// internal.
func (s *Service) checkRequest(ctx context.Context, lang string, source []byte, problemID string, version int) (langID string, ref ProblemRef, err error) {
	spec, ok := s.langs.Spec(lang)
	if !ok {
		return "", ProblemRef{}, errcode.Errorf(errcode.LanguageUnsupported, "unknown language %q", lang)
	}
	if len(source) == 0 {
		return "", ProblemRef{}, errcode.New(errcode.CodeEmpty, "the code is empty")
	}
	if len(source) > judge.MaxSourceBytes {
		return "", ProblemRef{}, &errcode.Error{Code: errcode.CodeTooLarge, Limit: judge.MaxSourceBytes,
			Message: fmt.Sprintf("the code is %d bytes, over the limit of %d (%d KiB)", len(source), judge.MaxSourceBytes, judge.MaxSourceBytes>>10)}
	}
	if !utf8.Valid(source) {
		return "", ProblemRef{}, errcode.New(errcode.CodeNotUTF8, "the code is not UTF-8")
	}
	if st, err := s.Status(ctx); err == nil && !st.judges(spec.ID) {
		return "", ProblemRef{}, &errcode.Error{Code: errcode.LanguageUnavailable, RetryAfter: s.opt.Limits.SaturatedRetry,
			Message: fmt.Sprintf("no judge worker offers %s right now", spec.Name)}
	}
	ref, err = Resolve(ctx, s.opt.Catalog, problemID, version)
	if err != nil {
		return "", ProblemRef{}, err
	}
	return spec.ID, ref, nil
}

// Resolve names the package a job is judged against: version of problem
// id in cat, the newest when version is 0 (a match's submissions and runs
// name the version it started with, so a re-import during the match does
// not change the tests under it). An unknown one is problem_not_found.
func Resolve(ctx context.Context, cat problem.Catalog, id string, version int) (ProblemRef, error) {
	v, err := cat.Version(ctx, id, version)
	if errors.Is(err, problem.ErrNotFound) {
		return ProblemRef{}, errcode.Errorf(errcode.ProblemNotFound, "no problem %q", id)
	}
	if err != nil {
		return ProblemRef{}, fmt.Errorf("resolve problem %s: %w", id, err)
	}
	return ProblemRef{ID: v.ProblemID, Version: v.Number, SHA256: v.SHA256, Dir: v.Dir}, nil
}

func (s *Service) submit(ctx context.Context, req SubmitRequest, priority string) (store.Submission, error) {
	langID, ref, err := s.checkCounted(ctx, req.Lang, req.Source, req.ProblemID, req.ProblemVersion, s.count, priority)
	if err != nil {
		return store.Submission{}, err
	}
	queue := priority
	maxInFlight := s.opt.Limits.MaxInFlight
	if priority == PriorityPractice {
		if req.IP != "" && s.opt.Limits.SubmitPerIP.Burst > 0 {
			d, err := s.limiter.Allow(ctx, ratelimit.Key("submit-ip", req.IP), s.opt.Limits.SubmitPerIP)
			if err == nil && !d.Allowed {
				s.count("ip_limited", priority)
				return store.Submission{}, &errcode.Error{Code: errcode.RateLimited,
					Message: "too many submissions from your address; slow down", RetryAfter: d.RetryAfter}
			}
			// A limiter error falls through to the account's bucket, which
			// reports it.
		}
		d, err := s.limiter.Allow(ctx, ratelimit.Key("submit", fmt.Sprint(req.UserID)), s.opt.Limits.Submit)
		if err != nil {
			if ctx.Err() != nil {
				// The client went away: nothing to report to anyone.
				return store.Submission{}, s.errCancelled()
			}
			s.count("unavailable", priority)
			s.log.ErrorContext(ctx, "rate limiter unavailable", "err", err)
			return store.Submission{}, s.errUnavailable(msgUnavailable)
		}
		if !d.Allowed {
			s.count("rate_limited", priority)
			return store.Submission{}, &errcode.Error{Code: errcode.RateLimited, Message: "too many submissions; slow down",
				RetryAfter: d.RetryAfter}
		}
		if d.Remaining < min(1, s.opt.Limits.Submit.Burst/2) {
			// A player spending tokens faster than they refill is
			// flooding: what they still get through waits in the lowest
			// queue, behind every other player's practice job, so a flood
			// costs the others at most the one job a worker is already
			// running.
			queue = PriorityAnalysis
		}
		if err := s.checkQueueBound(ctx, priority); err != nil {
			return store.Submission{}, err
		}
		// Matches hold their players to one submission at a time already.
		if maxInFlight > 0 && s.opt.Limits.NewAccountAge > 0 && req.MatchID == "" {
			u, err := s.opt.Store.UserByID(ctx, req.UserID)
			if err == nil && time.Since(u.CreatedAt) < s.opt.Limits.NewAccountAge {
				maxInFlight = min(maxInFlight, s.opt.Limits.NewAccountInFlight)
			}
		}
	}
	if err := s.pkgs.Publish(ctx, ref); err != nil {
		s.count("unavailable", priority)
		s.log.ErrorContext(ctx, "publish problem package", "problem", ref.ID, "err", err)
		return store.Submission{}, s.errUnavailable(msgUnavailable)
	}
	sub, err := s.opt.Store.CreateSubmission(ctx, store.NewSubmission{
		ID: jobs.NewID(), UserID: req.UserID, ProblemID: ref.ID, ProblemVersion: ref.Version, ProblemSHA256: ref.SHA256,
		Lang: langID, Source: req.Source, Priority: priority, MatchID: req.MatchID, CreatedAt: time.Now(),
	}, maxInFlight)
	if errors.Is(err, store.ErrLimit) {
		s.count("in_flight_limited", priority)
		msg := fmt.Sprintf("you already have %d submissions being judged; wait for a verdict", maxInFlight)
		if maxInFlight == 1 {
			msg = "your previous submission is still being judged; wait for its verdict"
		}
		return store.Submission{}, &errcode.Error{Code: errcode.JudgeBusy, Message: msg, RetryAfter: time.Second}
	}
	if err != nil {
		return store.Submission{}, fmt.Errorf("store submission: %w", err)
	}
	if err := s.enqueueLane(ctx, sub, queue, req.IP); err != nil {
		// Never leave it queued without a job: end it now, with a verdict
		// the player sees, and tell the client to come back later.
		refusal := s.errUnavailable(msgUnavailable)
		if errors.Is(err, bus.ErrQueueFull) {
			refusal = s.errSaturated()
		}
		s.log.ErrorContext(ctx, "publish judge job", "submission", sub.ID, "err", err)
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if _, _, ferr := s.opt.Store.FinishSubmission(fctx, store.SubmissionResult{SubmissionID: sub.ID,
			Verdict: string(judge.IE), Message: "not queued: " + refusal.Message}); ferr != nil {
			s.log.ErrorContext(ctx, "end unqueued submission", "submission", sub.ID, "err", ferr)
		}
		s.count("saturated", priority)
		return store.Submission{}, refusal
	}
	s.count("accepted", priority)
	return sub, nil
}

func (s *Service) enqueue(ctx context.Context, sub store.Submission) error {
	return s.enqueueLane(ctx, sub, sub.Priority, "")
}

// enqueueLane publishes sub's job on the queue of priority queue: in its
// first lane when sub is its user's only submission not yet judged and the
// user (and the address ip, when the per-address limit is on) spent little
// judge time of late (jobs.UsageRate), in the repeat lane otherwise
// (bus.Priority: the fair share between accounts). It charges the
// estimate of the job's judge time.
func (s *Service) enqueueLane(ctx context.Context, sub store.Submission, queue, ip string) error {
	p, err := jobs.BusPriority(queue)
	if err != nil {
		return err
	}
	if p != p.Repeat() {
		n, err := s.opt.Store.InFlightSubmissions(ctx, sub.UserID)
		if err != nil {
			return fmt.Errorf("count in-flight submissions: %w", err)
		}
		p = s.lane(ctx, p, sub.UserID, n > 1, ip)
	}
	job := jobs.Job{SubmissionID: sub.ID, UserID: sub.UserID, Lang: sub.Lang, Priority: sub.Priority, EnqueuedAt: time.Now(),
		Problem: ProblemRef{ID: sub.ProblemID, Version: sub.ProblemVersion, SHA256: sub.ProblemSHA256}, IP: s.usageIP(ip)}
	if _, err := s.opt.Bus.PublishJob(ctx, p, sub.ID, job.Encode()); err != nil {
		return err
	}
	b, _ := json.Marshal(Event{Type: EventType, SubmissionID: sub.ID, UserID: sub.UserID, MatchID: sub.MatchID,
		Phase: PhaseQueued, At: time.Now()})
	_ = s.opt.Bus.NC.Publish(s.opt.Bus.Names.UserEvents(sub.UserID), b)
	return nil
}

// lane is the lane of a job of priority p (a first lane) for user from
// address ip ("" = unknown): the repeat lane when busy (another of the
// user's jobs is in flight) or when the user, or the address with the
// per-address limit on, spent judge time of late (jobs.UsageRate). It
// charges the estimate of the job's judge time to both.
func (s *Service) lane(ctx context.Context, p bus.Priority, user int64, busy bool, ip string) bus.Priority {
	keys := []string{jobs.UsageKey(user)}
	if ip = s.usageIP(ip); ip != "" {
		keys = append(keys, jobs.UsageIPKey(ip))
	}
	repeat := busy
	for _, k := range keys {
		// Best effort: a bucket that cannot be read or charged leaves the
		// lane to the in-flight count.
		if lvl, err := s.limiter.Level(ctx, k, jobs.UsageRate); err == nil && lvl < jobs.UsageRate.Burst-jobs.UsageFirstLane {
			repeat = true
		}
		if _, err := s.limiter.Spend(ctx, k, jobs.UsageRate, jobs.UsageEstimate); err != nil {
			s.log.WarnContext(ctx, "charge judge time", "key", k, "err", err)
		}
	}
	if repeat {
		return p.Repeat()
	}
	return p
}

// usageIP is ip when the per-address limit is on (its judge-time bucket
// is kept then), else "".
func (s *Service) usageIP(ip string) string {
	if s.opt.Limits.SubmitPerIP.Burst > 0 {
		return ip
	}
	return ""
}

// Submission returns a submission with its live progress (nil when none is
// known on this node, or when it is done).
func (s *Service) Submission(ctx context.Context, id string) (store.Submission, *Event, error) {
	sub, err := s.opt.Store.Submission(ctx, id)
	if err != nil {
		return store.Submission{}, nil, err
	}
	if sub.Status == store.SubmissionDone {
		return sub, nil, nil
	}
	s.progMu.Lock()
	ev, ok := s.progress[id]
	s.progMu.Unlock()
	if !ok {
		return sub, nil, nil
	}
	return sub, &ev, nil
}

// Status is the judge pipeline as this node sees it.
type Status struct {
	Queues  map[string]bus.Depth `json:"queues"`
	Workers []WorkerInfo         `json:"workers"`
}

// Waiting is the number of practice (both lanes) and analysis jobs not
// yet delivered.
func (st Status) Waiting() int {
	return st.PracticeWaiting() + int(st.Queues[PriorityAnalysis].Pending)
}

// PracticeWaiting is the number of practice jobs (both lanes) not yet
// delivered: what the drain bound counts.
func (st Status) PracticeWaiting() int {
	return int(st.Queues[PriorityPractice].Pending + st.Queues[bus.PracticeRepeat.String()].Pending)
}

// DrainPerMinute is how many jobs the healthy workers finish in a minute
// at their recent pace: each one's slots × 60 s over its average job's
// seconds (a worker with no job yet counts 1 s a job, never less than
// 50 ms).
func (st Status) DrainPerMinute() int {
	total := 0.0
	for _, w := range st.Workers {
		if !w.Healthy {
			continue
		}
		secs := w.JobSeconds
		if secs <= 0 {
			secs = 1
		}
		total += float64(w.Slots) * 60 / max(secs, 0.05)
	}
	return int(total)
}

// QueueBound is how many practice jobs may wait: what the workers drain in
// a minute (DrainPerMinute), at least floor; 0 = no bound (floor < 0).
func (st Status) QueueBound(floor int) int {
	if floor < 0 {
		return 0
	}
	return max(floor, st.DrainPerMinute())
}

// checkQueueBound refuses a practice job (counted under priority) with
// judge_saturated when the queue holds MaxQueued jobs or more practice jobs
// than the workers drain in a minute (QueueBound). A status that cannot be
// read refuses nothing here: the publish itself fails then.
func (s *Service) checkQueueBound(ctx context.Context, priority string) error {
	st, err := s.Status(ctx)
	if err != nil {
		return nil
	}
	full := s.opt.Limits.MaxQueued > 0 && st.Waiting() >= s.opt.Limits.MaxQueued
	if b := st.QueueBound(s.opt.Limits.QueueFloor); b > 0 && st.PracticeWaiting() >= b {
		full = true
	}
	if full {
		s.count("saturated", priority)
		return s.errSaturated()
	}
	return nil
}

// judges reports whether lang can be judged: some healthy worker offers it,
// or no healthy worker is up at all (the job waits for one; workers
// advertise languages only while alive).
func (st Status) judges(lang string) bool {
	healthy := false
	for _, w := range st.Workers {
		if !w.Healthy {
			continue
		}
		healthy = true
		for _, l := range w.Languages {
			if l == lang {
				return true
			}
		}
	}
	return !healthy
}

// Languages are the languages every healthy worker offers, in the order
// of ids (the table's): the intersection, so that whichever worker takes a
// job can judge it. versions holds the version the first of them
// advertises. ok is false when no healthy worker is up: nothing narrows the
// table then (a job waits for a worker).
func (st Status) Languages(ids []string) (live []string, versions map[string]string, ok bool) {
	count := map[string]int{}
	versions = map[string]string{}
	healthy := 0
	for _, w := range st.Workers {
		if !w.Healthy {
			continue
		}
		healthy++
		for _, l := range w.Languages {
			count[l]++
			if _, seen := versions[l]; !seen && w.Versions[l] != "" {
				versions[l] = w.Versions[l]
			}
		}
	}
	if healthy == 0 {
		return nil, nil, false
	}
	live = []string{}
	for _, id := range ids {
		if count[id] == healthy {
			live = append(live, id)
		}
	}
	return live, versions, true
}

// HealthyWorkers counts workers taking jobs and their free slots.
func (st Status) HealthyWorkers() (workers, slots int) {
	for _, w := range st.Workers {
		if w.Healthy {
			workers++
			slots += w.Slots
		}
	}
	return workers, slots
}

// Status reads queue depths and worker heartbeats, cached for 500 ms so
// that metrics scrapes and submit floods do not hammer the server.
func (s *Service) Status(ctx context.Context) (Status, error) {
	s.snapMu.Lock()
	defer s.snapMu.Unlock()
	if time.Since(s.snapAt) < 500*time.Millisecond {
		return s.snap, s.snapErr
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	st := Status{Queues: map[string]bus.Depth{}}
	depth, err := s.opt.Bus.QueueDepth(ctx)
	if err == nil {
		for p, d := range depth {
			st.Queues[p.String()] = d
		}
		st.Workers, err = jobs.ListWorkers(ctx, s.registry)
	}
	s.snap, s.snapErr, s.snapAt = st, err, time.Now()
	if err == nil {
		ids, _, ok := st.Languages(s.langs.IDs())
		s.live.Store(&liveLanguages{ids: ids, known: ok, at: s.snapAt})
	}
	return st, err
}

type liveLanguages struct {
	ids   []string
	known bool
	at    time.Time
}

// LiveLanguages is Status().Languages without waiting: the ids of the
// languages every healthy worker offers, from the latest worker snapshot
// (refreshed in the background when older than 2 s). ok is false when no
// snapshot is there yet or no healthy worker is up: offer the whole table.
func (s *Service) LiveLanguages() (ids []string, ok bool) {
	l := s.live.Load()
	if (l == nil || time.Since(l.at) > 2*time.Second) && s.refreshing.CompareAndSwap(false, true) {
		go func() {
			defer s.refreshing.Store(false)
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			s.Status(ctx)
		}()
	}
	if l == nil || !l.known {
		return nil, false
	}
	return l.ids, true
}

// ReadyDetail fails while the queue cannot be read (NATS down); it shows
// queue depth per priority and the workers taking jobs (the "judge_queue"
// check of /readyz; also in GET /api/v1/judge/status and /metrics).
func (s *Service) ReadyDetail(ctx context.Context) (any, error) {
	st, err := s.Status(ctx)
	if err != nil {
		return nil, err
	}
	workers, slots := st.HealthyWorkers()
	if workers == 0 {
		// Not fatal for an API node (jobs wait in the queue), so only
		// logged; the detail shows it.
		s.log.Debug("no healthy judge worker", "queued", st.Waiting())
	}
	return map[string]any{"queues": st.Queues, "workers": workers, "slots": slots,
		"workers_unhealthy": len(st.Workers) - workers}, nil
}

// RunSweeper finishes or republishes submissions that stopped moving, so
// none stays queued forever: a job lost between the store and the stream
// (API node crash) is republished; one whose attempts all died or that
// waited past GiveUpAfter ends as IE. Coach reports that will never come
// are stored as failed (SweepCoach). Every API node may run it: the
// results are idempotent (first write wins) and republishing is
// deduplicated by id.
func (s *Service) RunSweeper(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = 30 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.Sweep(ctx, time.Now()); err != nil && ctx.Err() == nil {
				s.log.Warn("submission sweep failed", "err", err)
			}
		}
	}
}

// Sweep is one pass of the sweeper at now: submissions, then coach
// reports (SweepCoach).
func (s *Service) Sweep(ctx context.Context, now time.Time) error {
	return errors.Join(s.sweepSubmissions(ctx, now), s.SweepCoach(ctx, now))
}

func (s *Service) sweepSubmissions(ctx context.Context, now time.Time) error {
	stale, err := s.opt.Store.StaleSubmissions(ctx, now.Add(-s.opt.StaleAfter), 200)
	if err != nil {
		return err
	}
	for _, sub := range stale {
		switch {
		case now.Sub(sub.CreatedAt) > s.opt.GiveUpAfter || sub.Attempts >= s.opt.Bus.Config.MaxDeliver:
			stored, created, err := s.opt.Store.FinishSubmission(ctx, store.SubmissionResult{SubmissionID: sub.ID,
				Verdict: string(judge.IE), Message: "judging did not complete; please resubmit", FinishedAt: now})
			if err != nil {
				return err
			}
			if err := jobs.PublishResult(ctx, s.opt.Bus, ResultOf(sub, stored)); err != nil {
				return err
			}
			if created {
				s.log.Warn("gave up on a submission", "submission", sub.ID, "attempts", sub.Attempts, "age", now.Sub(sub.CreatedAt))
				b, _ := json.Marshal(Event{Type: EventType, SubmissionID: sub.ID, UserID: sub.UserID, MatchID: sub.MatchID,
					Phase: PhaseDone, Verdict: string(judge.IE), At: now})
				_ = s.opt.Bus.NC.Publish(s.opt.Bus.Names.UserEvents(sub.UserID), b)
			}
		default:
			if err := s.enqueue(ctx, sub); err != nil {
				return err
			}
			if err := s.opt.Store.TouchSubmission(ctx, sub.ID, now); err != nil {
				return err
			}
			s.log.Info("republished a stale submission", "submission", sub.ID, "status", sub.Status, "attempts", sub.Attempts)
		}
	}
	return nil
}
