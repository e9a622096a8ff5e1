package worker

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/segfaultarena/segfault/internal/execution/jobs"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/segfaultarena/segfault/internal/bus"
	"github.com/segfaultarena/segfault/internal/coach"
	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/problem"
	"github.com/segfaultarena/segfault/internal/problem/verify"
	"github.com/segfaultarena/segfault/internal/sandbox"
	"github.com/segfaultarena/segfault/internal/store"
)

// Coach analyses (issue 8).
//
// When a worker stores an Accepted result it publishes a JobAnalysis on
// the lowest queue (message id "coach-<submission>", so a redelivered
// judge job does not queue a second one). A worker takes analysis jobs only
// on an otherwise idle worker and with one slot at a time (see fetcher and
// Worker.claimLow), and gives the slot back at once when a ranked or
// practice job waits while all its slots are busy: the analysis is
// cancelled, requeued under a new message id and the slot serves the
// player. So an analysis never delays a match or a practice submission by
// more than one poll; and an analysis keeps running only while the rest
// of its worker is idle, so measured programs never compete with judged
// ones for the CPU.
//
// The analysis compiles the submission again (judge.Build, the same box
// setup as judging), runs coach.Analyze with the package's generator (or
// tests) within CoachOptions.Budget of the program's CPU, stores the
// report (first write wins), then publishes an Event of Type
// CoachEventType on the owner's user subject. An analysis that cannot be
// made is stored as failed with the reason, once: it is never retried
// forever (after the bus's MaxDeliver attempts it is failed as well).

// CoachOptions configure the analyses a worker makes.
type CoachOptions struct {
	// Disabled turns analyses off: no jobs are queued after Accepted and
	// analysis jobs are left to other workers.
	Disabled bool
	// LLM writes the coaching text; nil = the offline coach. Errors fall
	// back to the offline text.
	LLM coach.LLM
	// Budget is the CPU the measured program may use per analysis;
	// default and maximum 10 s.
	Budget time.Duration
	// Timeout bounds one analysis in wall time (compile, generator, runs,
	// LLM); default 2 min.
	Timeout time.Duration
	// MaxQueued caps waiting analyses; default 500. Over it an accepted
	// submission gets a failed report ("the coach is busy") instead of a
	// job: the analysis queue is counted in the practice saturation check
	// (Limits.MaxQueued, 2000 by default), so a backlog of analyses must
	// never be what refuses players' submissions.
	MaxQueued int
	// RetryDelay is how long a transiently failed analysis waits before
	// its next delivery; default 5 s.
	RetryDelay time.Duration
}

const maxCoachBudget = 10 * time.Second

func (o *CoachOptions) defaults() {
	if o.Budget <= 0 || o.Budget > maxCoachBudget {
		o.Budget = maxCoachBudget
	}
	if o.Timeout <= 0 {
		o.Timeout = 2 * time.Minute
	}
	if o.MaxQueued <= 0 {
		o.MaxQueued = 500
	}
	if o.RetryDelay <= 0 {
		o.RetryDelay = 5 * time.Second
	}
}

// errPreempted cancels an analysis whose slot a player's job needs.
var errPreempted = errors.New("analysis preempted by a waiting judge job")

// enqueueAnalysis queues the coach analysis of an accepted submission.
// Best effort: a failure is logged, the judge result stands.
func (w *Worker) enqueueAnalysis(ctx context.Context, log *slog.Logger, sub store.Submission) {
	if w.opt.Coach.Disabled {
		return
	}
	ictx, cancel := context.WithTimeout(ctx, 2*time.Second)
	info, err := w.fetch.consumers[bus.Analysis].Info(ictx)
	cancel()
	if err == nil && info.NumPending >= uint64(w.opt.Coach.MaxQueued) {
		log.Warn("coach queue full; not analysing", "waiting", info.NumPending)
		w.saveAnalysis(ctx, log, sub, store.CoachReport{SubmissionID: sub.ID, Status: store.CoachFailed,
			Error: "the coach was too busy to analyse this submission", CreatedAt: time.Now()})
		w.analyses.WithLabelValues("skipped").Inc()
		return
	}
	if err := jobs.PublishAnalysis(ctx, w.opt.Bus, sub, "coach-"+sub.ID); err != nil {
		log.Warn("queue coach analysis failed", "err", err)
		w.analyses.WithLabelValues("not_queued").Inc()
		return
	}
	w.analyses.WithLabelValues("queued").Inc()
}

