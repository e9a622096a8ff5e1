package execution

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/segfaultarena/segfault/internal/bus"
)

// fetcher pulls jobs like bus.NextJob (ranked, then practice, then the
// low queue), with one difference: a slot takes a low-priority job only
// when lowOK says so. Workers allow it only while no other slot is busy,
// so the low queue (analysis jobs and throttled floods) never holds more
// than one slot of a worker and the other slots stay free for players.
type fetcher struct {
	b         *bus.Bus
	consumers map[bus.Priority]jetstream.Consumer
}

func newFetcher(ctx context.Context, b *bus.Bus) (*fetcher, error) {
	f := &fetcher{b: b, consumers: map[bus.Priority]jetstream.Consumer{}}
	for _, p := range bus.Priorities {
		c, err := b.JS.Consumer(ctx, b.Names.JudgeStream(), b.Names.JudgeConsumer(p))
		if err != nil {
			return nil, fmt.Errorf("judge consumer %s: %w", p, err)
		}
		f.consumers[p] = c
	}
	return f, nil
}

// next returns the next job. claimLow is asked before looking at the low
// queue; when it says yes and no low job is returned, releaseLow is called
// (the caller releases after handling a low job it got).
func (f *fetcher) next(ctx context.Context, poll time.Duration, claimLow func() bool, releaseLow func()) (bus.Job, error) {
	for {
		if err := ctx.Err(); err != nil {
			return bus.Job{}, err
		}
		for _, p := range bus.Priorities {
			if p == bus.Analysis && !claimLow() {
				continue
			}
			job, ok, err := f.fetchNoWait(p)
			if p == bus.Analysis && !ok {
				releaseLow()
			}
			if err != nil || ok {
				return job, err
			}
		}
		// Nothing anywhere: wait a little on the ranked queue, so a ranked
		// job starts at once and the others within one poll.
		msg, err := f.consumers[bus.Ranked].Next(jetstream.FetchMaxWait(poll))
		if err == nil {
			return bus.Job{Msg: msg, Priority: bus.Ranked}, nil
		}
		if !errors.Is(err, jetstream.ErrNoMessages) && !errors.Is(err, nats.ErrTimeout) && !isTimeout(err) {
			return bus.Job{}, fmt.Errorf("wait for job: %w", err)
		}
	}
}

func (f *fetcher) fetchNoWait(p bus.Priority) (bus.Job, bool, error) {
	batch, err := f.consumers[p].FetchNoWait(1)
	if err != nil {
		return bus.Job{}, false, fmt.Errorf("fetch %s job: %w", p, err)
	}
	for msg := range batch.Messages() {
		return bus.Job{Msg: msg, Priority: p}, true, nil
	}
	if err := batch.Error(); err != nil && !errors.Is(err, jetstream.ErrNoMessages) {
		return bus.Job{}, false, fmt.Errorf("fetch %s job: %w", p, err)
	}
	return bus.Job{}, false, nil
}
