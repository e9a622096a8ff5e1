package worker

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/segfaultarena/segfault/internal/execution/jobs"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/segfaultarena/segfault/internal/bus"
	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/problem"
	"github.com/segfaultarena/segfault/internal/problem/verify"
	"github.com/segfaultarena/segfault/internal/ratelimit"
	"github.com/segfaultarena/segfault/internal/store"
)

// Options configure a worker process's judge slots.
type Options struct {
	Bus      *bus.Bus
	Store    store.Store
	Judge    *judge.Judge
	CacheDir string // unpacked problem packages (kept across restarts)
	Slots    int    // jobs judged at once; default 1
	// Name identifies the worker in heartbeats, logs and results; default
	// host-pid-random.
	Name   string
	Logger *slog.Logger
	// HealthEvery is how often the sandbox runtime is re-checked; default 10 s.
	HealthEvery time.Duration
	// Registry receives the worker's job metrics (nil: none).
	Registry prometheus.Registerer
	// Coach configures the analyses of accepted submissions.
	Coach CoachOptions
	// TimeMultipliers scale a problem's time limit per language (the
	// time-multipliers setting; nil = every language gets the problem's
	// limit). Judging, sample runs and coach builds all apply them, so a
	// program gets the same limit in each.
	TimeMultipliers problem.LanguageMultipliers
}

// Worker pulls judge jobs and judges them. A worker whose sandbox runtime
// fails its check reports itself unhealthy in the registry and pulls no
// jobs until the check passes again.
type Worker struct {
	fetch    *fetcher
	opt      Options
	log      *slog.Logger
	pkgs     *jobs.Packages
	usage    *ratelimit.Buckets // judge time per account (jobs.UsageRate)
	registry jetstream.KeyValue
	langs    []string
	versions map[string]string // language id → toolchain version
	started  time.Time

	busy     atomic.Int32
	jobSecs  atomic.Uint64 // float64 bits: moving average of a judge job's seconds (0 = none yet)
	healthy  atomic.Bool
	checked  atomic.Bool
	low      atomic.Bool  // a slot holds the low-queue claim
	repeats  atomic.Int32 // slots holding a practice repeat-lane claim
	repeatMu sync.Mutex   // serialises claimRepeat's check and claim
	mu       sync.Mutex
	lastErr  string
	wake     chan struct{} // health turned good

	jobs     *prometheus.CounterVec
	duration prometheus.Histogram
	runs     *prometheus.CounterVec
	analyses *prometheus.CounterVec

	preemptPoll time.Duration // how often a running analysis looks for waiting players

	stopped func(ctx context.Context) // called when Run ends; may be nil
}

