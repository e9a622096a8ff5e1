package auth

import (
	"context"
	"math"
	"sync"
	"time"
)

// Limiter decides whether one more attempt under key is allowed now. When it
// is not, retryAfter says when the next one will be. The in-memory
// implementation below serves one node; a cluster can plug in one shared
// through NATS KV or the database behind the same interface.
type Limiter interface {
	Allow(ctx context.Context, key string) (ok bool, retryAfter time.Duration, err error)
}

// RateLimit is one token bucket shape: Burst attempts at once, refilled at
// one token per Every.
type RateLimit struct {
	Burst int
	Every time.Duration
}

// MemoryLimiter is a set of token buckets keyed by string, kept in memory.
type MemoryLimiter struct {
	rate RateLimit
	now  func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	// sweepAt is the map size that triggers dropping full buckets; a full
	// bucket is the same as no bucket, so dropping them bounds memory when
	// an attacker sprays usernames or addresses.
	sweepAt int
}

type bucket struct {
	tokens float64
	at     time.Time
}

// NewMemoryLimiter returns a limiter; now may be nil (time.Now).
func NewMemoryLimiter(rate RateLimit, now func() time.Time) *MemoryLimiter {
	if now == nil {
		now = time.Now
	}
	return &MemoryLimiter{rate: rate, now: now, buckets: map[string]*bucket{}, sweepAt: 1024}
}

// Allow takes one token from key's bucket.
func (l *MemoryLimiter) Allow(_ context.Context, key string) (bool, time.Duration, error) {
	if l.rate.Burst <= 0 {
		return true, 0, nil // disabled
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= l.sweepAt {
			l.sweep(now)
		}
		b = &bucket{tokens: float64(l.rate.Burst), at: now}
		l.buckets[key] = b
	}
	l.refill(b, now)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0, nil
	}
	missing := 1 - b.tokens
	wait := time.Duration(math.Ceil(missing * float64(l.rate.Every)))
	return false, wait, nil
}

func (l *MemoryLimiter) refill(b *bucket, now time.Time) {
	if el := now.Sub(b.at); el > 0 && l.rate.Every > 0 {
		b.tokens = math.Min(float64(l.rate.Burst), b.tokens+float64(el)/float64(l.rate.Every))
	}
	b.at = now
}

// sweep drops full buckets; if the map is still large, the next sweep waits
// until it has doubled so sweeping stays amortised O(1) per insert.
func (l *MemoryLimiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		l.refill(b, now)
		if b.tokens >= float64(l.rate.Burst) {
			delete(l.buckets, k)
		}
	}
	l.sweepAt = max(1024, 2*len(l.buckets))
}

// Len reports how many buckets are held (for tests and metrics).
func (l *MemoryLimiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}
