package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/segfaultarena/segfault/internal/bus"
	"github.com/segfaultarena/segfault/internal/store"
)

// Results are announced on a JetStream work-queue stream as well as the
// best-effort progress events: a result handler on the API side (the
// arena: first AC wins the match, ratings, XP) must see every result even
// if it was down or disconnected when the worker finished. The message
// carries the result itself (Result), so a handler never reads the store
// back; its id is the submission id, so a result published again (a
// redelivered job that finds it stored) is dropped by the stream's
// duplicate window, and the handler keys its own side effects on the
// submission id (it is called at least once per result).

const resultsRetention = time.Hour

func ResultsStream(b *bus.Bus) string {
	return NSName(b, "JUDGE_RESULTS")
}

func resultsSubject(b *bus.Bus) string {
	// The judge subjects are <ns.>judge.<priority>; results sit beside them.
	s := b.Names.JudgeSubject(bus.Ranked)
	return strings.TrimSuffix(s, "ranked") + "results"
}

func EnsureResults(ctx context.Context, b *bus.Bus) (jetstream.Stream, error) {
	storage := jetstream.FileStorage
	if b.Config.Memory {
		storage = jetstream.MemoryStorage
	}
	s, err := b.JS.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        ResultsStream(b),
		Description: "judge results for the API side's result handlers (work queue)",
		Subjects:    []string{resultsSubject(b)},
		Retention:   jetstream.WorkQueuePolicy,
		Storage:     storage,
		Replicas:    b.Config.Replicas,
		MaxAge:      resultsRetention, // unhandled results do not pile up forever
		Duplicates:  2 * time.Minute,
	})
	if err != nil {
		return nil, fmt.Errorf("results stream: %w", err)
	}
	return s, nil
}

// Result is one finished submission as announced on the results stream.
type Result struct {
	SubmissionID string        `json:"submission_id"`
	UserID       int64         `json:"user_id"`
	MatchID      string        `json:"match_id,omitempty"`
	ProblemID    string        `json:"problem_id,omitempty"`
	Lang         string        `json:"lang"`
	CreatedAt    time.Time     `json:"created_at"`
	Verdict      string        `json:"verdict"`
	Message      string        `json:"message,omitempty"`
	Passed       int           `json:"passed"`
	Total        int           `json:"total"`
	FailedTest   int           `json:"failed_test,omitempty"`
	MaxCPUTime   time.Duration `json:"max_cpu_ns"`
	MaxMemory    int64         `json:"max_memory_bytes"`
	FinishedAt   time.Time     `json:"finished_at"`
}

// ResultOf is the announcement of a submission's stored result r.
func ResultOf(sub store.Submission, r store.SubmissionResult) Result {
	return Result{SubmissionID: sub.ID, UserID: sub.UserID, MatchID: sub.MatchID, ProblemID: sub.ProblemID, Lang: sub.Lang,
		CreatedAt: sub.CreatedAt, Verdict: r.Verdict, Message: r.Message, Passed: r.Passed, Total: r.Total,
		FailedTest: r.FailedTest, MaxCPUTime: r.MaxCPUTime, MaxMemory: r.MaxMemoryBytes, FinishedAt: r.FinishedAt}
}

// PublishResult announces a finished submission on the results stream.
// Workers call it once per result (and again only when a redelivered job
// finds the result stored; the stream drops that copy). Load tools with a
// fake judge call it too, so the arena's result path is the real one.
func PublishResult(ctx context.Context, b *bus.Bus, r Result) error {
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if _, err := b.JS.Publish(ctx, resultsSubject(b), data, jetstream.WithMsgID("result-"+r.SubmissionID)); err != nil {
		return fmt.Errorf("announce result of %s: %w", r.SubmissionID, err)
	}
	return nil
}

// ResultHandler is told about every finished submission at least once.
// Returning an error has it retried (after a delay growing with the
// attempts, on any node).
type ResultHandler func(ctx context.Context, r Result) error

// resultsInFlight bounds the results one node handles at once: a handler
// may wait on another node (the arena forwards a result to the match's
// owner), so they are handled concurrently.
const resultsInFlight = 256

// resultsAckWait is short so that a result handed to a node that died
// before handling it goes to another node soon; a handler that takes
// longer (waiting for a match's new owner) keeps its result with
// InProgress.
const resultsAckWait = 4 * time.Second

// HandleResults calls h for every result until ctx ends, sharing the work
// with every other API node running it (one durable consumer). Run it on
// each API node once the arena is ready to act on results.
func HandleResults(ctx context.Context, b *bus.Bus, log *slog.Logger, h ResultHandler) error {
	stream, err := EnsureResults(ctx, b)
	if err != nil {
		return err
	}
	cons, err := stream.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{
		Durable:       "result-handlers",
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       resultsAckWait,
		MaxDeliver:    100,
		MaxAckPending: 4 * resultsInFlight,
		DeliverPolicy: jetstream.DeliverAllPolicy,
	})
	if err != nil {
		return fmt.Errorf("result consumer: %w", err)
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(resultsInFlight), jetstream.PullExpiry(2*time.Second))
	if err != nil {
		return fmt.Errorf("result consumer: %w", err)
	}
	stop := context.AfterFunc(ctx, it.Stop)
	defer stop()
	sem := make(chan struct{}, resultsInFlight)
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		msg, err := it.Next()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, jetstream.ErrMsgIteratorClosed) {
				return ctx.Err()
			}
			log.Warn("fetch result failed", "err", err)
			continue
		}
		var r Result
		if err := json.Unmarshal(msg.Data(), &r); err != nil || r.SubmissionID == "" {
			// A bare id is what older workers announced: the store has it.
			log.Warn("dropping an unreadable result announcement", "data", truncate(string(msg.Data()), 80))
			_ = msg.Term()
			continue
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			stop := keepInProgress(msg)
			err := h(ctx, r)
			stop()
			if err != nil {
				n := uint64(1)
				if md, err := msg.Metadata(); err == nil {
					n = md.NumDelivered
				}
				if ctx.Err() == nil {
					log.Warn("result handler failed; will retry", "submission", r.SubmissionID, "attempt", n, "err", err)
				}
				_ = msg.NakWithDelay(min(time.Duration(n)*500*time.Millisecond, 5*time.Second))
				return
			}
			_ = msg.Ack()
		}()
	}
}

// keepInProgress tells the stream every second that msg is still being
// handled, until stop is called.
func keepInProgress(msg jetstream.Msg) (stop func()) {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(resultsAckWait / 4)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				_ = msg.InProgress()
			}
		}
	}()
	return func() { close(done) }
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
