package worker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/segfaultarena/segfault/internal/execution/jobs"

	"github.com/segfaultarena/segfault/internal/bus"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/protocol"
)

// handleRun judges a sample run and answers on its reply subject. Nothing
// is stored; the job is acked once the answer is published (a lost answer
// is the caller's timeout, not a redelivery: the caller may be gone).
func (w *Worker) handleRun(ctx context.Context, log *slog.Logger, job bus.Job, j jobs.Job) {
	log = log.With("run", j.SubmissionID, "problem", j.Problem.ID, "match", j.MatchID, "delivery", job.Deliveries())
	if time.Now().After(j.Deadline) {
		// Waited past its caller (queue backlog, or redelivered after a
		// worker died): nobody reads the answer any more.
		log.Info("dropping expired run")
		w.runs.WithLabelValues("expired").Inc()
		_ = job.Term()
		return
	}
	jctx, stop := context.WithDeadline(ctx, j.Deadline)
	defer stop()
	go w.keepInProgress(jctx, job)
	start := time.Now()
	defer func() { w.chargeUsage(ctx, log, j, time.Since(start).Seconds()) }()

	prob, err := w.problemFor(jctx, j.Problem, j.Lang)
	if err != nil && judge.ErrorCode(err) != judge.CodeBadProblem {
		if ctx.Err() == nil && jctx.Err() == nil {
			log.Error("problem package unavailable; handing the run back", "err", err)
		}
		_ = job.NakWithDelay(time.Second)
		return
	}
	// A package that cannot be judged (CodeBadProblem) is answered at once
	// below with "unavailable": another delivery would fail the same way
	// and the player would only see a timeout.
	sub := judge.Submission{Lang: j.Lang, Source: j.Source}
	var reply jobs.RunReply
	switch {
	case err != nil: // CodeBadProblem: answered with "unavailable" below
	case j.Input != nil:
		reply, err = w.runCustom(jctx, prob, sub, *j.Input)
	default:
		reply, err = w.runSamples(jctx, prob, sub)
	}
	if ctx.Err() != nil {
		_ = job.Nak() // shutting down: another worker answers, if in time
		return
	}
	if err != nil {
		var je *judge.Error
		switch {
		case jctx.Err() != nil:
			log.Warn("run passed its deadline", "err", err)
			w.runs.WithLabelValues("expired").Inc()
			_ = job.Term()
			return
		case errors.As(err, &je) && je.Code == judge.CodeLanguageUnavailable:
			log.Warn("language unavailable here; handing the run back", "lang", j.Lang)
			_ = job.NakWithDelay(time.Second)
			return
		case errors.As(err, &je) && je.Code == judge.CodeNoTests:
			reply.Error = &jobs.RunError{Code: errcode.NoSamples, Message: "this problem has no sample tests; run it on your own input"}
		case errors.As(err, &je) && je.Code == judge.CodeBadProblem:
			log.Error("problem cannot be run: fix the package and import it again",
				"problem", j.Problem.ID, "version", j.Problem.Version, "err", err)
			reply.Error = &jobs.RunError{Code: errcode.Unavailable, Message: "this problem cannot be run right now"}
		case errors.As(err, &je):
			// The judge's player-facing codes are errcode's; its others
			// (bad_arguments...) are still the request's fault.
			code := errcode.Code(je.Code)
			if !errcode.Known(code) {
				code = errcode.InvalidRequest
			}
			reply.Error = &jobs.RunError{Code: code, Message: je.Message}
		default:
			log.Error("run failed; handing it back", "err", err)
			_ = job.NakWithDelay(time.Second)
			go w.checkHealth(ctx)
			return
		}
	}
	outcome := "done"
	switch {
	case reply.Error != nil:
		outcome = string(reply.Error.Code)
	case reply.Result.CompileError != nil:
		outcome = string(judge.CE)
	}
	b := jobs.EncodeRunReply(reply, int(w.opt.Bus.NC.MaxPayload()))
	if err := w.opt.Bus.NC.Publish(j.Reply, b); err != nil {
		log.Warn("answer run failed", "err", err)
	}
	w.runs.WithLabelValues(outcome).Inc()
	w.ack(ctx, log, job)
}

// keepInProgress resets the job's ack wait until ctx ends.
func (w *Worker) keepInProgress(ctx context.Context, job bus.Job) {
	t := time.NewTicker(max(w.opt.Bus.Config.AckWait/3, 500*time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			_ = job.InProgress()
		}
	}
}

