package service

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/segfaultarena/segfault/internal/arena/clock"
	"github.com/segfaultarena/segfault/internal/bus/bustest"
	"github.com/segfaultarena/segfault/internal/store"
	"github.com/segfaultarena/segfault/internal/store/sqlite"
)

// TestStarvedNodeWaitsForItsView: node a's goroutines are starved (no
// heartbeat, no watch: its watcher is fed by the test, its local clock is
// a fake) while b goes on for real on the same NATS. b drops a and would
// claim its matches. When a wakes up, its local clock has moved on and it
// sends a heartbeat at once, but its view is still the one from before
// the starvation: it must not act on it (before, it did: the fresh
// heartbeat alone made it active). Once its watcher has read the log up to
// that heartbeat, its view went through the one that dropped it (same
// epoch as b's) and on to one with a newer epoch, and only then is it
// active. The store's fencing with those epochs lets exactly one of them
// write the match at any point: no match runs twice.
func TestStarvedNodeWaitsForItsView(t *testing.T) {
	dir := t.TempDir()
	srv := bustest.Server(t)
	js, err := jetstream.New(bustest.Conn(t, srv))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute) // hang-only
	defer cancel()
	const ttl = time.Second
	kv, err := js.CreateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: "starve", History: 1, TTL: ttl, Storage: jetstream.MemoryStorage})
	if err != nil {
		t.Fatal(err)
	}

	fa := clock.NewFake(time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC))
	var aViews []view
	a := newMembers(kv, "a", ttl, testLogger(), func(v view) { aViews = append(aViews, v) })
	a.clk = fa
	b := newMembers(kv, "b", ttl, testLogger(), func(view) {})
	bctx, bstop := context.WithCancel(ctx)
	bdone := make(chan struct{})
	go func() { defer close(bdone); b.run(bctx) }()
	defer func() { bstop(); <-bdone }()

	aw, err := kv.Watch(ctx, memberPrefix+"*")
	if err != nil {
		t.Fatal(err)
	}
	defer aw.Stop()
	lg := newMemberLog()
	// feed runs a's watcher until cond holds.
	feed := func(what string, cond func() bool) {
		t.Helper()
		for !cond() {
			select {
			case e := <-aw.Updates():
				a.apply(lg, e)
			case <-ctx.Done():
				t.Fatalf("a's view never %s", what)
			}
		}
	}
	caughtUp := func() bool { a.mu.Lock(); defer a.mu.Unlock(); return len(a.pending) == 0 }
	both := func(v view) bool { return v.has("a") && v.has("b") }

	if err := a.beat(ctx); err != nil {
		t.Fatal(err)
	}
	if a.active() {
		t.Fatal("a is active before its watcher saw its heartbeat")
	}
	feed("has a and b", func() bool { return caughtUp() && both(a.view()) })
	if !a.active() {
		t.Fatal("a, caught up and just beaten, is not active")
	}
	before := a.view()

	// a starves: no heartbeat, no watch. b goes on and drops it.
	deadline := time.Now().Add(2 * time.Minute) // hang-only
	for b.view().has("a") {
		if time.Now().After(deadline) {
			t.Fatal("b never dropped the starved a")
		}
		time.Sleep(10 * time.Millisecond)
	}
	dropped := b.view()

	// a wakes up: its clock moved on; its view is still the old one.
	fa.Advance(10 * ttl)
	if a.active() {
		t.Fatal("a is active on a heartbeat older than the TTL")
	}
	if err := a.beat(ctx); err != nil {
		t.Fatal(err)
	}
	if v := a.view(); v.epoch != before.epoch || !both(v) {
		t.Fatalf("a's view moved without its watcher: %+v", v)
	}
	if a.active() {
		t.Fatalf("a woke up and is active on its stale view %+v (b dropped it at epoch %d)", a.view(), dropped.epoch)
	}
	aViews = nil
	feed("caught up with its new heartbeat", caughtUp)
	back := a.view()
	i := slices.IndexFunc(aViews, func(v view) bool { return !v.has("a") })
	switch {
	case i < 0:
		t.Fatalf("a's views after waking %+v never dropped a: its matches were not given up", aViews)
	case aViews[i].epoch != dropped.epoch:
		t.Fatalf("a dropped itself at epoch %d, b at %d: not the same log", aViews[i].epoch, dropped.epoch)
	case !back.has("a") || back.epoch <= dropped.epoch:
		t.Fatalf("a's view after catching up %+v, want a back with an epoch above %d", back, dropped.epoch)
	case !a.active():
		t.Fatal("a, caught up with a fresh heartbeat, is not active")
	}

	// The tokens: a's old epoch, b's takeover, a's return. At each step
	// only the latest claimant writes.
	st, err := sqlite.Open(ctx, filepath.Join(dir, "arena.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	u, err := st.CreateUser(ctx, store.NewUser{Username: "starved"})
	if err != nil {
		t.Fatal(err)
	}
	m := store.ArenaMatch{ID: "s1", Mode: "casual", State: "running", CreatedAt: time.Now(), Fence: before.epoch, Snapshot: []byte(`{}`),
		Players: []store.ArenaPlayer{{UserID: u.ID, RatingBefore: 1500, RDBefore: 350}}}
	if err := st.CreateMatch(ctx, m); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ClaimMatch(ctx, "s1", dropped.epoch); err != nil {
		t.Fatalf("b's takeover claim: %v", err)
	}
	if err := st.SaveMatchState(ctx, m); !errors.Is(err, store.ErrFenced) {
		t.Fatalf("a's write with its pre-starvation token: %v, want fenced", err)
	}
	if _, err := st.ClaimMatch(ctx, "s1", back.epoch); err != nil {
		t.Fatalf("a's claim after catching up: %v", err)
	}
	m.Fence = dropped.epoch
	if err := st.SaveMatchState(ctx, m); !errors.Is(err, store.ErrFenced) {
		t.Fatalf("b's write after a took the match back: %v, want fenced", err)
	}
}
