// Package execution moves judge work between API nodes and workers through
// NATS JetStream: the API stores a submission and publishes a job; a worker
// pulls it (ranked before practice), judges it in its sandbox, streams
// progress events, stores the one result (idempotent on the submission id)
// and only then acknowledges the job. The same code runs embedded (`segfault
// serve`: in-process NATS and workers) and scaled out (`segfault api` and
// `segfault worker` on an external NATS cluster and PostgreSQL).
//
// Two more kinds of job share the queues (see Job):
//
//   - Sample runs (Service.RunSamples, POST /api/v1/runs, the arena's
//     code.run): judged by a worker on the problem's sample tests only, or
//     once on a custom input; the answer comes back on a core NATS inbox
//     the API node waits on, bounded by Limits.RunTimeout; nothing is
//     stored. Each user has a run token bucket (Limits.Run, ranked runs
//     included) and one run in flight per API node.
//   - Coach analyses (worker_coach.go): after an Accepted result the worker
//     queues one on the lowest queue; a worker takes it only when idle,
//     with one slot, and cancels and requeues it as soon as another slot
//     judges or a ranked or practice job waits. The report (store.CoachReports) is
//     served by GET /api/v1/submissions/{id}/coach and announced with an
//     Event of Type CoachEventType. One that will never come (its worker
//     died on the job's last delivery) is stored as failed by the sweeper
//     (SweepCoach), so no report stays pending forever.
//   - Time limits are scaled per language by WorkerOptions.TimeMultipliers
//     (--time-multipliers) on the worker, for judging, runs and analyses;
//     a package the judge cannot run (judge.CodeBadProblem, e.g. no time
//     limit) ends its submission as IE on the first delivery.
//
// Metrics: segfault_judge_submissions_total, segfault_judge_runs_total and
// segfault_judge_run_seconds (API), segfault_worker_jobs_total,
// segfault_worker_runs_total and segfault_worker_analyses_total (worker),
// queue depth per priority (the analysis queue holds analyses and
// throttled floods).
package execution

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/segfaultarena/segfault/internal/bus"
)

// Job is the message on the judge stream. The source stays in the database
// (the worker reads it when it starts the attempt), so jobs are small and
// the stream's byte budget is spent on queue depth, not on code.
//
// Three kinds of job share the stream and its priority queues: judging a
// stored submission (Kind ""), a sample run (JobRun: not stored, so the
// source and input travel in the job and the result goes back to the
// waiting API node on the Reply subject), and a coach analysis of an
// accepted submission (JobAnalysis, always on the lowest queue). A run
// job's id is a fresh random id, never a submission's, so an older worker
// that does not know the kind drops it as an unknown submission.
type Job struct {
	SubmissionID string     `json:"id"`
	UserID       int64      `json:"user"`
	Problem      ProblemRef `json:"problem"`
	Lang         string     `json:"lang"`
	Priority     string     `json:"priority"`
	EnqueuedAt   time.Time  `json:"enqueued_at"`

	Kind string `json:"kind,omitempty"`
	// Run jobs only.
	Source   []byte    `json:"source,omitempty"`
	Input    *string   `json:"input,omitempty"` // custom input instead of the samples
	Reply    string    `json:"reply,omitempty"` // core NATS subject the API node waits on
	Deadline time.Time `json:"deadline,omitzero"`
	MatchID  string    `json:"match,omitempty"` // logs only
}

// Job kinds.
const (
	JobJudge    = ""
	JobRun      = "run"
	JobAnalysis = "analysis"
)

func (j Job) encode() []byte {
	b, _ := json.Marshal(j) // plain struct: cannot fail
	return b
}

func decodeJob(b []byte) (Job, error) {
	var j Job
	if err := json.Unmarshal(b, &j); err != nil {
		return Job{}, fmt.Errorf("decode job: %w", err)
	}
	if j.SubmissionID == "" || j.Problem.ID == "" || j.Problem.SHA256 == "" {
		return Job{}, fmt.Errorf("decode job: missing id, problem or content hash")
	}
	switch j.Kind {
	case JobJudge, JobAnalysis:
	case JobRun:
		if j.Reply == "" || strings.ContainsAny(j.Reply, "*> \t\r\n") || len(j.Source) == 0 || j.Deadline.IsZero() {
			return Job{}, fmt.Errorf("decode job: run job %s without a reply subject, source or deadline", j.SubmissionID)
		}
	default:
		return Job{}, fmt.Errorf("decode job: unknown kind %q", j.Kind)
	}
	return j, nil
}

// Priority names as stored and shown; they map onto bus priorities.
const (
	PriorityRanked   = "ranked"
	PriorityPractice = "practice"
	PriorityAnalysis = "analysis"
)

func busPriority(p string) (bus.Priority, error) {
	switch p {
	case PriorityRanked:
		return bus.Ranked, nil
	case PriorityPractice:
		return bus.Practice, nil
	case PriorityAnalysis:
		return bus.Analysis, nil
	}
	return 0, fmt.Errorf("unknown priority %q", p)
}

// newID returns a random 128-bit submission id (hex): unguessable, so one
// player cannot probe another's submissions, and usable as a JetStream
// message id and a subject token.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails on Linux
	return hex.EncodeToString(b[:])
}

// Event is a progress event of one submission, published on the owner's
// user subject (bus Names.UserEvents) for the WebSocket hub and every API
// node's REST cache. Phases: queued → compiling → testing (Test of Total)
// → done (Verdict set).
type Event struct {
	Type         string    `json:"type"` // EventType, or CoachEventType when a coach report was stored
	SubmissionID string    `json:"id"`
	UserID       int64     `json:"user"`
	MatchID      string    `json:"match,omitempty"`
	Phase        string    `json:"phase"`
	Test         int       `json:"test,omitempty"`
	Total        int       `json:"total,omitempty"`
	Verdict      string    `json:"verdict,omitempty"` // of the test just run, or the final verdict when Phase is done
	Message      string    `json:"message,omitempty"`
	Attempt      int       `json:"attempt,omitempty"`
	Worker       string    `json:"worker,omitempty"`
	At           time.Time `json:"at"`
}

// Event phases.
const (
	PhaseQueued    = "queued"
	PhaseCompiling = "compiling"
	PhaseTesting   = "testing"
	PhaseDone      = "done"
)

// EventType is Event.Type, so subscribers of a user subject can tell
// submission events from others.
const EventType = "submission"

// nsName is name in the deployment's namespace, like the bus's own
// streams and buckets ("problems", or "test1_problems"). bus.Names keeps
// the namespace private; its stream name carries it.
func nsName(b *bus.Bus, name string) string {
	return strings.TrimSuffix(b.Names.JudgeStream(), "JUDGE") + name
}
