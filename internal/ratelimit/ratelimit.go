// Package ratelimit holds the anti-flooding limits of the judge pipeline,
// with their state shared by every API node: token buckets in a NATS
// JetStream KV bucket (compare-and-set on the key revision, so two nodes
// never spend the same token), per-user in-flight caps in the database
// (see store.CreateSubmission) and the global queue depth cap in front of
// the JetStream work queue.
package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Rate is a token bucket shape: Burst requests at once, refilled at PerSec
// tokens per second. A zero Burst disables the limit.
//
// With Penalize, a refused request costs a token too (the bucket goes down
// to -Burst): a client that keeps hammering stays refused until it backs
// off, instead of getting one request through at every refill. A client
// that honours Retry-After never pays the penalty.
type Rate struct {
	Burst    float64
	PerSec   float64
	Penalize bool
}

// Decision is the outcome of one Allow.
type Decision struct {
	Allowed    bool
	Remaining  float64       // tokens left after this request
	RetryAfter time.Duration // when refused: until one token is back
}

// Buckets are token buckets in a KV bucket shared by all API nodes.
type Buckets struct {
	kv  jetstream.KeyValue
	now func() time.Time
}

// ErrContention means a key kept changing under us; callers fail closed
// (503) because the limiter cannot answer.
var ErrContention = errors.New("ratelimit: bucket contention")

// Open ensures the KV bucket named bucket. Idle keys expire after ttl,
// which must exceed the longest refill time (Burst/PerSec) in use.
func Open(ctx context.Context, js jetstream.JetStream, bucket string, replicas int, memory bool, ttl time.Duration) (*Buckets, error) {
	storage := jetstream.FileStorage
	if memory {
		storage = jetstream.MemoryStorage
	}
	if replicas < 1 {
		replicas = 1
	}
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      bucket,
		Description: "token buckets shared by all API nodes (judge submissions, per-IP limits)",
		History:     1,
		TTL:         ttl,
		Storage:     storage,
		Replicas:    replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("ratelimit: ensure bucket %s: %w", bucket, err)
	}
	return &Buckets{kv: kv, now: time.Now}, nil
}

var keyRE = regexp.MustCompile(`^[-/_=a-zA-Z0-9]+(\.[-/_=a-zA-Z0-9]+)*$`)

// Key builds a valid KV key from parts; characters a key cannot hold
// (':' of IPv6, '@' ...) become '_'.
func Key(parts ...string) string {
	for i, p := range parts {
		parts[i] = strings.Map(func(r rune) rune {
			if r == '-' || r == '_' || r == '=' || r == '/' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
				return r
			}
			return '_'
		}, p)
		if parts[i] == "" {
			parts[i] = "_"
		}
	}
	return strings.Join(parts, ".")
}

const maxAttempts = 50

// Allow takes one token from key's bucket if it has one.
func (b *Buckets) Allow(ctx context.Context, key string, r Rate) (Decision, error) {
	if r.Burst <= 0 {
		return Decision{Allowed: true}, nil
	}
	if err := validate(key, r); err != nil {
		return Decision{}, err
	}
	for range maxAttempts {
		tokens, rev, now, err := b.read(ctx, key, r)
		if err != nil {
			return Decision{}, err
		}
		allowed := tokens >= 1
		if !allowed && !r.Penalize {
			return Decision{Allowed: false, Remaining: tokens, RetryAfter: retryAfter(tokens, r)}, nil
		}
		next := tokens - 1
		if !allowed {
			next = max(tokens-1, -r.Burst)
		}
		switch stored, err := b.write(ctx, key, rev, next, now); {
		case err != nil:
			return Decision{}, err
		case !stored:
			continue // another node spent a token first: reread
		case allowed:
			return Decision{Allowed: true, Remaining: next}, nil
		default:
			return Decision{Allowed: false, Remaining: next, RetryAfter: retryAfter(next, r)}, nil
		}
	}
	return Decision{}, fmt.Errorf("%w on %s", ErrContention, key)
}

// write stores tokens at now as key's entry if it is still at revision rev
// (0: none yet); false when another node wrote it first.
func (b *Buckets) write(ctx context.Context, key string, rev uint64, tokens float64, now time.Time) (bool, error) {
	val := format(tokens, now)
	var err error
	if rev == 0 {
		_, err = b.kv.Create(ctx, key, val)
	} else {
		_, err = b.kv.Update(ctx, key, val, rev)
	}
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, jetstream.ErrKeyExists), errors.Is(err, jetstream.ErrKeyRevisionMismatch):
		return false, nil
	default:
		return false, fmt.Errorf("ratelimit: update %s: %w", key, err)
	}
}

