package worker

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
//
// An idle slot sleeps until a job is published (a core NATS subscription
// on the judge subjects sees every publish and wakes one slot) or the poll
// interval passes, so a job of any priority starts within a round trip,
// not a poll: sample runs are interactive. The poll is the safety net for
// a lost wake-up and for redeliveries, which publish nothing.
type fetcher struct {
	b         *bus.Bus
	consumers map[bus.Priority]jetstream.Consumer
	wake      chan struct{}
	subs      []*nats.Subscription
}

func newFetcher(ctx context.Context, b *bus.Bus) (*fetcher, error) {
	f := &fetcher{b: b, consumers: map[bus.Priority]jetstream.Consumer{}, wake: make(chan struct{}, 64)}
	for _, p := range bus.Priorities {
		c, err := b.JS.Consumer(ctx, b.Names.JudgeStream(), b.Names.JudgeConsumer(p))
		if err != nil {
			return nil, fmt.Errorf("judge consumer %s: %w", p, err)
		}
		f.consumers[p] = c
	}
	for _, p := range bus.Priorities {
		sub, err := b.NC.Subscribe(b.Names.JudgeSubject(p), func(*nats.Msg) {
			select {
			case f.wake <- struct{}{}:
			default: // enough slots are being woken already
			}
		})
		if err != nil {
			f.close()
			return nil, fmt.Errorf("judge wake-up subscription: %w", err)
		}
		f.subs = append(f.subs, sub)
	}
	return f, nil
}

// close drops the wake-up subscriptions.
func (f *fetcher) close() {
	for _, s := range f.subs {
		_ = s.Unsubscribe()
	}
	f.subs = nil
}

// next returns the next job. claimLow is asked before looking at the low
// queue; when it says yes and no low job is returned, releaseLow is called
// (the caller releases after handling a low job it got).
func (f *fetcher) next(ctx context.Context, poll time.Duration, claimLow func() bool, releaseLow func()) (bus.Job, error) {
	wait := poll
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
		// Nothing anywhere: sleep until a publish wakes us or one poll. The
		// wake-up can overtake the stream storing the job: after one that
		// found nothing, look again soon.
		t := time.NewTimer(wait)
		wait = poll
		select {
		case <-ctx.Done():
			t.Stop()
			return bus.Job{}, ctx.Err()
		case <-f.wake:
			wait = min(poll, 20*time.Millisecond)
		case <-t.C:
		}
		t.Stop()
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
