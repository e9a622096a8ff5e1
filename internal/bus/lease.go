package bus

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// ErrLeaseLost means the lease expired or was taken by another holder.
var ErrLeaseLost = errors.New("bus: lease lost")

var keyPattern = regexp.MustCompile(`^[-/_=a-zA-Z0-9]+(\.[-/_=a-zA-Z0-9]+)*$`)

// Lease is a named, exclusive, expiring claim in the lease bucket, e.g. the
// matchmaker leader lease: exactly one API node runs the matchmaker.
//
// Exclusivity comes from JetStream's compare-and-set: acquiring is a KV
// Create (succeeds only if the key is absent), renewing is an Update that
// names the revision we wrote last (fails if anyone else wrote since), and
// releasing is a Delete conditioned on that revision. Expiry is the bucket's
// TTL, enforced by the server: a holder that stops renewing (crash,
// partition) loses the key TTL after its last successful write, judged by the
// server's clock only, so skew between API nodes does not matter.
type Lease struct {
	kv     jetstream.KeyValue
	key    string
	holder string
	ttl    time.Duration

	mu   sync.Mutex
	rev  uint64    // our last written revision; 0 when not held
	sent time.Time // local time just before that write was sent
}

// Lease returns a handle on lease name for holder (a string unique to this
// process, e.g. node name + random suffix).
func (b *Bus) Lease(name, holder string) (*Lease, error) {
	if !keyPattern.MatchString(name) {
		return nil, fmt.Errorf("bus: lease name %q is not a valid key", name)
	}
	if holder == "" {
		return nil, errors.New("bus: lease holder must not be empty")
	}
	return &Lease{kv: b.leases, key: name, holder: holder, ttl: b.Config.LeaseTTL}, nil
}

// TTL is the lease lifetime without renewal.
func (l *Lease) TTL() time.Duration { return l.ttl }

// TryAcquire takes the lease if nobody holds it. It reports false, without
// error, when another holder has it.
func (l *Lease) TryAcquire(ctx context.Context) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	sent := time.Now()
	rev, err := l.kv.Create(ctx, l.key, []byte(l.holder))
	if errors.Is(err, jetstream.ErrKeyExists) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("bus: acquire lease %s: %w", l.key, err)
	}
	l.rev, l.sent = rev, sent
	return true, nil
}

// Renew extends a held lease by another TTL. ErrLeaseLost means someone else
// has written the key since (or it expired and was taken); the caller must
// stop acting as holder at once.
func (l *Lease) Renew(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.rev == 0 {
		return ErrLeaseLost
	}
	sent := time.Now()
	rev, err := l.kv.Update(ctx, l.key, []byte(l.holder), l.rev)
	switch {
	case errors.Is(err, jetstream.ErrKeyRevisionMismatch), errors.Is(err, jetstream.ErrKeyExists),
		errors.Is(err, jetstream.ErrKeyNotFound):
		l.rev = 0
		return ErrLeaseLost
	case err != nil:
		// Transient (timeout, reconnecting): still ours until Held says no.
		return fmt.Errorf("bus: renew lease %s: %w", l.key, err)
	}
	l.rev, l.sent = rev, sent
	return nil
}

// Release gives the lease up so another contender can take it at once. It
// deletes the key only if we still hold it.
func (l *Lease) Release(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.rev == 0 {
		return nil
	}
	rev := l.rev
	l.rev = 0
	err := l.kv.Delete(ctx, l.key, jetstream.LastRevision(rev))
	if err != nil && !errors.Is(err, jetstream.ErrKeyRevisionMismatch) && !errors.Is(err, jetstream.ErrKeyExists) {
		return fmt.Errorf("bus: release lease %s: %w", l.key, err)
	}
	return nil
}

// Held reports whether this process may act as holder now: it holds the
// lease and less than TTL − margin has passed since its last successful
// write was sent (measured before sending, so the local view always expires
// before the server's). The margin is TTL/10.
func (l *Lease) Held() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.rev != 0 && time.Since(l.sent) < l.ttl-l.ttl/10
}

// Holder returns the current holder of the lease, "" if none.
func (l *Lease) Holder(ctx context.Context) (string, error) {
	e, err := l.kv.Get(ctx, l.key)
	if errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrKeyDeleted) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("bus: read lease %s: %w", l.key, err)
	}
	return string(e.Value()), nil
}

// Campaign competes for the lease until ctx ends. Whenever it holds the
// lease it runs lead with a context that is cancelled as soon as the lease
// is lost or not renewed in time; lead must return promptly after that. The
// lease is renewed every TTL/3. On return the lease is released.
func (l *Lease) Campaign(ctx context.Context, lead func(ctx context.Context)) error {
	every := l.ttl / 3
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		ok, err := l.TryAcquire(ctx)
		if err == nil && ok {
			l.holdAndLead(ctx, every, lead)
		}
		select {
		case <-ctx.Done():
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
			defer cancel()
			_ = l.Release(rctx)
			return ctx.Err()
		case <-t.C:
		}
	}
}

func (l *Lease) holdAndLead(ctx context.Context, every time.Duration, lead func(context.Context)) {
	lctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		lead(lctx)
	}()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
		case <-done:
		case <-t.C:
			rctx, cancel := context.WithTimeout(ctx, every)
			err := l.Renew(rctx)
			cancel()
			if !errors.Is(err, ErrLeaseLost) && l.Held() {
				continue
			}
		}
		stop()
		<-done
		if ctx.Err() == nil {
			// lead returned on its own or the lease is gone: let others in.
			rctx, cancel := context.WithTimeout(ctx, every)
			_ = l.Release(rctx)
			cancel()
		}
		return
	}
}
