package sandbox

import (
	"context"
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

func TestPool(t *testing.T) {
	rt := &countingRuntime{Runtime: testRuntime(t, "runc")}
	opts := BoxOptions{MemoryBytes: 256 << 20, ExtraBinds: testBinds}
	pool := NewPool(rt, 2, opts)
	defer pool.Close()
	ctx := context.WithValue(context.Background(), callerKey{}, true)
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(10 * time.Millisecond) { // a box takes ~50 ms; a minute is a hang
		pool.mu.Lock()
		n := len(pool.ready)
		pool.mu.Unlock()
		if n == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the pool holds %d boxes after a minute, want 2", n)
		}
	}
	// The two waiting boxes are handed out as they are: no caller waits
	// for a container start (counted, not timed).
	var boxes []Box
	for i := 0; i < 3; i++ { // the third may come from the pool or directly
		box, err := pool.Open(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		if n := rt.direct.Load(); i < 2 && n != 0 {
			t.Errorf("open %d started a box for the caller instead of handing out a pooled one", i)
		}
		boxes = append(boxes, box)
	}
	before := rt.direct.Load()
	other, err := pool.Open(ctx, BoxOptions{ExtraBinds: testBinds}) // not the pool's options
	if err != nil {
		t.Fatal(err)
	}
	if rt.direct.Load() != before+1 {
		t.Error("a box with other options did not come straight from the runtime")
	}
	boxes = append(boxes, other)
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
