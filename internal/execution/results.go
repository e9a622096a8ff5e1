package execution

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/segfaultarena/segfault/internal/bus"
	"github.com/segfaultarena/segfault/internal/store"
)

// Results are announced on a JetStream work-queue stream as well as the
// best-effort progress events: a result handler on the API side (the
// arena: first AC wins the match, ratings, XP) must see every result even
// if it was down or disconnected when the worker finished. The message id
// is the submission id, and the handler is called at least once per result;
// it keys its own side effects on the submission id (the store already
// holds exactly one result per submission).

const resultsRetention = time.Hour

func resultsStream(b *bus.Bus) string {
	return nsName(b, "JUDGE_RESULTS")
}

func resultsSubject(b *bus.Bus) string {
	// The judge subjects are <ns.>judge.<priority>; results sit beside them.
	s := b.Names.JudgeSubject(bus.Ranked)
	return strings.TrimSuffix(s, "ranked") + "results"
}

func ensureResults(ctx context.Context, b *bus.Bus) (jetstream.Stream, error) {
	storage := jetstream.FileStorage
	if b.Config.Memory {
		storage = jetstream.MemoryStorage
	}
	s, err := b.JS.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        resultsStream(b),
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

// announceResult publishes the id of a finished submission.
func announceResult(ctx context.Context, b *bus.Bus, id string) error {
	if _, err := b.JS.Publish(ctx, resultsSubject(b), []byte(id), jetstream.WithMsgID("result-"+id)); err != nil {
		return fmt.Errorf("announce result of %s: %w", id, err)
	}
	return nil
}

// ResultHandler is told about every finished submission at least once.
// Returning an error has it retried (after a few seconds, on any node).
type ResultHandler func(ctx context.Context, sub store.Submission) error

// HandleResults calls h for every result until ctx ends, sharing the work
// with every other API node running it (one durable consumer). Run it on
// each API node once the arena is ready to act on results.
func (s *Service) HandleResults(ctx context.Context, h ResultHandler) error {
	stream, err := ensureResults(ctx, s.opt.Bus)
	if err != nil {
		return err
	}
	cons, err := stream.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{
		Durable:       "result-handlers",
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       30 * time.Second,
		MaxDeliver:    20,
		DeliverPolicy: jetstream.DeliverAllPolicy,
	})
	if err != nil {
		return fmt.Errorf("result consumer: %w", err)
	}
	for ctx.Err() == nil {
		msg, err := cons.Next(jetstream.FetchMaxWait(time.Second))
		if err != nil {
			if !errors.Is(err, jetstream.ErrNoMessages) && !isTimeout(err) && ctx.Err() == nil {
				s.log.Warn("fetch result failed", "err", err)
				time.Sleep(time.Second)
			}
			continue
		}
		id := string(msg.Data())
		sub, err := s.opt.Store.Submission(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			_ = msg.Term()
			continue
		}
		if err == nil && sub.Result == nil {
			err = fmt.Errorf("submission %s announced without a stored result", id)
		}
		if err == nil {
			err = h(ctx, sub)
		}
		if err != nil {
			s.log.Warn("result handler failed; will retry", "submission", id, "err", err)
			_ = msg.NakWithDelay(3 * time.Second)
			continue
		}
		_ = msg.Ack()
	}
	return ctx.Err()
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout() || errors.Is(err, context.DeadlineExceeded)
}
