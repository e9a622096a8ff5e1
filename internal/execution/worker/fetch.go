package worker

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/segfaultarena/segfault/internal/bus"
)

// fetcher pulls jobs like bus.NextJob, in bus.Priorities order (ranked,
// its repeat lane, practice, its repeat lane, the low queue), with one
// difference: a slot takes a job of a gated lane (the practice repeat lane
// and the low queue) only when claim says so, and calls release when it
// got none. Workers allow the low queue only while no other slot is busy,
// so it (analysis jobs and throttled floods) never holds more than one slot
// of a worker, and the practice repeat lane (an account's second job while
// its first waits or runs) on all slots but one, so the last free slot is
// always kept for another account's next job: one account's backlog delays
// another account's submission by at most the jobs already running.
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
	// pass serialises the slots' looks over the lanes, from the first
	// claim to took: a slot counts as busy before another slot asks for a
	// claim, so two slots of an idle worker waking together cannot both
	// take a gated job, nor one a first-lane job and the other a gated job
	// the first slot's busy count would have refused.
	pass sync.Mutex
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

// next returns the next job. claim is asked before looking at a gated
// lane (gated says which); when it says yes and no job of that lane is
// returned, release is called (the caller releases after handling a job
// of a gated lane it got). took is called with the job's lane before any
// other slot of this fetcher looks at the lanes (the caller counts the
// slot busy there).
func (f *fetcher) next(ctx context.Context, poll time.Duration, claim func(bus.Priority) bool, release func(bus.Priority),
	took func(bus.Priority)) (bus.Job, error) {
	wait := poll
	for {
		if err := ctx.Err(); err != nil {
			return bus.Job{}, err
		}
		if job, ok, err := f.look(claim, release, took); err != nil || ok {
			return job, err
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

// look is one pass over the lanes in order, under f.pass.
func (f *fetcher) look(claim func(bus.Priority) bool, release func(bus.Priority), took func(bus.Priority)) (bus.Job, bool, error) {
	f.pass.Lock()
	defer f.pass.Unlock()
	for _, p := range bus.Priorities {
		if gated(p) && !claim(p) {
			continue
		}
		job, ok, err := f.fetchNoWait(p)
		if gated(p) && !ok {
			release(p)
		}
		if ok {
			took(p)
		}
		if err != nil || ok {
			return job, ok, err
		}
	}
	return bus.Job{}, false, nil
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

// gated reports whether a slot must claim p before taking its job: the low
// queue and the practice repeat lane. Ranked lanes are never held back.
func gated(p bus.Priority) bool { return p == bus.Analysis || p == bus.PracticeRepeat }

// Fetcher takes jobs in the order an idle one-slot worker takes them
// (every lane open to it): the dispatch order, for tools and for package
// execution's tests of the fair share, which must see the lanes the API
// side chose drained by the workers' own code.
type Fetcher struct{ f *fetcher }

// NewFetcher opens the judge consumers of b.
func NewFetcher(ctx context.Context, b *bus.Bus) (*Fetcher, error) {
	f, err := newFetcher(ctx, b)
	if err != nil {
		return nil, err
	}
	return &Fetcher{f: f}, nil
}

// Next waits for the next job; the caller acknowledges it (Done) before
// asking for another, as a one-slot worker does.
func (f *Fetcher) Next(ctx context.Context) (bus.Job, error) {
	return f.f.next(ctx, 100*time.Millisecond, func(bus.Priority) bool { return true }, func(bus.Priority) {}, func(bus.Priority) {})
}

// Close drops the wake-up subscriptions.
func (f *Fetcher) Close() { f.f.close() }
