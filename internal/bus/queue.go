package bus

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// ErrQueueFull means the judge stream holds MaxJobs jobs: the system is
// saturated and the API should answer 503 with Retry-After.
var ErrQueueFull = errors.New("bus: judge queue full")

// errCodeStoreFailed is JetStream's "stream store failed" (10077), returned
// with "maximum messages exceeded" when a DiscardNew stream is full; nats.go
// has no constant for it.
const errCodeStoreFailed jetstream.ErrorCode = 10077

// PublishJob enqueues a judge job. id (the submission id) is the JetStream
// message id, so a retried publish within DedupWindow is dropped by the
// server; duplicate reports that this happened.
func (b *Bus) PublishJob(ctx context.Context, p Priority, id string, data []byte) (duplicate bool, err error) {
	if !p.valid() {
		return false, fmt.Errorf("bus: unknown priority %d", p)
	}
	if id == "" {
		return false, errors.New("bus: job without id")
	}
	ack, err := b.JS.Publish(ctx, b.Names.JudgeSubject(p), data, jetstream.WithMsgID(id))
	if err != nil {
		var apiErr *jetstream.APIError
		if errors.As(err, &apiErr) && apiErr.ErrorCode == errCodeStoreFailed &&
			strings.Contains(apiErr.Description, "maximum") {
			return false, ErrQueueFull
		}
		return false, fmt.Errorf("bus: publish %s job %s: %w", p, id, err)
	}
	return ack.Duplicate, nil
}

// Job is one delivery of a judge job. The worker must Ack it when the result
// is stored, send InProgress while a long job runs (resets the ack wait), or
// Nak it to hand it to another worker now.
type Job struct {
	jetstream.Msg
	Priority Priority
}

// Deliveries is how many times this job has been delivered, this one
// included (1 on the first delivery).
func (j Job) Deliveries() uint64 {
	md, err := j.Metadata()
	if err != nil {
		return 0
	}
	return md.NumDelivered
}

// Done acknowledges the job and waits for the server to confirm, so a
// worker only forgets a job once the server will not redeliver it.
func (j Job) Done(ctx context.Context) error {
	if err := j.DoubleAck(ctx); err != nil {
		return fmt.Errorf("bus: ack job: %w", err)
	}
	return nil
}

// NextJob waits for the next judge job, always taking a higher priority
// first. When every queue is empty it waits up to poll on the ranked queue
// and then looks at all queues again, so a new practice job waits at most
// poll before a free worker sees it (default 100 ms).
func (b *Bus) NextJob(ctx context.Context, poll time.Duration) (Job, error) {
	if poll <= 0 {
		poll = 100 * time.Millisecond
	}
	for {
		if err := ctx.Err(); err != nil {
			return Job{}, err
		}
		for _, p := range Priorities {
			batch, err := b.consumers[p].FetchNoWait(1)
			if err != nil {
				return Job{}, fmt.Errorf("bus: fetch %s job: %w", p, err)
			}
			for msg := range batch.Messages() {
				return Job{Msg: msg, Priority: p}, nil
			}
			if err := batch.Error(); err != nil && !errors.Is(err, jetstream.ErrNoMessages) {
				return Job{}, fmt.Errorf("bus: fetch %s job: %w", p, err)
			}
		}
		wait := poll
		if dl, ok := ctx.Deadline(); ok {
			wait = min(wait, time.Until(dl))
		}
		if wait < time.Millisecond {
			// About to expire: the context's own timer may lag a little.
			<-ctx.Done()
			return Job{}, ctx.Err()
		}
		// A plain max-wait (not the caller's context) so the request never
		// carries an already-expired deadline; a cancellation is noticed
		// within one poll.
		msg, err := b.consumers[Ranked].Next(jetstream.FetchMaxWait(wait))
		if err == nil {
			return Job{Msg: msg, Priority: Ranked}, nil
		}
		if !errors.Is(err, jetstream.ErrNoMessages) && !errors.Is(err, nats.ErrTimeout) &&
			!errors.Is(err, context.DeadlineExceeded) && !isTimeout(err) {
			return Job{}, fmt.Errorf("bus: wait for job: %w", err)
		}
	}
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// Depth is the state of one priority's queue.
type Depth struct {
	Pending  uint64 // waiting for a worker
	InFlight int    // delivered, not yet acknowledged
}

// QueueDepth reports each priority's queue, for /readyz and /metrics.
func (b *Bus) QueueDepth(ctx context.Context) (map[Priority]Depth, error) {
	out := map[Priority]Depth{}
	for _, p := range Priorities {
		info, err := b.consumers[p].Info(ctx)
		if err != nil {
			return nil, fmt.Errorf("bus: %s queue info: %w", p, err)
		}
		out[p] = Depth{Pending: info.NumPending, InFlight: info.NumAckPending}
	}
	return out, nil
}