// runSamples judges the sample tests only, all of them, keeping what the
// player sees. Secret tests are neither run nor read.
func (w *Worker) runSamples(ctx context.Context, prob *judge.Problem, sub judge.Submission) (jobs.RunReply, error) {
	res, err := w.opt.Judge.Judge(ctx, prob, sub, judge.Options{SamplesOnly: true, RunAll: true, KeepOutput: jobs.RunKeepBytes})
	if err != nil {
		return jobs.RunReply{}, err
	}
	if reply, ok := unrunReply(res.Verdict, res.Message); ok {
		return reply, nil
	}
	var samples []judge.Test
	for _, t := range prob.Tests {
		if t.Sample {
			samples = append(samples, t)
		}
	}
	out := &jobs.RunResult{Results: make([]jobs.RunTestResult, 0, len(res.Tests))}
	for i, tr := range res.Tests {
		if i >= len(samples) {
			break
		}
		r := jobs.RunTestResult{Sample: i + 1, Verdict: protocol.Verdict(tr.Verdict), TimeMS: tr.CPUTime.Milliseconds(),
			MemoryKB: tr.MemoryBytes >> 10, Actual: tr.Output, Stderr: jobs.HeadString(tr.Stderr, jobs.RunKeepBytes)}
		in, err := readHead(samples[i].InputPath, jobs.RunKeepBytes)
		if err != nil {
			return jobs.RunReply{}, err
		}
		r.Input = in
		if samples[i].AnswerPath != "" {
			ans, err := readHead(samples[i].AnswerPath, jobs.RunKeepBytes)
			if err != nil {
				return jobs.RunReply{}, err
			}
			r.Expected = &ans
		}
		out.Results = append(out.Results, r)
	}
	return jobs.RunReply{Result: out}, nil
}

// unrunReply is the answer to a run whose program produced no results to
// show: the compiler's message for CE, and for IE (the judge's fault, never
// the player's) a refusal saying so rather than verdicts for tests that did
// not run. ok is false for every other verdict.
func unrunReply(v judge.Verdict, message string) (reply jobs.RunReply, ok bool) {
	switch v {
	case judge.CE:
		msg := message
		return jobs.RunReply{Result: &jobs.RunResult{CompileError: &msg, Results: []jobs.RunTestResult{}}}, true
	case judge.IE:
		return jobs.RunReply{Error: &jobs.RunError{Code: errcode.Unavailable,
			Message: "the judge failed to run your code (not your fault); try again"}}, true
	}
	return jobs.RunReply{}, false
}

// runCustom runs the program once on the player's input with the
// problem's limits; there is nothing to compare with.
func (w *Worker) runCustom(ctx context.Context, prob *judge.Problem, sub judge.Submission, input string) (jobs.RunReply, error) {
	stdout := &headWriter{max: jobs.RunKeepBytes}
	stderr := &headWriter{max: jobs.RunKeepBytes}
	res, err := w.opt.Judge.RunOnce(ctx, sub, judge.RunLimits{TimeLimit: prob.TimeLimit, MemoryBytes: prob.MemoryBytes,
		OutputBytes: prob.OutputBytes}, strings.NewReader(input), stdout, stderr)
	if err != nil {
		return jobs.RunReply{}, err
	}
	if ctx.Err() != nil {
		return jobs.RunReply{}, ctx.Err()
	}
	if reply, ok := unrunReply(res.Verdict, res.Message); ok {
		return reply, nil
	}
	v := protocol.Verdict(res.Verdict)
	if res.Verdict == judge.AC {
		v = jobs.VerdictOK
	}
	errText := stderr.String()
	if res.Verdict != judge.AC && res.Message != "" && !strings.Contains(errText, res.Message) {
		// Why it stopped (exit code, signal, limit) is worth showing next
		// to the program's own stderr.
		errText = jobs.HeadString(strings.TrimRight(errText, "\n")+"\n"+res.Message, jobs.RunKeepBytes)
		errText = strings.TrimLeft(errText, "\n")
	}
	return jobs.RunReply{Result: &jobs.RunResult{Results: []jobs.RunTestResult{{Sample: 1, Verdict: v,
		TimeMS: res.CPUTime.Milliseconds(), MemoryKB: res.MemoryBytes >> 10, Input: input,
		Actual: stdout.String(), Stderr: errText}}}}, nil
}

// readHead reads at most n bytes of a test file.
func readHead(path string, n int) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("read sample: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, int64(n)))
	if err != nil {
		return "", fmt.Errorf("read sample: %w", err)
	}
	return string(b), nil
}

// headWriter keeps the first max bytes written and discards the rest
// without failing the writer (the program keeps running).
type headWriter struct {
	max int
	buf []byte
}

func (h *headWriter) Write(p []byte) (int, error) {
	if room := h.max - len(h.buf); room > 0 {
		h.buf = append(h.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func (h *headWriter) String() string { return string(h.buf) }