// New checks the options, ensures the shared buckets and probes the
// language toolchains (so the first job does not pay for it).
func New(ctx context.Context, opt Options) (*Worker, error) {
	if opt.Bus == nil || opt.Store == nil || opt.Judge == nil || opt.CacheDir == "" {
		return nil, errors.New("execution: worker needs a bus, a store, a judge and a cache dir")
	}
	if opt.Slots <= 0 {
		opt.Slots = 1
	}
	if opt.Name == "" {
		host, _ := os.Hostname()
		var b [3]byte
		_, _ = rand.Read(b[:])
		opt.Name = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.HealthEvery <= 0 {
		opt.HealthEvery = 10 * time.Second
	}
	pkgs, err := jobs.NewPackages(ctx, opt.Bus, opt.CacheDir)
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
	fetch, err := newFetcher(ctx, opt.Bus)
	if err != nil {
		return nil, err
	}
	usage, err := jobs.OpenBuckets(ctx, opt.Bus)
	if err != nil {
		return nil, err
	}
	opt.Coach.defaults()
	w := &Worker{fetch: fetch, usage: usage, opt: opt, log: opt.Logger.With("worker", opt.Name), pkgs: pkgs, registry: reg,
		started: time.Now(), wake: make(chan struct{}, opt.Slots), preemptPoll: 250 * time.Millisecond}
	w.runs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "segfault_worker_runs_total",
		Help: "Sample runs handled by this worker, by outcome (done, CE, expired, or an error code).",
	}, []string{"outcome"})
	w.analyses = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "segfault_worker_analyses_total",
		Help: "Coach analyses by outcome: queued (after an Accepted result), not_queued, skipped (queue full), done, failed, preempted, duplicate, dropped.",
	}, []string{"outcome"})
	w.jobs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "segfault_worker_jobs_total",
		Help: "Job deliveries handled by this worker, by outcome (the verdict, duplicate, handed_back, dropped).",
	}, []string{"outcome"})
	w.duration = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "segfault_worker_judge_seconds",
		Help:    "Wall time from taking a job to storing its result.",
		Buckets: prometheus.ExponentialBuckets(0.1, 2, 10),
	})
	if opt.Registry != nil {
		for _, c := range []prometheus.Collector{w.jobs, w.duration, w.runs, w.analyses,
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "segfault_worker_busy_slots", Help: "Slots judging now."},
				func() float64 { return float64(w.busy.Load()) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "segfault_worker_healthy", Help: "1 while the worker takes jobs."},
				func() float64 {
					if w.healthy.Load() {
						return 1
					}
					return 0
				}),
		} {
			if err := opt.Registry.Register(c); err != nil {
				return nil, fmt.Errorf("execution: worker metrics: %w", err)
			}
		}
		if cc := opt.Judge.CompileCache(); cc != nil {
			stat := func(f func(judge.CacheStats) float64) func() float64 {
				return func() float64 { return f(cc.Stats()) }
			}
			for _, c := range []prometheus.Collector{
				prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "segfault_worker_compile_cache_hits_total", Help: "Programs taken from the compile cache (not compiled)."},
					stat(func(s judge.CacheStats) float64 { return float64(s.Hits) })),
				prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "segfault_worker_compile_cache_misses_total", Help: "Programs compiled (not in the compile cache)."},
					stat(func(s judge.CacheStats) float64 { return float64(s.Misses) })),
				prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "segfault_worker_compile_cache_corrupt_total", Help: "Compile cache entries discarded because they failed verification."},
					stat(func(s judge.CacheStats) float64 { return float64(s.Corrupt) })),
				prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "segfault_worker_compile_cache_bytes", Help: "Size of the compile cache's entries."},
					stat(func(s judge.CacheStats) float64 { return float64(s.Bytes) })),
			} {
				if err := opt.Registry.Register(c); err != nil {
					return nil, fmt.Errorf("execution: worker metrics: %w", err)
				}
			}
		}
	}
	w.versions = map[string]string{}
	for _, l := range opt.Judge.Languages().ResolveAll(ctx) {
		if l.Err == nil {
			w.langs = append(w.langs, l.ID)
			w.versions[l.ID] = l.Version
		}
	}
	return w, nil
}

// Busy reports how many slots are judging and whether one of them is
// running a coach analysis (tests and operators' tools).
func (w *Worker) Busy() (slots int, analysis bool) { return int(w.busy.Load()), w.low.Load() }

// TimeMultipliers are the per-language time limit factors it judges with.
func (w *Worker) TimeMultipliers() problem.LanguageMultipliers { return w.opt.TimeMultipliers }

// Name is the worker's id.
func (w *Worker) Name() string { return w.opt.Name }

