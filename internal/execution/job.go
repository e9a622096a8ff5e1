// Package execution moves judge work between API nodes and workers through
// NATS JetStream: the API stores a submission and publishes a job; a worker
// pulls it (ranked before practice), judges it in its sandbox, streams
// progress events, stores the one result (idempotent on the submission id)
// and only then acknowledges the job. The same code runs embedded (`segfault
// serve`: in-process NATS and workers) and scaled out (`segfault api` and
// `segfault worker` on an external NATS cluster and PostgreSQL).
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
type Job struct {
	SubmissionID string     `json:"id"`
	UserID       int64      `json:"user"`
	Problem      ProblemRef `json:"problem"`
	Lang         string     `json:"lang"`
	Priority     string     `json:"priority"`
	EnqueuedAt   time.Time  `json:"enqueued_at"`
}

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
	Type         string    `json:"type"` // always "submission"
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