// handleAnalysis makes, stores and announces one coach report.
func (w *Worker) handleAnalysis(ctx context.Context, log *slog.Logger, job bus.Job, j jobs.Job) {
	log = log.With("analysis", j.SubmissionID, "delivery", job.Deliveries())
	if w.opt.Coach.Disabled {
		_ = job.NakWithDelay(10 * time.Second) // another worker may analyse
		return
	}
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	_, err := w.opt.Store.CoachReport(sctx, j.SubmissionID)
	var sub store.Submission
	if err == nil {
		cancel()
		log.Info("coach report already stored; acknowledging duplicate")
		w.analyses.WithLabelValues("duplicate").Inc()
		w.ack(ctx, log, job)
		return
	}
	if errors.Is(err, store.ErrNotFound) {
		sub, err = w.opt.Store.Submission(sctx, j.SubmissionID)
	}
	cancel()
	switch {
	case errors.Is(err, store.ErrNotFound):
		log.Warn("analysis of an unknown submission; dropping")
		w.analyses.WithLabelValues("dropped").Inc()
		_ = job.Term()
		return
	case err != nil:
		log.Error("read submission failed; handing the analysis back", "err", err)
		_ = job.NakWithDelay(5 * time.Second)
		return
	case sub.Result == nil || sub.Result.Verdict != string(judge.AC):
		log.Warn("analysis of a submission that is not accepted; dropping")
		w.analyses.WithLabelValues("dropped").Inc()
		_ = job.Term()
		return
	}
	// The bus delivers a job at most MaxDeliver times: the last delivery
	// stores a failure rather than handing the job back.
	last := int(job.Deliveries()) >= w.opt.Bus.Config.MaxDeliver

	jctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	go w.keepInProgress(jctx, job)
	go w.preemptWhenNeeded(jctx, stop)

	rep, err := w.analyse(jctx, sub)
	// Shutdown and preemption come before the outcome: a cancelled
	// measurement still yields a (static-only) report, which must not be
	// stored as if the analysis had run to its end.
	switch {
	case ctx.Err() != nil:
		_ = job.Nak() // shutting down
		return
	case errors.Is(context.Cause(jctx), errPreempted):
		// Requeue under a fresh id (a Nak would spend one of the job's
		// deliveries each time players keep the worker busy) and free the
		// slot now.
		rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer rcancel()
		if perr := jobs.PublishAnalysis(rctx, w.opt.Bus, sub, fmt.Sprintf("coach-%s-%d", sub.ID, time.Now().UnixNano())); perr != nil {
			log.Warn("requeue preempted analysis failed; handing it back", "err", perr)
			_ = job.NakWithDelay(5 * time.Second)
			return
		}
		log.Info("analysis preempted by a waiting judge job; requeued")
		w.analyses.WithLabelValues("preempted").Inc()
		w.ack(ctx, log, job)
		return
	case err != nil && isTransient(err) && !last:
		log.Warn("analysis failed; handing it back", "err", err)
		_ = job.NakWithDelay(w.opt.Coach.RetryDelay)
		return
	case err != nil && isTransient(err):
		err = fmt.Errorf("gave up after %d attempts: %w", job.Deliveries(), err)
	}
	w.finishAnalysis(ctx, log, job, sub, rep, err)
}

// transientError is a failure another attempt may not have (package not
// downloadable, sandbox hiccup): the job is handed back, up to MaxDeliver.
type transientError struct{ err error }

func (e transientError) Error() string { return e.err.Error() }
func (e transientError) Unwrap() error { return e.err }

func isTransient(err error) bool {
	var t transientError
	return errors.As(err, &t)
}