// Health is nil while the worker takes jobs, else why it does not.
func (w *Worker) Health() error {
	if w.healthy.Load() {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.lastErr == "" {
		return errors.New("sandbox runtime not checked yet")
	}
	return errors.New(w.lastErr)
}

func (w *Worker) checkHealth(ctx context.Context) {
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	err := w.opt.Judge.Runtime().Check(cctx)
	cancel()
	if err == nil && len(w.langs) == 0 {
		err = errors.New("no language toolchain is usable on this worker")
	}
	was := w.healthy.Load()
	first := !w.checked.Swap(true)
	w.mu.Lock()
	if err != nil {
		w.lastErr = fmt.Sprintf("sandbox runtime %s unusable: %v", w.opt.Judge.Runtime().Name(), err)
	} else {
		w.lastErr = ""
	}
	w.mu.Unlock()
	w.healthy.Store(err == nil)
	switch {
	case err != nil && (was || first):
		w.log.Error("worker unhealthy: taking no jobs", "err", err)
	case err != nil:
		w.log.Debug("worker still unhealthy", "err", err)
	case err == nil && !was:
		w.log.Info("worker healthy: taking jobs", "slots", w.opt.Slots, "languages", w.langs)
		for range w.opt.Slots {
			select {
			case w.wake <- struct{}{}:
			default:
			}
		}
	}
}

func (w *Worker) heartbeat(ctx context.Context) {
	w.mu.Lock()
	lastErr := w.lastErr
	w.mu.Unlock()
	host, _ := os.Hostname()
	info := jobs.WorkerInfo{ID: w.opt.Name, Host: host, Runtime: w.opt.Judge.Runtime().Name(), Languages: w.langs, Versions: w.versions,
		Slots: w.opt.Slots, Busy: int(w.busy.Load()), JobSeconds: w.JobSeconds(), Healthy: w.healthy.Load(), Error: lastErr,
		Started: w.started, At: time.Now()}
	b, _ := json.Marshal(info)
	hctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if _, err := w.registry.Put(hctx, registryKey(w.opt.Name), b); err != nil && ctx.Err() == nil {
		w.log.Warn("worker heartbeat failed", "err", err)
	}
}

// chargeUsage charges job j's account, and its client address when the
// job names one, the job's wall time secs beyond the estimate the API side
// charged when it queued the job (a refund when it took less): the weight
// of the fair share (jobs.UsageRate). So accounts sharing an address whose
// programs run to the time limit send all their next jobs to the repeat
// lane, not only those of the account that ran long. Best effort.
func (w *Worker) chargeUsage(ctx context.Context, log *slog.Logger, j jobs.Job, secs float64) {
	var keys []string
	if j.UserID != 0 {
		keys = append(keys, jobs.UsageKey(j.UserID))
	}
	if j.IP != "" {
		keys = append(keys, jobs.UsageIPKey(j.IP))
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	for _, k := range keys {
		if _, err := w.usage.Spend(cctx, k, jobs.UsageRate, secs-jobs.UsageEstimate); err != nil {
			log.Warn("charge judge time", "key", k, "err", err)
		}
	}
}

// observeJob adds one judge job's duration to the moving average the
// heartbeat carries (the API sizes the queue by it): each job weighs 1/8,
// so the figure follows a change of load within a few dozen jobs.
func (w *Worker) observeJob(secs float64) {
	for {
		old := w.jobSecs.Load()
		avg := math.Float64frombits(old)
		next := secs
		if avg > 0 {
			next = avg + (secs-avg)/8
		}
		if w.jobSecs.CompareAndSwap(old, math.Float64bits(next)) {
			return
		}
	}
}

// JobSeconds is the moving average of this worker's judge job durations
// (0 before its first job).
func (w *Worker) JobSeconds() float64 { return math.Float64frombits(w.jobSecs.Load()) }

// registryKey makes a worker name a valid KV key.
func registryKey(name string) string {
	out := []byte(name)
	for i, c := range out {
		if !(c == '-' || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
			out[i] = '_'
		}
	}
	return string(out)
}

// Run judges jobs until ctx is cancelled. Jobs being judged then are handed
// back (Nak) so another worker takes them at once; the heartbeat is removed.
func (w *Worker) Run(ctx context.Context) error {
	w.checkHealth(ctx)
	w.heartbeat(ctx)
	var wg sync.WaitGroup
	for i := range w.opt.Slots {
		wg.Go(func() { w.slot(ctx, i) })
	}
	health := time.NewTicker(w.opt.HealthEvery)
	beat := time.NewTicker(jobs.HeartbeatEvery)
	defer health.Stop()
	defer beat.Stop()
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-health.C:
			w.checkHealth(ctx)
		case <-beat.C:
			w.heartbeat(ctx)
		}
	}
	wg.Wait()
	w.fetch.close()
	dctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = w.registry.Delete(dctx, registryKey(w.opt.Name))
	if w.stopped != nil {
		sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer scancel()
		w.stopped(sctx)
	}
	return nil
}

func (w *Worker) slot(ctx context.Context, n int) {
	log := w.log.With("slot", n)
	for ctx.Err() == nil {
		if !w.healthy.Load() {
			select {
			case <-ctx.Done():
				return
			case <-w.wake:
			case <-time.After(time.Second):
			}
			continue
		}
		job, err := w.take(ctx, 200*time.Millisecond)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			// NATS restarting or unreachable: the client reconnects on its
			// own; back off instead of spinning.
			log.Warn("fetch job failed; retrying", "err", err)
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
			continue
		}
		w.handle(ctx, log, job)
		w.done(job)
	}
}

// take waits for a slot's next job, counted busy (and holding its lane's
// claim) from the moment it is fetched; done undoes both.
func (w *Worker) take(ctx context.Context, poll time.Duration) (bus.Job, error) {
	return w.fetch.next(ctx, poll, w.claim, w.release, func(bus.Priority) { w.busy.Add(1) })
}