// validate refuses a rate that never refills and a key NATS KV cannot hold.
func validate(key string, r Rate) error {
	if r.PerSec <= 0 {
		return fmt.Errorf("ratelimit: rate %+v: refill must be positive", r)
	}
	if !keyRE.MatchString(key) {
		return fmt.Errorf("ratelimit: key %q is not a valid key", key)
	}
	return nil
}

// retryAfter is when the bucket holding tokens has one token again.
func retryAfter(tokens float64, r Rate) time.Duration {
	wait := time.Duration((1 - tokens) / r.PerSec * float64(time.Second))
	return max(wait, time.Millisecond)
}

// The value is "tokens@unix-micros": tiny, and readable with `nats kv get`.
func format(tokens float64, at time.Time) []byte {
	return []byte(strconv.FormatFloat(tokens, 'f', 4, 64) + "@" + strconv.FormatInt(at.UnixMicro(), 10))
}

func parse(b []byte) (float64, time.Time, bool) {
	t, at, ok := strings.Cut(string(b), "@")
	if !ok {
		return 0, time.Time{}, false
	}
	tokens, err1 := strconv.ParseFloat(t, 64)
	us, err2 := strconv.ParseInt(at, 10, 64)
	if err1 != nil || err2 != nil {
		return 0, time.Time{}, false
	}
	return tokens, time.UnixMicro(us), true
}

// PerIP limits requests per client address with a shared bucket, for
// endpoints reachable without a session. ip extracts the client address
// (nil: the connection's peer address); refused requests get 429 with
// Retry-After via reject. A broken limiter lets requests through: refusing
// everyone because NATS blinked would be an outage of its own.
func PerIP(b *Buckets, name string, r Rate, ip func(*http.Request) string, reject func(w http.ResponseWriter, r *http.Request, retryAfter time.Duration)) func(http.Handler) http.Handler {
	if ip == nil {
		ip = PeerIP
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			d, err := b.Allow(req.Context(), Key("ip", name, ip(req)), r)
			if err == nil && !d.Allowed {
				reject(w, req, d.RetryAfter)
				return
			}
			next.ServeHTTP(w, req)
		})
	}
}

// PeerIP is the address of the connection's peer.
func PeerIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Spend takes cost tokens from key's bucket whatever it holds, down to
// -Burst at most: a charge for work already done or started (judge time),
// which the bucket then pays back at its refill rate. Remaining is what
// is left.
func (b *Buckets) Spend(ctx context.Context, key string, r Rate, cost float64) (Decision, error) {
	if r.Burst <= 0 || cost == 0 {
		return Decision{Allowed: true, Remaining: r.Burst}, nil
	}
	if err := validate(key, r); err != nil {
		return Decision{}, err
	}
	for range maxAttempts {
		tokens, rev, now, err := b.read(ctx, key, r)
		if err != nil {
			return Decision{}, err
		}
		next := math.Min(r.Burst, math.Max(tokens-cost, -r.Burst))
		switch stored, err := b.write(ctx, key, rev, next, now); {
		case err != nil:
			return Decision{}, err
		case stored:
			return Decision{Allowed: true, Remaining: next}, nil
		}
	}
	return Decision{}, fmt.Errorf("%w on %s", ErrContention, key)
}

// Level is key's tokens now, taking none (Burst for an unused key).
func (b *Buckets) Level(ctx context.Context, key string, r Rate) (float64, error) {
	if !keyRE.MatchString(key) {
		return 0, fmt.Errorf("ratelimit: key %q is not a valid key", key)
	}
	tokens, _, _, err := b.read(ctx, key, r)
	return tokens, err
}

// read is key's tokens now and the entry's revision (0: none).
func (b *Buckets) read(ctx context.Context, key string, r Rate) (tokens float64, rev uint64, now time.Time, err error) {
	now = b.now()
	tokens = r.Burst
	e, err := b.kv.Get(ctx, key)
	switch {
	case errors.Is(err, jetstream.ErrKeyNotFound), errors.Is(err, jetstream.ErrKeyDeleted):
		return tokens, 0, now, nil
	case err != nil:
		return 0, 0, now, fmt.Errorf("ratelimit: read %s: %w", key, err)
	}
	if t, at, ok := parse(e.Value()); ok {
		tokens = math.Min(r.Burst, t+max(now.Sub(at).Seconds(), 0)*r.PerSec)
	}
	return tokens, e.Revision(), now, nil
}
