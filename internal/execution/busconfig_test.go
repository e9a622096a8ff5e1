package execution

import (
	"context"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/bus"
)

// TestBusConfigLeaseTTL: the deployment's bus configuration gives the
// arena leader lease a 3 s TTL, and a bucket created earlier with the
// bus default (10 s) is brought down to it by the next Setup.
func TestBusConfigLeaseTTL(t *testing.T) {
	if got := BusConfig().LeaseTTL; got != 3*time.Second {
		t.Fatalf("BusConfig().LeaseTTL = %v, want 3s", got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	nc := embeddedNATS(t)
	if _, err := bus.Setup(ctx, nc, bus.DefaultConfig()); err != nil { // an older deployment's bucket
		t.Fatal(err)
	}
	b, err := bus.Setup(ctx, nc, BusConfig())
	if err != nil {
		t.Fatal(err)
	}
	kv, err := b.JS.KeyValue(ctx, b.Names.LeaseBucket())
	if err != nil {
		t.Fatal(err)
	}
	st, err := kv.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.TTL() != 3*time.Second {
		t.Fatalf("lease bucket TTL %v, want 3s", st.TTL())
	}
	l, err := b.Lease("arena-leader", "n1")
	if err != nil || l.TTL() != 3*time.Second {
		t.Fatalf("lease TTL %v, %v", l.TTL(), err)
	}
}