// done frees the slot of a job take returned, once handled.
func (w *Worker) done(job bus.Job) {
	w.busy.Add(-1)
	if gated(job.Priority) {
		w.release(job.Priority)
	}
}

// claim gates the lanes fetcher.next asks about: the low queue
// (claimLow) and the practice repeat lane (claimRepeat).
func (w *Worker) claim(p bus.Priority) bool {
	if p == bus.Analysis {
		return w.claimLow()
	}
	return w.claimRepeat()
}

func (w *Worker) release(p bus.Priority) {
	if p == bus.Analysis {
		w.releaseLow()
		return
	}
	w.repeats.Add(-1)
}

// claimRepeat lets a slot take a practice repeat-lane job only when
// another slot stays free after it (on a one-slot worker: only when it is
// idle), and lets at most Slots-1 slots hold such claims: a flooding
// account's backlog never fills the worker, so the next job of an account
// with none in flight always finds a slot.
func (w *Worker) claimRepeat() bool {
	w.repeatMu.Lock()
	defer w.repeatMu.Unlock()
	busy, held := int(w.busy.Load()), int(w.repeats.Load())
	if w.opt.Slots == 1 {
		if busy > 0 || held > 0 {
			return false
		}
	} else if busy+1 >= w.opt.Slots || held >= w.opt.Slots-1 {
		return false
	}
	w.repeats.Add(1)
	return true
}

// claimLow lets one slot at a time, and only on an otherwise idle worker,
// take a job from the low queue (analysis, throttled floods).
func (w *Worker) claimLow() bool {
	return w.busy.Load() == 0 && w.low.CompareAndSwap(false, true)
}

func (w *Worker) releaseLow() { w.low.Store(false) }