// analyse builds the submission and runs the coach on it.
func (w *Worker) analyse(ctx context.Context, sub store.Submission) (*coach.Report, error) {
	ref := jobs.ProblemRef{ID: sub.ProblemID, Version: sub.ProblemVersion, SHA256: sub.ProblemSHA256}
	prob, err := w.problemFor(ctx, ref, sub.Lang)
	if judge.ErrorCode(err) == judge.CodeBadProblem {
		// Final: every delivery would fail the same way.
		return nil, fmt.Errorf("problem package cannot be judged: %w", err)
	}
	if err != nil {
		return nil, transientError{fmt.Errorf("problem package: %w", err)}
	}
	cp, err := coach.LoadProblem(w.pkgs.Dir(ref))
	if err != nil {
		return nil, fmt.Errorf("problem for the coach: %w", err)
	}
	actx, cancel := context.WithTimeout(ctx, w.opt.Coach.Timeout)
	defer cancel()
	built, ce, err := w.opt.Judge.Build(actx, judge.Submission{Lang: sub.Lang, Source: sub.Source}, prob.MemoryBytes)
	var je *judge.Error
	switch {
	case errors.As(err, &je):
		return nil, fmt.Errorf("build: %s", je.Message)
	case err != nil && ctx.Err() == nil && actx.Err() == nil:
		return nil, transientError{fmt.Errorf("build: %w", err)}
	case err != nil:
		return nil, fmt.Errorf("build: %w", err)
	case ce != "":
		return nil, errors.New("the submission no longer compiles")
	}
	defer built.Close()
	if cp.HasGenerator() {
		closeGen, err := w.sandboxGenerator(actx, cp)
		if err != nil {
			return nil, err
		}
		defer closeGen()
	}
	runner := &coach.BoxRunner{Box: built.Box, Cmd: built.Cmd, MemoryBytes: built.MemoryBytes}
	// languages.yaml says which analyser reads the language (PyPy is
	// Python); without one the coach measures only.
	analyser := ""
	if spec, ok := w.opt.Judge.Languages().Spec(sub.Lang); ok && spec.Coach != "" {
		analyser = spec.Coach
	}
	rep, err := coach.Analyze(actx, sub.Lang, sub.Source, cp, runner,
		coach.Options{Measure: coach.MeasureOptions{Budget: w.opt.Coach.Budget}, LLM: w.opt.Coach.LLM, Analyser: analyser})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// finishAnalysis stores the report (or the failure), announces it and
// acks. The ack comes last, as for judge results.
func (w *Worker) finishAnalysis(ctx context.Context, log *slog.Logger, job bus.Job, sub store.Submission, rep *coach.Report, aerr error) {
	r := store.CoachReport{SubmissionID: sub.ID, Status: store.CoachDone, CreatedAt: time.Now()}
	if aerr == nil {
		b, err := json.Marshal(rep)
		if err != nil {
			aerr = fmt.Errorf("Encode report: %w", err)
		} else {
			r.Report = b
		}
	}
	if aerr != nil {
		r.Status, r.Error, r.Report = store.CoachFailed, aerr.Error(), nil
	}
	if !w.saveAnalysis(ctx, log, sub, r) {
		_ = job.NakWithDelay(w.opt.Coach.RetryDelay)
		return
	}
	w.analyses.WithLabelValues(r.Status).Inc()
	w.ack(ctx, log, job)
}

// saveAnalysis stores r (the first report wins) and announces the stored
// one on the owner's subject; false when the store failed.
func (w *Worker) saveAnalysis(ctx context.Context, log *slog.Logger, sub store.Submission, r store.CoachReport) bool {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	stored, _, err := w.opt.Store.SaveCoachReport(sctx, r)
	if err != nil {
		log.Error("store coach report failed", "err", err)
		return false
	}
	// Announced whether or not this call created it: a redelivery whose
	// earlier delivery stored the report but died before announcing it
	// must still end the player's wait (a repeated event only makes the
	// screen read the same report again).
	if stored.Status == store.CoachFailed {
		log.Warn("coach analysis failed", "err", stored.Error)
	} else {
		log.Info("coach report stored")
	}
	jobs.PublishCoachEvent(w.opt.Bus, sub, stored, w.opt.Name, time.Now())
	return true
}

// preemptWhenNeeded cancels the analysis (cause errPreempted) once another
// slot of this worker judges, or a ranked or practice job waits while
// every slot is busy: analyses run on idle workers only.
func (w *Worker) preemptWhenNeeded(ctx context.Context, cancel context.CancelCauseFunc) {
	t := time.NewTicker(w.preemptPoll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		busy := int(w.busy.Load())
		if busy > 1 {
			// Another slot took a player's job: the measured program would
			// compete with it for the CPU (and measure the contention).
			cancel(errPreempted)
			return
		}
		if busy < w.opt.Slots {
			continue // a free slot takes the player's job
		}
		if w.playerJobsWaiting(ctx) {
			cancel(errPreempted)
			return
		}
	}
}

// playerJobsWaiting reports whether a ranked or practice job (either lane)
// is queued and not yet delivered.
func (w *Worker) playerJobsWaiting(ctx context.Context) bool {
	for _, p := range []bus.Priority{bus.Ranked, bus.RankedRepeat, bus.Practice, bus.PracticeRepeat} {
		c, ok := w.fetch.consumers[p]
		if !ok {
			continue
		}
		ictx, cancel := context.WithTimeout(ctx, time.Second)
		info, err := c.Info(ictx)
		cancel()
		if err == nil && waiting(info) {
			return true
		}
	}
	return false
}

func waiting(info *jetstream.ConsumerInfo) bool { return info.NumPending > 0 }

// Bounds of one generator run in its box. Generated inputs larger than the
// coach's input cap are cut there and end the growth (the coach sees an
// input over its cap).
const (
	generatorCPU    = 10 * time.Second
	generatorMemory = 1 << 30
)

// sandboxGenerator builds the package's generator in a box of its own and
// makes cp generate through it: a generator is its author's code, and an
// uploaded package's author is not the worker host's operator. A generator
// that cannot be built leaves cp measuring the package's tests instead.
// The returned func closes the box.
func (w *Worker) sandboxGenerator(ctx context.Context, cp *coach.Problem) (func(), error) {
	pkg, err := problem.LoadForJudging(cp.Dir)
	if err != nil {
		return nil, fmt.Errorf("problem for the generator: %w", err)
	}
	sub, ok, err := verify.GeneratorSubmission(pkg)
	if !ok || err != nil {
		w.log.Warn("coach: generator not runnable in the sandbox; measuring on the tests", "problem", cp.Dir, "err", err)
		cp.SetGenerator(nil)
		return func() {}, nil
	}
	gen, ce, err := w.opt.Judge.Build(ctx, sub, generatorMemory)
	switch {
	case err != nil && ctx.Err() == nil:
		return nil, transientError{fmt.Errorf("build generator: %w", err)}
	case err != nil:
		return nil, fmt.Errorf("build generator: %w", err)
	case ce != "":
		w.log.Warn("coach: generator does not compile; measuring on the tests", "problem", cp.Dir)
		cp.SetGenerator(nil)
		return func() {}, nil
	}
	maxInput := coach.MeasureOptions{}.WithDefaults().MaxInputBytes
	// Inputs are kept beside the unpacked package (same content hash, so
	// never stale): later analyses of the problem skip the generator.
	cp.SetGenerator(coach.CachedGenerator(func(ctx context.Context, sizes string, seed int) ([]byte, error) {
		cmd := gen.Cmd
		cmd.Args = append(slices.Clone(gen.Cmd.Args), sizes, strconv.Itoa(seed))
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		cmd.Limits = sandbox.Limits{CPUTime: generatorCPU, WallTime: 2*generatorCPU + time.Second,
			MemoryBytes: gen.MemoryBytes, OutputBytes: int64(maxInput) + 1, StderrBytes: 4 << 10}
		res, err := gen.Box.Run(ctx, cmd)
		switch {
		case err != nil:
			return nil, fmt.Errorf("generator %s %d: %w", sizes, seed, err)
		case res.Status == sandbox.StatusOutputLimitExceeded:
			return out.Bytes(), nil // over the cap: the coach stops growing here
		case res.Status != sandbox.StatusOK || res.ExitCode != 0:
			return nil, fmt.Errorf("generator %s %d: %s exit %d: %s", sizes, seed, res.Status, res.ExitCode, strings.TrimSpace(errOut.String()))
		}
		return out.Bytes(), nil
	}, cp.Dir+".coach-inputs"))
	return gen.Close, nil
}
