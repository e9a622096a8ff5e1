// Package jobs is what the two sides of the judge pipeline share: the
// messages on the judge stream (Job) and on the user subjects (Event), the
// priorities, problem packages moving to workers (Packages), the worker
// registry, the results stream, the run replies and the bus
// configuration. The API side (package execution) publishes jobs and
// reads results; the worker side (package execution/worker) does the
// opposite.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/segfaultarena/segfault/internal/bus"
	"github.com/segfaultarena/segfault/internal/store"
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

	// IP is the client's address when the per-address fair share is on
	// (the API side charged the address's judge-time bucket, UsageIPKey):
	// the worker charges the job's wall time to it as to the account's.
	IP string `json:"ip,omitempty"`
}

// Job kinds.
const (
	JobJudge    = ""
	JobRun      = "run"
	JobAnalysis = "analysis"
)

func (j Job) Encode() []byte {
	b, _ := json.Marshal(j) // plain struct: cannot fail
	return b
}

func DecodeJob(b []byte) (Job, error) {
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

func BusPriority(p string) (bus.Priority, error) {
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

// NewID returns a random 128-bit submission id (hex): unguessable, so one
// player cannot probe another's submissions, and usable as a JetStream
// message id and a subject token.
func NewID() string {
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

// NSName is name in the deployment's namespace, like the bus's own
// streams and buckets ("problems", or "test1_problems"). bus.Names keeps
// the namespace private; its stream name carries it.
func NSName(b *bus.Bus, name string) string {
	return strings.TrimSuffix(b.Names.JudgeStream(), "JUDGE") + name
}

// BusConfig is the stream and bucket configuration every process of a
// deployment must pass to bus.Setup (Setup updates the shared consumers and
// buckets to the caller's values): ack wait 15 s with an in-progress
// heartbeat every 5 s, so a killed worker's job is redelivered within 15 s;
// lease TTL 3 s, so another API node leads the arena within 4 s (4T/3) of
// the leader's crash, while a renewal (every 1 s) still has 2.7 s to
// succeed on a loaded node (arena/service README, "Failover").
func BusConfig() bus.Config {
	c := bus.DefaultConfig()
	c.AckWait = 15 * time.Second
	c.LeaseTTL = LeaseTTL
	return c
}

// LeaseTTL is the lease lifetime of BusConfig (the arena leader's).
// All API nodes of a deployment must run with the same value: the bucket
// keeps the TTL of the last node that called bus.Setup.
const LeaseTTL = 3 * time.Second

// CoachEventType is Event.Type of "a coach report was stored" (Phase done;
// Message is "failed: <why>" when the analysis failed).
const CoachEventType = "coach"

// PublishAnalysis queues a coach analysis of an accepted submission on
// the lowest queue (msgID deduplicates it).
func PublishAnalysis(ctx context.Context, b *bus.Bus, sub store.Submission, msgID string) error {
	job := Job{Kind: JobAnalysis, SubmissionID: sub.ID, UserID: sub.UserID, Lang: sub.Lang, Priority: PriorityAnalysis,
		EnqueuedAt: time.Now(), MatchID: sub.MatchID,
		Problem: ProblemRef{ID: sub.ProblemID, Version: sub.ProblemVersion, SHA256: sub.ProblemSHA256}}
	_, err := b.PublishJob(ctx, bus.Analysis, msgID, job.Encode())
	return err
}

// PublishCoachEvent announces a submission's stored coach report on its
// owner's user subject (a CoachEventType event; the report itself is read
// from the coach route). worker is "" when the sweeper made the report.
// Best effort: a lost event leaves the report readable, only unannounced.
func PublishCoachEvent(b *bus.Bus, sub store.Submission, stored store.CoachReport, worker string, at time.Time) {
	ev := Event{Type: CoachEventType, SubmissionID: sub.ID, UserID: sub.UserID, MatchID: sub.MatchID,
		Phase: PhaseDone, Worker: worker, At: at}
	if stored.Status == store.CoachFailed {
		ev.Message = "failed: " + stored.Error
	}
	data, _ := json.Marshal(ev)
	_ = b.NC.Publish(b.Names.UserEvents(sub.UserID), data)
}