// handle runs one delivery to its end: acked after the result is stored,
// or handed back (Nak) when this worker could not judge it.
func (w *Worker) handle(ctx context.Context, log *slog.Logger, job bus.Job) {
	start := time.Now()
	j, err := jobs.DecodeJob(job.Data())
	if err != nil {
		log.Error("dropping malformed job", "err", err)
		w.jobs.WithLabelValues("dropped").Inc()
		_ = job.Term()
		return
	}
	switch j.Kind {
	case jobs.JobRun:
		w.handleRun(ctx, log, job, j)
		return
	case jobs.JobAnalysis:
		w.handleAnalysis(ctx, log, job, j)
		return
	}
	defer func() {
		d := time.Since(start).Seconds()
		w.duration.Observe(d)
		w.observeJob(d)
		w.chargeUsage(ctx, log, j, d)
	}()
	log = log.With("submission", j.SubmissionID, "delivery", job.Deliveries())
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	sub, err := w.opt.Store.StartSubmissionAttempt(sctx, j.SubmissionID, w.opt.Name, time.Now())
	cancel()
	if errors.Is(err, store.ErrNotFound) {
		log.Warn("job for an unknown submission; dropping")
		w.jobs.WithLabelValues("dropped").Inc()
		_ = job.Term()
		return
	}
	if err != nil {
		log.Error("start attempt failed; handing the job back", "err", err)
		_ = job.NakWithDelay(time.Second)
		return
	}
	if sub.Status == store.SubmissionDone {
		// A redelivery after the result was stored (the ack was lost): the
		// result stands, nothing to judge.
		log.Info("already judged; acknowledging duplicate delivery")
		w.jobs.WithLabelValues("duplicate").Inc()
		if sub.Result != nil && sub.Result.Verdict == string(judge.AC) {
			// The first delivery may have died before queueing it; the
			// analysis job id deduplicates.
			w.enqueueAnalysis(ctx, log, sub)
		}
		if sub.Result != nil {
			w.announceAndAck(ctx, log, job, jobs.ResultOf(sub, *sub.Result))
			return
		}
		w.ack(ctx, log, job)
		return
	}
	maxDeliver := w.opt.Bus.Config.MaxDeliver
	if int(job.Deliveries()) >= maxDeliver || sub.Attempts > maxDeliver {
		// Earlier attempts died (worker killed, sandbox failing): stop here
		// with a verdict rather than leaving the submission queued forever.
		w.finish(ctx, log, job, sub, store.SubmissionResult{SubmissionID: sub.ID, Verdict: string(judge.IE),
			Message: fmt.Sprintf("judging failed %d times; giving up (not your fault, please resubmit)", sub.Attempts-1)})
		return
	}
	w.publish(sub, jobs.Event{Phase: jobs.PhaseCompiling, Attempt: sub.Attempts})

	jctx, stop := context.WithCancel(ctx)
	defer stop()
	// Long jobs keep their delivery: InProgress resets the ack wait.
	go w.keepInProgress(jctx, job)

	prob, err := w.problemFor(jctx, j.Problem, sub.Lang)
	if judge.ErrorCode(err) == judge.CodeBadProblem {
		// The package itself cannot be judged (no time limit, flags the
		// judge cannot express): every delivery would fail the same way,
		// so the player gets IE now instead of after MaxDeliver hand-backs.
		log.Error("problem package cannot be judged; finishing the submission as IE: fix the package and import it again",
			"problem", j.Problem.ID, "version", j.Problem.Version, "sha256", j.Problem.SHA256, "err", err)
		w.finish(ctx, log, job, sub, store.SubmissionResult{SubmissionID: sub.ID, Verdict: string(judge.IE),
			Message: BadProblemMessage})
		return
	}
	if err != nil {
		if ctx.Err() == nil {
			log.Error("problem package unavailable; handing the job back", "err", err)
		}
		_ = job.NakWithDelay(2 * time.Second)
		return
	}
	res, err := w.opt.Judge.Judge(jctx, prob, judge.Submission{Lang: sub.Lang, Source: sub.Source}, judge.Options{
		Progress: func(p judge.Progress) {
			switch p.Phase {
			case "compiled":
				// Compiled, no test run yet: no verdict to tell.
				w.publish(sub, jobs.Event{Phase: jobs.PhaseTesting, Test: 0, Total: p.Total})
			case "test":
				w.publish(sub, jobs.Event{Phase: jobs.PhaseTesting, Test: p.Test, Total: p.Total, Verdict: string(p.Verdict)})
			}
		},
	})
	if ctx.Err() != nil {
		// Shutting down: give the job to another worker now instead of
		// letting it wait for the ack deadline.
		_ = job.Nak()
		return
	}
	if err != nil {
		var je *judge.Error
		switch {
		case errors.As(err, &je) && je.Code == judge.CodeLanguageUnavailable:
			log.Warn("language unavailable here; handing the job back", "lang", sub.Lang)
			_ = job.NakWithDelay(time.Second)
		case errors.As(err, &je) && (je.Code == judge.CodeBadProblem || je.Code == judge.CodeNoTests):
			w.finish(ctx, log, job, sub, store.SubmissionResult{SubmissionID: sub.ID, Verdict: string(judge.IE), Message: je.Message})
		case errors.As(err, &je):
			// The submission itself is unacceptable (encoding, size...).
			w.finish(ctx, log, job, sub, store.SubmissionResult{SubmissionID: sub.ID, Verdict: string(judge.CE), Message: je.Message})
		default:
			log.Error("judging failed; handing the job back", "err", err)
			_ = job.NakWithDelay(time.Second)
			go w.checkHealth(ctx)
		}
		return
	}
	w.finish(ctx, log, job, sub, resultOf(sub.ID, res))
}

// BadProblemMessage is what a player reads when the problem's package
// cannot be judged; the details (for the operator) are in the worker's log.
const BadProblemMessage = "this problem is misconfigured and cannot be judged (not your fault); the operators have been told"

// problemFor loads the package of ref and scales its time limit for lang
// by the time-multipliers setting. Multipliers are keyed by language id
// ("python"), so an alias ("py3") is resolved first; a language the judge
// does not know keeps the base limit (the judge refuses it anyway).
// Errors are Packages.Load's: judge.CodeBadProblem for a package that
// cannot be judged at all.
func (w *Worker) problemFor(ctx context.Context, ref jobs.ProblemRef, lang string) (*judge.Problem, error) {
	prob, err := w.pkgs.Load(ctx, ref)
	if err != nil {
		return nil, err
	}
	id := lang
	if spec, ok := w.opt.Judge.Languages().Spec(lang); ok {
		id = spec.ID
	}
	return verify.ForLanguage(prob, id, w.opt.TimeMultipliers), nil
}

// testDetail is one test in the stored result. Messages and stderr of
// secret tests are kept out: they may quote the secret data.
type testDetail struct {
	Name     string  `json:"name"`
	Sample   bool    `json:"sample"`
	Verdict  string  `json:"verdict"`
	CPUMS    float64 `json:"cpu_ms"`
	MemoryKB int64   `json:"memory_kb"`
	Message  string  `json:"message,omitempty"`
	Stderr   string  `json:"stderr,omitempty"`
}

