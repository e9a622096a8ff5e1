package sandbox

import (
	"context"
	"testing"
	"time"
)

func TestPool(t *testing.T) {
	rt := testRuntime(t, "runc")
	opts := BoxOptions{MemoryBytes: 256 << 20, ExtraBinds: testBinds}
	pool := NewPool(rt, 2, opts)
	defer pool.Close()
	ctx := context.Background()
	deadline := time.Now().Add(10 * time.Second)
	for {
		pool.mu.Lock()
		n := len(pool.ready)
		pool.mu.Unlock()
		if n == 2 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	var boxes []Box
	for i := 0; i < 3; i++ { // the third may come from the pool or directly
		start := time.Now()
		box, err := pool.Open(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		if i < 2 && time.Since(start) > 50*time.Millisecond {
			t.Errorf("pooled open took %v", time.Since(start))
		}
		boxes = append(boxes, box)
	}
	other, err := pool.Open(ctx, BoxOptions{ExtraBinds: testBinds}) // not the pool's options
	if err != nil {
		t.Fatal(err)
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
