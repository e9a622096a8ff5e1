package sandbox

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// countingRuntime counts the boxes opened for callers of the pool (with
// the test's context), as opposed to those the pool opens ahead of time.
type countingRuntime struct {
	Runtime
	direct atomic.Int32
}

type callerKey struct{}

func (r *countingRuntime) Open(ctx context.Context, opts BoxOptions) (Box, error) {
	if ctx.Value(callerKey{}) != nil {
		r.direct.Add(1)
	}
	return r.Runtime.Open(ctx, opts)
}

func waitIdle(t *testing.T, pool *Pool, n int) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); pool.Idle() < n; time.Sleep(5 * time.Millisecond) { // a box takes ~50 ms; a minute is a hang
		if time.Now().After(deadline) {
			t.Fatalf("the pool holds %d boxes after a minute, want %d", pool.Idle(), n)
		}
	}
}

// TestPool: real runc boxes. Waiting boxes are handed out as they are, a
// new kind of box is pooled from its first use on, and every box handed
// out is a distinct, working box.
func TestPool(t *testing.T) {
	rt := &countingRuntime{Runtime: testRuntime(t, "runc")}
	opts := BoxOptions{MemoryBytes: 256 << 20, ExtraBinds: testBinds}
	pool := NewPool(rt, 2, opts)
	defer pool.Close()
	ctx := context.WithValue(context.Background(), callerKey{}, true)
	waitIdle(t, pool, 2)
	// The two waiting boxes are handed out as they are: no caller waits
	// for a container start (counted, not timed).
	var boxes []Box
	for i := 0; i < 3; i++ { // the third waits for a start under way
		box, err := pool.Open(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		boxes = append(boxes, box)
	}
	if n := rt.direct.Load(); n != 0 {
		t.Errorf("%d boxes started for the caller instead of by the pool", n)
	}
	if s := pool.Stats(); s.Ready != 2 || s.Waited != 1 || s.Direct != 0 {
		t.Errorf("stats %+v", s)
	}
	other := BoxOptions{ExtraBinds: testBinds} // a new kind: opened for the caller, then pooled
	b, err := pool.Open(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	boxes = append(boxes, b)
	if rt.direct.Load() != 1 {
		t.Error("the first box of a new kind did not come straight from the runtime")
	}
	waitIdle(t, pool, 4)
	if b, err = pool.Open(ctx, other); err != nil {
		t.Fatal(err)
	}
	boxes = append(boxes, b)
	if rt.direct.Load() != 1 {
		t.Error("the second box of the new kind was not a pooled one")
	}
	for _, b := range boxes {
		mustStillWork(t, b)
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
	}
	// Every box is distinct: a pooled box is never handed out twice.
	seen := map[Box]bool{}
	for _, b := range boxes {
		if seen[b] {
			t.Fatal("a box was handed out twice")
		}
		seen[b] = true
	}
}

// fakeRuntime starts fake boxes when the test releases a start.
type fakeRuntime struct {
	Runtime
	start  chan error // one value per start: nil = up, else its error
	mu     sync.Mutex
	opened []*fakeBox
}

type fakeBox struct {
	Box
	opts   BoxOptions
	closed atomic.Bool
}

func (b *fakeBox) Close() error { b.closed.Store(true); return nil }

func (r *fakeRuntime) Open(ctx context.Context, opts BoxOptions) (Box, error) {
	if ctx.Value(callerKey{}) == nil { // the pool's own start: wait for the test
		select {
		case err := <-r.start:
			if err != nil {
				return nil, err
			}
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	b := &fakeBox{opts: opts}
	r.mu.Lock()
	r.opened = append(r.opened, b)
	r.mu.Unlock()
	return b, nil
}

// open counts the fake boxes opened and those still open.
func (r *fakeRuntime) open() (all, alive int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, b := range r.opened {
		if !b.closed.Load() {
			alive++
		}
	}
	return len(r.opened), alive
}

// TestPoolHandOff: a caller waits for a start under way rather than
// starting another; a failed start sends it to the runtime; a caller that
// gives up leaks no box; Close closes what is waiting and what was still
// starting; the kinds are bounded.
func TestPoolHandOff(t *testing.T) {
	rt := &fakeRuntime{start: make(chan error)}
	opts := BoxOptions{MemoryBytes: 1}
	pool := NewPool(rt, 1, opts)
	ctx := context.WithValue(context.Background(), callerKey{}, true)

	got := make(chan Box)
	go func() {
		b, err := pool.Open(ctx, opts)
		if err != nil {
			t.Error(err)
		}
		got <- b
	}()
	for pool.Stats().Waited == 0 {
		time.Sleep(time.Millisecond)
	}
	rt.start <- nil // the warm start ends: its box goes to the waiting caller
	b := <-got
	if fb, ok := unwrapBox(b).(*fakeBox); !ok || fb.opts.MemoryBytes != 1 {
		t.Fatalf("got %v", b)
	}
	if all, _ := rt.open(); all != 1 {
		t.Fatalf("%d boxes opened, want the pool's one", all)
	}

	// The refill (for the pool and a new waiter) fails: the waiter opens
	// directly.
	go func() {
		b, err := pool.Open(ctx, opts)
		if err != nil {
			t.Error(err)
		}
		got <- b
	}()
	for pool.Stats().Waited < 2 {
		time.Sleep(time.Millisecond)
	}
	rt.start <- errors.New("runc failed")
	rt.start <- errors.New("runc failed")
	if b := <-got; b == nil {
		t.Fatal("no box after a failed start")
	}
	if s := pool.Stats(); s.Failed < 1 {
		t.Fatalf("stats %+v", s)
	}

	// A caller that gives up while waiting: the box started for it is not
	// lost (it stays in the pool, closed with it).
	pool.Warm(opts) // a start under way for the next caller to wait for
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() {
		_, err := pool.Open(cctx, opts)
		done <- err
	}()
	for pool.Stats().Waited < 3 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled open: %v", err)
	}
	rt.start <- nil
	for deadline := time.Now().Add(time.Minute); pool.Idle() != 1; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the box started for a caller that gave up is not in the pool")
		}
	}

	// Kinds are bounded: the least recently used kind (opts) is dropped
	// and its waiting box closed. Alive then: the two boxes handed out.
	for i := range MaxPoolKinds {
		pool.Warm(BoxOptions{MemoryBytes: int64(100 + i)})
	}
	waitAlive := func(what string, want int) {
		t.Helper()
		for deadline := time.Now().Add(time.Minute); ; time.Sleep(time.Millisecond) {
			all, alive := rt.open()
			if alive == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: %d boxes opened, %d alive; want %d alive", what, all, alive, want)
			}
		}
	}
	waitAlive("after the kinds overflowed", 2)
	if pool.Idle() != 0 {
		t.Fatalf("%d idle boxes", pool.Idle())
	}
	// Close stops the starts under way (none completes into a live box).
	pool.Close()
	waitAlive("after Close", 2)
	if b, err := pool.Open(ctx, opts); err != nil || b == nil {
		t.Fatalf("Open after Close (straight to the runtime): %v", err)
	}
}

// unwrapBox is the runtime's box behind a box the pool handed out.
func unwrapBox(b Box) Box {
	if pb, ok := b.(*pooledBox); ok {
		return pb.Unwrap()
	}
	return b
}

// TestPooledBoxClose: closing a box the pool handed out returns at once,
// makes the box unusable, and the pool's Close waits for the teardown.
func TestPooledBoxClose(t *testing.T) {
	rt := &fakeRuntime{start: make(chan error)}
	pool := NewPool(rt, 1)
	ctx := context.WithValue(context.Background(), callerKey{}, true)
	b, err := pool.Open(ctx, BoxOptions{MemoryBytes: 7}) // a new kind: opened for the caller
	if err != nil {
		t.Fatal(err)
	}
	inner := unwrapBox(b).(*fakeBox)
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil { // twice is safe
		t.Fatal(err)
	}
	if _, err := b.Run(ctx, Cmd{Args: []string{"true"}}); err == nil {
		t.Error("Run on a closed box worked")
	}
	if err := b.WriteFile("x", nil, 0o644); err == nil {
		t.Error("WriteFile on a closed box worked")
	}
	pool.Close()
	if !inner.closed.Load() {
		t.Error("the box was not torn down by the time the pool closed")
	}
}