func resultOf(id string, r *judge.Result) store.SubmissionResult {
	details := make([]testDetail, 0, len(r.Tests))
	for _, t := range r.Tests {
		d := testDetail{Name: t.Name, Sample: t.Sample, Verdict: string(t.Verdict),
			CPUMS: float64(t.CPUTime.Microseconds()) / 1000, MemoryKB: t.MemoryBytes >> 10}
		if t.Sample {
			d.Message, d.Stderr = t.Message, t.Stderr
		}
		details = append(details, d)
	}
	b, _ := json.Marshal(details)
	msg := r.Message
	if r.Verdict != judge.CE && r.FailedTest > 0 && r.FailedTest <= len(r.Tests) && !r.Tests[r.FailedTest-1].Sample {
		// The judge's message for a secret test may quote expected output.
		msg = fmt.Sprintf("%s on test %d", r.Verdict, r.FailedTest)
	}
	return store.SubmissionResult{SubmissionID: id, Verdict: string(r.Verdict), Message: msg,
		Passed: r.Passed, Total: r.Total, FailedTest: r.FailedTest, MaxCPUTime: r.MaxCPUTime,
		MaxMemoryBytes: r.MaxMemoryBytes, CompileTime: r.CompileTime, LanguageVersion: r.LanguageVersion, Details: b}
}

// finish stores the result (the first one wins), announces it and acks.
// The ack comes last: if the worker dies before it, the job is redelivered
// and the next worker finds the stored result.
func (w *Worker) finish(ctx context.Context, log *slog.Logger, job bus.Job, sub store.Submission, r store.SubmissionResult) {
	r.Worker = w.opt.Name
	r.FinishedAt = time.Now()
	// The result must be stored even while shutting down: judging is done.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	stored, created, err := w.opt.Store.FinishSubmission(sctx, r)
	if err != nil {
		log.Error("store result failed; handing the job back", "err", err)
		w.jobs.WithLabelValues("handed_back").Inc()
		_ = job.NakWithDelay(time.Second)
		return
	}
	w.jobs.WithLabelValues(stored.Verdict).Inc()
	if !created {
		log.Info("result already stored by another attempt", "verdict", stored.Verdict)
	} else {
		log.Info("judged", "verdict", stored.Verdict, "passed", stored.Passed, "total", stored.Total)
	}
	w.publish(sub, jobs.Event{Phase: jobs.PhaseDone, Verdict: stored.Verdict, Message: stored.Message,
		Test: stored.Passed, Total: stored.Total})
	if stored.Verdict == string(judge.AC) {
		w.enqueueAnalysis(sctx, log, sub)
	}
	w.announceAndAck(ctx, log, job, jobs.ResultOf(sub, stored))
}

// announceAndAck tells the result handlers, then acks. A failed
// announcement is retried here (the job's delivery kept alive meanwhile),
// never handed back as a new judge job. Only a worker shutting down
// hands the job back: the next delivery finds the result stored and
// announces it without judging again (the stream drops a second copy).
func (w *Worker) announceAndAck(ctx context.Context, log *slog.Logger, job bus.Job, r jobs.Result) {
	for attempt := 1; ; attempt++ {
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		err := jobs.PublishResult(actx, w.opt.Bus, r)
		cancel()
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			log.Warn("announce result failed while shutting down; the next delivery announces the stored result", "err", err)
			_ = job.Nak()
			return
		}
		log.Warn("announce result failed; retrying", "attempt", attempt, "err", err)
		_ = job.InProgress()
		select {
		case <-ctx.Done():
		case <-time.After(min(time.Duration(attempt)*250*time.Millisecond, 2*time.Second)):
		}
	}
	w.ack(ctx, log, job)
}

func (w *Worker) ack(ctx context.Context, log *slog.Logger, job bus.Job) {
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := job.Done(actx); err != nil {
		// The result is stored; a redelivery will see it and only ack.
		log.Warn("ack failed; a redelivery will find the stored result", "err", err)
	}
}

func (w *Worker) publish(sub store.Submission, ev jobs.Event) {
	ev.Type, ev.SubmissionID, ev.UserID, ev.MatchID = jobs.EventType, sub.ID, sub.UserID, sub.MatchID
	ev.Worker, ev.At = w.opt.Name, time.Now()
	b, _ := json.Marshal(ev)
	// Core NATS: progress is best effort; the result itself is in the store.
	_ = w.opt.Bus.NC.Publish(w.opt.Bus.Names.UserEvents(sub.UserID), b)
}
