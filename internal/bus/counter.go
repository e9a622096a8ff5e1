package bus

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Counters are integer counters in the rate-limit bucket, shared by every
// API node: per-user request windows, per-user in-flight jobs. Updates are
// compare-and-set on the key's revision, retried on conflict, so concurrent
// nodes never lose an increment. Idle counters vanish after RateTTL.
type Counters struct {
	kv jetstream.KeyValue
}

// Counters returns the shared counters.
func (b *Bus) Counters() *Counters { return &Counters{kv: b.rates} }

// ErrContention means a counter kept changing under us; callers treat it
// like an unavailable limiter (fail closed with 503).
var ErrContention = errors.New("bus: counter contention")

const maxCASAttempts = 50

func checkKey(key string) error {
	if !keyPattern.MatchString(key) {
		return fmt.Errorf("bus: counter key %q is not a valid key", key)
	}
	return nil
}

// Get returns a counter's value (0 if absent).
func (c *Counters) Get(ctx context.Context, key string) (int64, error) {
	if err := checkKey(key); err != nil {
		return 0, err
	}
	v, _, err := c.read(ctx, key)
	return v, err
}

func (c *Counters) read(ctx context.Context, key string) (int64, uint64, error) {
	e, err := c.kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrKeyDeleted) {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, fmt.Errorf("bus: read counter %s: %w", key, err)
	}
	v, err := strconv.ParseInt(string(e.Value()), 10, 64)
	if err != nil {
		return 0, 0, fmt.Errorf("bus: counter %s holds %q: %w", key, e.Value(), err)
	}
	return v, e.Revision(), nil
}

// Add adds delta to the counter. A positive delta that would take the value
// above limit is refused (applied false, value unchanged); limit <= 0 means
// no limit. The value never goes below 0 (a decrement after the counter
// expired stays at 0). It returns the value after the call.
func (c *Counters) Add(ctx context.Context, key string, delta, limit int64) (value int64, applied bool, err error) {
	if err := checkKey(key); err != nil {
		return 0, false, err
	}
	for range maxCASAttempts {
		cur, rev, err := c.read(ctx, key)
		if err != nil {
			return 0, false, err
		}
		next := max(cur+delta, 0)
		if delta > 0 && limit > 0 && next > limit {
			return cur, false, nil
		}
		val := []byte(strconv.FormatInt(next, 10))
		if rev == 0 {
			_, err = c.kv.Create(ctx, key, val)
		} else {
			_, err = c.kv.Update(ctx, key, val, rev)
		}
		switch {
		case err == nil:
			return next, true, nil
		case errors.Is(err, jetstream.ErrKeyExists), errors.Is(err, jetstream.ErrKeyRevisionMismatch):
			continue // someone else wrote first: reread
		default:
			return 0, false, fmt.Errorf("bus: update counter %s: %w", key, err)
		}
	}
	return 0, false, fmt.Errorf("%w on %s", ErrContention, key)
}

// Decision is the outcome of a rate-limit check.
type Decision struct {
	Allowed    bool
	Count      int64         // events counted in the current window
	RetryAfter time.Duration // when refused: until the window ends
}

// Window is a fixed-window rate limit shared by all nodes: at most limit
// events per key per window (windows aligned to multiples of window since
// the Unix epoch; now comes from the caller so tests control it). window
// must not exceed the bucket's RateTTL.
func (c *Counters) Window(ctx context.Context, key string, limit int64, window time.Duration, now time.Time) (Decision, error) {
	if window <= 0 || limit <= 0 {
		return Decision{}, fmt.Errorf("bus: rate window %v, limit %d invalid", window, limit)
	}
	start := now.Truncate(window)
	v, ok, err := c.Add(ctx, key+".w"+strconv.FormatInt(start.UnixMilli(), 10), 1, limit)
	if err != nil {
		return Decision{}, err
	}
	d := Decision{Allowed: ok, Count: v}
	if !ok {
		d.RetryAfter = start.Add(window).Sub(now)
	}
	return d, nil
}
