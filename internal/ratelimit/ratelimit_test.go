package ratelimit

import (
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/segfaultarena/segfault/internal/bus/bustest"
)

// twoNodes returns two Buckets on one embedded NATS server, each with its
// own connection, as two API nodes would have.
func twoNodes(t *testing.T) (*Buckets, *Buckets) {
	t.Helper()
	srv := bustest.Server(t)
	open := func() *Buckets {
		js, err := jetstream.New(bustest.Conn(t, srv))
		if err != nil {
			t.Fatal(err)
		}
		b, err := Open(context.Background(), js, "tb_test", 1, true, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return open(), open()
}

func TestBucketSharedAcrossNodes(t *testing.T) {
	a, b := twoNodes(t)
	ctx := context.Background()
	r := Rate{Burst: 10, PerSec: 0.001}
	var allowed, refused atomic.Int32
	var wg sync.WaitGroup
	for i := range 40 {
		node := a
		if i%2 == 1 {
			node = b
		}
		wg.Go(func() {
			d, err := node.Allow(ctx, "user.7", r)
			if err != nil {
				t.Error(err)
				return
			}
			if d.Allowed {
				allowed.Add(1)
			} else {
				refused.Add(1)
				if d.RetryAfter <= 0 {
					t.Errorf("refused without Retry-After: %+v", d)
				}
			}
		})
	}
	wg.Wait()
	if allowed.Load() != 10 || refused.Load() != 30 {
		t.Fatalf("allowed %d, refused %d; want exactly the burst of 10 across both nodes", allowed.Load(), refused.Load())
	}
	// Another key has its own bucket.
	if d, err := b.Allow(ctx, "user.8", r); err != nil || !d.Allowed {
		t.Fatalf("other key: %+v, %v", d, err)
	}
}

func TestBucketRefill(t *testing.T) {
	a, b := twoNodes(t)
	ctx := context.Background()
	now := time.Unix(1_800_000_000, 0)
	clock := func() time.Time { return now }
	a.now, b.now = clock, clock
	r := Rate{Burst: 2, PerSec: 0.5} // one token every 2 s
	tests := []struct {
		advance time.Duration
		node    *Buckets
		allowed bool
		retry   time.Duration
	}{
		{0, a, true, 0},
		{0, b, true, 0},
		{0, a, false, 2 * time.Second},
		{time.Second, b, false, time.Second},
		{time.Second, a, true, 0},
		{0, b, false, 2 * time.Second},
		{time.Hour, a, true, 0}, // refill is capped at the burst
		{0, b, true, 0},
		{0, a, false, 2 * time.Second},
	}
	for i, tc := range tests {
		now = now.Add(tc.advance)
		d, err := tc.node.Allow(ctx, "k", r)
		if err != nil {
			t.Fatal(err)
		}
		if d.Allowed != tc.allowed || (!tc.allowed && (d.RetryAfter-tc.retry).Abs() > 10*time.Millisecond) {
			t.Fatalf("step %d: %+v, want allowed=%v retry≈%v", i, d, tc.allowed, tc.retry)
		}
	}
}

func TestBucketValidation(t *testing.T) {
	a, _ := twoNodes(t)
	ctx := context.Background()
	if d, err := a.Allow(ctx, "any", Rate{}); err != nil || !d.Allowed {
		t.Fatalf("zero rate must allow: %+v %v", d, err)
	}
	if _, err := a.Allow(ctx, "bad key!", Rate{Burst: 1, PerSec: 1}); err == nil {
		t.Fatal("invalid key accepted")
	}
	if _, err := a.Allow(ctx, "k", Rate{Burst: 1}); err == nil {
		t.Fatal("zero refill accepted")
	}
	if got := Key("ip", "judge", "::1"); got != "ip.judge.__1" {
		t.Fatalf("Key = %q", got)
	}
	if got := Key("ip", "", "1.2.3.4"); got != "ip._.1_2_3_4" {
		t.Fatalf("Key = %q", got)
	}
}

func TestPerIP(t *testing.T) {
	a, _ := twoNodes(t)
	var rejected []time.Duration
	mw := PerIP(a, "test", Rate{Burst: 2, PerSec: 0.01}, nil, func(w http.ResponseWriter, r *http.Request, retry time.Duration) {
		rejected = append(rejected, retry)
		w.WriteHeader(http.StatusTooManyRequests)
	})
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	var codes []int
	for _, addr := range []string{"10.0.0.1:1", "10.0.0.1:2", "10.0.0.1:3", "10.0.0.2:1"} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/", nil)
		req.RemoteAddr = addr
		h.ServeHTTP(rec, req)
		codes = append(codes, rec.Code)
	}
	want := []int{204, 204, 429, 204}
	for i := range want {
		if codes[i] != want[i] {
			t.Fatalf("codes %v, want %v", codes, want)
		}
	}
	if len(rejected) != 1 || rejected[0] < time.Second {
		t.Fatalf("rejections %v", rejected)
	}
}

// TestBucketPenalty: with Penalize a client that keeps sending while
// refused stays refused; one that waits as told gets through.
func TestBucketPenalty(t *testing.T) {
	a, b := twoNodes(t)
	ctx := context.Background()
	now := time.Unix(1_800_000_000, 0)
	clock := func() time.Time { return now }
	a.now, b.now = clock, clock
	r := Rate{Burst: 2, PerSec: 0.5, Penalize: true} // one token every 2 s
	tests := []struct {
		advance time.Duration
		allowed bool
		retry   time.Duration
	}{
		{0, true, 0},
		{0, true, 0},
		{0, false, 4 * time.Second}, // 0 → -1
		{2 * time.Second, false, 4 * time.Second}, // refilled to 0, spent again
		{0, false, 6 * time.Second},               // -1 → -2 (the floor)
		{0, false, 6 * time.Second},               // stays at the floor
		{6 * time.Second, true, 0},                // waited as told: back to 1, spent
	}
	for i, tc := range tests {
		now = now.Add(tc.advance)
		node := a
		if i%2 == 1 {
			node = b
		}
		d, err := node.Allow(ctx, "flooder", r)
		if err != nil {
			t.Fatal(err)
		}
		if d.Allowed != tc.allowed || (!tc.allowed && (d.RetryAfter-tc.retry).Abs() > 10*time.Millisecond) {
			t.Fatalf("step %d: %+v, want allowed=%v retry≈%v", i, d, tc.allowed, tc.retry)
		}
	}
}

// TestSpendAndLevel: Spend charges any cost (down to -Burst, refunds up to
// Burst), Level reads without taking, and both nodes see one bucket.
func TestSpendAndLevel(t *testing.T) {
	a, b := twoNodes(t)
	ctx := context.Background()
	now := time.Unix(1_800_000_000, 0)
	clock := func() time.Time { return now }
	a.now, b.now = clock, clock
	r := Rate{Burst: 6, PerSec: 0.1}
	if l, err := a.Level(ctx, "judge-time.7", r); err != nil || l != 6 {
		t.Fatalf("unused level %v, %v; want 6", l, err)
	}
	if d, err := a.Spend(ctx, "judge-time.7", r, 2.5); err != nil || d.Remaining != 3.5 {
		t.Fatalf("spend: %+v, %v", d, err)
	}
	if l, _ := b.Level(ctx, "judge-time.7", r); l != 3.5 {
		t.Fatalf("level on the other node %v, want 3.5", l)
	}
	if d, _ := b.Spend(ctx, "judge-time.7", r, 100); d.Remaining != -6 {
		t.Fatalf("a big charge stops at -Burst: %+v", d)
	}
	now = now.Add(20 * time.Second) // +2 tokens
	if l, _ := a.Level(ctx, "judge-time.7", r); math.Abs(l-(-4)) > 1e-9 {
		t.Fatalf("level after 20 s %v, want -4", l)
	}
	if d, _ := a.Spend(ctx, "judge-time.7", r, -100); d.Remaining != 6 {
		t.Fatalf("a refund stops at Burst: %+v", d)
	}
}
